"""programs.figures_cache: the one place of the cached figures' keys and versions, and the one
call (`figures_changed`, after commit) by which the services that change them make them stale."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from programs import services
from programs.figures_cache import figures_changed, session_figures_version
from programs.models import SurveyKind, SurveyResponse
from programs.services import advisers as adviser_services
from programs.services import surveys
from tests.factories import UserFactory

from .advisers.factories import AgencyFactory, agency_adviser
from .factories import EnrolmentFactory, SessionFactory
from .test_services import PROFILE

ROOT = Path(settings.BASE_DIR)


def test_session_figures_version_moves_only_when_the_transaction_commits(
    db, django_capture_on_commit_callbacks
):
    assert session_figures_version(41) == 0

    with django_capture_on_commit_callbacks(execute=True):
        figures_changed(41)
    with django_capture_on_commit_callbacks(execute=True):
        figures_changed(41)
    with django_capture_on_commit_callbacks(execute=False):  # never committed: not bumped
        figures_changed(41)

    assert (session_figures_version(41), session_figures_version(42)) == (2, 0)


def _enrol(session, rural_commune):
    services.enrol_job_seeker(
        session=session, job_seeker=UserFactory(), commune=rural_commune, profile=PROFILE
    )


def _withdraw(session, _commune):
    services.withdraw(enrolment=EnrolmentFactory(session=session))


def _step_done(session, _commune):
    services.complete_step(enrolment=EnrolmentFactory(session=session), step=2)


def _invite(session, _commune):
    adviser = agency_adviser(agency=AgencyFactory(departement=session.departements.first()))
    adviser_services.invite_job_seekers(session=session, adviser=adviser, emails=["sam@example.org"])


def _survey_answered(session, _commune):
    enrolment = EnrolmentFactory(session=session)
    now = timezone.now()
    response = SurveyResponse.objects.create(
        enrolment=enrolment, kind=SurveyKind.SATISFACTION, sent_at=now - timedelta(days=1)
    )
    surveys.record_answer(
        response=response,
        answer=surveys.Answer(overall=4, step_usefulness={}, would_recommend=True, comment=""),
        now=now,
    )


@pytest.mark.parametrize("change", [_enrol, _withdraw, _step_done, _invite, _survey_answered])
def test_each_change_of_what_the_figures_count_makes_them_stale_after_commit(
    db, django_capture_on_commit_callbacks, rural_commune, change
):
    session, other = SessionFactory(), SessionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        change(session, rural_commune)

    assert (session_figures_version(session.pk), session_figures_version(other.pk)) == (1, 0)


def test_the_figures_cache_is_the_only_module_of_the_domain_that_reads_the_cache():
    """Keys, versions and lifetimes in one place; the France Travail client keeps its API token."""
    allowed = {"programs/figures_cache.py", "jobs/offers/france_travail.py"}
    users = {
        str(file.relative_to(ROOT))
        for package in ("programs", "mentoring", "jobs")
        for file in (ROOT / package).rglob("*.py")
        if re.search(r"^from django\.core\.cache import|^import django\.core\.cache", file.read_text(), re.M)
    }
    assert users == allowed
