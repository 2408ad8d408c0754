import pytest
from django.core.cache import cache
from django.utils import translation

from declics.celery import app as celery_app


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
    yield
    celery_app.conf.task_always_eager = False
    # A request in English leaves the language active in this thread: the next test starts in French.
    translation.activate(settings.LANGUAGE_CODE)
