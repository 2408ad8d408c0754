from datetime import timedelta

import pytest
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from mentoring import services, tasks
from mentoring.models import (
    AlertReason,
    MatchRunStatus,
    MentoringAlert,
    MentoringRequest,
    MentorProfile,
    Mentorship,
    MentorshipStatus,
    MentorStatus,
    ProposalOutcome,
    RequestOrigin,
    RequestStatus,
)
from programs.models import Step, StepProgress
from tests.programs.factories import EnrolmentFactory

from .factories import (
    MenteePreferencesFactory,
    MentoringRequestFactory,
    MentorProfileFactory,
    MentorshipFactory,
)


def _keys(prefix=""):
    return sorted(
        OutboxMessage.objects.filter(dedup_key__startswith=prefix).values_list("dedup_key", flat=True)
    )


def test_ask_mentor_creates_a_pending_request_with_expiry_score_and_one_email(enrolment, mentor):
    before = timezone.now()

    request = services.ask_mentor(enrolment=enrolment, mentor=mentor, message="Bonjour !")

    assert (request.status, request.origin, request.message) == (
        RequestStatus.PENDING,
        RequestOrigin.MENTEE,
        "Bonjour !",
    )
    assert before + timedelta(days=5) <= request.expires_at <= timezone.now() + timedelta(days=5)
    assert request.score == 40 + 8 + 10  # same ROME code, same région, same Tuesday-evening slot
    assert [r["code"] for r in request.reasons] == ["job", "region", "availability"]
    message = OutboxMessage.objects.get(dedup_key=f"mentoring:request-new:{request.pk}")
    assert message.to_email == mentor.user.email
    assert "/mentorat/reponse/" in message.body_text


@pytest.mark.parametrize(
    ("mentor_kwargs", "expected"),
    [
        ({"status": MentorStatus.PENDING}, "Cette personne n'est pas disponible pour le mentorat."),
        (
            {"capacity": 1, "active_mentees": 1},
            "Cette personne n'a plus de place pour un·e nouveau·elle mentoré·e.",
        ),
    ],
)
def test_ask_mentor_refuses_an_unapproved_or_full_mentor_and_changes_nothing(
    enrolment, mentor_kwargs, expected
):
    mentor = MentorProfileFactory(**mentor_kwargs)

    with pytest.raises(services.MentoringError, match=expected):
        services.ask_mentor(enrolment=enrolment, mentor=mentor)

    assert MentoringRequest.objects.count() == 0
    assert _keys("mentoring:") == []


def test_ask_mentor_refuses_a_second_pending_request_and_a_mentor_asked_before(enrolment, mentor):
    first = services.ask_mentor(enrolment=enrolment, mentor=mentor)
    with pytest.raises(services.MentoringError, match="Vous avez déjà une demande en attente"):
        services.ask_mentor(enrolment=enrolment, mentor=MentorProfileFactory())
    services.decline_request(request=first, mentor_user=mentor.user)
    passed_on = MentoringRequest.objects.pending().get(enrolment=enrolment)
    services.cancel_request(request=passed_on, mentee_user=enrolment.job_seeker)

    with pytest.raises(services.MentoringError, match="Vous avez déjà sollicité cette personne."):
        services.ask_mentor(enrolment=enrolment, mentor=mentor)

    assert sorted(MentoringRequest.objects.values_list("status", flat=True)) == [
        RequestStatus.CANCELLED,
        RequestStatus.DECLINED,
    ]


def test_ask_mentor_refuses_a_mentor_of_another_region(enrolment):
    from tests.programs.factories import RegionFactory

    mentor = MentorProfileFactory(region=RegionFactory(code="11", name="Île-de-France"))

    with pytest.raises(services.MentoringError, match="n'accompagne pas les participant·es de votre session"):
        services.ask_mentor(enrolment=enrolment, mentor=mentor)


