"""Each person's choices about their messages, with the defaults, and the channel choice itself.

`choose_channels` is the one rule deciding how a message travels; it is a plain function of the
kind, what the person has (an e-mail address, a phone number SMS may be sent to) and their
choices, so that every case is tested without a database.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import kinds
from .models import Channels, NotificationPreference

EMAIL, SMS = "email", "sms"
# No quiet hours until the person sets theirs: the team's own messages (cohort news, nudges,
# surveys) already leave only between 08:00 and 21:00 (`programs.services.calendar`).
DEFAULT_QUIET_FROM: time | None = None
DEFAULT_QUIET_UNTIL: time | None = None


@dataclass(frozen=True)
class Preferences:
    """A person's choices, with the defaults filled in (see `of`)."""

    channels: dict[str, str] = field(default_factory=dict)
    muted: frozenset[str] = frozenset()
    quiet_from: time | None = DEFAULT_QUIET_FROM
    quiet_until: time | None = DEFAULT_QUIET_UNTIL

    def channel_for(self, group: str, *, has_email: bool) -> str:
        """The person's choice for `group`; without one, e-mail when they have an address, else SMS."""
        return self.channels.get(group) or (Channels.EMAIL if has_email else Channels.SMS)


DEFAULTS = Preferences()


def from_row(row: NotificationPreference | None) -> Preferences:
    if row is None:
        return DEFAULTS
    valid = set(Channels.values)
    return Preferences(
        channels={group: value for group, value in row.channels.items() if value in valid},
        muted=frozenset(row.muted),
        quiet_from=row.quiet_from,
        quiet_until=row.quiet_until,
    )


def of(user) -> Preferences:
    return from_row(NotificationPreference.objects.filter(user=user).first())


def of_many(user_ids: Iterable[int]) -> dict[int, Preferences]:
    """Everyone's preferences in one query; people without a row get the defaults."""
    rows = NotificationPreference.objects.filter(user_id__in=list(user_ids))
    return {row.user_id: from_row(row) for row in rows}


def choose_channels(
    *, kind: kinds.Kind, prefs: Preferences, has_email: bool, has_phone: bool
) -> tuple[str, ...]:
    """The channels a message of `kind` goes by: e-mail, SMS, both, or none.

    - An optional group the person turned off gets nothing.
    - Otherwise the person's choice for the group, among the channels they have (`has_phone`:
      a number SMS may be sent to, STOP honoured).
    - When the choice names only a channel the person does not have (SMS chosen, the number
      removed since), the message falls back to the channel they have: a message the person did
      not turn off is never lost to a stale choice. Essential kinds in particular always reach
      at least one channel the person has.
    """
    if kind.optional and kind.group in prefs.muted and not kind.essential:
        return ()
    available = [channel for channel, ok in ((EMAIL, has_email), (SMS, has_phone)) if ok]
    choice = prefs.channel_for(kind.group, has_email=has_email)
    wanted = {Channels.EMAIL: [EMAIL], Channels.SMS: [SMS], Channels.BOTH: [EMAIL, SMS]}[choice]
    chosen = tuple(channel for channel in available if channel in wanted)
    if chosen:
        return chosen
    return tuple(available[:1])


def end_of_quiet_hours(*, prefs: Preferences, now: datetime) -> datetime:
    """`now` if it is outside the person's quiet hours (Paris time), else the end of the period.

    A period may span midnight (21:00 → 08:00) or not (13:00 → 14:00); none when unset or empty.
    """
    start, end = prefs.quiet_from, prefs.quiet_until
    if start is None or end is None or start == end:
        return now
    local = timezone.localtime(now)
    clock = local.time()
    if start < end:
        inside = start <= clock < end
        day = local.date()
    else:
        inside = clock >= start or clock < end
        day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return now
    return timezone.make_aware(datetime.combine(day, end), timezone.get_current_timezone())


def send_time(*, kind: kinds.Kind, prefs: Preferences, wanted: datetime) -> datetime:
    """When a message of `kind` due at `wanted` leaves: urgent kinds at once, others after the quiet hours.

    Reminders are urgent: a 1-hour reminder due at 07:30 for an 08:30 workshop would come too late
    if held until 08:00, and a 24-hour reminder falls at the time of day of the workshop itself,
    so outside the night in practice.
    """
    if kind.urgent:
        return wanted
    return end_of_quiet_hours(prefs=prefs, now=wanted)


@transaction.atomic
def save_preferences(
    *, user, channels: dict[str, str], muted: Iterable[str], quiet_from: time | None, quiet_until: time | None
) -> NotificationPreference:
    """Store the person's choices (only known groups, only optional groups muted)."""
    valid = set(Channels.values)
    row, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    row.channels = {
        group: value for group, value in channels.items() if group in kinds.GROUPS and value in valid
    }
    row.muted = sorted({group for group in muted if group in kinds.GROUPS and kinds.GROUPS[group].optional})
    row.quiet_from, row.quiet_until = quiet_from, quiet_until
    row.save()
    return row


@transaction.atomic
def mute_group(*, user, group: str) -> bool:
    """Turn the optional `group` off for `user` (one-click unsubscribe); False when it already was."""
    row, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user, defaults={"quiet_from": DEFAULT_QUIET_FROM, "quiet_until": DEFAULT_QUIET_UNTIL}
    )
    if group in row.muted:
        return False
    row.muted = sorted({*row.muted, group})
    row.save(update_fields=["muted", "updated_at"])
    return True


def save_language(*, user, language: str) -> None:
    """The language the person reads the site in, and every message to them is written in."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return
    user.language = language
    get_user_model().objects.filter(pk=user.pk).update(language=language)


def muted_user_ids(group: str) -> list[int]:
    """The people who turned the optional `group` off (read in Python: SQLite has no JSON contains)."""
    rows = NotificationPreference.objects.exclude(muted=[]).values_list("user_id", "muted")
    return [user_id for user_id, muted in rows if group in muted]
