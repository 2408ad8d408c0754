"""The one routing rule: the person's channel(s), language, quiet hours, daily budget and digest."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from declics.notifications import digest, kinds, preferences, routing, unsubscribe
from declics.notifications.models import Channels, DailyBudget, DigestItem, OutboxMessage, SmsOptOut
from declics.notifications.preferences import EMAIL, SMS, Preferences, choose_channels
from tests.factories import UserFactory

PARIS = timezone.get_fixed_timezone(60)  # Paris in winter (UTC+1)
TEMPLATE = "programs/emails/cohort_message"
PHONE = "+33612345678"

# --- The channel choice (no database) --------------------------------------------------------------

REGULAR = kinds.STEP_OPENED  # neither optional nor essential
OPTIONAL = kinds.COHORT_NEWS
ESSENTIAL = kinds.BOOKING_CHANGED


def _prefs(choice=None, *, group=None, muted=()):
    channels = {group: choice} if choice else {}
    return Preferences(channels=channels, muted=frozenset(muted))


@pytest.mark.parametrize(
    ("kind", "choice", "has_email", "has_phone", "expected"),
    [
        # No choice: e-mail when there is an address, SMS otherwise.
        (REGULAR, None, True, True, (EMAIL,)),
        (REGULAR, None, False, True, (SMS,)),
        (REGULAR, None, True, False, (EMAIL,)),
        (REGULAR, None, False, False, ()),
        # The person's choice, among what they have.
        (REGULAR, Channels.SMS, True, True, (SMS,)),
        (REGULAR, Channels.BOTH, True, True, (EMAIL, SMS)),
        (REGULAR, Channels.BOTH, False, True, (SMS,)),
        (REGULAR, Channels.BOTH, True, False, (EMAIL,)),
        # A stale choice (SMS chosen, number gone) falls back to what the person has.
        (REGULAR, Channels.SMS, True, False, (EMAIL,)),
        (REGULAR, Channels.EMAIL, False, True, (SMS,)),
        (OPTIONAL, Channels.SMS, True, True, (SMS,)),
        (OPTIONAL, Channels.SMS, True, False, (EMAIL,)),
        (ESSENTIAL, Channels.SMS, True, False, (EMAIL,)),
        (ESSENTIAL, Channels.EMAIL, False, True, (SMS,)),
        (ESSENTIAL, Channels.BOTH, True, True, (EMAIL, SMS)),
        (ESSENTIAL, None, False, False, ()),
    ],
)
def test_channels_follow_the_choice_among_what_the_person_has(kind, choice, has_email, has_phone, expected):
    prefs = _prefs(choice, group=kind.group)

    assert choose_channels(kind=kind, prefs=prefs, has_email=has_email, has_phone=has_phone) == expected


@pytest.mark.parametrize("has", [(True, True), (True, False), (False, True)])
def test_an_optional_group_turned_off_gets_nothing_by_any_channel(has):
    prefs = _prefs(Channels.BOTH, group=OPTIONAL.group, muted=[OPTIONAL.group])

    assert choose_channels(kind=OPTIONAL, prefs=prefs, has_email=has[0], has_phone=has[1]) == ()


def test_muting_is_for_optional_groups_only_essential_and_regular_kinds_still_go():
    prefs = _prefs(muted=[ESSENTIAL.group, REGULAR.group, "account"])

    assert choose_channels(kind=ESSENTIAL, prefs=prefs, has_email=True, has_phone=False) == (EMAIL,)
    assert choose_channels(kind=REGULAR, prefs=prefs, has_email=True, has_phone=False) == (EMAIL,)
    assert choose_channels(kind=kinds.SECURITY, prefs=prefs, has_email=False, has_phone=True) == (SMS,)


def _paris(hour, minute=0, day=4):
    return datetime(2026, 12, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (_paris(12), _paris(12)),
        (_paris(20, 59), _paris(20, 59)),
        (_paris(21), _paris(8, day=5)),
        (_paris(23, 30), _paris(8, day=5)),
        (_paris(2), _paris(8)),
        (_paris(8), _paris(8)),
    ],
)
def test_quiet_hours_delay_a_regular_message_to_their_end(at, expected):
    prefs = Preferences(quiet_from=time(21), quiet_until=time(8))

    assert preferences.send_time(kind=REGULAR, prefs=prefs, wanted=at) == expected


def test_quiet_hours_within_a_day_and_none_when_unset():
    lunch = Preferences(quiet_from=time(12), quiet_until=time(14))

    assert preferences.send_time(kind=REGULAR, prefs=lunch, wanted=_paris(13)) == _paris(14)
    assert preferences.send_time(kind=REGULAR, prefs=lunch, wanted=_paris(15)) == _paris(15)
    unset = Preferences(quiet_from=None, quiet_until=None)
    assert preferences.send_time(kind=REGULAR, prefs=unset, wanted=_paris(23)) == _paris(23)


def test_no_quiet_hours_until_the_person_sets_them():
    assert preferences.send_time(kind=REGULAR, prefs=preferences.DEFAULTS, wanted=_paris(23)) == _paris(23)


def test_urgent_kinds_reminders_included_are_not_held_by_quiet_hours():
    prefs = Preferences(quiet_from=time(21), quiet_until=time(8))

    for kind in (kinds.BOOKING_REMINDER, kinds.SECURITY, kinds.BOOKING_NOTICE):
        assert preferences.send_time(kind=kind, prefs=prefs, wanted=_paris(7, 30)) == _paris(7, 30)


# --- notify, with the database ---------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def _notify(user, *, kind=REGULAR, key="k:1", now=None, **extra):
    return routing.notify(
        user=user,
        kind=kind,
        key=key,
        template=TEMPLATE,
        context={"session": _Session(), "subject": "Sujet", "body": "Bonjour à toutes et tous."},
        now=now or _paris(12),
        **extra,
    )


class _Session:
    slug = "herault-2026"
    title = "Hérault 2026"


@pytest.mark.django_db
def test_notify_by_both_channels_under_the_key_and_the_key_plus_sms():
    user = UserFactory(phone="06 12 34 56 78")
    preferences.save_preferences(
        user=user, channels={REGULAR.group: Channels.BOTH}, muted=[], quiet_from=None, quiet_until=None
    )

    delivery = _notify(user)

    rows = {row.dedup_key: row for row in OutboxMessage.objects.all()}
    assert set(rows) == {"k:1", "k:1:sms"}
    assert (rows["k:1"].channel, rows["k:1"].to_email, rows["k:1"].kind) == (
        "email",
        user.email,
        "step-opened",
    )
    assert (rows["k:1:sms"].channel, rows["k:1:sms"].to_phone, rows["k:1:sms"].user) == ("sms", PHONE, user)
    assert len(delivery.messages) == 2
    # Once per key: a second call queues nothing.
    assert _notify(user).messages == []
    assert OutboxMessage.objects.count() == 2


@pytest.mark.django_db
def test_a_person_without_email_gets_the_sms_and_one_with_neither_gets_nothing():
    phone_only = UserFactory(email="", phone=PHONE, verified=False)
    nobody = UserFactory(email="anonymised-9@invalid", phone="", verified=False)

    _notify(phone_only, key="a")
    _notify(nobody, key="b")

    assert list(OutboxMessage.objects.values_list("dedup_key", "channel", "to_phone")) == [
        ("a:sms", "sms", PHONE)
    ]


@pytest.mark.django_db
def test_a_number_that_answered_stop_gets_no_sms_and_an_essential_message_falls_back_to_email():
    user = UserFactory(phone=PHONE)
    preferences.save_preferences(
        user=user, channels={ESSENTIAL.group: Channels.SMS}, muted=[], quiet_from=None, quiet_until=None
    )
    SmsOptOut.objects.create(phone=PHONE)

    _notify(user, kind=ESSENTIAL, key="moved")

    assert list(OutboxMessage.objects.values_list("dedup_key", "channel")) == [("moved", "email")]


@pytest.mark.django_db
def test_notify_many_skips_the_numbers_that_answered_stop():
    stopped = UserFactory(email="stopped@invalid", phone=PHONE, verified=False)  # no address to write to
    other = UserFactory(email="other@invalid", phone="+33698765432", verified=False)
    for person in (stopped, other):
        preferences.save_preferences(
            user=person, channels={REGULAR.group: Channels.SMS}, muted=[], quiet_from=None, quiet_until=None
        )
    SmsOptOut.objects.create(phone=PHONE)

    routing.notify_many(
        recipients=[("many:1", stopped), ("many:2", other)],
        kind=REGULAR,
        template=TEMPLATE,
        context={"session": _Session(), "subject": "Sujet", "body": "Bonjour."},
        now=_paris(12),
    )

    assert list(OutboxMessage.objects.values_list("dedup_key", "to_phone")) == [
        ("many:2:sms", "+33698765432")
    ]


@pytest.mark.django_db
def test_an_english_speaker_gets_the_message_in_english_and_the_page_language_does_not_leak():
    english = UserFactory(language="en")

    _notify(english, kind=kinds.BOOKING_NOTICE, key="en")

    row = OutboxMessage.objects.get(dedup_key="en")
    assert "DéClics Numériques" in row.body_html
    assert '<html lang="en">' in row.body_html


@pytest.mark.django_db
def test_optional_emails_carry_the_one_click_unsubscribe_headers_and_footer():
    user = UserFactory()

    _notify(user, kind=OPTIONAL, key="news")

    row = OutboxMessage.objects.get(dedup_key="news")
    url = row.headers["List-Unsubscribe"].strip("<>")
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.read(url.rstrip("/").rsplit("/", 1)[1]) == (user.pk, OPTIONAL.group)
    assert url in row.body_text
    assert url in row.body_html


@pytest.mark.django_db
def test_the_headers_leave_with_the_email(mailoutbox):
    from declics.notifications.services import send_due_messages

    user = UserFactory()
    _notify(user, kind=OPTIONAL, key="news", now=timezone.now())
    _notify(user, kind=REGULAR, key="step", now=timezone.now())

    send_due_messages()

    by_key = {mail.extra_headers["X-DeClics-Key"]: mail for mail in mailoutbox}
    assert by_key["news"].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert by_key["news"].extra_headers["List-Unsubscribe"].startswith("<http")
    assert "List-Unsubscribe" not in by_key["step"].extra_headers


@pytest.mark.django_db
def test_a_regular_message_waits_for_the_end_of_the_quiet_hours():
    user = UserFactory()
    preferences.save_preferences(user=user, channels={}, muted=[], quiet_from=time(21), quiet_until=time(8))

    _notify(user, now=_paris(22))
    _notify(user, kind=kinds.BOOKING_REMINDER, key="reminder", now=_paris(22))

    rows = dict(OutboxMessage.objects.values_list("dedup_key", "send_after"))
    assert rows["k:1"] == _paris(8, day=5)
    assert rows["reminder"] == _paris(22)


# --- The budget and the digest ---------------------------------------------------------------------


@pytest.mark.django_db
def test_beyond_the_daily_budget_optional_messages_are_held_for_the_digest(settings):
    settings.NOTIFICATIONS_OPTIONAL_PER_DAY = 2
    user = UserFactory()

    deliveries = [_notify(user, kind=OPTIONAL, key=f"news:{n}") for n in range(4)]
    regular = _notify(user, kind=REGULAR, key="step")

    assert [d.held for d in deliveries] == [False, False, True, True]
    assert sorted(OutboxMessage.objects.values_list("dedup_key", flat=True)) == ["news:0", "news:1", "step"]
    assert sorted(DigestItem.objects.values_list("key", flat=True)) == ["news:2", "news:3"]
    assert regular.messages  # the budget counts optional messages only
    assert DailyBudget.objects.get(user=user).used == 2
    # A held key is not held (nor sent) twice.
    assert _notify(user, kind=OPTIONAL, key="news:2").created is False
    assert DigestItem.objects.count() == 2


@pytest.mark.django_db
def test_the_budget_is_per_day_in_paris(settings):
    settings.NOTIFICATIONS_OPTIONAL_PER_DAY = 1
    user = UserFactory()

    first = _notify(user, kind=OPTIONAL, key="a", now=_paris(23, 30))
    next_day = _notify(user, kind=OPTIONAL, key="b", now=_paris(0, 30, day=5))

    assert (first.held, next_day.held) == (False, False)


@pytest.mark.django_db
def test_the_budget_is_shared_by_every_module_and_by_a_group_message(settings):
    settings.NOTIFICATIONS_OPTIONAL_PER_DAY = 1
    user, other = UserFactory(), UserFactory()
    _notify(user, kind=kinds.NUDGE, key="nudge")

    queued = routing.notify_many(
        recipients=[("group:1", routing.Person.of(user)), ("group:2", routing.Person.of(other))],
        kind=kinds.COHORT_NEWS,
        template=TEMPLATE,
        context={"session": _Session(), "subject": "Sujet", "body": "Texte"},
        now=_paris(12),
    )

    assert list(queued) == ["group:2"]
    assert list(DigestItem.objects.values_list("key", "user")) == [("group:1", user.pk)]
    # Each person's own unsubscribe link in the message rendered once for the group.
    row = OutboxMessage.objects.get(dedup_key="group:2")
    assert unsubscribe.token(user_id=other.pk, group="news") in row.body_text
    assert routing.UNSUBSCRIBE_PLACEHOLDER not in row.body_html


@pytest.mark.django_db
def test_the_digest_goes_the_next_morning_once_with_every_held_item(settings):
    settings.NOTIFICATIONS_OPTIONAL_PER_DAY = 0
    settings.NOTIFICATIONS_DIGEST_HOUR = 8
    user = UserFactory(language="en")
    _notify(user, kind=OPTIONAL, key="news:1", now=_paris(10))
    _notify(user, kind=kinds.SURVEY, key="survey:1", now=_paris(11))

    assert digest.send_digests(now=_paris(18)) == 0  # items of today wait for tomorrow
    assert digest.send_digests(now=_paris(7, day=5)) == 0  # before the digest hour
    assert digest.send_digests(now=_paris(8, 15, day=5)) == 1
    assert digest.send_digests(now=_paris(9, day=5)) == 0  # never twice

    row = OutboxMessage.objects.get()
    assert row.dedup_key == f"digest:{user.pk}:2026-12-05"
    assert row.kind == "digest"
    assert row.body_text.count("== Sujet ==") == 2 and "Bonjour à toutes et tous." in row.body_text
    assert row.body_text.startswith("Hello,")  # in the person's language
    assert set(DigestItem.objects.values_list("digest_key", flat=True)) == {row.dedup_key}


@pytest.mark.django_db
def test_an_item_held_after_the_digest_left_waits_for_the_next_one_and_a_muted_group_is_dropped(settings):
    settings.NOTIFICATIONS_OPTIONAL_PER_DAY = 0
    user = UserFactory()
    _notify(user, kind=OPTIONAL, key="news:1", now=_paris(10))
    assert digest.send_digests(now=_paris(9, day=5)) == 1
    # An item of the day before, committed after the digest left (a long transaction).
    late = DigestItem.objects.create(user=user, key="late", kind="survey", subject="S", body_text="T")
    DigestItem.objects.filter(pk=late.pk).update(held_at=_paris(23, day=4))
    assert digest.send_digests(now=_paris(10, day=5)) == 0
    assert DigestItem.objects.get(pk=late.pk).digest_key == ""
    assert digest.send_digests(now=_paris(9, day=6)) == 1
    assert DigestItem.objects.get(pk=late.pk).digest_key == f"digest:{user.pk}:2026-12-06"

    muted = DigestItem.objects.create(user=user, key="muted", kind="nudge", subject="S", body_text="T")
    DigestItem.objects.filter(pk=muted.pk).update(held_at=_paris(12, day=6))
    preferences.mute_group(user=user, group="nudges")
    assert digest.send_digests(now=_paris(9, day=7)) == 0
    assert DigestItem.objects.get(pk=muted.pk).digest_key == digest.MUTED


@pytest.mark.django_db
def test_digest_is_registered_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "declics.notifications.tasks.send_digests" in tasks


@pytest.mark.django_db
def test_held_time_is_now_by_default():
    user = UserFactory()
    before = timezone.now() - timedelta(seconds=1)
    DigestItem.objects.create(user=user, key="x", kind="nudge", subject="S", body_text="T")

    assert DigestItem.objects.get().held_at > before


def test_every_kind_has_a_label_and_a_known_group_and_essential_kinds_are_not_optional():
    for kind in kinds.KINDS.values():
        assert str(kind.label) and kind.group in kinds.GROUPS
        assert not (kind.essential and kind.optional), kind.name
    assert {k.name for k in kinds.KINDS.values() if k.optional} == {"cohort-news", "nudge", "survey"}
