"""People of a session (issue 14, item 3): its enrolments with filters, the waiting list, and the
staff's actions on a person — give a place, remove with a reason, transfer to another session,
remove many at once (a Celery task with its progress page) — all through the lifecycle services
(`programs.services.lifecycle`), each with its notice."""
