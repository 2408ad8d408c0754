from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from programs import services
from programs.models import Enrolment, EnrolmentStatus, JobSeekerProfile, Session, SessionStatus, Step
from programs.notifications import adviser_invitation_token
from tests.factories import AdviserFactory, MentorFactory, StaffFactory, UserFactory

from .advisers.factories import AgencyFactory, agency_adviser
from .factories import CommuneFactory, DepartementFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

PROFILE_POST = {
    "birth_year": "1990",
    "gender": "woman",
    "education_level": "bac",
    "situation": "job_seeker",
    "heard_from": "france_travail",
    "rqth": "",
    "privacy_consent": "on",
}


# --- lists and pages: constant query counts ------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 3])
def test_home_lists_open_sessions_with_constant_queries(client, django_assert_num_queries, rows):
    sessions = SessionFactory.create_batch(rows)
    SessionFactory(status=SessionStatus.DRAFT, published_at=None, title="Brouillon caché")
    with django_assert_num_queries(2):
        response = client.get(reverse("home"))
    content = unescape(response.content.decode())
    for session in sessions:
        assert reverse("programs:landing", args=[session.slug]) in content
    assert "Brouillon caché" not in content


@pytest.mark.parametrize("rows", [1, 3])
def test_session_list_query_count_is_constant(client, django_assert_num_queries, rows):
    SessionFactory.create_batch(rows)
    with django_assert_num_queries(2):
        response = client.get(reverse("programs:list"))
    assert len(response.context["sessions"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_landing_query_count_is_constant_and_shows_places_left(client, django_assert_num_queries, rows):
    session = SessionFactory(capacity=10)
    EnrolmentFactory.create_batch(rows, session=session)
    EnrolmentFactory(session=session, status=EnrolmentStatus.WITHDRAWN)
    with django_assert_num_queries(4):
        response = client.get(reverse("programs:landing", args=[session.slug]))
    content = unescape(response.content.decode())
    assert f"Il reste {10 - rows} places." in content
    assert [s.step for s in response.context["steps"]] == [1, 2, 3, 4, 5, 6]
    assert reverse("programs:eligibility", args=[session.slug]) in content


def test_landing_of_a_draft_is_not_found(client):
    session = SessionFactory(status=SessionStatus.DRAFT, published_at=None)
    response = client.get(reverse("programs:landing", args=[session.slug]))
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_pathway_query_count_is_constant(client, django_assert_num_queries, rows):
    start = timezone.now() - timedelta(days=10)
    session = SessionFactory(
        starts_at=start,
        registration_opens_at=start - timedelta(days=5),
        status=SessionStatus.RUNNING,
        steps=[start + timedelta(days=d) for d in (0, 1, 2, 3, 30, 31)],
    )
    enrolment = EnrolmentFactory(session=session)
    for step in list(Step)[:rows]:
        services.complete_step(enrolment=enrolment, step=step)
    client.force_login(enrolment.job_seeker)
    # Session and user, the enrolment, the steps with the progress (one query); then the session's
    # save (3 queries).
    with django_assert_num_queries(7):
        response = client.get(reverse("programs:pathway", args=[session.slug]))
    states = [step.state for step in response.context["steps"]]
    assert states == ["done"] * rows + ["open"] * (4 - rows) + ["locked", "locked"]
    assert response.context["done_count"] == rows
    assert response.context["next_action"].startswith(f"Étape {rows + 1} :")
    assert f'value="{rows}"' in unescape(response.content.decode())


def test_pathway_with_every_step_open_reads_no_more_than_its_queries(client, django_assert_num_queries):
    """Every step's links are built (the enrolment is read with a few columns: a link that read
    another one would cost a query per page)."""
    start = timezone.now() - timedelta(days=10)
    session = SessionFactory(
        starts_at=start,
        registration_opens_at=start - timedelta(days=5),
        status=SessionStatus.RUNNING,
        steps=[start + timedelta(days=d) for d in range(6)],
    )
    enrolment = EnrolmentFactory(session=session)
    services.complete_step(enrolment=enrolment, step=Step.ROLE_MODELS)
    client.force_login(enrolment.job_seeker)

    with django_assert_num_queries(7):
        response = client.get(reverse("programs:pathway", args=[session.slug]))

    steps = response.context["steps"]
    assert [step.state for step in steps] == ["done"] + ["open"] * 5
    assert all(step.links for step in steps)
    assert session.title in response.content.decode()


def test_pathway_waiting_list_says_the_position(client):
    session = SessionFactory(capacity=1)
    EnrolmentFactory(session=session)
    EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    mine = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    client.force_login(mine.job_seeker)
    response = client.get(reverse("programs:pathway", args=[session.slug]))
    assert response.context["next_action"].startswith("Vous êtes sur la liste d'attente (position 2)")
    assert {step.state for step in response.context["steps"]} == {"locked"}


def test_pathway_of_someone_else_is_not_found(client):
    enrolment = EnrolmentFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("programs:pathway", args=[enrolment.session.slug]))
    assert response.status_code == 404


def test_my_pathway_redirects_to_the_current_enrolment(client):
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.job_seeker)
    response = client.get(reverse("programs:my_pathway"))
    assert response.url == reverse("programs:pathway", args=[enrolment.session.slug])