def test_accept_request_starts_a_mentorship_takes_a_place_and_tells_the_mentee_once(enrolment, mentor):
    request = services.ask_mentor(enrolment=enrolment, mentor=mentor)

    mentorship = services.accept_request(request=request, mentor_user=mentor.user)

    request.refresh_from_db()
    mentor.refresh_from_db()
    assert (request.status, mentorship.status, mentorship.request_id) == (
        RequestStatus.ACCEPTED,
        MentorshipStatus.ACTIVE,
        request.pk,
    )
    assert mentor.active_mentees == 1
    assert _keys("mentoring:request-accepted") == [f"mentoring:request-accepted:{request.pk}"]
    with pytest.raises(services.MentoringError, match="Cette demande a déjà reçu une réponse"):
        services.accept_request(request=request, mentor_user=mentor.user)
    mentor.refresh_from_db()
    assert mentor.active_mentees == 1
    assert Mentorship.objects.count() == 1


def test_accept_request_refuses_someone_elses_request_and_an_expired_one(enrolment, mentor):
    request = services.ask_mentor(enrolment=enrolment, mentor=mentor)
    other = MentorProfileFactory()

    with pytest.raises(services.MentoringError, match="Cette demande ne vous est pas adressée."):
        services.accept_request(request=request, mentor_user=other.user)
    MentoringRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.MentoringError, match="Cette demande a expiré"):
        services.accept_request(request=request, mentor_user=mentor.user)

    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert Mentorship.objects.count() == 0


def test_accepting_the_last_place_passes_the_other_pending_requests_on(session, mentor):
    MentorProfile.objects.filter(pk=mentor.pk).update(capacity=1)
    backup = MentorProfileFactory(job_title="Intégrateur web", rome=["M1805"])
    first, second = (EnrolmentFactory(session=session) for _ in range(2))
    MenteePreferencesFactory(enrolment=second, rome=["M1805"])
    request_1 = services.ask_mentor(enrolment=first, mentor=mentor)
    request_2 = services.ask_mentor(enrolment=second, mentor=mentor)

    services.accept_request(request=request_1, mentor_user=mentor.user)

    request_2.refresh_from_db()
    assert (request_2.status, request_2.decline_reason) == (
        RequestStatus.DECLINED,
        "La ou le mentor·e n'a plus de place.",
    )
    passed = MentoringRequest.objects.pending().get(enrolment=second)
    assert (passed.mentor, passed.origin, passed.chain_try) == (backup, RequestOrigin.CHAIN, 1)
    told = OutboxMessage.objects.get(dedup_key=f"mentoring:request-passed-on:{request_2.pk}")
    assert told.to_email == second.job_seeker.email
    assert f"Nous avons envoyé votre demande à {backup.public_name}, Intégrateur web." in told.body_text
    assert _keys("mentoring:request-declined") == []


def test_decline_passes_the_request_on_to_the_next_mentor_with_both_emails_once(enrolment, mentor):
    backup = MentorProfileFactory(job_title="Data analyste", rome=["M1805"])
    MentorProfileFactory(job_title="Comptable", rome=["M1203"])  # scores lower: not chosen
    request = services.ask_mentor(enrolment=enrolment, mentor=mentor, message="Bonjour !")

    services.decline_request(request=request, mentor_user=mentor.user, reason="  Pas disponible ce mois-ci. ")
    services.pass_request_on(request=request)  # a second run creates nothing more

    request.refresh_from_db()
    assert (request.status, request.decline_reason) == (RequestStatus.DECLINED, "Pas disponible ce mois-ci.")
    new = MentoringRequest.objects.pending().get()
    assert (new.enrolment, new.mentor, new.message, new.origin, new.chain_try) == (
        enrolment,
        backup,
        "Bonjour !",
        RequestOrigin.CHAIN,
        1,
    )
    assert new.expires_at > timezone.now() + timedelta(days=4)
    assert _keys("mentoring:request-new") == sorted(
        [f"mentoring:request-new:{request.pk}", f"mentoring:request-new:{new.pk}"]
    )
    to_mentor = OutboxMessage.objects.get(dedup_key=f"mentoring:request-new:{new.pk}")
    assert to_mentor.to_email == backup.user.email
    assert _keys("mentoring:request-passed-on") == [f"mentoring:request-passed-on:{request.pk}"]
    body = OutboxMessage.objects.get(dedup_key=f"mentoring:request-passed-on:{request.pk}").body_text
    assert f"{mentor.public_name} ne peut pas vous accompagner. Sa raison : Pas disponible ce mois-ci." in (
        body
    )
    assert f"Nous avons envoyé votre demande à {backup.public_name}, Data analyste." in body
    assert _keys("mentoring:request-declined") == []
    assert not MentoringAlert.objects.exists()


