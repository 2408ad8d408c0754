"""The public ids migrations give every row already in the database its own uuid.

Rows are created on today's schema, the `public_id` columns are dropped by migrating back, then
the three-step migrations run forward as they will in production over existing data.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.jobs.factories import ApplicationFactory
from tests.mentoring.factories import MentoringRequestFactory, MentorshipFactory

BEFORE = [
    ("programs", "0005_role_models_assessment"),
    ("jobs", "0003_meetingbooking_round"),
    ("mentoring", "0001_initial"),
]


def _models_with_public_id():
    return [model for model in apps.get_models() if any(f.name == "public_id" for f in model._meta.fields)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_public_id_migrations_give_existing_rows_distinct_ids():
    for _ in range(3):
        ApplicationFactory()
        MentoringRequestFactory()
        MentorshipFactory()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    _migrate(BEFORE)
    _migrate(latest)

    counts = {}
    for model in _models_with_public_id():
        rows = model.objects.count()
        distinct = model.objects.values("public_id").distinct().count()
        nulls = model.objects.filter(public_id__isnull=True).count()
        counts[model._meta.label] = (rows, distinct, nulls)
    assert {label: (rows, rows, 0) for label, (rows, _distinct, _nulls) in counts.items()} == counts
    # The factories made rows in each app: the check above was not over empty tables.
    assert counts["jobs.Application"][0] == 3
    assert counts["mentoring.Mentorship"][0] == 3
    assert counts["programs.Enrolment"][0] == 6
    assert counts["mentoring.MentorProfile"][0] == 6
