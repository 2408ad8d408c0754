import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from declics.rome.models import RomeJob
from programs.models import Step, StepProgress
from programs.role_models import services
from programs.role_models.models import JobPageView
from tests.programs.factories import EnrolmentFactory

from .factories import RoleModelFactory, RomeJobFactory

pytestmark = pytest.mark.django_db


def test_load_job_descriptions_command_is_idempotent_and_counts(capsys):
    call_command("load_rome")
    call_command("load_job_descriptions")
    call_command("load_job_descriptions")

    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "Digital job descriptions: 98 updated, 0 unchanged",
        "Digital job descriptions: 0 updated, 98 unchanged",
    ]
    assert RomeJob.objects.digital().filter(description="").count() == 0
    assert RomeJob.objects.get(code="M1874").description.startswith("Aide les utilisateurs")


def test_load_job_descriptions_reports_codes_not_loaded(tmp_path):
    RomeJobFactory(code="M1805")
    path = tmp_path / "descriptions.json"
    path.write_text(json.dumps({"descriptions": {"M1805": "Écrit du code.", "M9999": "?"}}), encoding="utf-8")

    result = services.load_job_descriptions(path=path)

    assert (result.updated, result.unchanged, result.unknown) == (1, 0, ["M9999"])


def test_job_pages_complete_step_one_when_the_session_asks_for_them(client):
    enrolment = EnrolmentFactory(session__role_model_job_pages_required=2)
    first, second = RomeJobFactory(code="M1805"), RomeJobFactory(code="M1874")
    client.force_login(enrolment.job_seeker)
    slug = enrolment.session.slug

    client.get(reverse("programs:jobs_detail", args=[slug, first.code]))
    client.get(reverse("programs:jobs_detail", args=[slug, first.code]))
    after_one = StepProgress.objects.done().filter(enrolment=enrolment, step=Step.ROLE_MODELS).exists()
    response = client.get(reverse("programs:jobs_detail", args=[slug, second.code]))

    assert after_one is False
    assert JobPageView.objects.filter(enrolment=enrolment).count() == 2
    assert StepProgress.objects.done().filter(enrolment=enrolment, step=Step.ROLE_MODELS).exists()
    assert "Bravo, vous avez terminé l&#x27;étape 1 du parcours !" in response.content.decode()


def test_job_pages_do_not_complete_step_one_by_default(client):
    enrolment = EnrolmentFactory()
    for code in ("M1805", "M1874", "M1855"):
        RomeJobFactory(code=code)
        client.force_login(enrolment.job_seeker)
        client.get(reverse("programs:jobs_detail", args=[enrolment.session.slug, code]))

    assert JobPageView.objects.filter(enrolment=enrolment).count() == 3
    assert not StepProgress.objects.filter(enrolment=enrolment, step=Step.ROLE_MODELS).exists()


def test_job_page_shows_description_and_role_models(client):
    enrolment = EnrolmentFactory()
    job = RomeJobFactory(code="M1855", description="Construit des sites web.")
    RoleModelFactory(rome=job, first_name="Nadia", last_name="Kaci")
    client.force_login(enrolment.job_seeker)

    response = client.get(reverse("programs:jobs_detail", args=[enrolment.session.slug, "m1855"]))

    content = response.content.decode()
    assert "Construit des sites web." in content
    assert "Nadia K." in content


def test_a_non_digital_job_page_is_404(client):
    enrolment = EnrolmentFactory()
    RomeJobFactory(code="K2111", is_digital=False)
    client.force_login(enrolment.job_seeker)

    response = client.get(reverse("programs:jobs_detail", args=[enrolment.session.slug, "K2111"]))

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_jobs_list_query_count_is_constant(client, django_assert_num_queries, rows):
    enrolment = EnrolmentFactory()
    for code in ["M1805", "M1855", "M1874"][:rows]:
        RoleModelFactory(rome=RomeJobFactory(code=code))
    client.force_login(enrolment.job_seeker)

    with django_assert_num_queries(10):
        response = client.get(reverse("programs:jobs_list", args=[enrolment.session.slug]))

    assert len(response.context["jobs"]) == rows
