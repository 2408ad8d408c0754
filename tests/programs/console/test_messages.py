"""Messages from the team to a group of a session (issue 14, item 5)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from programs.assessment.models import AssessmentAttempt, AttemptStatus, Questionnaire
from programs.console.messages.views import _confirmation
from programs.models import CohortMessage, CohortMessageRecipient, EnrolmentStatus, StepProgress
from programs.services import messages as services
from programs.workshops.models import WorkshopBooking, WorkshopBookingStatus
from tests.factories import StaffFactory, UserFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory, SessionFactory, lock_step
from tests.programs.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
TOKEN = "0b6a3c9e-1f2d-4e5a-8b7c-9d0e1f2a3b4c"


def _done(enrolment, *steps):
    now = timezone.now()
    StepProgress.objects.bulk_create(
        [StepProgress(enrolment=enrolment, step=s, completed_at=now) for s in steps]
    )


def _keys(segments):
    return [segment.key for segment in segments]


def _ids(session, key, now=None):
    segment = services.find_segment(session, key, now=now or timezone.now())
    return set(services.segment_enrolments(session, segment).values_list("pk", flat=True))


def _staff_client(client):
    client.force_login(StaffFactory())
    return client


def _form(segment="everyone", token=TOKEN, **extra):
    data = {
        "segment": segment,
        "subject": "Atelier CV jeudi",
        "body": "Bonjour, un atelier CV a lieu jeudi.",
        "token": token,
    }
    data.update(extra)
    return data


def _send_form(**extra):
    data = _form(**extra)
    return {**data, "send": "1", "confirmation": _confirmation(data)}


# --- Segments -------------------------------------------------------------------------------------


def test_stuck_on_a_step_means_it_is_the_current_step_and_it_is_open():
    session = OpenSessionFactory()
    on_3 = EnrolmentFactory(session=session)
    _done(on_3, 1, 2)
    on_2 = EnrolmentFactory(session=session)
    _done(on_2, 1)
    past_3 = EnrolmentFactory(session=session)
    _done(past_3, 1, 2, 3)
    skipped_2 = EnrolmentFactory(session=session)  # did 1 and 3 but not 2: stuck on 2
    _done(skipped_2, 1, 3)
    waiting = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    _done(waiting, 1, 2)

    assert (_ids(session, "stuck:3"), _ids(session, "stuck:2")) == ({on_3.pk}, {on_2.pk, skipped_2.pk})


def test_nobody_is_stuck_on_a_step_that_has_not_opened_and_it_is_not_offered():
    session = OpenSessionFactory()
    lock_step(session, 3)
    enrolment = EnrolmentFactory(session=session)
    _done(enrolment, 1, 2)
    now = timezone.now()

    keys = _keys(services.session_segments(session, now=now))
    stuck = services.stuck_on_step(session=session, step=3, now=now)

    assert ("stuck:3" in keys, "stuck:2" in keys, list(stuck)) == (False, True, [])


def test_segments_offered_by_the_spine_and_the_steps():
    session = OpenSessionFactory()
    held = WorkshopFactory(session=session, starts_at=timezone.now() - timedelta(days=1))
    WorkshopFactory(session=session)  # upcoming: nobody could miss it yet

    keys = _keys(services.session_segments(session, now=timezone.now()))

    assert keys == [
        "everyone",
        "waiting",
        *[f"stuck:{n}" for n in range(1, 7)],
        "assessment-not-taken",
        f"workshop-no-show:{held.pk}",
    ]


def test_no_shows_of_a_workshop_are_the_people_marked_absent():
    session = OpenSessionFactory()
    workshop = WorkshopFactory(session=session, starts_at=timezone.now() - timedelta(hours=3))
    absent, present, unmarked = (EnrolmentFactory(session=session) for _ in range(3))
    for enrolment, attended in ((absent, False), (present, True), (unmarked, None)):
        WorkshopBooking.objects.create(
            workshop=workshop,
            enrolment=enrolment,
            job_seeker=enrolment.job_seeker,
            status=WorkshopBookingStatus.CONFIRMED,
            attended=attended,
        )

    assert _ids(session, f"workshop-no-show:{workshop.pk}") == {absent.pk}


def test_those_without_an_assessment_exclude_completed_ones_only():
    session = OpenSessionFactory()
    questionnaire = Questionnaire.objects.create(version=90, title="Bilan")
    completed, draft, nothing = (EnrolmentFactory(session=session) for _ in range(3))
    AssessmentAttempt.objects.create(
        enrolment=completed, questionnaire=questionnaire, status=AttemptStatus.COMPLETED
    )
    AssessmentAttempt.objects.create(enrolment=draft, questionnaire=questionnaire)

    assert _ids(session, "assessment-not-taken") == {draft.pk, nothing.pk}


def test_the_waiting_list_and_everyone_are_separate_and_within_the_session():
    session = OpenSessionFactory()
    active = EnrolmentFactory(session=session)
    waiting = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    EnrolmentFactory(session=session, status=EnrolmentStatus.WITHDRAWN)
    EnrolmentFactory(session=OpenSessionFactory())  # another session's

    assert (_ids(session, "everyone"), _ids(session, "waiting")) == ({active.pk}, {waiting.pk})


def test_an_unknown_or_tampered_segment_key_is_no_segment():
    session = OpenSessionFactory()
    now = timezone.now()

    assert [services.find_segment(session, key, now=now) for key in ("stuck:9", "x' OR 1=1", "")] == [
        None
    ] * 3


# --- Sending --------------------------------------------------------------------------------------


def _write(session, *, token=TOKEN, segment="everyone", now=None, **kwargs):
    return services.write_to_segment(
        session=session,
        segment_key=segment,
        subject="Atelier CV jeudi",
        body="Bonjour,\nun atelier CV a lieu jeudi.",
        token=token,
        created_by=None,
        now=now or timezone.localtime().replace(hour=10),
        **kwargs,
    )


def test_one_outbox_message_per_person_with_a_key_per_message_and_person(settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    session = OpenSessionFactory()
    people = [EnrolmentFactory(session=session) for _ in range(3)]

    message, created = _write(session)

    keys = sorted(OutboxMessage.objects.values_list("dedup_key", flat=True))
    assert (created, message.recipients_count, keys) == (
        True,
        3,
        sorted(f"programs:cohort-message:{message.pk}:enrolment:{e.pk}" for e in people),
    )
    assert CohortMessageRecipient.objects.filter(message=message, outbox__isnull=False).count() == 3


def test_the_same_token_twice_writes_and_sends_once(settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    session = OpenSessionFactory()
    EnrolmentFactory.create_batch(2, session=session)

    first, _ = _write(session)
    second, created = _write(session)
    again = services.deliver_cohort_message(message_id=first.pk)

    assert (second.pk, created, again, CohortMessage.objects.count(), OutboxMessage.objects.count()) == (
        first.pk,
        False,
        0,
        1,
        2,
    )


def test_a_delivery_run_twice_even_past_its_check_queues_nobody_twice(settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    session = OpenSessionFactory()
    EnrolmentFactory.create_batch(2, session=session)
    message, _ = _write(session)
    CohortMessage.objects.filter(pk=message.pk).update(delivered_at=None)  # as if the mark were lost

    new = services.deliver_cohort_message(message_id=message.pk)

    assert (new, OutboxMessage.objects.count(), CohortMessageRecipient.objects.count()) == (0, 2, 2)


def test_quiet_hours_hold_the_messages_until_eight(settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    session = OpenSessionFactory()
    EnrolmentFactory(session=session)
    late = datetime(2026, 3, 10, 22, 30, tzinfo=PARIS)

    _write(session, now=late)

    assert OutboxMessage.objects.get().send_after == datetime(2026, 3, 11, 8, 0, tzinfo=PARIS)


def test_deactivated_and_erased_accounts_are_skipped_and_counted():
    session = OpenSessionFactory()
    EnrolmentFactory(session=session)
    EnrolmentFactory(session=session, job_seeker=UserFactory(is_active=False))
    EnrolmentFactory(session=session, job_seeker=UserFactory(email="anonymised-9@invalid"))

    message, _ = _write(session)

    assert (message.recipients_count, message.skipped_count, OutboxMessage.objects.count()) == (1, 2, 1)


def test_a_large_group_is_queued_by_a_task_after_the_commit(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "INLINE_LIMIT", 1)
    session = OpenSessionFactory()
    EnrolmentFactory.create_batch(2, session=session)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message, _ = _write(session)
    before = (CohortMessage.objects.get().delivered_at, OutboxMessage.objects.count())
    for callback in callbacks:
        callback()

    message.refresh_from_db()
    assert (before, message.recipients_count, OutboxMessage.objects.count()) == ((None, 0), 2, 2)


def test_a_message_whose_task_was_lost_is_caught_up():
    session = OpenSessionFactory()
    EnrolmentFactory(session=session)
    message = CohortMessage.objects.create(
        session=session,
        segment_key="everyone",
        segment_label="Tout le monde",
        subject="Bonjour",
        body="Un message.",
        send_after=timezone.now(),
    )
    CohortMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    queued = services.deliver_pending_messages()

    assert (queued, CohortMessage.objects.get().recipients_count) == (1, 1)


def test_a_draft_session_an_unknown_group_and_an_empty_group_are_refused():
    draft = SessionFactory(status="draft", published_at=None)
    session = OpenSessionFactory()
    errors = []
    for target, segment in ((draft, "everyone"), (session, "stuck:8"), (session, "waiting")):
        with pytest.raises(services.MessageError) as error:
            _write(target, segment=segment, token=None)
        errors.append(str(error.value)[:30])

    assert errors == [
        "Cette session est un brouillon",
        "Ce groupe n'existe pas (ou plu",
        "Personne ne peut recevoir ce m",
    ]
    assert CohortMessage.objects.count() == 0


def test_the_e_mail_carries_the_text_and_escapes_it_in_html(settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    session = OpenSessionFactory(title="DéClics Aude")

    subject, text, html = services.render_message(
        session=session, subject="Un mot", body="<b>Jeudi</b> & {{ x }}"
    )

    assert (
        "Un mot" in subject,
        "<b>Jeudi</b> & {{ x }}" in text,
        "&lt;b&gt;Jeudi&lt;/b&gt; &amp; {{ x }}" in html,
    ) == (
        True,
        True,
        True,
    )
    assert "DéClics Aude" in text


# --- Pages ----------------------------------------------------------------------------------------


def test_compose_previews_the_count_and_the_text_without_sending(client):
    session = OpenSessionFactory()
    EnrolmentFactory.create_batch(2, session=session)

    response = _staff_client(client).post(
        reverse("programs:console_message_compose", args=[session.slug]), {**_form(), "preview": "1"}
    )

    html = response.content.decode()
    assert (response.status_code, response.context["preview"].recipients, CohortMessage.objects.count()) == (
        200,
        2,
        0,
    )
    assert "Ce message partira vers 2 personnes." in html
    assert "Bonjour, un atelier CV a lieu jeudi." in html
    assert 'name="send"' in html


def test_send_with_an_edited_text_after_the_preview_shows_the_preview_again(client):
    session = OpenSessionFactory()
    EnrolmentFactory(session=session)
    data = _send_form()
    data["body"] = "Un autre texte que celui de l'aperçu."

    response = _staff_client(client).post(
        reverse("programs:console_message_compose", args=[session.slug]), data
    )

    assert (response.status_code, response.context["preview"].recipients, CohortMessage.objects.count()) == (
        200,
        1,
        0,
    )


def test_a_double_submit_of_the_form_sends_once(client, settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    session = OpenSessionFactory()
    EnrolmentFactory.create_batch(3, session=session)
    client = _staff_client(client)
    url = reverse("programs:console_message_compose", args=[session.slug])

    first = client.post(url, _send_form())
    second = client.post(url, _send_form(), follow=True)

    assert (first.status_code, CohortMessage.objects.count(), OutboxMessage.objects.count()) == (302, 1, 3)
    assert "pas reparti une seconde fois" in second.content.decode()


def test_a_tampered_group_is_a_form_error(client):
    session = OpenSessionFactory()
    EnrolmentFactory(session=session)

    response = _staff_client(client).post(
        reverse("programs:console_message_compose", args=[session.slug]),
        {**_form(segment="stuck:99"), "preview": "1"},
    )

    assert (response.status_code, list(response.context["form"].errors)) == (400, ["segment"])


@pytest.mark.parametrize("rows", [1, 3])
def test_history_query_count_is_constant(client, django_assert_num_queries, rows, settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    session = OpenSessionFactory()
    EnrolmentFactory.create_batch(rows, session=session)
    author = StaffFactory(first_name="Awa")
    for n in range(rows):
        services.write_to_segment(
            session=session,
            segment_key="everyone",
            subject=f"Message {n}",
            body="Bonjour à toutes et à tous.",
            token=f"00000000-0000-4000-8000-00000000000{n}",
            created_by=author,
            now=timezone.localtime().replace(hour=10),
        )
    OutboxMessage.objects.filter(pk=OutboxMessage.objects.first().pk).update(status="failed")
    client = _staff_client(client)

    # login session, user, session, count, page; the login session saved (3 with its savepoint)
    with django_assert_num_queries(8):
        response = client.get(reverse("programs:console_messages", args=[session.slug]))

    first = list(response.context["page"].object_list)[-1]
    assert (
        len(response.context["page"].object_list),
        first.recipients_count,
        first.sent + first.pending + first.failed,
    ) == (
        rows,
        rows,
        rows,
    )
    assert "par Awa" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_compose_and_preview_query_counts_are_constant(client, django_assert_num_queries, rows):
    session = OpenSessionFactory()
    for _ in range(rows):
        WorkshopFactory(session=session, starts_at=timezone.now() - timedelta(days=1))
    EnrolmentFactory.create_batch(rows, session=session)
    client = _staff_client(client)
    url = reverse("programs:console_message_compose", args=[session.slug])

    # login session, user, session, open steps, held workshops; the login session saved (3)
    with django_assert_num_queries(8):
        client.get(url)
    # … and for the preview: the group's open steps and workshops again, its count, who turned cohort
    # news off, and the reachable count
    with django_assert_num_queries(10):
        response = client.post(url, {**_form(segment="stuck:1"), "preview": "1"})

    assert response.context["preview"].recipients == rows
