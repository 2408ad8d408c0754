"""The rules of each lifecycle service (the matrix, `test_lifecycle_matrix.py`, covers the cascade)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from jobs.offers.models import ApplicationStatus
from programs import services
from programs.assessment import services as assessment
from programs.models import Enrolment, EnrolmentStatus, SessionStatus, Step, StepProgress
from tests.factories import StaffFactory
from tests.jobs.factories import ApplicationFactory, JobOfferFactory, MembershipFactory
from tests.programs.assessment.answer_sets import SUPPORT_PROFILE, v1_data
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory, SessionFactory
from tests.territories.factories import DepartementFactory

pytestmark = pytest.mark.django_db
REASON = "Ne répond plus depuis trois semaines."


def _keys(prefix: str) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(dedup_key__startswith=prefix).values_list("dedup_key", flat=True)
    )


# --- remove -------------------------------------------------------------------------------------


def test_removing_needs_staff_and_a_reason_kept_on_the_enrolment_and_told_to_the_person():
    enrolment = EnrolmentFactory(session=OpenSessionFactory())
    staff = StaffFactory()
    with pytest.raises(services.LifecycleError, match="Seule l'équipe"):
        services.remove_enrolment(enrolment=enrolment, by=EnrolmentFactory().job_seeker, reason=REASON)
    with pytest.raises(services.LifecycleError, match="Indiquez la raison du retrait"):
        services.remove_enrolment(enrolment=enrolment, by=staff, reason="   ")

    services.remove_enrolment(enrolment=enrolment, by=staff, reason=f"  {REASON} ")

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_reason, enrolment.ended_by) == (
        EnrolmentStatus.REMOVED,
        REASON,
        staff,
    )
    message = OutboxMessage.objects.get(dedup_key=f"programs:removed:enrolment:{enrolment.pk}")
    assert REASON in message.body_text


def test_removing_twice_changes_nothing_and_another_ending_is_refused():
    enrolment = EnrolmentFactory(session=OpenSessionFactory())
    staff = StaffFactory()
    services.remove_enrolment(enrolment=enrolment, by=staff, reason=REASON)
    count = OutboxMessage.objects.count()

    services.remove_enrolment(enrolment=enrolment, by=staff, reason="Autre raison")

    enrolment.refresh_from_db()
    assert (enrolment.end_reason, OutboxMessage.objects.count()) == (REASON, count)
    with pytest.raises(services.LifecycleError, match="déjà terminée"):
        services.transfer_enrolment(enrolment=enrolment, to_session=OpenSessionFactory(), by=staff)
    with pytest.raises(services.LifecycleError, match="Vous n'êtes plus inscrit"):
        services.withdraw(enrolment=enrolment)


def test_a_removed_person_cannot_sign_up_again_by_themselves(rural_commune):
    session = SessionFactory(departements=[rural_commune.departement])
    enrolment = EnrolmentFactory(session=session, commune=rural_commune)
    services.remove_enrolment(enrolment=enrolment, by=StaffFactory(), reason=REASON)

    with pytest.raises(services.EnrolmentError, match="L'équipe DéClics vous a retiré·e"):
        services.enrol_job_seeker(
            session=session,
            job_seeker=enrolment.job_seeker,
            commune=rural_commune,
            profile={"privacy_consent": True},
        )


def test_removing_a_waiting_person_promotes_nobody():
    session = OpenSessionFactory(capacity=1)
    EnrolmentFactory(session=session)
    first, second = (EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING) for _ in range(2))

    services.remove_enrolment(enrolment=first, by=StaffFactory(), reason=REASON)

    second.refresh_from_db()
    assert second.status == EnrolmentStatus.WAITING
    assert _keys("programs:promoted:") == []


def test_removing_many_people_at_once_promotes_as_many_and_skips_who_already_left():
    session = OpenSessionFactory(capacity=3)
    people = [EnrolmentFactory(session=session) for _ in range(3)]
    waiting = [EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING) for _ in range(3)]
    services.withdraw(enrolment=people[0])  # promotes waiting[0]
    seen = []

    removed = services.remove_enrolments(
        session=session,
        enrolments=people,
        by=StaffFactory(),
        reason=REASON,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert removed == 2
    assert seen == [(1, 3), (2, 3)]
    assert [Enrolment.objects.get(pk=e.pk).status for e in waiting] == [EnrolmentStatus.ACTIVE] * 3
    assert session.enrolments.active().count() == 3


# --- withdraw -----------------------------------------------------------------------------------


def test_the_withdraw_page_lets_the_person_withdraw_their_applications(client):
    session = OpenSessionFactory()
    enrolment = EnrolmentFactory(session=session)
    offer = JobOfferFactory()
    member = MembershipFactory(partner=offer.company)
    application = ApplicationFactory(offer=offer, job_seeker=enrolment.job_seeker, enrolment=enrolment)
    client.force_login(enrolment.job_seeker)
    page = client.get(reverse("programs:withdraw", args=[session.slug])).content.decode()
    assert "Je les retire : chaque entreprise en est informée." in page

    response = client.post(reverse("programs:withdraw", args=[session.slug]), {"applications": "withdraw"})

    assert response.url == reverse("programs:landing", args=[session.slug])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert _keys(f"application:{application.pk}:") == [
        f"application:{application.pk}:withdrawn:{member.user.email}"
    ]
    assert _keys(f"programs:withdrawn:enrolment:{enrolment.pk}") == [
        f"programs:withdrawn:enrolment:{enrolment.pk}"
    ]


def test_the_withdraw_page_refuses_an_unknown_choice(client):
    session = OpenSessionFactory()
    enrolment = EnrolmentFactory(session=session)
    client.force_login(enrolment.job_seeker)

    response = client.post(reverse("programs:withdraw", args=[session.slug]), {"applications": "burn"})

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


# --- transfer -----------------------------------------------------------------------------------


@pytest.fixture
def questionnaire(db):
    questionnaire, _created = assessment.load_questionnaire(data=v1_data())
    return questionnaire


def _result(enrolment):
    attempt = assessment.start_assessment(enrolment=enrolment)
    for question in attempt.questionnaire.questions.all():
        assessment.answer_question(
            attempt=attempt, question_id=question.pk, choice_value=SUPPORT_PROFILE[question.key]
        )
    return assessment.complete_assessment(attempt=attempt)


def test_a_transfer_keeps_the_assessment_result_and_step_two_in_the_new_session(rural_commune, questionnaire):
    source = OpenSessionFactory(departements=[rural_commune.departement])
    target = OpenSessionFactory(departements=[rural_commune.departement])
    enrolment = EnrolmentFactory(session=source, commune=rural_commune)
    result = _result(enrolment)
    staff = StaffFactory()

    new = services.transfer_enrolment(enrolment=enrolment, to_session=target, by=staff)

    enrolment.refresh_from_db()
    result.refresh_from_db()
    assert (enrolment.status, enrolment.transferred_to, enrolment.ended_by) == (
        EnrolmentStatus.TRANSFERRED,
        new,
        staff,
    )
    assert (new.session, new.status, new.job_seeker) == (target, EnrolmentStatus.ACTIVE, enrolment.job_seeker)
    assert result.attempt.enrolment_id == new.pk
    assert StepProgress.objects.get(enrolment=new, step=Step.ASSESSMENT).completed_at == result.created_at
    # What the old session counted stays.
    assert StepProgress.objects.done().filter(enrolment=enrolment, step=Step.ASSESSMENT).exists()
    assert _keys("programs:") == [f"programs:transferred:enrolment:{enrolment.pk}"]
    # Asked again: the same new enrolment, nothing more sent.
    assert services.transfer_enrolment(enrolment=enrolment, to_session=target, by=staff) == new
    assert Enrolment.objects.filter(job_seeker=enrolment.job_seeker).count() == 2


def test_a_transfer_to_a_full_session_goes_to_its_waiting_list_and_frees_the_place(rural_commune):
    source = OpenSessionFactory(capacity=1, departements=[rural_commune.departement])
    target = OpenSessionFactory(capacity=1, departements=[rural_commune.departement])
    EnrolmentFactory(session=target)
    enrolment = EnrolmentFactory(session=source, commune=rural_commune)
    waiting = EnrolmentFactory(session=source, status=EnrolmentStatus.WAITING)

    new = services.transfer_enrolment(enrolment=enrolment, to_session=target, by=StaffFactory())

    waiting.refresh_from_db()
    assert (new.status, waiting.status) == (EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE)
    assert (
        "liste d'attente"
        in OutboxMessage.objects.get(dedup_key=f"programs:transferred:enrolment:{enrolment.pk}").body_text
    )


def test_a_transfer_is_refused_to_the_same_session_outside_the_territory_or_twice_enrolled(rural_commune):
    source = OpenSessionFactory(departements=[rural_commune.departement])
    enrolment = EnrolmentFactory(session=source, commune=rural_commune)
    staff = StaffFactory()
    elsewhere = OpenSessionFactory(departements=[DepartementFactory(code="31", name="Haute-Garonne")])
    already = OpenSessionFactory(departements=[rural_commune.departement])
    EnrolmentFactory(session=already, job_seeker=enrolment.job_seeker, commune=rural_commune)
    closed = OpenSessionFactory(departements=[rural_commune.departement], status=SessionStatus.CLOSED)

    with pytest.raises(services.LifecycleError, match="une autre session que la session actuelle"):
        services.transfer_enrolment(enrolment=enrolment, to_session=source, by=staff)
    with pytest.raises(services.LifecycleError, match="ne remplit pas les conditions"):
        services.transfer_enrolment(enrolment=enrolment, to_session=elsewhere, by=staff)
    with pytest.raises(services.LifecycleError, match="déjà inscrite à la session choisie"):
        services.transfer_enrolment(enrolment=enrolment, to_session=already, by=staff)
    with pytest.raises(services.LifecycleError, match="n'accueille pas de nouvelles personnes"):
        services.transfer_enrolment(enrolment=enrolment, to_session=closed, by=staff)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


# --- cancel a session ---------------------------------------------------------------------------


def test_cancelling_a_session_needs_a_reason_tells_everyone_once_and_stops_its_calendar():
    session = OpenSessionFactory(capacity=1)
    active = EnrolmentFactory(session=session)
    waiting = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    gone = EnrolmentFactory(session=session, status=EnrolmentStatus.WITHDRAWN)
    staff = StaffFactory()
    with pytest.raises(services.LifecycleError, match="raison de l'annulation"):
        services.cancel_session(session=session, by=staff, reason="")

    services.cancel_session(session=session, by=staff, reason="Le financement n'a pas été reconduit.")
    services.cancel_session(session=session, by=staff, reason="Encore")

    session.refresh_from_db()
    assert (session.status, session.cancel_reason, session.cancelled_by) == (
        SessionStatus.CANCELLED,
        "Le financement n'a pas été reconduit.",
        staff,
    )
    assert _keys("programs:") == sorted(
        [
            f"programs:session-cancelled:enrolment:{active.pk}",
            f"programs:session-cancelled:enrolment:{waiting.pk}",
        ]
    )
    assert Enrolment.objects.get(pk=gone.pk).status == EnrolmentStatus.WITHDRAWN
    assert services.advance_session(session=session, now=timezone.now() + timedelta(days=60)) == []
    assert services.pending_transitions(session=session) == []


def test_a_closed_session_cannot_be_cancelled():
    session = OpenSessionFactory(status=SessionStatus.CLOSED)
    with pytest.raises(services.LifecycleError, match="ne peut plus être annulée"):
        services.cancel_session(session=session, by=StaffFactory(), reason="Trop tard")
