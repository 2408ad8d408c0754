"""No double application under real concurrency (PostgreSQL)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from jobs.offers import services
from jobs.offers.models import Application
from tests.jobs.factories import PDF_BYTES, EnrolmentFactory, JobOfferFactory
from tests.jobs.helpers import run_in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_double_click_on_apply_keeps_one_application_and_one_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    offer = JobOfferFactory()
    enrolment = EnrolmentFactory()

    def apply():
        services.apply_to_offer(
            offer=offer, enrolment=enrolment, message="Bonjour", cv=SimpleUploadedFile("cv.pdf", PDF_BYTES)
        )

    errors = run_in_threads([apply, apply])

    assert Application.objects.count() == 1
    assert [str(error) for error in errors] == ["Vous avez déjà postulé à cette offre."]
    assert len([path for path in tmp_path.rglob("*") if path.is_file()]) == 1
