from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from mentoring.models import (
    AlertReason,
    MentoringAlert,
    MentoringRequest,
    MentorProfile,
    Mentorship,
    MentorStatus,
    RequestStatus,
    SessionLog,
)
from mentoring.notifications import answer_token
from tests.factories import MentorFactory, StaffFactory, UserFactory
from tests.programs.factories import EnrolmentFactory

from .factories import (
    MenteePreferencesFactory,
    MentoringRequestFactory,
    MentorProfileFactory,
    MentorshipFactory,
)

pytestmark = pytest.mark.django_db


# --- Who may see what ---------------------------------------------------------------------------


def test_mentor_dashboard_lists_only_the_mentors_own_requests_and_mentees(client, mentor, session):
    mine = MentoringRequestFactory(mentor=mentor, enrolment=EnrolmentFactory(session=session))
    theirs = MentoringRequestFactory(enrolment=EnrolmentFactory(session=session))
    mentee = MentorshipFactory(mentor=mentor, enrolment=EnrolmentFactory(session=session))
    MentorshipFactory(enrolment=EnrolmentFactory(session=session))
    client.force_login(mentor.user)

    response = client.get(reverse("mentoring:mentor_dashboard"))

    assert response.context["pending"] == [mine]
    assert response.context["mentorships"] == [mentee]
    assert reverse("mentoring:request_detail", args=[theirs.public_id]) not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_mentor_dashboard_query_count_is_constant(client, django_assert_num_queries, mentor, session, rows):
    for _ in range(rows):
        MentoringRequestFactory(mentor=mentor, enrolment=EnrolmentFactory(session=session))
    MentorProfile.objects.filter(pk=mentor.pk).update(capacity=5)
    for _ in range(rows):
        MentorshipFactory(mentor=mentor, enrolment=EnrolmentFactory(session=session))
    client.force_login(mentor.user)

    with django_assert_num_queries(8):
        response = client.get(reverse("mentoring:mentor_dashboard"))

    assert (len(response.context["pending"]), len(response.context["mentorships"])) == (rows, rows)


def test_a_mentor_gets_404_for_another_mentors_request_and_nothing_changes(client, session):
    request = MentoringRequestFactory(enrolment=EnrolmentFactory(session=session))
    intruder = MentorProfileFactory()
    client.force_login(intruder.user)

    detail = client.get(reverse("mentoring:request_detail", args=[request.public_id]))
    answer = client.post(reverse("mentoring:answer_request", args=[request.public_id]), {"action": "accept"})

    assert (detail.status_code, answer.status_code) == (404, 404)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert Mentorship.objects.count() == 0


def test_a_mentor_sees_only_their_mentorships_and_outsiders_get_404(client, mentor, session):
    mentorship = MentorshipFactory(mentor=mentor, enrolment=EnrolmentFactory(session=session))
    outsiders = [MentorProfileFactory().user, UserFactory(), MentorFactory()]

    for outsider in outsiders:
        client.force_login(outsider)
        assert client.get(reverse("mentoring:mentorship", args=[mentorship.public_id])).status_code == 404
        response = client.post(
            reverse("mentoring:mentorship_log", args=[mentorship.public_id]),
            {"held_on": timezone.localdate().isoformat(), "duration_minutes": 30, "topic": "x"},
        )
        assert response.status_code == 404
    assert SessionLog.objects.count() == 0


def test_staff_views_refuse_mentors_and_job_seekers(client, session):
    for user in (MentorFactory(), UserFactory()):
        client.force_login(user)
        assert client.get(reverse("mentoring:staff_mentors")).status_code == 403
        assert (
            client.post(reverse("mentoring:staff_session_matching", args=[session.slug])).status_code == 403
        )
    assert not session.match_runs.exists()