# --- enrolment ------------------------------------------------------------------------------------


def _pending(client, session, commune, qpv=None):
    store = client.session
    store["programs_pending_enrolment"] = {"session": session.pk, "commune": commune.pk, "qpv": qpv}
    store.save()


def test_enrol_anonymous_goes_to_login(client, session):
    response = client.get(reverse("programs:enrol", args=[session.slug]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_enrol_without_eligibility_goes_to_the_check(client, session):
    client.force_login(UserFactory())
    response = client.get(reverse("programs:enrol", args=[session.slug]))
    assert response.url == reverse("programs:eligibility", args=[session.slug])


def test_enrol_with_the_profile_lands_on_the_pathway(client, session, rural_commune):
    person = UserFactory()
    client.force_login(person)
    _pending(client, session, rural_commune)
    page = client.get(reverse("programs:enrol", args=[session.slug]))
    assert page.context["form"].initial["commune"] == rural_commune.pk
    response = client.post(
        reverse("programs:enrol", args=[session.slug]),
        {**PROFILE_POST, "session_id": session.pk, "commune": rural_commune.pk, "share_with_adviser": "on"},
    )
    assert response.url == reverse("programs:pathway", args=[session.slug])
    enrolment = Enrolment.objects.get(job_seeker=person)
    assert (enrolment.status, enrolment.share_with_adviser, enrolment.eligibility["basis"]) == (
        EnrolmentStatus.ACTIVE,
        True,
        "frr",
    )
    assert "programs_pending_enrolment" not in client.session


def test_enrol_through_an_adviser_link_records_the_adviser(client, session, rural_commune):
    adviser = AdviserFactory()
    person = UserFactory()
    client.get(
        reverse("programs:landing", args=[session.slug]),
        {"conseiller": adviser_invitation_token(session=session, adviser=adviser)},
    )
    client.force_login(person)
    _pending(client, session, rural_commune)
    client.post(
        reverse("programs:enrol", args=[session.slug]),
        {**PROFILE_POST, "session_id": session.pk, "commune": rural_commune.pk},
    )
    assert Enrolment.objects.get(job_seeker=person).adviser == adviser


@pytest.mark.parametrize("tamper", ["other_session", "foreign_qpv", "unknown_commune", "commune_outside"])
def test_enrol_tampered_post_is_a_bad_request_and_saves_nothing(client, session, rural_commune, city, tamper):
    client.force_login(UserFactory())
    _pending(client, session, rural_commune)
    data = {**PROFILE_POST, "session_id": session.pk, "commune": rural_commune.pk}
    if tamper == "other_session":
        data["session_id"] = SessionFactory().pk
        expected = "Ce formulaire ne correspond pas à cette session."
    elif tamper == "foreign_qpv":
        data["qpv"] = city.sample_qpv.pk
        expected = "n'est pas un quartier prioritaire de Lodève"
    elif tamper == "unknown_commune":
        data["commune"] = 987654
        expected = "La commune ou le quartier indiqué est inconnu."
    else:
        gard = DepartementFactory(code="30", name="Gard")
        data["commune"] = CommuneFactory(name="Nîmes", code="30189", departement=gard).pk
        expected = "Nîmes n'est pas dans le territoire de cette session."
    response = client.post(reverse("programs:enrol", args=[session.slug]), data)
    assert response.status_code == 400
    assert expected in unescape(response.content.decode())
    assert (Enrolment.objects.count(), JobSeekerProfile.objects.count()) == (0, 0)


def test_enrol_missing_consent_shows_the_field_error(client, session, rural_commune):
    client.force_login(UserFactory())
    _pending(client, session, rural_commune)
    data = {**PROFILE_POST, "session_id": session.pk, "commune": rural_commune.pk}
    del data["privacy_consent"]
    response = client.post(reverse("programs:enrol", args=[session.slug]), data)
    assert response.context["form"].errors["privacy_consent"] == ["Cochez cette case pour vous inscrire."]
    assert Enrolment.objects.count() == 0


def test_enrol_in_a_full_session_shows_the_waiting_list(client, rural_commune):
    session = SessionFactory(capacity=1)
    EnrolmentFactory(session=session)
    person = UserFactory()
    client.force_login(person)
    _pending(client, session, rural_commune)
    client.post(
        reverse("programs:enrol", args=[session.slug]),
        {**PROFILE_POST, "session_id": session.pk, "commune": rural_commune.pk},
    )
    response = client.get(reverse("programs:pathway", args=[session.slug]))
    assert response.context["enrolment"].status == EnrolmentStatus.WAITING
    assert "position 1" in response.context["next_action"]


def test_enrol_refused_for_a_mentor(client, session):
    client.force_login(MentorFactory())
    response = client.get(reverse("programs:enrol", args=[session.slug]))
    assert response.status_code == 403


def test_withdraw_promotes_the_next_person(client):
    session = SessionFactory(capacity=1)
    mine = EnrolmentFactory(session=session)
    waiting = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    client.force_login(mine.job_seeker)
    assert (
        "Voulez-vous vraiment quitter"
        in client.get(reverse("programs:withdraw", args=[session.slug])).content.decode()
    )
    response = client.post(reverse("programs:withdraw", args=[session.slug]))
    assert response.url == reverse("programs:landing", args=[session.slug])
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ACTIVE


# --- staff pages ----------------------------------------------------------------------------------

STAFF_URLS = [
    ("programs:staff_sessions", False),
    ("programs:launch", False),
    ("programs:preview", True),
]


@pytest.mark.parametrize(("name", "with_slug"), STAFF_URLS)
@pytest.mark.parametrize("factory", [UserFactory, AdviserFactory, MentorFactory])
def test_staff_pages_refuse_other_roles(client, name, with_slug, factory):
    session = SessionFactory()
    client.force_login(factory())
    response = client.get(reverse(name, args=[session.slug] if with_slug else []))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "with_slug"), STAFF_URLS)
