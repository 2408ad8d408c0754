"""The console's messages: write to a group of a session's people, preview, send, and the history."""
