"""The registry of steps: each step's app fills its entry when it loads; the pathway, the adviser's
person page and session copies read the steps through it, and a step absent from it shows nothing
instead of breaking the page; a capability nobody offers answers with its declared default."""

import pytest
from django.urls import reverse

from jobs import selectors as jobs_selectors
from mentoring.selectors import job_interests_by_enrolment, shared_assessment
from programs import registry
from programs.models import Step
from programs.registry import StepEntry
from tests.mentoring.factories import MentorshipFactory

from .factories import EnrolmentFactory, OpenSessionFactory

pytestmark = pytest.mark.django_db


def test_every_step_of_the_pathway_is_registered_by_its_app():
    assert [entry.step for entry in registry.entries()] == [step.value for step in Step]
    assert all(entry.pathway_links is not None for entry in registry.entries())
    offered = {name: entry.step for entry in registry.entries() for name in entry.capabilities}
    assert offered == {
        "suggested_rome_codes": Step.ASSESSMENT,
        "suggested_rome_codes_by_enrolment": Step.ASSESSMENT,
        "assessment_summary_for_mentor": Step.ASSESSMENT,
        "has_active_mentor": Step.MENTOR,
        "mentored_enrolment_ids": Step.MENTOR,
        "withdraw_applications": Step.JOBS,
    }


def test_a_capability_nobody_offers_answers_with_its_default(without_step):
    enrolment = EnrolmentFactory()
    without_step(Step.ASSESSMENT)
    without_step(Step.MENTOR)

    assert registry.capability("suggested_rome_codes")(enrolment.job_seeker) == []
    assert jobs_selectors.suggested_rome_codes(enrolment.job_seeker) == []
    assert job_interests_by_enrolment([enrolment.pk]) == {}
    assert shared_assessment(enrolment) is None
    assert registry.capability("has_active_mentor")(enrolment.pk) is False


def test_capabilities_must_be_declared_and_offered_once():
    with pytest.raises(KeyError):
        registry.capability("suggested_rome_code")
    with pytest.raises(ValueError, match="Undeclared"):
        registry.register(StepEntry(step=Step.JOBS, capabilities={"unknown": lambda: None}))
    with pytest.raises(ValueError, match="already offered by step 2"):
        registry.register(StepEntry(step=Step.JOBS, capabilities={"suggested_rome_codes": lambda user: []}))
    assert registry.entry(Step.JOBS).adviser_panel is not None  # the refused entries changed nothing


def test_the_pathway_of_a_step_that_is_absent_shows_no_link(client, without_step):
    enrolment = EnrolmentFactory(session=OpenSessionFactory())
    MentorshipFactory(enrolment=enrolment)
    client.force_login(enrolment.job_seeker)
    without_step(Step.MENTOR)

    response = client.get(reverse("programs:pathway", args=[enrolment.session.slug]))

    assert [len(step.links) for step in response.context["steps"]] == [2, 1, 0, 1, 2, 2]
    assert "mentorship_id" not in vars(response.context["enrolment"])
