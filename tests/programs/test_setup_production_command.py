"""`manage.py setup_production` on the test database (any engine): everything loaded once, then a
second run that reads a few rows and writes nothing. tests/test_setup_production.py runs it the
compose way on an empty PostgreSQL database."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from declics.rome.models import RomeJob, RomeLoad
from declics.territories.models import Commune
from programs.assessment.models import Questionnaire

pytestmark = pytest.mark.django_db


def setup_production() -> str:
    out = StringIO()
    call_command("setup_production", stdout=out)
    return out.getvalue()


def test_setup_production_loads_everything_once_then_only_reads():
    first = setup_production()

    assert "Migrations: up to date" in first  # pytest-django migrated the test database
    assert Commune.objects.count() == 37590
    assert RomeJob.objects.digital().exclude(description="").count() == 98
    assert Questionnaire.objects.get(is_active=True).questions.count() == 26

    with CaptureQueriesContext(connection) as queries:
        second = setup_production()

    writes = [
        q["sql"]
        for q in queries
        if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert writes == []
    # 21: the assessment's English texts loader reads the version's questions and choices once more
    # (load_questionnaire_english, after load_questionnaire's own check), constant per version file;
    # PostgreSQL adds the advisory lock that keeps two deploys apart, and its release.
    bound = 21 + (2 if connection.vendor == "postgresql" else 0)
    assert len(queries) <= bound, [q["sql"] for q in queries]
    assert RomeLoad.objects.count() == 1  # the unchanged ROME file was not loaded again
    for line in (
        "Migrations: up to date",
        "Territoires déjà à jour",
        "ROME job sheets: up to date",
        "Digital job descriptions: 0 updated, 98 unchanged",
        "Assessment v1: unchanged, 26 questions (in service)",
    ):
        assert line in second, second
