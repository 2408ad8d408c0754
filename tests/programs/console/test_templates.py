"""Launch-a-region templates: saved as offsets, rules and a text skeleton; launched in one form."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs import services
from programs.models import Session, SessionTemplate
from programs.workshops.models import Workshop
from tests.factories import StaffFactory, UserFactory

from ..factories import DepartementFactory, RegionFactory, SessionFactory
from ..workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

HERAULT_TEXT = "DéClics en Occitanie, dans l'Hérault : 600 places, du 12 janvier 2027 au 1 février 2027."


def _source(**overrides):
    herault = DepartementFactory()
    start = timezone.make_aware(timezone.datetime(2027, 1, 12, 10, 0))
    fields = {
        "title": "DéClics Hérault",
        "capacity": 600,
        "registration_opens_at": start - timedelta(days=20),
        "registration_closes_at": start - timedelta(days=1, hours=2),
        "starts_at": start,
        "ends_at": start + timedelta(days=20),
        "survey_at": start + timedelta(days=25),
        "description": HERAULT_TEXT,
        "faq": "Qui peut venir ? Toute personne de l'Hérault.",
        "workshops_required": 3,
        "max_simultaneous_bookings": 4,
        "mentor_direct_match": True,
        "departements": [herault],
        "steps": [start + timedelta(days=2 * i, hours=i) for i in range(6)],
    }
    return SessionFactory(**{**fields, **overrides})


def _ain():
    return DepartementFactory(
        code="01", name="Ain", region=RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    )


def _launch(template, **overrides):
    ain = _ain()
    kwargs = {
        "template": template,
        "title": "DéClics Ain",
        "region": ain.region,
        "departements": [ain],
        "starts_at": timezone.make_aware(timezone.datetime(2027, 9, 6, 9, 30)),
        "capacity": 120,
        "by": StaffFactory(),
    }
    return services.launch_from_template(**{**kwargs, **overrides})


def test_saving_keeps_the_calendar_as_offsets_the_rules_and_a_skeleton():
    source = _source()
    template = services.save_session_as_template(session=source, name="Six semaines", by=StaffFactory())

    day = 24 * 3600
    assert template.calendar == {
        "registration_opens_at": -20 * day,
        "registration_closes_at": -(day + 2 * 3600),
        "ends_at": 20 * day,
        "survey_at": 25 * day,
        "steps": {str(i + 1): 2 * i * day + i * 3600 for i in range(6)},
    }
    assert template.description == (
        "DéClics en {region}, dans l'{departements} : {places} places, du {start} au {end}."
    )
    assert template.faq == "Qui peut venir ? Toute personne de l'{departements}."
    assert template.settings["workshops_required"] == 3
    assert template.settings["max_simultaneous_bookings"] == 4
    assert template.settings["mentor_direct_match"] is True
    assert (template.source, template.capacity) == (source, 600)


def test_launching_keeps_the_offsets_fills_the_texts_and_copies_the_rules():
    source = _source()
    template = services.save_session_as_template(session=source, name="Six semaines", by=StaffFactory())

    session = _launch(template)

    start = session.starts_at
    day = timedelta(days=1)
    assert session.registration_opens_at == start - 20 * day
    assert session.registration_closes_at == start - day - timedelta(hours=2)
    assert (session.ends_at, session.survey_at) == (start + 20 * day, start + 25 * day)
    assert {s.step: s.opens_at - start for s in session.steps.all()} == {
        s.step: s.opens_at - source.starts_at for s in source.steps.all()
    }
    assert session.description == (
        f"DéClics en {session.region.name}, dans l'Ain : 120 places, "
        "du 6 septembre 2027 au 26 septembre 2027."
    )
    assert session.faq == "Qui peut venir ? Toute personne de l'Ain."
    assert (session.description_to_review, session.faq_to_review) == (False, False)
    assert session.texts_to_review == []
    assert (session.workshops_required, session.max_simultaneous_bookings, session.mentor_direct_match) == (
        3,
        4,
        True,
    )
    assert (session.capacity, session.copied_from, session.status) == (120, source, "draft")
    assert list(session.departements.values_list("name", flat=True)) == ["Ain"]


def test_launching_copies_the_source_workshops_with_the_shift():
    source = _source()
    workshop = WorkshopFactory(
        session=source, title="Mon CV", starts_at=source.starts_at + timedelta(days=4, hours=3)
    )
    template = services.save_session_as_template(session=source, name="Six semaines", by=StaffFactory())

    session = _launch(template)

    [copy] = Workshop.objects.filter(session=session)
    assert (copy.title, copy.copied_from) == ("Mon CV", workshop)
    assert copy.starts_at - session.starts_at == workshop.starts_at - source.starts_at


def test_filled_placeholders_list_every_departement():
    template = services.save_session_as_template(session=_source(), name="M", by=StaffFactory())
    ain = _ain()
    isere = DepartementFactory(code="38", name="Isère", region=ain.region)
    session = _launch(template, departements=[ain, isere], region=ain.region)
    assert "dans l'Ain et Isère" in session.description


def test_saving_and_launching_are_for_staff_only():
    source = _source()
    with pytest.raises(services.TemplateError, match="Seule l'équipe"):
        services.save_session_as_template(session=source, name="M", by=UserFactory())
    template = services.save_session_as_template(session=source, name="M", by=StaffFactory())
    with pytest.raises(services.TemplateError, match="Seule l'équipe"):
        _launch(template, by=UserFactory())
    assert Session.objects.count() == 1


def test_a_template_name_is_taken_once():
    source = _source()
    services.save_session_as_template(session=source, name="M", by=StaffFactory())
    with pytest.raises(services.TemplateError, match="déjà ce nom"):
        services.save_session_as_template(session=source, name="M", by=StaffFactory())


def test_launching_keeps_the_territory_and_calendar_rules_of_a_launch():
    template = services.save_session_as_template(session=_source(), name="M", by=StaffFactory())
    herault = DepartementFactory()
    with pytest.raises(services.SessionError, match="pas en"):
        _launch(template, departements=[herault])
    with pytest.raises(services.SessionError, match="calendrier"):
        _launch(template, starts_at=timezone.make_aware(timezone.datetime(2100, 12, 30, 9, 0)))
    assert Session.objects.count() == 1


# --- Pages ----------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_the_preview_offers_to_save_as_template_and_the_form_saves_it(staff_client):
    source = _source()
    preview = staff_client.get(reverse("programs:preview", args=[source.slug])).content.decode()
    assert reverse("programs:template_save", args=[source.slug]) in preview

    response = staff_client.post(
        reverse("programs:template_save", args=[source.slug]), {"name": "Six semaines"}
    )

    assert response.status_code == 302
    assert SessionTemplate.objects.get().name == "Six semaines"


def test_the_save_form_says_a_taken_name(staff_client):
    source = _source()
    services.save_session_as_template(session=source, name="M", by=StaffFactory())
    response = staff_client.post(reverse("programs:template_save", args=[source.slug]), {"name": "M"})
    assert response.status_code == 400
    assert "Un modèle porte déjà ce nom" in response.content.decode()


def test_the_launch_form_makes_a_draft_and_shows_its_preview(staff_client):
    template = services.save_session_as_template(session=_source(), name="M", by=StaffFactory())
    ain = _ain()
    response = staff_client.post(
        reverse("programs:template_launch"),
        {
            "template": template.pk,
            "title": "DéClics Ain",
            "region": ain.region.pk,
            "departements": [ain.pk],
            "starts_at": "2027-09-06T09:30",
            "capacity": "120",
        },
    )
    session = Session.objects.get(title="DéClics Ain")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:preview", args=[session.slug])


def test_the_launch_form_groups_departements_by_region_and_refuses_another_region(staff_client):
    template = services.save_session_as_template(session=_source(), name="M", by=StaffFactory())
    page = staff_client.get(reverse("programs:template_launch") + f"?modele={template.pk}").content.decode()
    assert "departement-filter.js" in page and "<optgroup" in page and "<table" not in page
    ain, herault = _ain(), DepartementFactory()
    response = staff_client.post(
        reverse("programs:template_launch"),
        {
            "template": template.pk,
            "title": "DéClics Ain",
            "region": ain.region.pk,
            "departements": [herault.pk],
            "starts_at": "2027-09-06T09:30",
            "capacity": "120",
        },
    )
    assert response.status_code == 400
    assert "Ces départements ne sont pas en" in response.content.decode()


def test_the_list_costs_the_same_queries_with_more_templates(staff_client, django_assert_num_queries):
    source = _source()
    services.save_session_as_template(session=source, name="A", by=StaffFactory())
    staff_client.get(reverse("programs:template_list"))  # warm the caches (session, messages)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse("programs:template_list"))
    for name in ("B", "C", "D"):
        services.save_session_as_template(
            session=_source(slug=f"s-{name}", title=f"S {name}"), name=name, by=StaffFactory()
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = staff_client.get(reverse("programs:template_list"))
    page = response.content.decode()
    assert page.count('class="card mb-3"') == 4 and "<table" not in page


def test_offsets_are_kept_on_the_local_clock_across_summer_time():
    template = services.save_session_as_template(session=_source(), name="M", by=StaffFactory())
    # Starts on 2 April 2027 at 10:00 (summer time); registration opens 20 days before, in winter time.
    session = _launch(template, starts_at=timezone.make_aware(timezone.datetime(2027, 4, 2, 10, 0)))
    opens = timezone.localtime(session.registration_opens_at)
    assert (opens.month, opens.day, opens.hour, opens.minute) == (3, 13, 10, 0)


def test_the_template_pages_are_accessible_with_and_without_errors(staff_client):
    from tests.test_templates_a11y import accessibility_problems

    source = _source()
    services.save_session_as_template(session=source, name="M", by=StaffFactory())
    pages = [
        staff_client.get(reverse("programs:template_list")),
        staff_client.get(reverse("programs:template_launch")),
        staff_client.get(reverse("programs:template_save", args=[source.slug])),
        staff_client.post(reverse("programs:template_launch"), {"title": ""}),
        staff_client.post(reverse("programs:template_save", args=[source.slug]), {"name": ""}),
    ]
    for response in pages:
        html = response.content.decode()
        assert accessibility_problems(html, about_the_user=False) == [], response.request["PATH_INFO"]
        assert "<table" not in html
    assert [response.status_code for response in pages] == [200, 200, 200, 400, 400]
    assert reverse("programs:template_list") in pages[0].content.decode()  # the console's link
