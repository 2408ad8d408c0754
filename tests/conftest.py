import django.test
import pytest
from django.core.cache import cache
from django.utils import translation

from declics.accounts.mfa import mark_second_factor_passed
from declics.celery import app as celery_app
from declics.notifications import sms


class Client(django.test.Client):
    """The suite's test client: `force_login` also passes the second factor.

    Django's force_login skips every step of a real sign-in (the password included); here it also
    skips the second factor that staff and advisers need, so that tests of a page need not go
    through the code. The second factor itself is tested with a plain django.test.Client, through
    the real sign-in (tests/accounts/test_second_factor.py).
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        mark_second_factor_passed(session, user)
        session.save()


@pytest.fixture
def client():
    """pytest-django's `client`, as the suite's Client (see above)."""
    return Client()


@pytest.fixture(autouse=True)
def _fast_and_eager(settings):
    # A fast hasher: tests create many users; the real one is tested by Django itself.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No floor under the account forms' answers (declics.accounts.middleware), tested on its own.
    settings.ACCOUNT_FORMS_MIN_SECONDS = 0
    # Tasks run in-process, so a committed outbox row is sent at once to the locmem mailbox.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    # Each test starts with an empty cache (cached fragments, rate-limit counters).
    cache.clear()
    # SMS are kept in declics.notifications.sms.outbox, emptied for each test (like mail.outbox).
    settings.SMS_BACKEND = "locmem"
    sms.outbox.clear()
    yield
    celery_app.conf.task_always_eager = False
    # A request in English leaves the language active in this thread: the next test starts in French.
    translation.activate(settings.LANGUAGE_CODE)