def test_anonymous_people_are_sent_to_the_login_page(client, session):
    response = client.get(reverse("mentoring:mentor_dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Mentee pages -------------------------------------------------------------------------------


def test_mentee_home_shows_top_five_recommendations_with_plain_reasons(client, enrolment):
    mentors = [
        MentorProfileFactory(job_title=f"Métier {n}", rome=["M1805"] if n < 3 else []) for n in range(7)
    ]
    client.force_login(enrolment.job_seeker)

    response = client.get(reverse("mentoring:mentee_home", args=[enrolment.session.slug]))

    recommendations = response.context["recommendations"]
    assert [r.mentor for r in recommendations] == mentors[:5]
    assert [r.score.points for r in recommendations] == [58, 58, 58, 18, 18]
    assert (
        "Pourquoi cette personne :</strong> Travaille comme Métier 0, comme le métier que vous avez choisi"
        in (response.content.decode())
    )


def test_mentee_home_asks_for_preferences_first(client, session):
    enrolment = EnrolmentFactory(session=session)
    client.force_login(enrolment.job_seeker)

    response = client.get(reverse("mentoring:mentee_home", args=[session.slug]))

    assert response.context["recommendations"] == []
    assert reverse("mentoring:mentee_preferences", args=[session.slug]) in response.content.decode()


def test_mentee_preferences_are_saved_and_feed_the_job_interests(client, session):
    from mentoring.selectors import mentee_job_interests

    from .factories import RomeJobFactory

    RomeJobFactory(code="M1805")
    RomeJobFactory(code="M1810", label="Production et exploitation de systèmes d'information")
    enrolment = EnrolmentFactory(session=session)
    client.force_login(enrolment.job_seeker)

    response = client.post(
        reverse("mentoring:mentee_preferences", args=[session.slug]),
        {
            "rome_jobs": ["M1805", "M1810"],
            "availability": ["tue-evening"],
            "languages": ["fr"],
            "mentor_gender": "woman",
        },
    )

    assert response.status_code == 302
    assert mentee_job_interests(enrolment) == ["M1805", "M1810"]


def test_a_job_seeker_cannot_see_another_persons_session_page(client, enrolment):
    client.force_login(UserFactory())

    assert client.get(reverse("mentoring:mentee_home", args=[enrolment.session.slug])).status_code == 404


def test_ask_mentor_view_creates_the_request_and_refuses_a_full_mentor_with_a_message(
    client, enrolment, mentor
):
    full = MentorProfileFactory(capacity=1)
    MentorshipFactory(mentor=full)
    client.force_login(enrolment.job_seeker)

    refused = client.post(
        reverse("mentoring:ask_mentor", args=[enrolment.session.slug, full.public_id]), {"message": "Hi"}
    )
    asked = client.post(
        reverse("mentoring:ask_mentor", args=[enrolment.session.slug, mentor.public_id]), {"message": "Hi"}
    )

    assert refused.status_code == 400
    assert "Cette personne n&#x27;a plus de place" in refused.content.decode()
    assert asked.status_code == 302
    assert list(MentoringRequest.objects.values_list("mentor", "status")) == [
        (mentor.pk, RequestStatus.PENDING)
    ]


# --- Answers ------------------------------------------------------------------------------------


def test_mentor_accepts_from_the_site_and_lands_on_the_mentorship_page(client, enrolment, mentor):
    request = MentoringRequestFactory(mentor=mentor, enrolment=enrolment)
    client.force_login(mentor.user)

    response = client.post(
        reverse("mentoring:answer_request", args=[request.public_id]), {"action": "accept"}
    )

    mentorship = Mentorship.objects.get()
    assert response["Location"] == reverse("mentoring:mentorship", args=[mentorship.public_id])
    again = client.post(reverse("mentoring:answer_request", args=[request.public_id]), {"action": "decline"})
    assert again.status_code == 409
    assert "Cette demande a déjà reçu une réponse (acceptée)." in again.content.decode()


def test_mentor_declines_from_the_email_link_without_logging_in(client, enrolment, mentor):
    request = MentoringRequestFactory(mentor=mentor, enrolment=enrolment)
    url = reverse("mentoring:answer_by_email", args=[answer_token(request)])

    page = client.get(url)
    response = client.post(url, {"action": "decline", "reason": "Trop de travail"})

    assert enrolment.job_seeker.first_name in page.content.decode()
    assert response.status_code == 200
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == (RequestStatus.DECLINED, "Trop de travail")


def test_a_decline_from_the_email_link_passes_the_request_on_and_says_so(client, enrolment, mentor):
    backup = MentorProfileFactory(rome=["M1805"])
    request = MentoringRequestFactory(mentor=mentor, enrolment=enrolment)

    response = client.post(
        reverse("mentoring:answer_by_email", args=[answer_token(request)]), {"action": "decline"}
    )

    assert response.status_code == 200
    new = MentoringRequest.objects.pending().get()
    assert (new.enrolment, new.mentor, new.chain_try) == (enrolment, backup, 1)
    assert OutboxMessage.objects.filter(dedup_key=f"mentoring:request-passed-on:{request.pk}").count() == 1


def test_a_decline_from_the_site_passes_the_request_on(client, enrolment, mentor):
    backup = MentorProfileFactory(rome=["M1805"])
    request = MentoringRequestFactory(mentor=mentor, enrolment=enrolment)
    client.force_login(mentor.user)

    response = client.post(
        reverse("mentoring:answer_request", args=[request.public_id]), {"action": "decline"}
    )

    assert response["Location"] == reverse("mentoring:mentor_dashboard")
    assert list(MentoringRequest.objects.pending().values_list("mentor", flat=True)) == [backup.pk]


def test_email_link_with_a_tampered_token_or_an_expired_request_changes_nothing(client, enrolment, mentor):
    request = MentoringRequestFactory(mentor=mentor, enrolment=enrolment)
    token = answer_token(request)

    tampered = client.post(
        reverse("mentoring:answer_by_email", args=[token[:-2] + "xx"]), {"action": "accept"}
    )
    MentoringRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.post(reverse("mentoring:answer_by_email", args=[token]), {"action": "accept"})

    assert tampered.status_code == 404
    assert "Ce lien n'est pas valide" in tampered.content.decode()
    assert expired.status_code == 400
    assert "Cette demande a expiré" in expired.content.decode()
    assert Mentorship.objects.count() == 0


# --- Mentorship page ----------------------------------------------------------------------------


def test_mentorship_page_shows_contacts_to_both_and_private_notes_only_to_the_mentor(
    client, enrolment, mentor
):
    mentorship = MentorshipFactory(mentor=mentor, enrolment=enrolment)
    SessionLog.objects.create(
        mentorship=mentorship,
        held_on=timezone.localdate(),
        duration_minutes=30,
        topic="CV",
        private_notes="Secret",
    )

    client.force_login(mentor.user)
    as_mentor = client.get(reverse("mentoring:mentorship", args=[mentorship.public_id])).content.decode()
    client.force_login(enrolment.job_seeker)
    as_mentee = client.get(reverse("mentoring:mentorship", args=[mentorship.public_id])).content.decode()

    for page in (as_mentor, as_mentee):
        assert mentor.user.email in page and enrolment.job_seeker.email in page
    assert "Secret" in as_mentor
    assert "Secret" not in as_mentee


def test_contact_details_are_not_shown_before_acceptance(client, enrolment, mentor):
    MenteePreferencesFactory._meta.model.objects.filter(enrolment=enrolment).update(goals="")
    client.force_login(enrolment.job_seeker)

    page = client.get(reverse("mentoring:mentee_home", args=[enrolment.session.slug])).content.decode()

    assert mentor.public_name in page
    assert mentor.user.email not in page
    client.force_login(mentor.user)
    request = MentoringRequestFactory(mentor=mentor, enrolment=enrolment)
    detail = client.get(reverse("mentoring:request_detail", args=[request.public_id])).content.decode()
    assert enrolment.job_seeker.email not in detail


def test_logging_a_session_from_the_page_completes_step_three(client, enrolment, mentor):
    from programs.models import Step, StepProgress

    mentorship = MentorshipFactory(mentor=mentor, enrolment=enrolment)
    client.force_login(mentor.user)

    response = client.post(
        reverse("mentoring:mentorship_log", args=[mentorship.public_id]),
        {
            "held_on": timezone.localdate().isoformat(),
            "duration_minutes": 45,
            "topic": "Entretien",
            "private_notes": "",
        },
    )

    assert response.status_code == 302
    assert StepProgress.objects.filter(
        enrolment=enrolment, step=Step.MENTOR, completed_at__isnull=False
    ).exists()


# --- Staff --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_mentor_list_query_count_is_constant(client, django_assert_num_queries, rows):
    MentorProfileFactory.create_batch(rows, status=MentorStatus.PENDING, rome=["M1805"])
    client.force_login(StaffFactory())

    with django_assert_num_queries(7):
        response = client.get(reverse("mentoring:staff_mentors"))

    assert len(response.context["mentors"]) == rows


def test_staff_approves_a_mentor_who_is_told_once(client):
    from declics.notifications.models import OutboxMessage

    profile = MentorProfileFactory(status=MentorStatus.PENDING)
    client.force_login(StaffFactory())

    client.post(reverse("mentoring:staff_review_mentor", args=[profile.public_id]), {"decision": "approve"})
    client.post(reverse("mentoring:staff_review_mentor", args=[profile.public_id]), {"decision": "approve"})

    profile.refresh_from_db()
    assert profile.status == MentorStatus.APPROVED
    assert OutboxMessage.objects.filter(dedup_key=f"mentoring:mentor-approved:{profile.pk}").count() == 1


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_run_page_query_count_is_constant(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, session, rows
):
    staff = StaffFactory()
    for _ in range(rows):
        MentorProfileFactory(rome=["M1805"])
        MenteePreferencesFactory(enrolment=EnrolmentFactory(session=session), rome=["M1805"])
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mentoring:staff_session_matching", args=[session.slug]))
    run = session.match_runs.get()
    assert response["Location"] == reverse("mentoring:staff_run", args=[run.pk])

    # The POST above refreshed the login session: this GET does not write it again.
    with django_assert_num_queries(4):
        response = client.get(reverse("mentoring:staff_run", args=[run.pk]))

    assert [p.score for p in response.context["proposals"]] == [58] * rows


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_matching_page_lists_the_people_to_accompany_in_constant_queries(
    client, django_assert_num_queries, session, rows
):
    flagged = []
    for _ in range(rows):
        enrolment = EnrolmentFactory(session=session)
        MentoringAlert.objects.create(enrolment=enrolment, reason=AlertReason.TOO_MANY_TRIES)
        flagged.append(enrolment)
    # Not listed: a person given a mentor since, one with a pending request, one of another session.
    matched = EnrolmentFactory(session=session)
    MentoringAlert.objects.create(enrolment=matched, reason=AlertReason.NO_MENTOR_LEFT)
    MentorshipFactory(enrolment=matched)
    asking = EnrolmentFactory(session=session)
    MentoringAlert.objects.create(enrolment=asking, reason=AlertReason.NO_MENTOR_LEFT)
    MentoringRequestFactory(enrolment=asking)
    MentoringAlert.objects.create(enrolment=EnrolmentFactory(), reason=AlertReason.NO_MENTOR_LEFT)
    client.force_login(StaffFactory())
    client.get(reverse("mentoring:staff_sessions"))  # the login session is written once, before

    with django_assert_num_queries(7):
        response = client.get(reverse("mentoring:staff_session_matching", args=[session.slug]))

    assert [alert.enrolment for alert in response.context["to_accompany"]] == flagged
    page = response.content.decode()
    assert "À accompagner" in page
    assert page.count("demande transmise plusieurs fois sans réponse positive") == rows
    assert flagged[0].job_seeker.get_full_name() in page
    assert matched.job_seeker.get_full_name() not in page


def test_staff_run_progress_fragment_is_polled_while_working_and_refreshes_when_done(client, session):
    from mentoring.models import MatchRun, MatchRunStatus

    staff = StaffFactory()
    run = MatchRun.objects.create(
        session=session, created_by=staff, status=MatchRunStatus.RUNNING, progress=60
    )
    client.force_login(staff)

    working = client.get(
        reverse("mentoring:staff_run_progress", args=[run.pk]), headers={"HX-Request": "true"}
    )
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRunStatus.READY, progress=100)
    done = client.get(reverse("mentoring:staff_run_progress", args=[run.pk]), headers={"HX-Request": "true"})
    full_page = client.get(reverse("mentoring:staff_run", args=[run.pk])).content.decode()

    assert 'hx-trigger="every 2s"' in working.content.decode()
    assert 'value="60"' in working.content.decode()
    assert "<html" not in working.content.decode()
    assert done["HX-Refresh"] == "true"
    assert 'http-equiv="refresh"' not in full_page  # done: no more reloading without JavaScript


def test_a_new_mentor_fills_their_profile_and_waits_for_approval(client):
    from tests.programs.factories import RegionFactory

    from .factories import RomeJobFactory

    region = RegionFactory()
    RomeJobFactory(code="M1805")
    user = MentorFactory()
    client.force_login(user)

    empty = client.get(reverse("mentoring:mentor_dashboard"))
    invalid = client.post(
        reverse("mentoring:mentor_profile"), {"job_title": "", "region": region.pk, "capacity": 9}
    )
    response = client.post(
        reverse("mentoring:mentor_profile"),
        {
            "job_title": "Développeuse web",
            "rome_jobs": ["M1805"],
            "employer": "EDF",
            "region": region.pk,
            "capacity": 3,
            "availability": ["tue-evening", "thu-evening"],
            "languages": ["fr", "ar"],
            "gender": "woman",
            "presentation": "J'ai été reconvertie à 35 ans.",
        },
    )

    assert reverse("mentoring:mentor_profile") in empty.content.decode()
    assert invalid.status_code == 400
    assert set(invalid.context["form"].errors) == {"job_title", "capacity"}
    assert response["Location"] == reverse("mentoring:mentor_dashboard")
    profile = MentorProfile.objects.get(user=user)
    assert (
        profile.status,
        profile.capacity,
        profile.availability,
        list(profile.rome_jobs.values_list("code", flat=True)),
    ) == (
        MentorStatus.PENDING,
        3,
        ["tue-evening", "thu-evening"],
        ["M1805"],
    )


# --- Refusals (declics.errors) ------------------------------------------------------------------------


def test_cancelling_a_request_already_answered_answers_409_with_the_reason(client, enrolment, mentor):
    answered = MentoringRequestFactory(enrolment=enrolment, mentor=mentor, status=RequestStatus.DECLINED)
    client.force_login(enrolment.job_seeker)

    response = client.post(reverse("mentoring:cancel_request", args=[answered.public_id]))

    assert response.status_code == 409
    assert "Cette demande n&#x27;est plus en attente." in response.content.decode()
    answered.refresh_from_db()
    assert answered.status == RequestStatus.DECLINED


def test_a_form_refused_by_the_service_shows_the_reason_with_400(client, enrolment, mentor):
    MentoringRequestFactory(enrolment=enrolment, mentor=mentor)  # already asked
    client.force_login(enrolment.job_seeker)

    response = client.post(
        reverse("mentoring:ask_mentor", args=[enrolment.session.slug, mentor.public_id]),
        {"message": "Bonjour"},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Vous avez déjà une demande en attente : attendez sa réponse ou annulez-la."
    ]
    assert MentoringRequest.objects.filter(enrolment=enrolment).count() == 1
