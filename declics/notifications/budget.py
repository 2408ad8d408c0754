"""The per-person daily budget of optional messages, across every module.

At most NOTIFICATIONS_OPTIONAL_PER_DAY optional messages a day (Paris time) per person; beyond it a
message is held as a `DigestItem` and goes into the person's next digest (see `digest`), so five
steps opening on the same morning do not send five messages.
"""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import kinds
from .models import DailyBudget, DigestItem


@transaction.atomic
def take(*, user_ids: Iterable[int], now: datetime) -> set[int]:
    """Take one place of today's budget for each of `user_ids`; returns those who had one left.

    The day's rows are created if missing, then locked (in id order, so two groups never
    deadlock) and raised together: two messages queued at once for the same person cannot both
    take the last place.
    """
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return set()
    day = timezone.localdate(now)
    limit = settings.NOTIFICATIONS_OPTIONAL_PER_DAY
    DailyBudget.objects.bulk_create(
        [DailyBudget(user_id=user_id, day=day) for user_id in user_ids],
        ignore_conflicts=True,
        batch_size=1000,
    )
    rows = (
        DailyBudget.objects.select_for_update()
        .filter(day=day, user_id__in=user_ids)
        .order_by("user_id")
        .values_list("pk", "user_id", "used")
    )
    allowed = {(pk, user_id) for pk, user_id, used in rows if used < limit}
    if allowed:
        DailyBudget.objects.filter(pk__in=[pk for pk, _user in allowed]).update(used=F("used") + 1)
    return {user_id for _pk, user_id in allowed}


def item(*, user_id: int, key: str, kind: kinds.Kind, subject: str, text: str, now: datetime) -> DigestItem:
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    return DigestItem(
        user_id=user_id,
        key=key,
        kind=kind.name,
        subject=subject.removeprefix(prefix)[:255],
        body_text=text.split("\n-- \n")[0].rstrip(),
        held_at=now,
    )


def hold(*, user_id: int, key: str, kind: kinds.Kind, subject: str, text: str, now: datetime) -> None:
    """Keep the message for the person's next digest (once per key)."""
    DigestItem.objects.bulk_create(
        [item(user_id=user_id, key=key, kind=kind, subject=subject, text=text, now=now)],
        ignore_conflicts=True,
    )
