"""Requests whose effects are undone, and how a response is read by the security tests."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from tests.security.access import LOGIN, REDIRECT
from tests.security.world import B_SECRETS


@dataclass
class Answer:
    status: int
    location: str
    text: str
    error: BaseException | None = None


def fetch(client, method: str, url: str, data=None, **extra) -> Answer:
    """One request, then everything it changed is undone: the database (a savepoint rolled back),
    the client's cookies (a sign-out or a language switch) and the cache (rate-limit counters).

    An exception raised by the view (a 500 in production) is returned, not raised.
    """
    cookies = copy.deepcopy(client.cookies)
    cache.clear()
    try:
        with transaction.atomic():
            try:
                response = getattr(client, method)(url, data if data is not None else {}, **extra)
                # Reading a streamed body to its end closes it (the test client's wrapper): no
                # `close()` here, which would also close the database connection mid-transaction.
                body = b"".join(response.streaming_content) if response.streaming else response.content
            finally:
                transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 (any exception is a finding, reported by the caller)
        return Answer(500, "", "", error)
    finally:
        client.cookies = cookies
    text = body.decode("utf-8", errors="replace")
    return Answer(response.status_code, response.get("Location", ""), text)


def outcome(answer: Answer):
    """The status, with redirects told apart: to a login page, or anywhere else."""
    if answer.status in (301, 302, 303, 307, 308):
        path = urlsplit(answer.location).path
        return LOGIN if path in (reverse("account_login"), reverse("admin:login")) else REDIRECT
    return answer.status


def b_secrets_in(answer: Answer) -> list[str]:
    text = unescape(answer.text).casefold()
    return [secret for secret in B_SECRETS if secret.casefold() in text]
