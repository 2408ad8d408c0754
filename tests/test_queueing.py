"""Tasks started by a request (declics/queueing.py): a broker that is away never fails the page.

The broker is really away here: Celery publishes to a Redis port where nothing listens. The
tests are transactional, so each task is sent at the real commit, inside the request.
"""

import ast
import logging
from pathlib import Path

import pytest
from django.urls import reverse

from declics import outages
from declics.celery import app as celery_app
from declics.notifications.models import OutboxMessage
from declics.notifications.tasks import send_due_notifications
from declics.queueing import RETRY_AFTER, enqueue
from mentoring.models import MatchRun, MatchRunStatus
from tests.factories import PASSWORD, StaffFactory
from tests.mentoring.factories import MenteePreferencesFactory, MentorProfileFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory


def _forget_producers():
    """The app keeps a pool of producers bound to the broker of the first publish: start anew."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker():
    """Point the Celery app at another broker (tasks really published, not run eagerly), then restore."""
    conf = celery_app.conf
    saved = conf.broker_url, dict(conf.broker_transport_options), conf.task_always_eager

    def point(url, **transport_options):
        _forget_producers()
        conf.broker_url, conf.broker_transport_options = url, transport_options
        conf.task_always_eager = False
        outages.forget_all()

    yield point
    _forget_producers()
    conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved
    outages.forget_all()


@pytest.fixture
def broker_down(broker):
    broker("redis://127.0.0.1:1/0", socket_connect_timeout=1)


def _records(caplog, level=logging.INFO):
    return [(r.name, r.getMessage()) for r in caplog.records if r.levelno >= level]


def _signup(client, n):
    return client.post(
        reverse("account_signup"),
        {
            "first_name": "Aïcha",
            "last_name": "Benali",
            "email": f"aicha{n}@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "job_seeker",
        },
    )


@pytest.mark.django_db(transaction=True)
def test_sign_ups_with_the_broker_down_answer_and_queue_their_mail(client, broker_down, caplog):
    with caplog.at_level(logging.INFO):
        responses = [_signup(client, n) for n in range(3)]

    assert [r.status_code for r in responses] == [302, 302, 302]
    # The mail waits in the outbox for the beat's sender; only the nudge was lost.
    assert sorted(OutboxMessage.objects.values_list("to_email", "status")) == [
        (f"aicha{n}@example.org", "pending") for n in range(3)
    ]
    # One warning for the outage, nothing per request (no on_commit error, no traceback).
    assert _records(caplog, logging.WARNING) == [("declics.outages", "broker unreachable")]


@pytest.fixture
def matching(db):
    session = OpenSessionFactory()
    MentorProfileFactory(rome=["M1805"])
    MenteePreferencesFactory(enrolment=EnrolmentFactory(session=session), rome=["M1805"])
    return session


@pytest.mark.django_db(transaction=True)
def test_a_bulk_match_started_with_the_broker_down_says_so_and_can_be_started_again(
    client, broker_down, matching
):
    client.force_login(StaffFactory())
    url = reverse("mentoring:staff_session_matching", args=[matching.slug])

    first = client.post(url)
    second = client.post(url)

    runs = list(MatchRun.objects.order_by("pk"))
    not_started = (
        "Le calcul n'a pas pu être lancé (service de tâches indisponible). Relancez-le dans quelques minutes."
    )
    assert [(r.status, r.error) for r in runs] == [(MatchRunStatus.FAILED, not_started)] * 2
    assert [first["Location"], second["Location"]] == [
        reverse("mentoring:staff_run", args=[run.pk]) for run in runs
    ]
    page = client.get(first["Location"])
    assert "service de tâches indisponible" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_publication_with_the_broker_down_leaves_the_proposal_ready(client, broker, matching):
    staff = StaffFactory()
    run = MatchRun.objects.create(
        session=matching, created_by=staff, status=MatchRunStatus.READY, step_label="Proposition prête"
    )
    broker("redis://127.0.0.1:1/0", socket_connect_timeout=1)
    client.force_login(staff)

    response = client.post(reverse("mentoring:staff_run_publish", args=[run.pk]))

    run.refresh_from_db()
    assert response["Location"] == reverse("mentoring:staff_run", args=[run.pk])
    assert (run.status, run.step_label) == (
        MatchRunStatus.READY,
        "Publication non lancée (service de tâches indisponible) : publiez de nouveau.",
    )


def test_enqueue_tries_the_broker_again_after_a_while_and_logs_the_outage_once(
    broker, tmp_path, caplog, monkeypatch
):
    now = [1000.0]
    monkeypatch.setattr(outages.Outage, "clock", staticmethod(lambda: now[0]))
    folder = tmp_path / "queue"
    broker(
        "filesystem://",
        data_folder_in=str(folder),
        data_folder_out=str(folder),
        control_folder=str(tmp_path / "control"),
        processed_folder=str(tmp_path / "processed"),
    )
    failures = []

    with caplog.at_level(logging.INFO, logger="declics.outages"):
        down = enqueue(send_due_notifications, on_failure=lambda: failures.append("down"))
        folder.mkdir()
        now[0] += RETRY_AFTER - 1  # the broker is back, but this process does not know yet
        skipped = enqueue(send_due_notifications, on_failure=lambda: failures.append("skipped"))
        now[0] += 1
        up = enqueue(send_due_notifications, on_failure=lambda: failures.append("up"))

    assert (down, skipped, up, failures) == (False, False, True, ["down", "skipped"])
    assert len(list(folder.iterdir())) == 1  # the one message that reached the broker
    assert [(r.getMessage(), r.component) for r in caplog.records if r.name == "declics.outages"] == [
        ("broker unreachable", "broker"),
        ("broker reachable again", "broker"),
    ]


SENDS = {"delay", "delay_on_commit", "apply_async", "send_task"}


def test_every_task_is_sent_through_the_queueing_helper():
    """A `.delay()` in a request fails it when the broker is away: the one way is declics.queueing."""
    root = Path(__file__).resolve().parent.parent
    found = []
    for package in ("declics", "programs", "mentoring", "jobs"):
        for path in (root / package).rglob("*.py"):
            if "migrations" in path.parts or path == root / "declics" / "queueing.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in SENDS:
                    found.append(f"{path.relative_to(root)}:{node.lineno}")

    assert found == []