def test_the_expiry_task_run_twice_passes_the_request_on_once(enrolment, mentor):
    backup = MentorProfileFactory(job_title="Développeur mobile", rome=["M1805"])
    request = services.ask_mentor(enrolment=enrolment, mentor=mentor)
    MentoringRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert tasks.expire_and_remind_requests()["expired"] == 1
    assert tasks.expire_and_remind_requests()["expired"] == 0

    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    assert list(MentoringRequest.objects.pending().values_list("mentor", "chain_try")) == [(backup.pk, 1)]
    assert _keys("mentoring:request-passed-on") == [f"mentoring:request-passed-on:{request.pk}"]
    body = OutboxMessage.objects.get(dedup_key=f"mentoring:request-passed-on:{request.pk}").body_text
    assert f"{mentor.public_name} n'a pas répondu à temps." in body
    assert _keys("mentoring:request-expired") == []


def test_a_mentor_already_asked_in_this_enrolment_is_skipped(session, enrolment, mentor):
    asked_before = MentorProfileFactory(rome=["M1805"], departements=[enrolment.commune.departement.code])
    other = MentorProfileFactory(job_title="Testeuse", rome=["M1805"])
    MentoringRequestFactory(enrolment=enrolment, mentor=asked_before, status=RequestStatus.DECLINED)
    request = services.ask_mentor(enrolment=enrolment, mentor=mentor)

    services.decline_request(request=request, mentor_user=mentor.user)

    assert MentoringRequest.objects.pending().get().mentor == other


def test_no_mentor_with_a_free_place_flags_the_enrolment_for_staff(enrolment, mentor):
    full = MentorProfileFactory(rome=["M1805"], capacity=1)
    MentorshipFactory(mentor=full)
    MentorProfileFactory(rome=["M1805"], status=MentorStatus.PAUSED)
    request = services.ask_mentor(enrolment=enrolment, mentor=mentor)

    services.decline_request(request=request, mentor_user=mentor.user)

    assert not MentoringRequest.objects.pending().exists()
    alert = MentoringAlert.objects.get()
    assert (alert.enrolment, alert.reason) == (enrolment, AlertReason.NO_MENTOR_LEFT)
    body = OutboxMessage.objects.get(dedup_key=f"mentoring:request-declined:{request.pk}").body_text
    assert "L'équipe DéClics va vous proposer quelqu'un très vite." in body
    assert _keys("mentoring:request-passed-on") == []


def test_after_the_maximum_of_passes_staff_are_alerted_and_no_request_is_made(settings, enrolment, mentor):
    settings.MENTORING_MAX_CHAINED_REQUESTS = 2
    MentorProfileFactory(rome=["M1805"])  # free, but the chain has run its course
    request = MentoringRequestFactory(
        enrolment=enrolment, mentor=mentor, origin=RequestOrigin.CHAIN, chain_try=2
    )

    services.decline_request(request=request, mentor_user=mentor.user)

    assert not MentoringRequest.objects.pending().exists()
    alert = MentoringAlert.objects.get()
    assert (alert.enrolment, alert.reason) == (enrolment, AlertReason.TOO_MANY_TRIES)
    assert _keys("mentoring:request-new") == []
    assert _keys("mentoring:request-declined") == [f"mentoring:request-declined:{request.pk}"]


