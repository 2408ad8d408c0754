"""`make run`'s demo can be tried at once: after `manage.py seed_demo`, the demo candidate signs in
with the documented password and opens and acts on every step of the session running now.

The whole seed runs in each of the two tests (about half a minute on SQLite): what `make run` does.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from declics.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from declics.accounts.models import Role
from jobs.models import PartnerKind, PartnerMembership
from jobs.offers.models import Application, JobOffer
from jobs.trainings.models import MeetingBooking, MeetingSlot, Training, TrainingInterest
from mentoring.models import Mentorship, MentorshipStatus, SessionLog
from programs.assessment.models import AssessmentResult
from programs.demo import CANDIDATE_COMMUNE, DEMO_CANDIDATE, RUNNING_SLUG
from programs.models import (
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionStatus,
    SessionStep,
    Step,
    StepProgress,
)
from programs.role_models.models import Talk, TalkRegistration
from programs.workshops.models import Workshop, WorkshopBooking

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% CV\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


def _seed():
    call_command("seed_demo", stdout=StringIO())


def _done_steps(enrolment) -> set[int]:
    return set(StepProgress.objects.done().filter(enrolment=enrolment).values_list("step", flat=True))


def _candidate_enrolment() -> Enrolment:
    return Enrolment.objects.select_related("session").get(
        session__slug=RUNNING_SLUG, job_seeker__email=DEMO_CANDIDATE
    )


def _assert_running_now(session: Session):
    now = timezone.now()
    assert session.status == SessionStatus.RUNNING
    assert session.starts_at < now < session.ends_at - timedelta(days=14)
    assert session.registration_opens_at < now < session.registration_closes_at
    opens = SessionStep.objects.filter(session=session).values_list("opens_at", flat=True)
    assert len(opens) == 6 and max(opens) < now


def _assert_the_demo_is_there():
    """A session running now, the 2020 editions, the candidate under way, trainings and offers."""
    running = Session.objects.get(slug=RUNNING_SLUG)
    _assert_running_now(running)
    # The real 2020 editions are the history.
    assert dict(
        Session.objects.filter(status=SessionStatus.CLOSED).values_list("slug", "starts_at__year")
    ) == {"declics-numeriques-herault-2020": 2020, "declics-numeriques-haute-garonne-2020": 2020}
    assert Enrolment.objects.filter(session__slug="declics-numeriques-herault-2020").count() == 600

    enrolment = _candidate_enrolment()
    assert (enrolment.status, enrolment.commune.code) == (EnrolmentStatus.ACTIVE, CANDIDATE_COMMUNE)
    # …among 60 others, most of them on the first steps (the dashboards have a cohort to show).
    assert running.enrolments.active().count() == 61
    assert not StepProgress.objects.filter(
        enrolment__session=running, completed_at__gt=timezone.now()
    ).exists()
    # Some progress on each kind of step: a talk attended, the assessment done, a mentor, a workshop
    # attended and one booked, a training body told of her interest; the offers are hers to answer.
    assert _done_steps(enrolment) == {Step.ROLE_MODELS, Step.ASSESSMENT, Step.TRAININGS}
    assert TalkRegistration.objects.filter(enrolment=enrolment, attended=True).count() == 1
    assert AssessmentResult.objects.filter(attempt__enrolment=enrolment).count() == 1
    assert Mentorship.objects.get(enrolment=enrolment).status == MentorshipStatus.ACTIVE
    bookings = WorkshopBooking.objects.filter(enrolment=enrolment, status="confirmed")
    assert sorted(
        (booking.workshop.starts_at > timezone.now(), booking.attended) for booking in bookings
    ) == [(False, True), (True, None)]
    assert TrainingInterest.objects.filter(enrolment=enrolment).count() == 1

    # At least 15 trainings and 15 offers across Occitanie, in many départements.
    trainings = Training.objects.filter(title__endswith="(démo)")
    offers = JobOffer.objects.filter(title__endswith="(démo)")
    assert trainings.count() >= 15 and offers.count() >= 15
    assert offers.filter(expires_on__gt=timezone.localdate()).count() == offers.count()
    # (Without the COG loaded, only the demo's communes exist: still eight départements or more.)
    assert trainings.values("communes__departement").distinct().count() >= 8
    assert offers.exclude(departement=None).values("departement").distinct().count() >= 8
    # A training body's account and a company's, among one account per role.
    members = dict(PartnerMembership.objects.values_list("user__email", "partner__kind"))
    assert members == {
        "partner@declics.example": PartnerKind.COMPANY,
        "training@declics.example": PartnerKind.TRAINING_BODY,
    }
    assert {role for _email, _first, _last, role in DEMO_ACCOUNTS} == set(Role)


def test_seed_demo_then_the_candidate_finds_her_progress_and_acts_on_every_step(client, _media):
    _seed()
    _assert_the_demo_is_there()
    enrolment = _candidate_enrolment()
    slug = enrolment.session.slug

    # The documented password, through the real sign-in form.
    response = client.post(reverse("account_login"), {"login": DEMO_CANDIDATE, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]

    response = client.get(reverse("programs:my_pathway"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("programs:pathway", args=[slug])
    assert "ouvre le" not in response.content.decode()  # no step waiting for its date

    # Step 1: the talks, then a seat at the next one.
    assert client.get(reverse("programs:talk_list", args=[slug])).status_code == 200
    talk = Talk.objects.filter(session=enrolment.session, starts_at__gt=timezone.now()).earliest("starts_at")
    assert client.post(reverse("programs:talk_register", args=[talk.pk])).status_code == 302
    assert TalkRegistration.objects.get(talk=talk, enrolment=enrolment).status == "confirmed"

    # Step 2: the assessment's page and its result.
    assert client.get(reverse("programs:assessment_home", args=[slug])).status_code == 200
    result = AssessmentResult.objects.get(attempt__enrolment=enrolment)
    response = client.get(result.get_absolute_url())
    assert response.status_code == 200
    assert result.snapshot["strengths"]

    # Step 3: the mentorship, then a session logged by the mentee (which completes the step).
    assert client.get(reverse("mentoring:mentee_home", args=[slug])).status_code == 200
    mentorship = Mentorship.objects.get(enrolment=enrolment)
    assert client.get(reverse("mentoring:mentorship", args=[mentorship.public_id])).status_code == 200
    response = client.post(
        reverse("mentoring:mentorship_log", args=[mentorship.public_id]),
        {"held_on": timezone.localdate().isoformat(), "duration_minutes": 45, "topic": "Mon CV"},
    )
    assert response.status_code == 302
    assert SessionLog.objects.filter(mentorship=mentorship, topic="Mon CV").count() == 1

    # Step 4: the workshops, then a second one booked.
    assert client.get(reverse("programs:workshop_list", args=[slug])).status_code == 200
    booked = WorkshopBooking.objects.filter(enrolment=enrolment).values_list("workshop_id", flat=True)
    workshop = (
        Workshop.objects.filter(session=enrolment.session, starts_at__gt=timezone.now() + timedelta(days=1))
        .exclude(pk__in=booked)
        .earliest("starts_at")
    )
    assert client.post(reverse("programs:workshop_book", args=[workshop.pk])).status_code == 302
    assert WorkshopBooking.objects.get(workshop=workshop, enrolment=enrolment).status == "confirmed"

    # Step 5: the trainings, one of them, then a meeting with a training body.
    assert client.get(reverse("jobs:trainings", args=[slug])).status_code == 200
    training = Training.objects.get(interests__enrolment=enrolment)
    assert client.get(reverse("jobs:training_detail", args=[slug, training.pk])).status_code == 200
    assert client.get(reverse("jobs:meetings", args=[slug])).status_code == 200
    slot = MeetingSlot.objects.filter(session=enrolment.session).earliest("starts_at")
    assert slot.starts_at > timezone.now()
    assert client.post(reverse("jobs:book_meeting", args=[slug, slot.pk])).status_code == 302
    assert MeetingBooking.objects.get(slot=slot, job_seeker=enrolment.job_seeker).status == "confirmed"

    # Step 6: the offers, one of them, then an application (which completes the step).
    response = client.get(reverse("jobs:offers", args=[slug]))
    assert response.status_code == 200
    offer = JobOffer.objects.filter(title__endswith="(démo)", departement_id="09").first()
    assert client.get(reverse("jobs:offer_detail", args=[slug, offer.pk])).status_code == 200
    response = client.post(
        reverse("jobs:apply", args=[slug, offer.pk]),
        {
            "message": "Bonjour, ce poste m'intéresse.",
            "cv": SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"),
            "consent": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Application.objects.filter(offer=offer, enrolment=enrolment).count() == 1
    assert client.get(reverse("jobs:my_applications", args=[slug])).status_code == 200

    assert _done_steps(enrolment) == set(Step) - {Step.WORKSHOPS}  # step 4 asks for two attended


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin"}
    }


def test_seed_demo_twice_changes_nothing_and_on_a_later_day_moves_the_running_session(_media):
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first

    # As if the demo had been seeded 20 days ago: the session and everything in it 20 days earlier.
    days_ago = timedelta(days=20)
    session = Session.objects.filter(slug=RUNNING_SLUG)
    session.update(
        registration_opens_at=F("registration_opens_at") - days_ago,
        registration_closes_at=F("registration_closes_at") - days_ago,
        starts_at=F("starts_at") - days_ago,
        ends_at=F("ends_at") - days_ago,
        survey_at=F("survey_at") - days_ago,
    )
    SessionStep.objects.filter(session__in=session).update(opens_at=F("opens_at") - days_ago)
    for model in (Talk, Workshop, MeetingSlot):
        model.objects.filter(session__in=session).update(starts_at=F("starts_at") - days_ago)
    StepProgress.objects.filter(enrolment__session__in=session).update(
        completed_at=F("completed_at") - days_ago
    )
    counts = _counts()

    _seed()

    running = Session.objects.get(slug=RUNNING_SLUG)
    _assert_running_now(running)
    assert _counts() == counts
    # The candidate's progress moved along: done within the session, never in the future.
    done = StepProgress.objects.done().filter(enrolment=_candidate_enrolment())
    assert {step for step, when in done.values_list("step", "completed_at")} == {1, 2, 5}
    assert all(
        running.starts_at < when <= timezone.now() for when in done.values_list("completed_at", flat=True)
    )
    # The rooms moved their slots with the calendar: the candidate's booked workshop is to come again.
    upcoming = WorkshopBooking.objects.filter(
        enrolment=_candidate_enrolment(), attended=None, status="confirmed"
    ).get()
    assert upcoming.workshop.starts_at > timezone.now()
    assert MeetingSlot.objects.filter(session=running, starts_at__gt=timezone.now()).count() == 6
    assert Talk.objects.filter(session=running, starts_at__gt=timezone.now()).count() == 2
