"""The team's role-model pages (issue 14, item 4): list, create, edit with photo consent, deactivate."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.role_models import services
from programs.role_models.models import RoleModel
from tests.factories import StaffFactory, UserFactory
from tests.programs.factories import OpenSessionFactory
from tests.programs.role_models.factories import RoleModelFactory, RomeJobFactory, TalkFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _with_photo(**kwargs):
    return RoleModelFactory(photo=SimpleUploadedFile("amel.png", PNG, content_type="image/png"), **kwargs)


def _form_data(role_model, **changes):
    data = {
        "first_name": role_model.first_name,
        "last_name": role_model.last_name,
        "job_title": role_model.job_title,
        "rome": role_model.rome_id,
        "employer": role_model.employer,
        "town": role_model.town,
        "story": role_model.story,
    }
    data.update(changes)
    return data


# --- The rules (services) ------------------------------------------------------------------------


def test_consent_stamps_the_date_and_the_photo_is_shown(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    role_model = _with_photo()
    assert not role_model.shows_photo

    services.save_role_model(role_model=role_model, photo_consent=True, by=staff, now=NOW)

    role_model.refresh_from_db()
    assert role_model.photo_consent_at == NOW
    assert role_model.shows_photo


def test_consent_given_again_keeps_its_first_date(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    role_model = _with_photo(photo_consent_at=NOW)

    services.save_role_model(
        role_model=role_model, photo_consent=True, by=staff, now=datetime(2026, 4, 1, tzinfo=UTC)
    )

    role_model.refresh_from_db()
    assert role_model.photo_consent_at == NOW


def test_withdrawn_consent_hides_the_photo(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    role_model = _with_photo(photo_consent_at=NOW)

    services.save_role_model(role_model=role_model, photo_consent=False, by=staff)

    role_model.refresh_from_db()
    assert role_model.photo_consent_at is None
    assert not role_model.shows_photo


@pytest.mark.parametrize("by", [lambda: UserFactory(), lambda: None])
def test_only_the_team_saves_or_deactivates_a_role_model(by):
    role_model = RoleModelFactory()
    user = by()

    with pytest.raises(services.RoleModelError, match="Seule l'équipe") as refused:
        services.save_role_model(role_model=role_model, photo_consent=True, by=user)
    assert refused.value.status == 403
    with pytest.raises(services.RoleModelError, match="Seule l'équipe"):
        services.set_role_model_active(role_model=role_model, active=False, by=user)

    role_model.refresh_from_db()
    assert role_model.photo_consent_at is None
    assert role_model.is_active


def test_a_job_outside_digital_is_refused(staff):
    role_model = RoleModelFactory.build(rome=RomeJobFactory(code="K2111", is_digital=False))

    with pytest.raises(services.RoleModelError, match="numérique"):
        services.save_role_model(role_model=role_model, photo_consent=False, by=staff)
    assert not RoleModel.objects.exists()


# --- The pages -----------------------------------------------------------------------------------


def test_staff_create_a_role_model_with_a_photo_and_consent(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rome = RomeJobFactory(code="M1855")
    data = _form_data(RoleModelFactory.build(rome=rome), first_name="Amel", photo_consent="on")
    data["photo"] = SimpleUploadedFile("amel.png", PNG, content_type="image/png")

    response = staff_client.post(reverse("programs:staff_role_model_create"), data)

    role_model = RoleModel.objects.get(first_name="Amel")
    assert response.status_code == 302
    assert role_model.shows_photo
    page = staff_client.get(reverse("programs:staff_role_model", args=[role_model.pk])).content.decode()
    assert 'id="role-model-photo"' in page


def test_the_edit_page_never_shows_a_photo_without_consent(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    role_model = _with_photo(photo_consent_at=NOW)
    url = reverse("programs:staff_role_model", args=[role_model.pk])

    response = staff_client.post(url, _form_data(role_model))  # the box unticked

    assert response.status_code == 302
    page = staff_client.get(url).content.decode()
    assert 'id="role-model-photo"' not in page
    assert role_model.photo.url not in page
    assert 'id="role-model-photo-hidden"' in page


def test_a_photo_of_another_kind_is_refused_with_a_french_message(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = _form_data(RoleModelFactory.build(rome=RomeJobFactory(code="M1855")), first_name="Amel")
    data["photo"] = SimpleUploadedFile("amel.exe", b"MZ", content_type="application/octet-stream")

    response = staff_client.post(reverse("programs:staff_role_model_create"), data)

    assert response.status_code == 400
    assert not RoleModel.objects.filter(first_name="Amel").exists()


def test_the_rome_choices_are_digital_jobs_only(staff_client):
    RomeJobFactory(code="M1855", label="Développeur web", is_digital=True)
    RomeJobFactory(code="K2111", label="Formateur", is_digital=False)

    page = staff_client.get(reverse("programs:staff_role_model_create")).content.decode()

    assert "Développeur web" in page
    assert "Formateur" not in page


def test_the_page_lists_the_sessions_and_talks_the_role_model_appears_in(staff_client):
    role_model = RoleModelFactory()
    session = OpenSessionFactory(title="Hérault printemps")
    role_model.sessions.add(session)
    TalkFactory(session=session, title="De la vente au code", speakers=[role_model])

    page = staff_client.get(reverse("programs:staff_role_model", args=[role_model.pk])).content.decode()

    assert "Hérault printemps" in page
    assert "De la vente au code" in page


def test_deactivate_then_filter_the_list_on_active(staff_client):
    kept = RoleModelFactory(first_name="Karim")
    gone = RoleModelFactory(first_name="Sonia")

    response = staff_client.post(
        reverse("programs:staff_role_model_active", args=[gone.pk]), {"actif": "non"}
    )

    gone.refresh_from_db()
    assert response.status_code == 302
    assert not gone.is_active
    active = staff_client.get(reverse("programs:staff_role_models"), {"actif": "oui"}).content.decode()
    inactive = staff_client.get(reverse("programs:staff_role_models"), {"actif": "non"}).content.decode()
    assert kept.first_name in active and gone.first_name not in active
    assert gone.first_name in inactive and kept.first_name not in inactive


@pytest.mark.parametrize("rows", [1, 3])
def test_the_list_takes_the_same_queries_whatever_its_length(staff_client, django_assert_num_queries, rows):
    session = OpenSessionFactory()
    for _ in range(rows):
        role_model = RoleModelFactory()
        role_model.sessions.add(session)
        TalkFactory(session=session, speakers=[role_model])
    url = reverse("programs:staff_role_models")
    staff_client.get(url)  # warm the session and the cache

    with django_assert_num_queries(3):
        response = staff_client.get(url)

    assert response.content.decode().count('class="list-group-item role-model"') == rows
    assert "<table" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_the_role_model_page_takes_the_same_queries_whatever_its_appearances(
    staff_client, django_assert_num_queries, rows
):
    role_model = RoleModelFactory()
    for _ in range(rows):
        session = OpenSessionFactory()
        role_model.sessions.add(session)
        TalkFactory(session=session, speakers=[role_model])
    url = reverse("programs:staff_role_model", args=[role_model.pk])
    staff_client.get(url)

    # 7: the page, its appearances, and the sessions the form offers (one query, whatever their number).
    with django_assert_num_queries(7):
        response = staff_client.get(url)

    assert response.content.decode().count("/temoignages/") >= rows


def test_staff_remove_a_stored_photo(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    role_model = _with_photo(photo_consent_at=NOW)

    staff_client.post(
        reverse("programs:staff_role_model", args=[role_model.pk]),
        _form_data(role_model, photo_consent="on", remove_photo="on"),
    )

    role_model.refresh_from_db()
    assert not role_model.photo
    assert not role_model.shows_photo


def test_staff_choose_the_sessions_where_a_role_model_may_speak(client):
    from programs.role_models import services
    from tests.factories import StaffFactory
    from tests.programs.factories import OpenSessionFactory
    from tests.programs.role_models.factories import RoleModelFactory

    first, second = OpenSessionFactory(), OpenSessionFactory()
    role_model = RoleModelFactory()
    role_model.sessions.add(first)

    services.save_role_model(role_model=role_model, photo_consent=False, sessions=[second], by=StaffFactory())

    assert list(role_model.sessions.all()) == [second]
