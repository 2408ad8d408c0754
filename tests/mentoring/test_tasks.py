from datetime import timedelta

import pytest
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from mentoring import services, tasks
from mentoring.models import MentoringRequest, RequestStatus

pytestmark = pytest.mark.django_db


def test_expire_and_remind_requests_task_is_safe_to_run_twice(enrolment, mentor):
    request = services.ask_mentor(enrolment=enrolment, mentor=mentor)
    MentoringRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=3))

    assert tasks.expire_and_remind_requests() == {"reminded": 1, "expired": 0}
    assert tasks.expire_and_remind_requests() == {"reminded": 0, "expired": 0}
    MentoringRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert tasks.expire_and_remind_requests() == {"reminded": 0, "expired": 1}
    assert tasks.expire_and_remind_requests() == {"reminded": 0, "expired": 0}

    assert MentoringRequest.objects.get().status == RequestStatus.EXPIRED
    keys = sorted(OutboxMessage.objects.values_list("dedup_key", flat=True))
    assert keys == [
        f"mentoring:request-expired:{request.pk}",
        f"mentoring:request-new:{request.pk}",
        f"mentoring:request-reminder:{request.pk}",
    ]


def test_compute_match_run_task_leaves_a_run_already_taken_alone(session):
    from mentoring.models import MatchRun, MatchRunStatus

    run = MatchRun.objects.create(session=session, status=MatchRunStatus.RUNNING, progress=30)

    tasks.task_compute_match_run(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.progress, run.proposals.count()) == (MatchRunStatus.RUNNING, 30, 0)
