from io import StringIO

import pytest
from django.core.management.base import OutputWrapper

from jobs import demo
from jobs.models import Partner
from jobs.offers.models import Application, JobOffer
from jobs.trainings.models import Training
from jobs.validators import siret_is_valid

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_tolerates_missing_sessions(_private_media):
    buffer = StringIO()
    out = OutputWrapper(buffer)
    demo.seed(stdout=out)
    demo.seed(stdout=out)
    assert Partner.objects.count() == 4
    assert all(siret_is_valid(siret) for siret in Partner.objects.values_list("siret", flat=True))
    assert Training.objects.count() == 4
    assert JobOffer.objects.filter(is_remote=True).count() == 1  # the towns are not loaded here
    assert Application.objects.count() == 0  # no demo session
    assert buffer.getvalue().splitlines()[-1] == (
        "jobs: 4 demo partners, 4 trainings, 1 offers, 0 new applications, 0 new meeting slots"
    )