def test_remind_unanswered_requests_reminds_the_mentor_once_after_two_days(enrolment, mentor):
    request = services.ask_mentor(enrolment=enrolment, mentor=mentor)

    assert services.remind_unanswered_requests(now=request.created_at + timedelta(days=1)) == 0
    assert services.remind_unanswered_requests(now=request.created_at + timedelta(days=2, minutes=1)) == 1
    assert services.remind_unanswered_requests(now=request.created_at + timedelta(days=3)) == 0

    assert _keys("mentoring:request-reminder") == [f"mentoring:request-reminder:{request.pk}"]
    assert (
        OutboxMessage.objects.get(dedup_key__startswith="mentoring:request-reminder").to_email
        == mentor.user.email
    )


def test_log_session_completes_step_three_and_keeps_private_notes_to_the_mentor(enrolment, mentor):
    mentorship = MentorshipFactory(enrolment=enrolment, mentor=mentor)

    log = services.log_session(
        mentorship=mentorship,
        author=mentor.user,
        held_on=timezone.localdate(),
        duration_minutes=45,
        topic="CV",
        private_notes="Manque de confiance",
    )
    mentee_log = services.log_session(
        mentorship=mentorship,
        author=enrolment.job_seeker,
        held_on=timezone.localdate(),
        duration_minutes=30,
        topic="LinkedIn",
        private_notes="ignored",
    )

    assert (log.private_notes, mentee_log.private_notes) == ("Manque de confiance", "")
    progress = StepProgress.objects.get(enrolment=enrolment, step=Step.MENTOR)
    assert progress.completed_at is not None


def test_log_session_refuses_an_outsider_and_a_future_date(enrolment, mentor):
    mentorship = MentorshipFactory(enrolment=enrolment, mentor=mentor)

    with pytest.raises(services.MentoringError, match="Vous ne faites pas partie de ce mentorat."):
        services.log_session(
            mentorship=mentorship,
            author=MentorProfileFactory().user,
            held_on=timezone.localdate(),
            duration_minutes=30,
            topic="x",
        )
    with pytest.raises(services.MentoringError, match="dans le futur"):
        services.log_session(
            mentorship=mentorship,
            author=mentor.user,
            held_on=timezone.localdate() + timedelta(days=2),
            duration_minutes=30,
            topic="x",
        )
    assert not StepProgress.objects.filter(enrolment=enrolment).exists()


def test_end_mentorship_frees_the_place_and_asks_both_for_feedback_once(enrolment, mentor):
    mentorship = MentorshipFactory(enrolment=enrolment, mentor=mentor)
    assert MentorProfile.objects.get(pk=mentor.pk).active_mentees == 1

    services.end_mentorship(
        mentorship=mentorship, user=enrolment.job_seeker, reason="found_job", comment="CDI !"
    )
    with pytest.raises(services.MentoringError, match="déjà terminé"):
        services.end_mentorship(mentorship=mentorship, user=mentor.user, reason="other")

    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.end_reason, mentorship.ended_by) == (
        "ended",
        "found_job",
        enrolment.job_seeker,
    )
    assert MentorProfile.objects.get(pk=mentor.pk).active_mentees == 0
    assert _keys("mentoring:feedback") == sorted(
        [
            f"mentoring:feedback:{mentorship.pk}:{mentor.user.pk}",
            f"mentoring:feedback:{mentorship.pk}:{enrolment.job_seeker.pk}",
        ]
    )
    feedback = services.give_feedback(mentorship=mentorship, author=mentor.user, rating=5, useful=True)
    assert feedback.rating == 5
    with pytest.raises(services.MentoringError, match="déjà donné votre avis"):
        services.give_feedback(mentorship=mentorship, author=mentor.user, rating=1, useful=False)