def test_staff_pages_send_anonymous_users_to_login(client, name, with_slug):
    session = SessionFactory()
    response = client.get(reverse(name, args=[session.slug] if with_slug else []))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_publish_refuses_other_roles(client):
    session = SessionFactory(status=SessionStatus.DRAFT, published_at=None)
    client.force_login(AdviserFactory())
    response = client.post(reverse("programs:publish", args=[session.slug]))
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.published_at is None


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_session_list_query_count_is_constant(client, django_assert_num_queries, rows):
    SessionFactory.create_batch(rows)
    client.force_login(StaffFactory())
    with django_assert_num_queries(8):
        response = client.get(reverse("programs:staff_sessions"))
    assert len(response.context["sessions"]) == rows


def _launch_post(**overrides):
    start = (timezone.localtime() + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)

    def fmt(when):
        return when.strftime("%Y-%m-%dT%H:%M")

    data = {
        "title": "DéClics Aude",
        "region": "76",
        "departements": ["11"],
        "capacity": "200",
        "starts_at": fmt(start),
        "registration_opens_at": fmt(start - timedelta(days=20)),
        "registration_closes_at": fmt(start),
        "ends_at": fmt(start + timedelta(days=12)),
        "survey_at": fmt(start + timedelta(days=12)),
        "nudge_after_days": "4",
        "description": "Une session pour l'Aude.",
        "faq": "",
        **{f"step_{n}": fmt(start + timedelta(days=2 * (n - 1))) for n in range(1, 7)},
    }
    data.update(overrides)
    return data


def test_launch_then_preview_then_publish(client):
    aude = DepartementFactory(code="11", name="Aude")
    adviser = agency_adviser(agency=AgencyFactory(departement=aude))
    client.force_login(StaffFactory())
    response = client.post(reverse("programs:launch"), _launch_post())
    session = Session.objects.get(title="DéClics Aude")
    assert response.url == reverse("programs:preview", args=[session.slug])
    assert (session.status, session.nudge_after_days, session.steps.count()) == (SessionStatus.DRAFT, 4, 6)
    preview = client.get(response.url)
    assert "Publier la session" in preview.content.decode()
    response = client.post(reverse("programs:publish", args=[session.slug]))
    assert response.url == reverse("programs:landing", args=[session.slug])
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED  # registration opens in 10 days
    assert OutboxMessage.objects.filter(
        dedup_key=f"programs:session-announcement:{session.pk}:user:{adviser.pk}"
    ).exists()


