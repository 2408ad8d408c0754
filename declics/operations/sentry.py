"""Error reports to Sentry, set up by declics/settings.py only when SENTRY_DSN is set.

Imported from the settings module: it imports nothing of the project nor of Django's models.
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float, **options) -> None:
    """Report unhandled errors of the web processes and the Celery tasks.

    No personal data leaves: `send_default_pii=False` keeps out the user's id, e-mail and address,
    cookies and request bodies (the people served here are job seekers; see the privacy page).
    `options` are passed on as they are (tests give a transport that keeps the events in memory).
    """
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
        **options,
    )
