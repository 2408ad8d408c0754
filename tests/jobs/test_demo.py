from io import StringIO

import pytest
from django.core.management.base import OutputWrapper

from jobs import demo
from jobs.models import Partner
from jobs.offers import demo as offers_demo
from jobs.offers.models import Application, JobOffer
from jobs.trainings import demo as trainings_demo
from jobs.trainings.models import Training
from jobs.validators import siret_is_valid

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_tolerates_missing_sessions(_private_media):
    buffer = StringIO()
    out = OutputWrapper(buffer)
    for _ in range(2):
        for module in [demo, trainings_demo, offers_demo]:  # the order of seed_demo's DEMO_MODULES
            module.seed(stdout=out)
    assert Partner.objects.count() == 8
    assert all(siret_is_valid(siret) for siret in Partner.objects.values_list("siret", flat=True))
    assert Training.objects.count() == 17
    assert JobOffer.objects.filter(is_remote=True).count() == 2  # the towns are not loaded here
    assert Application.objects.count() == 0  # no demo session
    assert buffer.getvalue().splitlines()[-3:] == [
        "jobs: 8 demo partners",
        "jobs.trainings: 17 trainings, 0 new meeting slots",
        "jobs.offers: 2 offers, 0 new applications",
    ]