def test_launch_form_errors_are_tied_to_their_fields(client):
    DepartementFactory(code="11", name="Aude")
    DepartementFactory(code="13", name="Bouches-du-Rhône", region__code="93", region__name="PACA")
    client.force_login(StaffFactory())
    data = _launch_post(departements=["11", "13"])
    data["step_3"] = data["step_1"]
    data["step_2"] = data["step_4"]
    data["ends_at"] = data["registration_opens_at"]
    response = client.post(reverse("programs:launch"), data)
    errors = response.context["form"].errors
    assert errors["departements"] == ["Ces départements ne sont pas en Occitanie : Bouches-du-Rhône (13)."]
    assert errors["ends_at"] == ["La fin de la session doit suivre son début."]
    assert "step_3" in errors
    assert Session.objects.count() == 0


@pytest.mark.parametrize("start", ["0001-01-01T12:00", "9999-12-31T23:59", "1899-12-31T10:00"])
def test_launch_with_a_start_outside_the_calendar_is_a_form_error(client, start):
    """Year 1 or 9999 once crashed the page (the copied calendar overflowed while being shifted)."""
    DepartementFactory(code="11", name="Aude")
    source = SessionFactory()
    client.force_login(StaffFactory())
    data = {"title": "DéClics Aude bis", "region": "76", "departements": ["11"], "capacity": "50"}

    response = client.post(
        reverse("programs:launch"),
        {**data, "copy_from": source.pk, "starts_at": start, "nudge_after_days": "5"},
    )

    assert response.status_code == 400  # the form sent back with its error
    assert response.context["form"].errors["starts_at"] == ["Indiquez une date entre 1900 et 2100."]
    assert Session.objects.count() == 1


def test_launch_copy_whose_shifted_dates_leave_the_calendar_is_a_form_error(client):
    """The start is valid, but the copied registration dates would fall before 1900."""
    DepartementFactory(code="11", name="Aude")
    source = SessionFactory()  # registration opens 15 days before its start
    client.force_login(StaffFactory())
    data = {"title": "DéClics Aude bis", "region": "76", "departements": ["11"], "capacity": "50"}

    response = client.post(
        reverse("programs:launch"),
        {**data, "copy_from": source.pk, "starts_at": "1900-01-02T10:00", "nudge_after_days": "5"},
    )

    assert response.context["form"].errors["starts_at"] == [
        "Avec cette date de début, les dates copiées sortiraient du calendrier (1900 à 2100) : "
        "choisissez une autre date."
    ]
    assert Session.objects.count() == 1


def test_launch_copying_an_earlier_session_needs_only_the_start(client):
    DepartementFactory(code="11", name="Aude")
    source = SessionFactory()
    client.force_login(StaffFactory())
    new_start = timezone.localtime(source.starts_at + timedelta(days=364)).replace(second=0, microsecond=0)
    data = {
        "title": "DéClics Aude bis",
        "region": "76",
        "departements": ["11"],
        "capacity": "50",
        "copy_from": source.pk,
        "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
        "nudge_after_days": "5",
    }
    response = client.post(reverse("programs:launch"), data)
    copy = Session.objects.get(title="DéClics Aude bis")
    assert response.status_code == 302
    shift = copy.starts_at - source.starts_at
    assert copy.ends_at == source.ends_at + shift
    assert [s.opens_at for s in copy.steps.order_by("step")] == [
        s.opens_at + shift for s in source.steps.order_by("step")
    ]


# --- refusals: a form shows the reason (400), an action answers its 4xx (declics.errors) ----------


def test_publishing_a_published_session_answers_409_with_the_reason(client):
    session = SessionFactory()  # published
    client.force_login(StaffFactory())
    preview = reverse("programs:preview", args=[session.slug])

    response = client.post(
        reverse("programs:publish", args=[session.slug]), headers={"referer": f"http://testserver{preview}"}
    )

    assert response.status_code == 409
    assert "Cette session est déjà publiée." in response.content.decode()
    assert f'href="http://testserver{preview}">Revenir à la page précédente' in response.content.decode()


def test_an_enrolment_refused_by_the_service_shows_the_reason_on_the_form_with_400(client, rural_commune):
    session = SessionFactory()
    client.force_login(UserFactory())
    _pending(client, session, rural_commune)
    # Registration closed while the person was filling the form.
    Session.objects.filter(pk=session.pk).update(registration_closes_at=timezone.now() - timedelta(minutes=1))

    response = client.post(
        reverse("programs:enrol", args=[session.slug]),
        {**PROFILE_POST, "session_id": session.pk, "commune": rural_commune.pk},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Les inscriptions à cette session sont fermées."]
    assert Enrolment.objects.count() == 0
