"""Each person's digest: the optional messages the daily budget held back, in one message the next
morning (see `budget`).

`send_digests` runs from the beat. Per person, under a lock on their waiting items (SKIP LOCKED: two
runs at once share the people out), it queues one message under the key `digest:<person>:<day>`
and marks the items with that key in the same transaction: an item is never lost (it waits until
a digest carries it) and never sent twice (a carried item is no longer waiting; a second digest the
same day would reuse the key, so the items wait for the next day instead).
"""

import logging
from datetime import datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from . import kinds, preferences, routing
from .models import DigestItem

logger = logging.getLogger(__name__)
TEMPLATE = "notifications/emails/digest"
MUTED = "-"  # the mark of an item whose group the person turned off before its digest left


def digest_key(*, user_id: int, day) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


def _start_of_day(now: datetime) -> datetime:
    return timezone.make_aware(
        datetime.combine(timezone.localdate(now), time.min), timezone.get_current_timezone()
    )


def send_digests(*, now: datetime | None = None, limit: int = 5000) -> int:
    """Queue the digest of everyone with items held before today, once the digest hour has come.

    Returns how many digests were queued. Each person in their own transaction.
    """
    now = now or timezone.now()
    if timezone.localtime(now).hour < settings.NOTIFICATIONS_DIGEST_HOUR:
        return 0
    before = _start_of_day(now)
    user_ids = (
        DigestItem.objects.waiting()
        .filter(held_at__lt=before)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[:limit]
    )
    return sum(send_digest(user_id=user_id, now=now) for user_id in list(user_ids))


@transaction.atomic
def send_digest(*, user_id: int, now: datetime) -> int:
    """One person's digest of the items held before today; 1 when it was queued, else 0."""
    items = (
        DigestItem.objects.waiting()
        .filter(user_id=user_id, held_at__lt=_start_of_day(now))
        .order_by("held_at", "pk")
    )
    if connection.features.has_select_for_update_skip_locked:
        items = items.select_for_update(skip_locked=True)
    items = list(items)
    if not items:
        return 0
    user = get_user_model().objects.get(pk=user_id)
    muted = preferences.of(user).muted
    wanted = [item for item in items if kinds.KINDS.get(item.kind, kinds.DIGEST).group not in muted]
    dropped = [item.pk for item in items if item not in wanted]
    if dropped:
        DigestItem.objects.filter(pk__in=dropped).update(digest_key=MUTED)
    if not wanted:
        return 0
    key = digest_key(user_id=user_id, day=timezone.localdate(now))
    if routing.already_queued(key):
        return 0  # today's digest already left (an item committed late): these wait for tomorrow's
    delivery = routing.notify(
        user=user,
        kind=kinds.DIGEST,
        key=key,
        template=TEMPLATE,
        context={"user": user, "items": wanted, "count": len(wanted)},
        now=now,
    )
    if not delivery.messages:  # no channel left to reach the person (no address, no number)
        DigestItem.objects.filter(pk__in=[item.pk for item in wanted]).update(digest_key=MUTED)
        return 0
    DigestItem.objects.filter(pk__in=[item.pk for item in wanted]).update(digest_key=key)
    logger.info("digest queued", extra={"user": user_id, "items": len(wanted)})
    return 1
