from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_due_notifications(*, batch_size: int | None = None) -> int:
    """Send outbox rows whose time has come.

    Safe to run several times at once: rows are claimed under a lease (SKIP LOCKED on
    PostgreSQL), and failures are retried by the outbox itself with back-off.
    """
    return services.send_due_messages(batch_size=batch_size)


@shared_task(ignore_result=True)
def send_digests() -> int:
    """Each person's digest of held optional messages (idempotent: see `digest`)."""
    from . import digest

    return digest.send_digests()
