"""A session at every stage: calendar, places, copied texts, early closing, archive (issue 14, item 1)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from programs import services
from programs.models import EnrolmentStatus, Session, SessionStatus, SessionStep, Step
from programs.services import SessionError
from programs.services.surveys import send_due_surveys

from ..factories import EnrolmentFactory, OpenSessionFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _keys(prefix):
    return set(OutboxMessage.objects.filter(dedup_key__startswith=prefix).values_list("dedup_key", flat=True))


def _steps(session):
    return {step.step: step.opens_at for step in session.steps.all()}


# --- the calendar -------------------------------------------------------------------------------


def test_rescheduling_a_published_session_tells_each_person_once_per_change():
    session = SessionFactory()  # registration open, starts in 10 days
    active = EnrolmentFactory(session=session)
    waiting = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    EnrolmentFactory(session=session, status=EnrolmentStatus.WITHDRAWN)
    later = session.ends_at + timedelta(days=2)

    services.reschedule_session(session=session, dates={"ends_at": later, "survey_at": later}, step_dates={})
    # The same dates sent again (a double click): no change, no second notice.
    services.reschedule_session(session=session, dates={"ends_at": later, "survey_at": later}, step_dates={})

    session.refresh_from_db()
    assert (session.ends_at, session.survey_at, session.calendar_version) == (later, later, 1)
    prefix = f"programs:session-dates-changed:{session.pk}:"
    assert _keys(prefix) == {f"{prefix}v1:enrolment:{active.pk}", f"{prefix}v1:enrolment:{waiting.pk}"}

    services.reschedule_session(session=session, dates={}, step_dates={6: later - timedelta(days=1)})
    assert len(_keys(f"{prefix}v2:")) == 2
    message = OutboxMessage.objects.get(dedup_key=f"{prefix}v2:enrolment:{active.pk}")
    assert session.title in message.subject
    assert "Étape 6" in message.body_text


def test_rescheduling_a_draft_tells_nobody():
    session = SessionFactory(status=SessionStatus.DRAFT, published_at=None)
    services.reschedule_session(
        session=session, dates={"starts_at": session.starts_at - timedelta(days=1)}, step_dates={}
    )
    session.refresh_from_db()
    assert session.calendar_version == 0
    assert not OutboxMessage.objects.exists()


def test_rescheduling_follows_the_calendar_rules_and_changes_nothing_when_refused():
    session = SessionFactory()
    before = (session.starts_at, session.ends_at, _steps(session))
    with pytest.raises(SessionError, match="La fin de la session doit suivre son début."):
        services.reschedule_session(
            session=session, dates={"ends_at": session.starts_at - timedelta(hours=1)}, step_dates={}
        )
    with pytest.raises(SessionError, match="Les étapes s'ouvrent dans l'ordre"):
        services.reschedule_session(
            session=session, dates={}, step_dates={2: session.starts_at + timedelta(days=20)}
        )
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at, _steps(session)) == before
    assert not OutboxMessage.objects.exists()


def test_a_date_already_passed_on_the_calendar_never_changes():
    session = OpenSessionFactory()  # running, every step opened
    with pytest.raises(SessionError, match="est passée sur le calendrier"):
        services.reschedule_session(
            session=session, dates={}, step_dates={1: timezone.now() + timedelta(days=1)}
        )
    with pytest.raises(SessionError, match="Début de la session"):
        services.reschedule_session(
            session=session, dates={"starts_at": timezone.now() + timedelta(hours=1)}, step_dates={}
        )


def test_a_published_session_cannot_move_a_pending_date_into_the_past():
    session = SessionFactory()
    with pytest.raises(SessionError, match="choisissez une date à venir"):
        services.reschedule_session(
            session=session,
            dates={"registration_closes_at": timezone.now() - timedelta(hours=1)},
            step_dates={},
        )


def test_step_openings_and_the_survey_follow_the_new_dates():
    now = timezone.now()
    session = SessionFactory(
        status=SessionStatus.RUNNING,
        registration_opens_at=now - timedelta(days=20),
        registration_closes_at=now - timedelta(days=15),
        registration_closed_at=now - timedelta(days=15),
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(days=10),
        steps=[now - timedelta(days=10), *[now + timedelta(days=n) for n in range(1, 6)]],
    )
    SessionStep.objects.filter(session=session, step=1).update(opened_at=now - timedelta(days=10))
    EnrolmentFactory(session=session)
    old_step_2, old_survey = now + timedelta(days=1), session.survey_at
    new_step_2, new_survey = now + timedelta(days=1, hours=12), old_survey + timedelta(days=5)

    services.reschedule_session(
        session=session,
        dates={"ends_at": new_survey, "survey_at": new_survey},
        step_dates={2: new_step_2},
        now=now,
    )

    # At the old dates nothing happens any more…
    assert "step_2_opened" not in services.advance_session(
        session=session, now=old_step_2 + timedelta(hours=1)
    )
    assert send_due_surveys(now=old_survey + timedelta(hours=1)) == {}
    # …at the new ones it does.
    assert "step_2_opened" in services.advance_session(session=session, now=new_step_2 + timedelta(hours=1))
    assert send_due_surveys(now=new_survey + timedelta(hours=1)) == {f"{session.slug}:satisfaction": 1}


# --- places -------------------------------------------------------------------------------------


def test_raising_the_places_promotes_the_first_people_waiting_in_order():
    session = SessionFactory(capacity=1)
    EnrolmentFactory(session=session)
    first, second, third = (
        EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING) for _ in range(3)
    )

    promoted = services.change_capacity(session=session, capacity=3)

    assert promoted == [first, second]
    assert [e.status for e in (first, second, third) if e.refresh_from_db() is None] == [
        EnrolmentStatus.ACTIVE,
        EnrolmentStatus.ACTIVE,
        EnrolmentStatus.WAITING,
    ]
    assert _keys("programs:promoted:") == {
        f"programs:promoted:enrolment:{first.pk}",
        f"programs:promoted:enrolment:{second.pk}",
    }


def test_places_cannot_go_below_the_people_enrolled():
    session = SessionFactory(capacity=5)
    EnrolmentFactory.create_batch(3, session=session)
    with pytest.raises(SessionError, match="3 personnes ont déjà une place"):
        services.change_capacity(session=session, capacity=2)
    services.change_capacity(session=session, capacity=3)
    session.refresh_from_db()
    assert session.capacity == 3


# --- copied texts ---------------------------------------------------------------------------------


def _copy(source, **kwargs):
    start = source.starts_at + timedelta(days=200)
    return services.launch_session(
        title="DéClics Aude",
        region=source.region,
        departements=source.departements.all(),
        capacity=50,
        registration_opens_at=start - timedelta(days=20),
        registration_closes_at=start - timedelta(days=1),
        starts_at=start,
        ends_at=start + timedelta(days=20),
        copy_from=source,
        **kwargs,
    )


def test_a_copied_text_is_to_review_and_publishing_waits_for_the_review():
    source = SessionFactory(description="La première édition, à Montpellier…", faq="Q : gratuit ?")
    copy = _copy(source)
    assert (copy.description, copy.description_to_review, copy.faq_to_review) == (
        source.description,
        True,
        True,
    )

    with pytest.raises(SessionError, match="Relisez les textes copiés.*présentation, questions fréquentes"):
        services.publish_session(session=copy)

    # The description rewritten: reviewed. The FAQ kept as is but said reviewed.
    services.update_public_texts(
        session=copy, description="Une session pour l'Aude.", faq=source.faq, reviewed={"faq"}
    )
    copy.refresh_from_db()
    assert copy.texts_to_review == []
    assert services.publish_session(session=copy).status == SessionStatus.PUBLISHED


def test_a_copied_text_kept_unchanged_and_not_said_reviewed_stays_to_review():
    source = SessionFactory(description="Montpellier", faq="")
    copy = _copy(source)
    assert (copy.description_to_review, copy.faq_to_review) == (True, False)  # nothing copied for the FAQ
    services.update_public_texts(session=copy, description="Montpellier", faq="")
    copy.refresh_from_db()
    assert copy.description_to_review is True


def test_a_text_given_at_launch_is_not_to_review():
    copy = _copy(SessionFactory(description="Montpellier", faq="FAQ"), description="Aude", faq="FAQ Aude")
    assert copy.texts_to_review == []


# --- early closing, archive ---------------------------------------------------------------------------


def test_closing_registrations_early_tells_the_waiting_list_and_stops_sign_ups():
    session = SessionFactory()
    waiting = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    now = timezone.now()

    services.close_registrations(session=session, now=now)

    session.refresh_from_db()
    assert (session.registration_closes_at, session.registration_closed_at) == (now, now)
    assert not session.is_open_for_registration(now + timedelta(seconds=1))
    assert _keys("programs:registration-closed:") == {
        f"programs:registration-closed:{session.pk}:enrolment:{waiting.pk}"
    }
    with pytest.raises(SessionError, match="déjà closes"):
        services.close_registrations(session=session)


def test_a_draft_has_no_registrations_to_close():
    session = SessionFactory(status=SessionStatus.DRAFT, published_at=None)
    with pytest.raises(SessionError, match="Publiez d'abord"):
        services.close_registrations(session=session)


def test_only_a_finished_session_or_an_unpublished_draft_is_archived_and_then_frozen():
    with pytest.raises(SessionError, match="Seule une session terminée"):
        services.archive_session(session=OpenSessionFactory())
    session = SessionFactory(status=SessionStatus.CLOSED)
    services.archive_session(session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.ARCHIVED
    with pytest.raises(SessionError, match="archivée"):
        services.change_capacity(session=session, capacity=99)
    draft = SessionFactory(status=SessionStatus.DRAFT, published_at=None)
    assert services.archive_session(session=draft).status == SessionStatus.ARCHIVED
    assert Session.objects.filter(status=SessionStatus.ARCHIVED).count() == 2
    assert Step  # the six steps stay with the archived session
