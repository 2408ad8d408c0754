"""The audit log: the team's actions are recorded with their author and each field's before/after,
shown to staff on the console's page, and blanked with the person they are about."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from declics import audit
from declics.accounts.models import Role
from declics.privacy.services import erase_user
from programs import services
from programs.models import Enrolment, EnrolmentStatus, Session, SessionStatus
from tests.factories import StaffFactory, UserFactory
from tests.programs.factories import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _draft():
    return SessionFactory(status=SessionStatus.DRAFT, published_at=None, title="DéClics Aude")


def _entries_of(obj):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).order_by("pk")


def test_publishing_a_session_from_the_page_records_the_author_and_each_fields_before_and_after(client):
    staff = StaffFactory(first_name="Inès", last_name="Garcia")
    session = _draft()
    client.force_login(staff)

    client.post(reverse("programs:publish", args=[session.slug]))

    first = _entries_of(session).first()
    assert (first.actor, first.action, first.changes["status"]) == (
        staff,
        LogEntry.Action.UPDATE,
        [SessionStatus.DRAFT, SessionStatus.PUBLISHED],
    )
    assert first.changes["published_at"][0] == "None"
    assert first.actor_email == staff.email


def test_a_service_run_by_a_team_member_outside_a_request_is_recorded_under_their_name():
    staff = StaffFactory()
    session = _draft()

    with audit.acting_as(staff):
        services.publish_session(session=session, by=staff)

    assert _entries_of(session).first().actor == staff


def test_changes_without_a_team_author_are_not_recorded():
    session = _draft()

    services.publish_session(session=session)  # the calendar task, a command: no author
    with audit.acting_as(UserFactory()):  # a job seeker is not the team
        EnrolmentFactory(session=session)

    assert LogEntry.objects.count() == 0


def test_a_job_seekers_own_request_writes_no_entry(client):
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.job_seeker)

    client.post(reverse("programs:withdraw", args=[enrolment.session.slug]))

    enrolment.refresh_from_db()
    assert (enrolment.status, LogEntry.objects.count()) == (EnrolmentStatus.WITHDRAWN, 0)


def test_the_log_leaves_out_secrets_and_fields_that_move_on_their_own():
    staff, person = StaffFactory(), UserFactory(role=Role.JOB_SEEKER)

    with audit.acting_as(staff):
        person.set_password("un-nouveau-mot-de-passe")
        person.last_login = timezone.now()
        person.role = Role.MENTOR
        person.save()

    assert _entries_of(person).get().changes == {"role": [Role.JOB_SEEKER, Role.MENTOR]}


def test_the_page_shows_who_did_what_to_which_object_with_before_and_after(client):
    staff = StaffFactory(first_name="Inès", last_name="Garcia")
    session = _draft()
    with audit.acting_as(staff):
        services.publish_session(session=session, by=staff)
    client.force_login(StaffFactory())

    page = client.get(reverse("programs:console_audit")).content.decode()

    assert "Inès Garcia" in page
    assert "DéClics Aude" in page
    assert "brouillon" in page and "annoncée" in page  # the status's labels, before → after
    assert "modification" in page


def test_the_page_filters_by_author_object_type_and_dates(client):
    ines, paul = StaffFactory(first_name="Inès"), StaffFactory(first_name="Paul")
    session, enrolment = _draft(), EnrolmentFactory()
    with audit.acting_as(ines):
        services.publish_session(session=session, by=ines)
    with audit.acting_as(paul):
        enrolment.status = EnrolmentStatus.WAITING
        enrolment.save()
    old = _entries_of(enrolment).get()
    LogEntry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - timedelta(days=10))
    client.force_login(ines)
    url = reverse("programs:console_audit")

    by_paul = client.get(url, {"auteur": paul.pk}).context["rows"]
    enrolments = client.get(url, {"objet": ContentType.objects.get_for_model(Enrolment).pk}).context["rows"]
    recent = client.get(url, {"du": (timezone.localdate() - timedelta(days=1)).isoformat()}).context["rows"]

    assert [row["entry"].actor for row in by_paul] == [paul]
    assert [row["entry"].object_id for row in enrolments] == [enrolment.pk]
    assert {row["entry"].content_type.model_class() for row in recent} == {Session}


def test_a_filter_with_its_dates_backwards_is_an_error_tied_to_its_field(client):
    client.force_login(StaffFactory())

    response = client.get(reverse("programs:console_audit"), {"du": "2026-05-02", "au": "2026-05-01"})

    assert response.context["form"].errors == {"au": ["La date de fin doit suivre la date de début."]}


@pytest.mark.parametrize("rows", [1, 3])
def test_audit_page_query_count_is_constant(client, django_assert_num_queries, rows):
    staff = StaffFactory()
    for enrolment in EnrolmentFactory.create_batch(rows):
        with audit.acting_as(staff):
            enrolment.status = EnrolmentStatus.WAITING
            enrolment.save()
    client.force_login(staff)

    # login session and user, the team for the filter, the count, the page; the login session's
    # refresh (savepoint, update, release: declics.middleware.SessionRefreshMiddleware)
    with django_assert_num_queries(8):
        response = client.get(reverse("programs:console_audit"))

    assert len(response.context["rows"]) == rows


def test_job_seekers_are_refused_the_page(client):
    client.force_login(UserFactory())

    assert client.get(reverse("programs:console_audit")).status_code == 403


def test_erasing_a_person_blanks_the_entries_about_them_and_keeps_the_teams_action():
    staff = StaffFactory()
    person = UserFactory(first_name="Awa", last_name="Diallo", email="awa@example.org")
    mine, other = EnrolmentFactory(job_seeker=person), EnrolmentFactory()
    with audit.acting_as(staff):
        for enrolment in (mine, other):
            enrolment.status = EnrolmentStatus.WAITING
            enrolment.save()

    erase_user(user=person)

    entry = _entries_of(mine).get()
    assert (entry.object_repr, entry.changes, entry.actor) == (
        audit.ERASED,
        {"status": [audit.ERASED, audit.ERASED]},
        staff,
    )
    assert "Awa" not in str(list(LogEntry.objects.values_list("object_repr", "changes", "changes_text")))
    assert _entries_of(other).get().changes == {"status": [EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITING]}


@pytest.mark.parametrize("role_factory", [StaffFactory, UserFactory], ids=["staff", "job-seeker"])
def test_a_requests_author_ends_with_it_and_what_else_it_set_in_the_thread_stays(rf, role_factory):
    """The author is put back after the request; the rest of the context is kept, such as the
    thread's cache connection (Django keeps it in an asgiref Local): a request run in a copy of the
    context lost it, and every request opened a new Redis connection."""
    from asgiref.local import Local
    from auditlog.context import auditlog_value
    from django.http import HttpResponse

    thread_state = Local()
    seen = {}

    def view(request):
        seen["author"] = auditlog_value.get({}).get("actor")
        thread_state.connection = "kept"
        return HttpResponse()

    request = rf.get("/")
    request.user = role_factory()
    audit.StaffAuditMiddleware(view)(request)

    assert seen["author"] == (request.user if role_factory is StaffFactory else None)
    assert auditlog_value.get({}).get("actor") is None
    assert thread_state.connection == "kept"
