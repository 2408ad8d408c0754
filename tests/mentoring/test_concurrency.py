"""Capacity under real concurrency: threads against PostgreSQL (row locks, check constraint)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from mentoring import services
from mentoring.models import (
    MatchProposal,
    MatchRun,
    MatchRunStatus,
    MentoringRequest,
    MentorProfile,
    Mentorship,
    RequestStatus,
)
from tests.factories import StaffFactory
from tests.programs.factories import EnrolmentFactory, SessionFactory

from .factories import MentoringRequestFactory, MentorProfileFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"
    ),
    pytest.mark.django_db(transaction=True),
]


def _run_in_threads(targets):
    barrier = threading.Barrier(len(targets))
    results, errors = [None] * len(targets), []

    def run(index):
        try:
            barrier.wait()
            results[index] = targets[index]()
        except services.MentoringError as error:
            results[index] = error
        except Exception as error:  # anything else is a bug: surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_concurrent_accepts_never_exceed_the_mentor_capacity(settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    mentor = MentorProfileFactory(capacity=2)
    session = SessionFactory()
    requests = [
        MentoringRequestFactory(mentor=mentor, enrolment=EnrolmentFactory(session=session)) for _ in range(6)
    ]

    def accept(request):
        return lambda: services.accept_request(request=request, mentor_user=mentor.user)

    results, errors = _run_in_threads([accept(r) for r in requests])

    assert errors == []
    assert sum(isinstance(r, Mentorship) for r in results) == 2
    assert sum(isinstance(r, services.MentoringError) for r in results) == 4
    assert MentorProfile.objects.get(pk=mentor.pk).active_mentees == 2
    assert Mentorship.objects.filter(mentor=mentor, status="active").count() == 2


def test_concurrent_accept_and_direct_bulk_publication_share_the_last_place(settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    session = SessionFactory(mentor_direct_match=True)
    mentor = MentorProfileFactory(capacity=1)
    asking = MentoringRequestFactory(mentor=mentor, enrolment=EnrolmentFactory(session=session))
    staff = StaffFactory()
    runs = []
    for _ in range(3):
        # Three runs of three sessions published at once, each proposing the same mentor.
        other_session = SessionFactory(mentor_direct_match=True)
        run = MatchRun.objects.create(
            session=other_session, created_by=staff, status=MatchRunStatus.PUBLISHING
        )
        MatchProposal.objects.create(
            run=run, enrolment=EnrolmentFactory(session=other_session), mentor=mentor
        )
        runs.append(run)

    targets = [lambda: services.accept_request(request=asking, mentor_user=mentor.user)]
    targets += [lambda run=run: services.publish_proposals(run_id=run.pk) for run in runs]
    results, errors = _run_in_threads(targets)

    assert errors == []
    assert MentorProfile.objects.get(pk=mentor.pk).active_mentees == 1
    assert Mentorship.objects.filter(mentor=mentor).count() == 1
    outcomes = sorted(MatchProposal.objects.values_list("outcome", flat=True))
    matched_by_bulk = outcomes.count("matched")
    accepted = isinstance(results[0], Mentorship)
    assert matched_by_bulk + int(accepted) == 1
    assert outcomes.count("skipped") == 3 - matched_by_bulk


def test_two_workers_expiring_the_same_request_at_once_pass_it_on_once(settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    session = SessionFactory()
    mentor, backup = MentorProfileFactory(), MentorProfileFactory()
    enrolment = EnrolmentFactory(session=session)
    request = MentoringRequestFactory(
        mentor=mentor, enrolment=enrolment, expires_at=timezone.now() - timedelta(minutes=1)
    )

    results, errors = _run_in_threads([services.expire_due_requests, services.expire_due_requests])

    assert errors == []
    assert sorted(results) == [0, 1]
    assert MentoringRequest.objects.get(pk=request.pk).status == RequestStatus.EXPIRED
    assert list(MentoringRequest.objects.pending().values_list("enrolment", "mentor", "chain_try")) == [
        (enrolment.pk, backup.pk, 1)
    ]
    keys = OutboxMessage.objects.filter(dedup_key__contains=":request-").values_list("dedup_key", flat=True)
    assert sorted(k.rsplit(":", 1)[0] for k in keys) == [
        "mentoring:request-new",
        "mentoring:request-passed-on",
    ]


def test_a_decline_and_the_expiry_racing_on_one_request_pass_it_on_once(settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    mentor, backup = MentorProfileFactory(), MentorProfileFactory()
    enrolment = EnrolmentFactory(session=SessionFactory())
    request = MentoringRequestFactory(mentor=mentor, enrolment=enrolment)
    later = request.expires_at + timedelta(seconds=1)

    results, errors = _run_in_threads(
        [
            lambda: services.decline_request(request=request, mentor_user=mentor.user),
            lambda: services.expire_due_requests(now=later),
        ]
    )

    assert errors == []
    assert MentoringRequest.objects.get(pk=request.pk).status in (
        RequestStatus.DECLINED,
        RequestStatus.EXPIRED,
    )
    assert list(MentoringRequest.objects.pending().values_list("mentor", flat=True)) == [backup.pk]