def test_remind_mentorships_without_session_tells_both_once(enrolment, mentor):
    mentorship = MentorshipFactory(enrolment=enrolment, mentor=mentor)
    Mentorship.objects.filter(pk=mentorship.pk).update(started_at=timezone.now() - timedelta(days=15))
    fresh = MentorshipFactory(mentor=MentorProfileFactory())

    assert services.remind_mentorships_without_session() == 1
    services.remind_mentorships_without_session()

    assert _keys("mentoring:no-session") == sorted(
        [
            f"mentoring:no-session:{mentorship.pk}:{mentor.user.pk}",
            f"mentoring:no-session:{mentorship.pk}:{enrolment.job_seeker.pk}",
        ]
    )
    assert fresh.pk not in {int(k.split(":")[2]) for k in _keys("mentoring:no-session")}


def test_save_mentor_profile_refuses_a_capacity_below_current_mentees(mentor):
    MentorshipFactory(mentor=mentor)
    MentorshipFactory(mentor=mentor)

    with pytest.raises(services.MentoringError, match="Vous accompagnez déjà 2 personnes"):
        services.save_mentor_profile(user=mentor.user, data={"capacity": 1})

    assert MentorProfile.objects.get(pk=mentor.pk).capacity == 2


def _run_bulk(session, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_match_run(session=session, staff=staff)
    run.refresh_from_db()
    return run


def test_bulk_match_proposes_the_optimal_assignment_under_remaining_capacity(
    session, django_capture_on_commit_callbacks
):
    from tests.factories import StaffFactory

    web = MentorProfileFactory(job_title="Développeuse web", rome=["M1805"], capacity=2)
    data = MentorProfileFactory(job_title="Data analyste", rome=["M1403"], capacity=1, availability=[])
    MentoringRequestFactory(mentor=web)  # a pending request holds one of web's two places
    ana, bilal, chloe = (EnrolmentFactory(session=session) for _ in range(3))
    MenteePreferencesFactory(enrolment=ana, rome=["M1805"])
    MenteePreferencesFactory(enrolment=bilal, rome=["M1805"], availability=[])
    MenteePreferencesFactory(enrolment=chloe, rome=["M1403"], availability=[])

    run = _run_bulk(session, StaffFactory(), django_capture_on_commit_callbacks)

    assert (run.status, run.progress, run.mentee_count, run.mentor_count, run.matched_count) == (
        MatchRunStatus.READY,
        100,
        3,
        2,
        2,
    )
    proposals = {p.enrolment_id: p for p in run.proposals.all()}
    assert (proposals[ana.pk].mentor, proposals[bilal.pk].mentor, proposals[chloe.pk].mentor) == (
        web,
        None,
        data,
    )
    assert run.total_score == proposals[ana.pk].score + proposals[chloe.pk].score == 58 + 48
    assert [r["staff"] for r in proposals[chloe.pk].reasons] == [
        "ROME commun : M1403 (+40)",
        "Même région : 76 (+8)",
    ]


def test_publishing_a_bulk_match_sends_requests_or_direct_matches(
    session, django_capture_on_commit_callbacks
):
    from tests.factories import StaffFactory

    staff = StaffFactory()
    mentor = MentorProfileFactory(rome=["M1805"], capacity=1)
    enrolment = EnrolmentFactory(session=session)
    MenteePreferencesFactory(enrolment=enrolment, rome=["M1805"])
    run = _run_bulk(session, staff, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_match_run(run=run, staff=staff)

    run.refresh_from_db()
    request = MentoringRequest.objects.get()
    assert (run.status, request.origin, request.mentor, request.enrolment) == (
        MatchRunStatus.PUBLISHED,
        RequestOrigin.BULK,
        mentor,
        enrolment,
    )
    assert run.proposals.get().outcome == ProposalOutcome.REQUESTED
    assert _keys("mentoring:request-new") == [f"mentoring:request-new:{request.pk}"]
    # A second publication of the same run changes nothing.
    services.publish_proposals(run_id=run.pk)
    assert MentoringRequest.objects.count() == 1


def test_publishing_a_direct_match_starts_mentorships_and_skips_a_mentor_filled_meanwhile(
    session, django_capture_on_commit_callbacks
):
    from tests.factories import StaffFactory

    session.mentor_direct_match = True
    session.save(update_fields=["mentor_direct_match"])
    staff = StaffFactory()
    mentor = MentorProfileFactory(rome=["M1805"], capacity=1)
    first, second = (EnrolmentFactory(session=session) for _ in range(2))
    MenteePreferencesFactory(enrolment=first, rome=["M1805"])
    run = _run_bulk(session, staff, django_capture_on_commit_callbacks)
    assert run.matched_count == 1
    MentorshipFactory(mentor=mentor, enrolment=second)  # the place went elsewhere meanwhile

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_match_run(run=run, staff=staff)

    proposal = run.proposals.get(enrolment=first)
    assert (proposal.outcome, proposal.outcome_detail) == (ProposalOutcome.SKIPPED, "mentor·e complet·e")
    assert MentorProfile.objects.get(pk=mentor.pk).active_mentees == 1


def test_direct_match_publication_creates_the_mentorship_and_tells_both(
    session, django_capture_on_commit_callbacks
):
    from tests.factories import StaffFactory

    session.mentor_direct_match = True
    session.save(update_fields=["mentor_direct_match"])
    staff = StaffFactory()
    mentor = MentorProfileFactory(rome=["M1805"], capacity=1)
    enrolment = EnrolmentFactory(session=session)
    run = _run_bulk(session, staff, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_match_run(run=run, staff=staff)

    mentorship = Mentorship.objects.get()
    assert (mentorship.enrolment, mentorship.mentor, mentorship.request) == (enrolment, mentor, None)
    assert _keys("mentoring:started") == sorted(
        [
            f"mentoring:started:{mentorship.pk}:{mentor.user.pk}",
            f"mentoring:started:{mentorship.pk}:{enrolment.job_seeker.pk}",
        ]
    )


def test_adjust_proposal_refuses_a_mentor_without_a_place_left_in_the_run(
    session, django_capture_on_commit_callbacks
):
    from tests.factories import StaffFactory

    staff = StaffFactory()
    mentor = MentorProfileFactory(rome=["M1805"], capacity=1)
    other = MentorProfileFactory(rome=["E1101"], capacity=1)
    first, second = (EnrolmentFactory(session=session) for _ in range(2))
    MenteePreferencesFactory(enrolment=first, rome=["M1805"])
    MenteePreferencesFactory(enrolment=second, rome=["E1101"])
    run = _run_bulk(session, staff, django_capture_on_commit_callbacks)
    proposal = run.proposals.get(enrolment=second)
    assert proposal.mentor == other

    with pytest.raises(services.MentoringError, match="n'a plus de place dans cette proposition"):
        services.adjust_proposal(proposal=proposal, mentor=mentor, staff=staff)
    services.adjust_proposal(proposal=proposal, mentor=None, staff=staff)

    proposal.refresh_from_db()
    assert (proposal.mentor, proposal.adjusted, proposal.score) == (None, True, 0)


def test_start_match_run_refuses_a_second_open_run(session, django_capture_on_commit_callbacks):
    from tests.factories import StaffFactory

    staff = StaffFactory()
    _run_bulk(session, staff, django_capture_on_commit_callbacks)

    with pytest.raises(services.MentoringError, match="Un appariement est déjà en cours"):
        services.start_match_run(session=session, staff=staff)


def test_the_database_refuses_more_active_mentees_than_capacity(mentor):
    from django.db import IntegrityError, transaction
    from django.db.models import F

    MentorProfile.objects.filter(pk=mentor.pk).update(active_mentees=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        MentorProfile.objects.filter(pk=mentor.pk).update(active_mentees=F("active_mentees") + 1)

    assert MentorProfile.objects.get(pk=mentor.pk).active_mentees == 2
