"""RomeJob moved from the jobs app to declics.rome without a copy: over existing rows, the table,
every row and every link to it stay, and its content type (so its permissions) follows the model.

Rows are made on today's schema, the migrations are taken back to before the move, then run
forward as they will in production.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from declics.rome.models import RomeJob
from jobs.offers.models import JobOffer
from jobs.trainings.models import Training
from mentoring.models import MenteePreferences, MentorProfile
from programs.role_models.models import JobPageView, RoleModel
from tests.jobs.factories import EnrolmentFactory, JobOfferFactory, RomeJobFactory, TrainingFactory
from tests.mentoring.factories import MenteePreferencesFactory, MentorProfileFactory
from tests.programs.role_models.factories import RoleModelFactory

BEFORE = [
    ("rome", None),
    ("jobs", "0006_public_id_unique"),
    ("programs", "0008_public_id_unique"),
    ("mentoring", "0004_public_id_unique"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _links() -> dict:
    return {
        "rome": sorted(RomeJob.objects.values_list("code", "label", "is_digital", "description")),
        "trainings": sorted(Training.rome_jobs.through.objects.values_list("training__title", "romejob_id")),
        "offers": sorted(JobOffer.objects.values_list("title", "rome_job_id")),
        "role_models": sorted(RoleModel.objects.values_list("first_name", "rome_id")),
        "page_views": sorted(JobPageView.objects.values_list("enrolment_id", "rome_id")),
        "mentors": sorted(
            MentorProfile.rome_jobs.through.objects.values_list("mentorprofile_id", "romejob_id")
        ),
        "mentees": sorted(
            MenteePreferences.rome_jobs.through.objects.values_list("menteepreferences_id", "romejob_id")
        ),
    }


def _content_type() -> tuple[int, str]:
    ContentType.objects.clear_cache()
    content_type = ContentType.objects.get(model="romejob")
    return content_type.pk, content_type.app_label


@pytest.mark.django_db(transaction=True)
def test_romejob_moves_to_the_rome_app_keeping_rows_links_and_permissions():
    web = RomeJobFactory(
        code="M1855", label="Développeur / Développeuse web", description="Construit des sites."
    )
    support = RomeJobFactory(code="M1810", label="Technicien / Technicienne d'exploitation informatique")
    TrainingFactory(title="Web", rome_jobs=[web, support])
    JobOfferFactory(title="Support", rome_job=support)
    RoleModelFactory(first_name="Awa", rome=web)
    JobPageView.objects.create(enrolment=EnrolmentFactory(), rome=support)
    MentorProfileFactory(rome=["M1855", "M1810"])
    MenteePreferencesFactory(rome=["M1855"])
    group = Group.objects.create(name="Référentiels")
    group.permissions.add(Permission.objects.get(codename="change_romejob"))
    links = _links()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    content_type_id, _label = _content_type()

    try:
        _migrate(BEFORE)
        assert _content_type() == (content_type_id, "jobs")
    finally:
        _migrate(latest)

    assert _links() == links
    assert _content_type() == (content_type_id, "rome")
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("rome", "change_romejob")
    ]
    # Not over empty tables: each kind of link had rows.
    assert {name: len(rows) for name, rows in links.items()} == {
        "rome": 2,
        "trainings": 2,
        "offers": 1,
        "role_models": 1,
        "page_views": 1,
        "mentors": 2,
        "mentees": 1,
    }
