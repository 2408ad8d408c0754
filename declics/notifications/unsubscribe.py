"""One-click unsubscribe links (RFC 8058): a signed token per person and optional group of messages.

The token names the person and the group and is signed with the site's secret (no expiry: an
old e-mail's link still works). Anyone holding the link may turn that group off for that person,
which is what one click from a mail client means; nothing else can be done with it.
"""

from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import reverse

from . import kinds

SALT = "declics.notifications.unsubscribe"


def token(*, user_id: int, group: str) -> str:
    return signing.dumps({"u": user_id, "g": group}, salt=SALT, compress=True)


@lru_cache(maxsize=1)
def _path_around_the_token() -> tuple[str, str]:
    """The page's path before and after its token, resolved once (a group message builds thousands)."""
    before, after = reverse("notifications:unsubscribe", args=["TOKEN"]).split("TOKEN")
    return before, after


def url(*, user_id: int, group: str) -> str:
    before, after = _path_around_the_token()
    return f"{settings.SITE_URL}{before}{token(user_id=user_id, group=group)}{after}"


def read(value: str) -> tuple[int, str] | None:
    """(user id, group) of a genuine token for an optional group, else None."""
    try:
        data = signing.loads(value, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, group = data.get("u"), data.get("g")
    if not isinstance(user_id, int) or group not in kinds.GROUPS or not kinds.GROUPS[group].optional:
        return None
    return user_id, group
