"""The same form sent three times at once (a double click, a retry, a flaky network): one row is
written, and every answer is the normal page, never a 500 from a unique constraint.

Threads against PostgreSQL, each with its own connection and its own signed-in client; every case
is a form of the site whose service writes a row that a unique constraint guards.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from declics.accounts.models import Invitation, User
from declics.notifications.models import OutboxMessage
from jobs.offers.models import Application, OfferModeration
from jobs.trainings.models import MeetingBooking, TrainingInterest, TrainingStart
from mentoring import services as mentoring_services
from mentoring.models import Feedback, MatchRun, MentoringRequest, MentorProfile
from programs.assessment.models import AssessmentShare
from programs.models import (
    Agency,
    CalendarFeedToken,
    Enrolment,
    Session,
    SessionEmailInvitation,
    SurveyResponse,
)
from programs.role_models.models import TalkRegistration
from programs.workshops.models import WorkshopBooking
from tests.factories import PASSWORD, MentorFactory
from tests.jobs.factories import PDF_BYTES
from tests.security.world import signed_in_client

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL (set DATABASE_URL)"),
    pytest.mark.django_db(transaction=True),
]

TIMES = 3


def _post_at_once(clients, url, data):
    """POST from every client at the same instant; returns each status (or the exception raised)."""
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def run(index):
        try:
            barrier.wait()
            payload = data() if callable(data) else data
            results[index] = clients[index].post(url, payload).status_code
        except Exception as error:  # a 500: the test client re-raises the view's exception
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _cv():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("cv.pdf", PDF_BYTES, content_type="application/pdf")


# name → (who posts, url(world), data, rows(world) that must be exactly one afterwards)
CASES = {
    "mentor request": (
        "fresh",
        lambda w: reverse("mentoring:ask_mentor", args=[w.session.slug, w.mentor_other.public_id]),
        {"message": "Bonjour, je voudrais votre aide."},
        lambda w: MentoringRequest.objects.filter(enrolment__job_seeker=w.user("fresh")).count(),
    ),
    "mentoring feedback": (
        "b",
        lambda w: reverse("mentoring:feedback", args=[w.ended_mentorship.public_id]),
        {"rating": "4", "useful": "yes", "comment": "Merci"},
        lambda w: Feedback.objects.filter(mentorship=w.ended_mentorship, author=w.user("b")).count(),
    ),
    "first mentor profile": (
        "new_mentor",
        lambda w: reverse("mentoring:mentor_profile"),
        {
            "job_title": "Développeuse web",
            "region": "76",
            "capacity": "2",
            "availability": ["mon-morning"],
            "languages": ["fr"],
            "gender": "unsaid",
        },
        lambda w: MentorProfile.objects.filter(user=w.user("new_mentor")).count(),
    ),
    "match run": (
        "staff",
        lambda w: reverse("mentoring:staff_session_matching", args=[w.other_session.slug]),
        {},
        lambda w: MatchRun.objects.filter(session=w.other_session).count(),
    ),
    "agency": (
        "staff",
        lambda w: reverse("programs:adviser_agencies"),
        {
            "action": "agency",
            "agence-name": "Agence en double",
            "agence-kind": "france_travail",
            "agence-departement": "34",
        },
        lambda w: Agency.objects.filter(name="Agence en double").count(),
    ),
    "adviser invitation of a job seeker": (
        "b_adviser",
        lambda w: reverse("programs:adviser_invite", args=[w.session.slug]),
        {"emails": "double@example.org"},
        lambda w: SessionEmailInvitation.objects.filter(email="double@example.org").count(),
    ),
    "staff invitation of an adviser": (
        "staff",
        lambda w: reverse("accounts:invitations"),
        {"first_name": "Inès", "last_name": "Double", "email": "ines.double@example.org", "role": "adviser"},
        lambda w: Invitation.objects.filter(email="ines.double@example.org").count(),
    ),
    "calendar address renewed": (
        "b",
        lambda w: reverse("programs:workshop_feed_settings"),
        {},
        lambda w: CalendarFeedToken.objects.filter(user=w.user("b")).count(),
    ),
    "enrolment": (
        "newcomer",
        lambda w: reverse("programs:enrol", args=[w.session.slug]),
        lambda w: {
            "session_id": w.session.pk,
            "commune": w.commune.pk,
            "birth_year": "1990",
            "gender": "unsaid",
            "education_level": "bac",
            "situation": "job_seeker",
            "heard_from": "other",
            "privacy_consent": "on",
        },
        lambda w: Enrolment.objects.filter(job_seeker=w.user("newcomer")).count(),
    ),
    "workshop booking": (
        "fresh",
        lambda w: reverse("programs:workshop_book", args=[w.workshop.pk]),
        {},
        lambda w: WorkshopBooking.objects.filter(job_seeker=w.user("fresh")).count(),
    ),
    "talk registration": (
        "fresh",
        lambda w: reverse("programs:talk_register", args=[w.upcoming_talk.pk]),
        {},
        lambda w: TalkRegistration.objects.filter(enrolment__job_seeker=w.user("fresh")).count(),
    ),
    "meeting booking": (
        "fresh",
        lambda w: reverse("jobs:book_meeting", args=[w.session.slug, w.slot.pk]),
        {},
        lambda w: MeetingBooking.objects.filter(job_seeker=w.user("fresh")).count(),
    ),
    "application": (
        "fresh",
        lambda w: reverse("jobs:apply", args=[w.session.slug, w.offer.pk]),
        lambda w: {"message": "Bonjour", "cv": _cv(), "consent": "on"},
        lambda w: Application.objects.filter(job_seeker=w.user("fresh")).count(),
    ),
    "training interest": (
        "fresh",
        lambda w: reverse("jobs:training_detail", args=[w.session.slug, w.training.pk]),
        {"message": "Bonjour", "consent": "on"},
        lambda w: TrainingInterest.objects.filter(job_seeker=w.user("fresh")).count(),
    ),
    "assessment shared": (
        "b",
        lambda w: reverse("programs:assessment_share", args=[w.result.public_id]),
        {"audience": "adviser", "shared": "on"},
        lambda w: AssessmentShare.objects.filter(result=w.result, audience="adviser").count(),
    ),
    "survey answer": (
        "anonymous",
        lambda w: reverse("programs:survey_answer", args=[w.survey_token]),
        {"overall": "4", "would_recommend": "yes", "comment": "Merci"},
        lambda w: SurveyResponse.objects.filter(enrolment=w.b_enrolment, answered_at__isnull=False).count(),
    ),
    "invitation accepted": (
        "anonymous",
        lambda w: reverse("accounts:accept_invitation", args=[w.invitation_token]),
        {"password1": PASSWORD, "password2": PASSWORD},
        lambda w: User.objects.filter(email="nouvelle.conseillere@example.org").count(),
    ),
    "second e-mail address": (
        "b",
        lambda w: reverse("account_email"),
        {"email": "berenice.autre@example.org", "action_add": ""},
        lambda w: w.user("b").emailaddress_set.filter(email="berenice.autre@example.org").count(),
    ),
    "training edited": (
        "training_body",
        lambda w: reverse("jobs:partner_training_edit", args=[w.body.pk, w.training.pk]),
        {
            "title": "Développeur web",
            "rome_jobs": ["M1805"],
            "level": "none",
            "duration_hours": "400",
            "format": "distance",
            "start_dates": "15/01/2030, 15/01/2030",
        },
        lambda w: TrainingStart.objects.filter(training=w.training).count(),
    ),
    "team message to a group": (
        "staff",
        lambda w: reverse("programs:console_message_compose", args=[w.session.slug]),
        lambda w: _cohort_message_form(w),
        lambda w: _cohort_message_rows(w),
    ),
    "sign-up": (
        "anonymous",
        lambda w: reverse("account_signup"),
        {
            "first_name": "Sam",
            "last_name": "Double",
            "email": "sam.double@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "job_seeker",
        },
        lambda w: User.objects.filter(email="sam.double@example.org").count(),
    ),
    # The console (issue 14, item 4): each staff decision is taken, and told, once.
    "offer taken down": (
        "staff",
        lambda w: reverse("jobs:staff_offer_unpublish", args=[w.offer.pk]),
        {"reason": "Offre en double."},
        lambda w: OfferModeration.objects.filter(offer=w.offer).count(),
    ),
    "role changed": (
        "staff",
        lambda w: reverse("accounts:staff_user_role"),
        lambda w: {"user": w.user("fresh").pk, "role": "mentor"},
        lambda w: OutboxMessage.objects.filter(
            dedup_key__startswith=f"accounts:role-changed:{w.user('fresh').pk}:"
        ).count(),
    ),
    "account deactivated": (
        "staff",
        lambda w: reverse("accounts:staff_user_deactivate"),
        lambda w: {"user": w.user("fresh").pk},
        lambda w: OutboxMessage.objects.filter(
            dedup_key__startswith=f"accounts:deactivated:{w.user('fresh').pk}:"
        ).count(),
    ),
}


COHORT_MESSAGE_TOKEN = "6f1c2a9e-0d4b-4c8e-9a57-3b2f1e0c7d11"


def _cohort_message_form(world):
    from programs.console.messages.views import _confirmation

    data = {
        "segment": "everyone",
        "subject": "Un message en double",
        "body": "Bonjour à toutes et à tous.",
        "token": COHORT_MESSAGE_TOKEN,
    }
    return {**data, "send": "1", "confirmation": _confirmation(data)}


def _cohort_message_rows(world):
    """One message, and each person of the group queued once: else the count is not 1."""
    from declics.notifications.models import OutboxMessage
    from programs.models import CohortMessage

    messages = CohortMessage.objects.filter(session=world.session)
    people = world.session.enrolments.active().count()
    keys = OutboxMessage.objects.filter(dedup_key__startswith="programs:cohort-message:").count()
    return messages.count() if keys == people else f"{keys} e-mails for {people} people"


@pytest.fixture
def race_world(world, settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    # A mentor with no profile yet, and a mentorship that ended (its feedback is due).
    world.users["new_mentor"] = MentorFactory()
    ended = world.mentorship
    mentoring_services.end_mentorship(mentorship=ended, user=world.user("b"), reason="goals_reached")
    world.objects["ended_mentorship"] = ended
    return world


@pytest.mark.parametrize("case", list(CASES))
def test_the_same_form_sent_three_times_at_once_writes_once_and_answers_normally(race_world, case):
    who, url, data, rows = CASES[case]
    world = race_world
    clients = [signed_in_client(world, who) for _ in range(TIMES)]

    results = _post_at_once(clients, url(world), (lambda: data(world)) if callable(data) else data)

    server_errors = [repr(r)[:300] for r in results if not (isinstance(r, int) and r < 500)]
    assert (server_errors, rows(world)) == ([], 1)


def test_the_same_session_launched_three_times_at_once_answers_normally(race_world):
    """Each launch is a draft of its own (same title, next free address), none a crash."""
    world = race_world
    start = timezone.localtime(world.session.starts_at + timedelta(days=364)).replace(second=0, microsecond=0)
    data = {
        "title": "DéClics Hérault, nouvelle édition",
        "region": "76",
        "departements": ["34"],
        "capacity": "50",
        "copy_from": world.session.pk,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "nudge_after_days": "5",
    }
    clients = [signed_in_client(world, "staff") for _ in range(TIMES)]

    results = _post_at_once(clients, reverse("programs:launch"), data)

    assert results == [302] * TIMES
    assert sorted(Session.objects.filter(title=data["title"]).values_list("slug", flat=True)) == [
        "declics-herault-nouvelle-edition",
        "declics-herault-nouvelle-edition-2",
        "declics-herault-nouvelle-edition-3",
    ]


def test_the_triple_mentor_request_leaves_one_pending_request_and_three_normal_pages(race_world):
    world = race_world
    url = reverse("mentoring:ask_mentor", args=[world.session.slug, world.mentor_other.public_id])
    clients = [signed_in_client(world, "fresh") for _ in range(TIMES)]

    results = _post_at_once(clients, url, {"message": "Bonjour"})

    # One is sent (302 to the mentoring page); the others see the form again with the reason (400).
    assert sorted(results, key=str) == [302, 400, 400]
    request = MentoringRequest.objects.get(enrolment__job_seeker=world.user("fresh"))
    assert (request.mentor_id, request.status) == (world.mentor_other.pk, "pending")
    assert timezone.now() - request.created_at < timedelta(minutes=1)
