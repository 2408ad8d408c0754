"""The adviser's person page reads every panel through the consented enrolment, never the person.

One person is enrolled in two sessions: A, where they agreed to share their progress with the
adviser, and B, where they did not (no adviser, the same adviser without consent, or another
adviser). One record of each kind is made in each session; each panel of A's page shows A's
record and nothing of B's.
"""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import MentorshipStatus, RequestStatus
from programs.assessment import services as assessment_services
from programs.assessment.models import (
    AssessmentAttempt,
    AssessmentResult,
    AssessmentShare,
    AttemptStatus,
    ShareAudience,
    ShareStatus,
)
from programs.role_models.models import TalkRegistration
from programs.workshops.models import WorkshopBooking
from tests.jobs.factories import (
    ApplicationFactory,
    JobOfferFactory,
    MeetingSlotFactory,
    TrainingBodyFactory,
    meeting_booking,
)
from tests.mentoring.factories import MentoringRequestFactory, MentorProfileFactory, MentorshipFactory
from tests.programs.assessment.answer_sets import v1_data
from tests.programs.factories import EnrolmentFactory, SessionFactory
from tests.programs.role_models.factories import TalkFactory
from tests.programs.workshops.factories import WorkshopFactory

SHOWN, ELSEWHERE = "Consentie", "Ailleurs"  # the tag of session A's records, of session B's


def _talk(enrolment, tag):
    talk = TalkFactory(session=enrolment.session, title=f"Témoignage {tag}")
    return TalkRegistration.objects.create(talk=talk, enrolment=enrolment, job_seeker=enrolment.job_seeker)


def _workshop(enrolment, tag):
    workshop = WorkshopFactory(session=enrolment.session, title=f"Atelier {tag}")
    return WorkshopBooking.objects.create(
        workshop=workshop, enrolment=enrolment, job_seeker=enrolment.job_seeker, status="confirmed"
    )


def _mentoring_request(enrolment, tag):
    # Declined: a person may have several (one pending at most).
    mentor = MentorProfileFactory(job_title=f"Mentor {tag}")
    return MentoringRequestFactory(enrolment=enrolment, mentor=mentor, status=RequestStatus.DECLINED)


def _mentorship(enrolment, tag):
    # Ended: a person may have several (one active at most).
    mentor = MentorProfileFactory(job_title=f"Mentor {tag}")
    return MentorshipFactory(enrolment=enrolment, mentor=mentor, status=MentorshipStatus.ENDED)


def _meeting(enrolment, tag):
    slot = MeetingSlotFactory(session=enrolment.session, body=TrainingBodyFactory(name=f"Organisme {tag}"))
    return meeting_booking(slot, enrolment)


def _application(enrolment, tag):
    return ApplicationFactory(
        offer=JobOfferFactory(title=f"Offre {tag}"), job_seeker=enrolment.job_seeker, enrolment=enrolment
    )


def _assessment(enrolment, tag):
    questionnaire, _created = assessment_services.load_questionnaire(data=v1_data())
    attempt = AssessmentAttempt.objects.create(
        enrolment=enrolment,
        questionnaire=questionnaire,
        status=AttemptStatus.COMPLETED,
        completed_at=timezone.now(),
    )
    result = AssessmentResult.objects.create(
        attempt=attempt,
        questionnaire_version=questionnaire.version,
        snapshot={"jobs": [{"code": "M1805", "label": f"Métier {tag}"}]},
    )
    AssessmentShare.objects.create(result=result, audience=ShareAudience.ADVISER, status=ShareStatus.SHARED)
    return result


# Every panel of the page → how to make one record of it in an enrolment.
MAKERS = {
    "talk_registrations": _talk,
    "workshop_bookings": _workshop,
    "mentoring_requests": _mentoring_request,
    "mentorships": _mentorship,
    "meeting_bookings": _meeting,
    "applications": _application,
    "shared_assessments": _assessment,
}


def panel_rows(response) -> dict[str, list]:
    """Every list the steps' sections of the page show, by name (each step's `adviser_panel`)."""
    return {name: rows for panel in response.context["panels"] for name, rows in panel.context.items()}


def test_every_panel_of_the_person_page_is_covered_here(client, world):
    # A new step section fails here until it has a maker above, and so is checked below.
    client.force_login(world.adviser)
    response = client.get(
        reverse("programs:adviser_person", args=[world.session.slug, world.alice.public_id])
    )
    assert set(panel_rows(response)) == set(MAKERS)


def _elsewhere(world, kind):
    """The same person's enrolment in session B, which this adviser may not see."""
    session = SessionFactory(slug="declics-ailleurs", departements=[world.garonne])
    adviser = {
        "no_adviser": None,
        "same_adviser_without_consent": world.adviser,
        "other_adviser": world.other_adviser,
    }[kind]
    return EnrolmentFactory(
        session=session,
        job_seeker=world.alice.job_seeker,
        adviser=adviser,
        share_with_adviser=kind != "same_adviser_without_consent",
    )


@pytest.mark.parametrize("other", ["no_adviser", "same_adviser_without_consent", "other_adviser"])
@pytest.mark.parametrize("panel", sorted(MAKERS))
def test_person_page_panel_shows_only_the_consented_sessions_records(client, world, panel, other):
    elsewhere = _elsewhere(world, other)
    shown = MAKERS[panel](world.alice, SHOWN)
    hidden = MAKERS[panel](elsewhere, ELSEWHERE)
    client.force_login(world.adviser)

    response = client.get(
        reverse("programs:adviser_person", args=[world.session.slug, world.alice.public_id])
    )

    assert [row.pk for row in panel_rows(response)[panel]] == [shown.pk]
    assert hidden.pk != shown.pk
    html = unescape(response.content.decode())
    assert SHOWN in html
    assert ELSEWHERE not in html


def test_person_page_of_the_other_session_is_not_found(client, world):
    elsewhere = _elsewhere(world, "same_adviser_without_consent")
    _application(elsewhere, ELSEWHERE)
    client.force_login(world.adviser)
    response = client.get(
        reverse("programs:adviser_person", args=[elsewhere.session.slug, elsewhere.public_id])
    )
    assert response.status_code == 404
    # Nor through session A's address with B's enrolment id.
    response = client.get(reverse("programs:adviser_person", args=[world.session.slug, elsewhere.public_id]))
    assert response.status_code == 404


def test_dashboard_and_export_show_only_the_sessions_own_progress(client, world):
    """The table and the export read the enrolment's steps: steps done in B do not show in A."""
    from programs.models import StepProgress

    elsewhere = _elsewhere(world, "same_adviser_without_consent")
    StepProgress.objects.bulk_create(
        [StepProgress(enrolment=elsewhere, step=step, completed_at=timezone.now()) for step in (3, 4, 5)]
    )
    elsewhere.last_activity_at = timezone.now() + timedelta(hours=1)
    elsewhere.save(update_fields=["last_activity_at"])
    client.force_login(world.adviser)
    response = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug]))
    alice = next(row for row in response.context["rows"] if row.enrolment.pk == world.alice.pk)
    states = [state for _n, state, _label in alice.states]
    assert states == ["done", "done", "open", "locked", "locked", "locked"]
    assert alice.last_activity_at == world.alice.last_activity_at
    assert [row.enrolment.session_id for row in response.context["rows"]] == [world.session.pk] * 2
    funnel = {str(stage.label): stage.figure.count for stage in response.context["funnel"]}
    assert funnel["Étape 3 terminée"] == 0
