"""The console's session pages: thin views over the services, staff only (access: tests/security)."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from programs.models import EnrolmentStatus, SessionStatus
from tests.factories import StaffFactory

from ..factories import (
    DepartementFactory,
    EnrolmentFactory,
    OpenSessionFactory,
    RegionFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def fmt(when):
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def _calendar_post(session, **overrides):
    data = {
        name: fmt(getattr(session, name))
        for name in ("registration_opens_at", "registration_closes_at", "starts_at", "ends_at", "survey_at")
    }
    data.update({f"step_{step.step}": fmt(step.opens_at) for step in session.steps.all()})
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.mark.parametrize("rows", [1, 3])
def test_preview_shows_the_settings_with_constant_queries(staff_client, django_assert_num_queries, rows):
    session = SessionFactory()
    EnrolmentFactory.create_batch(rows, session=session)
    with django_assert_num_queries(9):
        response = staff_client.get(reverse("programs:preview", args=[session.slug]))
    content = response.content.decode()
    for name in ("session_calendar", "session_places", "session_texts", "session_close_registrations"):
        assert reverse(f"programs:{name}", args=[session.slug]) in content
    assert (
        reverse("programs:session_archive", args=[session.slug]) not in content
    )  # running: cancel, not archive


def test_calendar_page_moves_the_dates_and_tells_the_people(staff_client):
    session = SessionFactory()
    enrolment = EnrolmentFactory(session=session)
    later = session.ends_at + timedelta(days=3)
    response = staff_client.post(
        reverse("programs:session_calendar", args=[session.slug]),
        _calendar_post(session, ends_at=fmt(later), survey_at=fmt(later)),
    )
    assert response.url == reverse("programs:preview", args=[session.slug])
    session.refresh_from_db()
    assert fmt(session.ends_at) == fmt(later)
    assert OutboxMessage.objects.filter(
        dedup_key=f"programs:session-dates-changed:{session.pk}:v1:enrolment:{enrolment.pk}"
    ).exists()


def test_calendar_page_locks_the_dates_already_passed(staff_client):
    session = OpenSessionFactory()  # running: registration opened, every step opened
    url = reverse("programs:session_calendar", args=[session.slug])
    form = staff_client.get(url).context["form"]
    assert form.fields["step_1"].disabled and form.fields["starts_at"].disabled
    assert not form.fields["ends_at"].disabled
    # A tampered value for a locked date is ignored (the field keeps its value).
    step_1 = session.steps.get(step=1).opens_at
    response = staff_client.post(url, _calendar_post(session, step_1=fmt(timezone.now() + timedelta(days=1))))
    assert response.status_code == 302
    assert session.steps.get(step=1).opens_at == step_1


def test_calendar_page_ties_a_broken_rule_to_its_field(staff_client):
    session = SessionFactory()
    response = staff_client.post(
        reverse("programs:session_calendar", args=[session.slug]),
        _calendar_post(session, ends_at=fmt(session.starts_at - timedelta(days=1))),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ends_at"] == ["La fin de la session doit suivre son début."]


def test_places_page_refuses_fewer_places_than_people_enrolled(staff_client):
    session = SessionFactory(capacity=4)
    EnrolmentFactory.create_batch(3, session=session)
    response = staff_client.post(reverse("programs:session_places", args=[session.slug]), {"capacity": "2"})
    assert response.status_code == 400
    assert "3 personnes ont déjà une place" in response.context["form"].errors["capacity"][0]


def test_places_page_gives_new_places_to_the_waiting_list(staff_client):
    session = SessionFactory(capacity=1)
    EnrolmentFactory(session=session)
    waiting = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    response = staff_client.post(
        reverse("programs:session_places", args=[session.slug]), {"capacity": "2"}, follow=True
    )
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ACTIVE
    assert "1 personne de la liste d'attente a reçu une place" in unescape(response.content.decode())


def test_preview_lists_the_copied_texts_to_review_until_they_are_reviewed(staff_client):
    session = SessionFactory(
        status=SessionStatus.DRAFT, published_at=None, description="Montpellier", description_to_review=True
    )
    preview = reverse("programs:preview", args=[session.slug])
    assert "Textes copiés à relire" in unescape(staff_client.get(preview).content.decode())
    response = staff_client.post(reverse("programs:publish", args=[session.slug]), HTTP_ACCEPT="text/html")
    assert response.status_code == 409
    staff_client.post(
        reverse("programs:session_texts", args=[session.slug]),
        {"description": "Montpellier", "faq": "", "description_reviewed": "on"},
    )
    assert "Textes copiés à relire" not in unescape(staff_client.get(preview).content.decode())


def test_close_and_archive_buttons(staff_client):
    session = SessionFactory()
    staff_client.post(reverse("programs:session_close_registrations", args=[session.slug]))
    session.refresh_from_db()
    assert session.registration_closed_at is not None
    closed = SessionFactory(status=SessionStatus.CLOSED)
    staff_client.post(reverse("programs:session_archive", args=[closed.slug]))
    closed.refresh_from_db()
    assert closed.status == SessionStatus.ARCHIVED
    # A running session is not archived: the refusal page says why.
    response = staff_client.post(reverse("programs:session_archive", args=[OpenSessionFactory().slug]))
    assert response.status_code == 409


def test_launch_form_groups_departements_by_region_and_loads_the_filter_script(staff_client):
    occitanie = RegionFactory(code="76", name="Occitanie")
    paca = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur")
    DepartementFactory(code="11", name="Aude", region=occitanie)
    DepartementFactory(code="13", name="Bouches-du-Rhône", region=paca)
    content = unescape(staff_client.get(reverse("programs:launch")).content.decode())
    assert 'data-region-field="id_region"' in content
    assert f'<optgroup label="Occitanie" data-region="{occitanie.pk}">' in content
    assert f'<optgroup label="Provence-Alpes-Côte d\'Azur" data-region="{paca.pk}">' in content
    paca_group = f'data-region="{paca.pk}"'
    assert content.index("Aude (11)") < content.index(paca_group) < content.index("Bouches")
    assert "js/departement-filter" in content


def test_the_landing_page_offers_the_staff_an_edit_link_after_publishing(client):
    session = SessionFactory()
    manage = reverse("programs:preview", args=[session.slug])
    assert manage not in client.get(reverse("programs:landing", args=[session.slug])).content.decode()
    client.force_login(StaffFactory())
    assert manage in client.get(reverse("programs:landing", args=[session.slug])).content.decode()


# --- Cancelling a session (programs.services.cancel_session) -------------------------------------


def test_cancelling_a_session_needs_a_reason_and_a_confirmation_and_changes_nothing_without(staff_client):
    session = OpenSessionFactory()
    enrolment = EnrolmentFactory(session=session)
    url = reverse("programs:session_cancel", args=[session.slug])

    response = staff_client.post(url, {"reason": "", "confirm": ""})

    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert "Ce champ est obligatoire." in page
    session.refresh_from_db()
    enrolment.refresh_from_db()
    assert (session.status, enrolment.status) == (SessionStatus.RUNNING, EnrolmentStatus.ACTIVE)
    assert not OutboxMessage.objects.filter(dedup_key__startswith="programs:session-cancelled:").exists()


def test_cancelling_a_session_from_its_page_ends_every_enrolment_and_tells_each_person_once(staff_client):
    session = OpenSessionFactory()
    people = [EnrolmentFactory(session=session) for _ in range(2)]
    url = reverse("programs:session_cancel", args=[session.slug])
    assert "2 personnes sont inscrites ou en attente" in unescape(staff_client.get(url).content.decode())
    data = {"reason": "Le financement n'a pas été reconduit.", "confirm": "on"}

    response = staff_client.post(url, data)
    staff_client.post(url, data)  # a second click: already cancelled, nobody told twice

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (SessionStatus.CANCELLED, data["reason"])
    keys = list(
        OutboxMessage.objects.filter(dedup_key__startswith="programs:session-cancelled:").values_list(
            "dedup_key", flat=True
        )
    )
    assert sorted(keys) == sorted(f"programs:session-cancelled:enrolment:{e.pk}" for e in people)
    assert all(
        status == EnrolmentStatus.SESSION_CANCELLED
        for status in session.enrolments.values_list("status", flat=True)
    )


def test_the_cancel_page_queries_stay_constant(staff_client, django_assert_max_num_queries):
    session = OpenSessionFactory()
    EnrolmentFactory(session=session)
    url = reverse("programs:session_cancel", args=[session.slug])
    staff_client.get(url)
    with django_assert_max_num_queries(12) as first:
        staff_client.get(url)
    for _ in range(3):
        EnrolmentFactory(session=session)
    with django_assert_max_num_queries(len(first.captured_queries)):
        staff_client.get(url)
