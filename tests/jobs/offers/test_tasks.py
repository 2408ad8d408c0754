from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.offers.models import ApplicationStatus
from jobs.offers.tasks import follow_up_applications
from tests.jobs.factories import ApplicationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_follow_up_applications_reminds_and_closes_each_once():
    fresh = ApplicationFactory()
    week_old = ApplicationFactory()
    month_old = ApplicationFactory()
    for application in (fresh, week_old, month_old):
        MembershipFactory(partner=application.offer.company)
    type(fresh).objects.filter(pk=week_old.pk).update(
        created_at=timezone.now() - timedelta(days=8), status_changed_at=timezone.now() - timedelta(days=8)
    )
    type(fresh).objects.filter(pk=month_old.pk).update(
        created_at=timezone.now() - timedelta(days=31), status_changed_at=timezone.now() - timedelta(days=31)
    )

    assert follow_up_applications() == {"reminded": 1, "closed": 1}
    assert follow_up_applications() == {"reminded": 0, "closed": 0}
    statuses = {a.pk: a.status for a in type(fresh).objects.all()}
    assert statuses == {
        fresh.pk: ApplicationStatus.NEW,
        week_old.pk: ApplicationStatus.NEW,
        month_old.pk: ApplicationStatus.CLOSED,
    }
