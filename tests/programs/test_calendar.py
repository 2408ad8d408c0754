from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from programs import services
from programs.models import EnrolmentStatus, SessionStatus, SessionStep, Step, StepProgress
from programs.services import surveys
from programs.services.calendar import next_allowed_send_time
from programs.tasks import advance_calendars

from .factories import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def _keys(prefix):
    return sorted(
        OutboxMessage.objects.filter(dedup_key__startswith=prefix).values_list("dedup_key", flat=True)
    )


def _running_session(**kwargs):
    """A session that started 2 days ago; steps 1 and 2 are due, the others later."""
    start = timezone.now() - timedelta(days=2)
    kwargs.setdefault("status", SessionStatus.REGISTRATION_OPEN)
    return SessionFactory(
        registration_opens_at=start - timedelta(days=10),
        registration_closes_at=start + timedelta(days=5),
        starts_at=start,
        ends_at=start + timedelta(days=20),
        steps=[start, start + timedelta(days=1), *(start + timedelta(days=d) for d in (5, 8, 11, 14))],
        **kwargs,
    )


def test_advance_calendars_twice_queues_each_notice_once():
    session = _running_session()
    people = EnrolmentFactory.create_batch(3, session=session)
    EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)

    first = advance_calendars()
    second = advance_calendars()

    assert first["sessions"] == {session.slug: ["started", "step_1_opened", "step_2_opened"]}
    assert second["sessions"] == {}
    session.refresh_from_db()
    assert session.status == SessionStatus.RUNNING
    steps = {s.step: s.opened_at is not None for s in SessionStep.objects.filter(session=session)}
    assert steps == {1: True, 2: True, 3: False, 4: False, 5: False, 6: False}
    assert _keys(f"programs:session-started:{session.pk}:") == sorted(
        f"programs:session-started:{session.pk}:enrolment:{e.pk}" for e in people
    )
    step_ids = [s.pk for s in SessionStep.objects.filter(session=session, step__in=[1, 2]).order_by("step")]
    for step_id in step_ids:
        assert len(_keys(f"programs:step-opened:{step_id}:")) == 3
    assert OutboxMessage.objects.filter(dedup_key__startswith="programs:").count() == 3 + 6


def test_advance_session_run_late_applies_every_transition_once():
    long_ago = timezone.now() - timedelta(days=60)
    session = SessionFactory(
        status=SessionStatus.PUBLISHED,
        registration_opens_at=long_ago - timedelta(days=10),
        registration_closes_at=long_ago,
        starts_at=long_ago,
        ends_at=long_ago + timedelta(days=14),
        survey_at=long_ago + timedelta(days=14),
    )
    enrolment = EnrolmentFactory(session=session)
    done = services.advance_session(session=session)
    assert done == [
        "registration_open",
        "registration_closed",
        "started",
        *(f"step_{n}_opened" for n in range(1, 7)),
        "closed",
        "survey_sent",
    ]
    assert services.advance_session(session=session) == []
    session.refresh_from_db()
    assert session.survey_sent_at is not None
    # The calendar no longer e-mails a survey of its own: the surveys task sends the real one.
    assert _keys(f"programs:survey:{session.pk}:") == []
    assert surveys.send_due_surveys() == {}  # 46 days ago: outside the 30-day send window
    assert surveys.send_session_surveys(session=session, kind="satisfaction") == 1
    assert _keys("programs:survey:satisfaction:") == [
        f"programs:survey:satisfaction:response:{enrolment.survey_responses.get().pk}"
    ]


def test_advance_calendars_sessions_move_independently():
    running = _running_session()
    future = SessionFactory()  # registration open, starts in 10 days
    draft = _running_session(status=SessionStatus.DRAFT, published_at=None)
    advance_calendars()
    for s in (running, future, draft):
        s.refresh_from_db()
    assert (running.status, future.status, draft.status) == (
        SessionStatus.RUNNING,
        SessionStatus.REGISTRATION_OPEN,
        SessionStatus.DRAFT,
    )
    assert not SessionStep.objects.filter(session__in=[future, draft], opened_at__isnull=False).exists()


