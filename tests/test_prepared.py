"""declics.prepared: a values_list built by the ORM once, run with each call's values."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from declics.prepared import PreparedValues
from programs.models import SessionStep, Step, StepProgress
from programs.pathway import calendar_and_progress
from programs.services import complete_step
from tests.programs.factories import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _steps_of(session_id):
    return SessionStep.objects.filter(session_id=session_id).order_by("step").values_list("step", "opens_at")


def test_each_call_reads_its_own_values_with_the_orms_conversions():
    first, second = SessionFactory(), SessionFactory()
    prepared = PreparedValues(_steps_of, "session_id")

    assert prepared(session_id=first.pk) == list(_steps_of(first.pk))
    assert prepared(session_id=second.pk) == list(_steps_of(second.pk))
    [(step, opens_at), *_] = prepared(session_id=second.pk)
    assert step == Step.ROLE_MODELS and opens_at.tzinfo is not None  # aware, as the ORM gives it
    assert prepared(session_id=0) == []


def test_the_sql_is_built_once_per_thread_and_the_queries_stay_one_per_call():
    session = SessionFactory()
    builds = []
    prepared = PreparedValues(lambda session_id: builds.append(1) or _steps_of(session_id), "session_id")

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            prepared(session_id=session.pk)

    def in_another_thread():
        try:
            prepared(session_id=session.pk)
        finally:
            connections.close_all()  # the thread's own connection

    other_thread = threading.Thread(target=in_another_thread)
    other_thread.start()
    other_thread.join()

    assert len(queries) == 3
    assert len(builds) == 2  # this thread, then the other one's own connection


def test_a_placeholder_missing_from_the_query_or_a_call_is_refused():
    with pytest.raises(ValueError, match="enrolment_id"):
        PreparedValues(lambda session_id, enrolment_id: _steps_of(session_id), "session_id", "enrolment_id")(
            session_id=1, enrolment_id=2
        )
    with pytest.raises(TypeError):
        PreparedValues(_steps_of, "session_id")(session=1)


def test_the_pathways_dates_match_the_orms_answer_after_steps_are_done():
    start = timezone.now() - timedelta(days=3)
    enrolment = EnrolmentFactory(session=SessionFactory(steps=[start + timedelta(days=d) for d in range(6)]))
    other = EnrolmentFactory(session=enrolment.session)
    complete_step(enrolment=enrolment, step=Step.ROLE_MODELS)
    complete_step(enrolment=other, step=Step.ASSESSMENT)

    opens, done = calendar_and_progress(session=enrolment.session, enrolment=enrolment)

    assert opens == dict(
        SessionStep.objects.filter(session=enrolment.session).values_list("step", "opens_at")
    )
    assert done == dict(
        StepProgress.objects.done().filter(enrolment=enrolment).values_list("step", "completed_at")
    )
    assert set(done) == {Step.ROLE_MODELS}
