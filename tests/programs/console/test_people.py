"""People of a session in the console (issue 14, item 3): every action through the lifecycle."""

import pytest
from django.urls import reverse

from declics.notifications.models import OutboxMessage
from programs.models import BulkRemoval, BulkRemovalStatus, Enrolment, EnrolmentStatus, Step, StepProgress
from tests.factories import StaffFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.mark.parametrize("rows", [1, 3])
def test_the_people_list_takes_the_same_queries_whatever_its_length(
    staff_client, django_assert_num_queries, rows
):
    session = OpenSessionFactory()
    for n in range(rows):
        enrolment = EnrolmentFactory(session=session)
        StepProgress.objects.create(
            enrolment=enrolment, step=Step.ROLE_MODELS, completed_at=enrolment.created_at
        )
        EnrolmentFactory(session=session, status=EnrolmentStatus.REMOVED, end_reason=f"raison {n}")
    url = reverse("programs:console_people", args=[session.slug])
    staff_client.get(url)  # warm the session and the cache

    with django_assert_num_queries(5):
        response = staff_client.get(url)

    assert response.content.decode().count('name="people"') == rows  # only current people are ticked


def test_the_filters_show_the_waiting_list_in_its_order_and_who_finished_a_step(staff_client):
    session = OpenSessionFactory(capacity=1)
    done = EnrolmentFactory(session=session)
    StepProgress.objects.create(enrolment=done, step=Step.ASSESSMENT, completed_at=done.created_at)
    first = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    second = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    url = reverse("programs:console_people", args=[session.slug])

    waiting = staff_client.get(url, {"statut": "waiting"}).content.decode()
    step_two = staff_client.get(url, {"etape": "2"}).content.decode()

    assert waiting.index(str(first.public_id)) < waiting.index(str(second.public_id))
    assert str(done.public_id) not in waiting
    assert str(done.public_id) in step_two and str(first.public_id) not in step_two
    assert "Sélectionnez un choix valide" in staff_client.get(url, {"statut": "nope"}).content.decode()


def test_staff_remove_a_person_with_a_reason_and_the_waiting_list_moves(staff_client):
    session = OpenSessionFactory(capacity=1)
    enrolment = EnrolmentFactory(session=session)
    waiting = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    url = reverse("programs:console_remove", args=[session.slug, enrolment.public_id])

    refused = staff_client.post(url, {"reason": ""}, follow=True)
    assert "Indiquez la raison du retrait" in refused.content.decode()
    staff_client.post(url, {"reason": "Ne vient plus aux ateliers."})

    enrolment.refresh_from_db()
    waiting.refresh_from_db()
    assert (enrolment.status, enrolment.end_reason, waiting.status) == (
        EnrolmentStatus.REMOVED,
        "Ne vient plus aux ateliers.",
        EnrolmentStatus.ACTIVE,
    )
    assert set(OutboxMessage.objects.values_list("dedup_key", flat=True)) == {
        f"programs:removed:enrolment:{enrolment.pk}",
        f"programs:promoted:enrolment:{waiting.pk}",
    }


def test_staff_transfer_a_person_to_another_session(staff_client, rural_commune):
    session = OpenSessionFactory(departements=[rural_commune.departement])
    target = OpenSessionFactory(departements=[rural_commune.departement])
    enrolment = EnrolmentFactory(session=session, commune=rural_commune)

    page = staff_client.get(reverse("programs:console_person", args=[session.slug, enrolment.public_id]))
    assert target.title in page.content.decode()
    staff_client.post(
        reverse("programs:console_transfer", args=[session.slug, enrolment.public_id]),
        {"to_session": target.pk},
    )

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.transferred_to.session) == (EnrolmentStatus.TRANSFERRED, target)


def test_staff_give_a_place_to_someone_waiting_even_when_the_session_is_full(staff_client):
    session = OpenSessionFactory(capacity=1)
    EnrolmentFactory(session=session)
    waiting = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)

    staff_client.post(reverse("programs:console_promote", args=[session.slug, waiting.public_id]))

    waiting.refresh_from_db()
    session.refresh_from_db()
    assert (waiting.status, session.capacity) == (EnrolmentStatus.ACTIVE, 2)
    assert OutboxMessage.objects.filter(dedup_key=f"programs:promoted:enrolment:{waiting.pk}").count() == 1


def test_removing_ticked_people_runs_as_a_task_with_its_progress_page(
    staff_client, django_capture_on_commit_callbacks
):
    session = OpenSessionFactory(capacity=2)
    people = [EnrolmentFactory(session=session) for _ in range(2)]
    kept = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    other_session_person = EnrolmentFactory()
    url = reverse("programs:console_people", args=[session.slug])
    ticked = [str(e.public_id) for e in (*people, other_session_person)] + ["pas-un-identifiant"]

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"people": ticked, "reason": "Session dédoublée."})

    removal = BulkRemoval.objects.get()
    assert response.url == reverse("programs:console_bulk_removal", args=[removal.public_id])
    assert (removal.status, removal.total, removal.done, removal.removed) == (BulkRemovalStatus.DONE, 2, 2, 2)
    assert [Enrolment.objects.get(pk=e.pk).status for e in people] == [EnrolmentStatus.REMOVED] * 2
    assert Enrolment.objects.get(pk=other_session_person.pk).status == EnrolmentStatus.ACTIVE
    assert Enrolment.objects.get(pk=kept.pk).status == EnrolmentStatus.ACTIVE  # promoted
    page = staff_client.get(response.url).content.decode()
    assert "2 personnes retirées et informées." in page


def test_removing_nobody_is_refused_with_a_message(staff_client):
    session = OpenSessionFactory()
    response = staff_client.post(
        reverse("programs:console_people", args=[session.slug]), {"reason": "Session dédoublée."}
    )
    assert "Choisissez au moins une personne" in response.content.decode()
    assert not BulkRemoval.objects.exists()
