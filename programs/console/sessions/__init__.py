"""The console's sessions area: a session's calendar, places and public texts at every stage,
closing its registrations early, archiving it (issue 14, item 1)."""
