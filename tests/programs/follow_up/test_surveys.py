import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from programs.follow_up.tasks import send_surveys
from programs.models import EnrolmentStatus, SessionStatus, SurveyKind, SurveyResponse
from programs.services import surveys
from tests.programs.factories import EnrolmentFactory, SessionFactory


@pytest.fixture
def ended(db):
    """A session that ended 2 days ago (survey date passed), with two active people and one withdrawn."""
    now = timezone.now()
    start = now - timedelta(days=30)
    session = SessionFactory(
        status=SessionStatus.CLOSED,
        registration_opens_at=start - timedelta(days=20),
        registration_closes_at=start,
        starts_at=start,
        ends_at=now - timedelta(days=2),
        survey_at=now - timedelta(days=2),
    )
    people = EnrolmentFactory.create_batch(2, session=session)
    EnrolmentFactory(session=session, status=EnrolmentStatus.WITHDRAWN)
    return session, people


def _link(message):
    return re.search(r"/sessions/questionnaire/[^/\s]+/", message.body_text).group(0)


def test_send_surveys_queues_one_personal_link_each_once(ended):
    session, people = ended
    assert send_surveys() == {"sent": {f"{session.slug}:satisfaction": 2}, "reminders": 0}
    assert send_surveys()["sent"] == {}
    messages = OutboxMessage.objects.filter(dedup_key__startswith="programs:survey:satisfaction:")
    assert sorted(messages.values_list("to_email", flat=True)) == sorted(p.job_seeker.email for p in people)
    assert len({_link(m) for m in messages}) == 2


def test_follow_ups_are_sent_at_3_and_6_months(ended):
    session, _people = ended
    later = session.ends_at + timedelta(days=92)
    assert surveys.send_due_surveys(now=later) == {f"{session.slug}:follow_up_3": 2}
    assert surveys.send_due_surveys(now=session.ends_at + timedelta(days=183)) == {
        f"{session.slug}:follow_up_6": 2
    }
    assert SurveyResponse.objects.filter(kind=SurveyKind.FOLLOW_UP_6).count() == 2


def test_one_reminder_only_for_unanswered_surveys(ended):
    session, (first, second) = ended
    now = timezone.now()
    surveys.send_session_surveys(session=session, kind=SurveyKind.SATISFACTION, now=now)
    SurveyResponse.objects.filter(enrolment=first).update(answered_at=now, overall=5)
    assert surveys.send_survey_reminders(now=now + timedelta(days=6)) == 0
    assert surveys.send_survey_reminders(now=now + timedelta(days=8)) == 1
    assert surveys.send_survey_reminders(now=now + timedelta(days=9)) == 0
    reminders = OutboxMessage.objects.filter(dedup_key__startswith="programs:survey-reminder:")
    assert list(reminders.values_list("to_email", flat=True)) == [second.job_seeker.email]


def test_answer_satisfaction_without_logging_in(client, ended):
    session, (person, _other) = ended
    surveys.send_session_surveys(session=session, kind=SurveyKind.SATISFACTION)
    response = SurveyResponse.objects.get(enrolment=person)
    url = reverse("programs:survey_answer", args=[surveys.survey_token(response=response)])
    page = client.post(
        url, {"overall": "4", "step_1": "5", "step_3": "2", "would_recommend": "yes", "comment": "Merci"}
    )
    assert "Vos réponses sont enregistrées" in unescape(page.content.decode())
    response.refresh_from_db()
    assert (response.overall, response.step_usefulness, response.would_recommend, response.comment) == (
        4,
        {"1": 5, "3": 2},
        True,
        "Merci",
    )
    again = client.post(url, {"overall": "1", "would_recommend": "no"})
    assert "Vous avez déjà répondu" in unescape(again.content.decode())
    response.refresh_from_db()
    assert response.overall == 4


def test_follow_up_in_a_job_needs_the_contract(client, ended):
    session, (person, _other) = ended
    surveys.send_session_surveys(session=session, kind=SurveyKind.FOLLOW_UP_3)
    response = SurveyResponse.objects.get(enrolment=person)
    url = reverse("programs:survey_answer", args=[surveys.survey_token(response=response)])
    page = client.post(url, {"situation": "job"})
    assert page.status_code == 400
    assert "Indiquez le type de contrat." in unescape(page.content.decode())
    client.post(url, {"situation": "job", "contract": "cdi", "rome_code": "m1805"})
    response.refresh_from_db()
    assert (response.situation, response.contract, response.rome_code) == ("job", "cdi", "M1805")


def test_expired_survey_token_is_refused(client, ended):
    session, (person, _other) = ended
    surveys.send_session_surveys(session=session, kind=SurveyKind.SATISFACTION)
    response = SurveyResponse.objects.get(enrolment=person)
    signer = signing.TimestampSigner(salt=surveys.TOKEN_SALT)
    old = signing.dumps({"r": response.pk, "k": response.kind}, salt=surveys.TOKEN_SALT, compress=True)
    # Re-sign the same payload 61 days in the past.
    payload = signer.unsign(old)
    expired = signing.TimestampSigner(salt=surveys.TOKEN_SALT)
    expired.timestamp = lambda: signing.b62_encode(int((timezone.now() - timedelta(days=61)).timestamp()))
    token = expired.sign(payload)
    page = client.get(reverse("programs:survey_answer", args=[token]))
    assert page.status_code == 410
    assert "Ce lien a expiré" in unescape(page.content.decode())


@pytest.mark.parametrize("token", ["n-importe-quoi", "eyJyIjoxfQ:1abc:forged"])
def test_forged_survey_token_is_not_found(client, db, token):
    page = client.get(reverse("programs:survey_answer", args=[token]))
    assert page.status_code == 404
    assert "Ce lien n'est pas valide." in unescape(page.content.decode())