def test_registration_closing_tells_the_waiting_list_once():
    session = _running_session()
    session.registration_closes_at = timezone.now() - timedelta(minutes=1)
    session.save()
    waiting = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    EnrolmentFactory(session=session)
    advance_calendars()
    advance_calendars()
    assert _keys(f"programs:registration-closed:{session.pk}:") == [
        f"programs:registration-closed:{session.pk}:enrolment:{waiting.pk}"
    ]


def _daytime(hour=10):
    return datetime.combine(timezone.localdate() + timedelta(days=1), datetime.min.time(), PARIS).replace(
        hour=hour
    )


def test_send_nudges_once_per_person_and_step_after_n_days():
    session = _running_session(nudge_after_days=1)
    idle, busy = EnrolmentFactory.create_batch(2, session=session)
    for enrolment in (idle, busy):
        enrolment.created_at = timezone.now() - timedelta(days=5)
        enrolment.save()
    now = _daytime()
    services.advance_session(session=session, now=now - timedelta(days=1))
    services.complete_step(enrolment=busy, step=Step.ROLE_MODELS)

    assert services.send_nudges(now=now) == 3  # idle: steps 1 and 2; busy: step 2
    assert services.send_nudges(now=now + timedelta(hours=1)) == 0
    nudges = OutboxMessage.objects.filter(dedup_key__startswith="programs:nudge:")
    assert sorted((m.dedup_key.rsplit(":", 1)[1], m.subject) for m in nudges) == sorted(
        [
            (str(idle.pk), "[DéClics] Votre étape vous attend : Rencontrer des modèles"),
            (str(idle.pk), "[DéClics] Votre étape vous attend : Faire le point sur ses compétences"),
            (str(busy.pk), "[DéClics] Votre étape vous attend : Faire le point sur ses compétences"),
        ]
    )
    assert StepProgress.objects.filter(nudged_at__isnull=False).count() == 3
    # The nudge row does not count as done.
    assert StepProgress.objects.done().filter(enrolment=idle).count() == 0


def test_send_nudges_not_before_n_days():
    session = _running_session(nudge_after_days=5)
    EnrolmentFactory(session=session, created_at=timezone.now() - timedelta(days=30))
    services.advance_session(session=session)
    assert services.send_nudges(now=timezone.now()) == 0


def test_send_nudges_at_night_wait_for_eight_in_the_morning():
    session = _running_session(nudge_after_days=1)
    enrolment = EnrolmentFactory(session=session)
    enrolment.created_at = timezone.now() - timedelta(days=5)
    enrolment.save()
    night = _daytime(hour=23)
    services.advance_session(session=session, now=night - timedelta(days=1))
    services.send_nudges(now=night)
    expected = (night + timedelta(days=1)).replace(hour=8)
    assert {m.send_after for m in OutboxMessage.objects.filter(dedup_key__startswith="programs:nudge:")} == {
        expected
    }


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ((2026, 3, 2, 7, 59), (2026, 3, 2, 8, 0)),
        ((2026, 3, 2, 8, 0), (2026, 3, 2, 8, 0)),
        ((2026, 3, 2, 20, 59), (2026, 3, 2, 20, 59)),
        ((2026, 3, 2, 21, 0), (2026, 3, 3, 8, 0)),
    ],
)
def test_next_allowed_send_time_skips_the_quiet_hours(local, expected):
    assert next_allowed_send_time(datetime(*local, tzinfo=PARIS)) == datetime(*expected, tzinfo=PARIS)


def test_show_calendar_prints_the_next_transitions():
    session = SessionFactory(slug="declics-aude")
    out = StringIO()
    call_command("show_calendar", "--limit", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "declics-aude [inscriptions ouvertes]"
    closes = timezone.localtime(session.registration_closes_at).strftime("%Y-%m-%d %H:%M")
    starts = timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
    assert lines[1:] == [f"  {closes}  clôture des inscriptions", f"  {starts}  début de la session"]
