"""The public ids migrations give every row already in the database its own uuid, and the e-mails
still queued with the old integer URLs get the new ones.

Rows are created on today's schema, the `public_id` columns are dropped by migrating back, then
the three-step migrations run forward as they will in production over existing data.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from jobs.offers.models import Application
from mentoring.models import Mentorship
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


@pytest.mark.django_db(transaction=True)
def test_public_id_migrations_rewrite_the_links_of_emails_still_queued():
    application = ApplicationFactory()
    mentorship = MentorshipFactory()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE)
    partner = application.offer.company_id
    old = (
        f"Voir : https://declics.example/emplois/partenaire/{partner}/candidatures/{application.pk}/\n"
        f"Espace : https://declics.example/mentorat/mentorats/{mentorship.pk}/avis/\n"
        "Inconnu : https://declics.example/mentorat/mentorats/987654/\n"
    )
    html = f'<a href="https://declics.example/mentorat/mentorats/{mentorship.pk}/">Espace</a>'
    pending = OutboxMessage.objects.create(
        dedup_key="t:pending", to_email="a@example.org", subject="s", body_text=old, body_html=html
    )
    sent = OutboxMessage.objects.create(
        dedup_key="t:sent",
        to_email="a@example.org",
        subject="s",
        body_text=old,
        status="sent",
        sent_at=timezone.now(),
    )

    _migrate(latest)

    application_id = Application.objects.get().public_id
    mentorship_id = Mentorship.objects.get().public_id
    pending.refresh_from_db()
    sent.refresh_from_db()
    assert pending.body_text == (
        f"Voir : https://declics.example/emplois/partenaire/{partner}/candidatures/{application_id}/\n"
        f"Espace : https://declics.example/mentorat/mentorats/{mentorship_id}/avis/\n"
        "Inconnu : https://declics.example/mentorat/mentorats/987654/\n"
    )
    assert (
        pending.body_html
        == f'<a href="https://declics.example/mentorat/mentorats/{mentorship_id}/">Espace</a>'
    )
    assert sent.body_text == old  # what was sent stays the record of what was sent
