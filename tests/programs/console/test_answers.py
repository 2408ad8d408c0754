"""Reading the answers of a session (issue 14, item 6)."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentoring.models import Feedback
from programs.console.answers import selectors
from programs.models import SurveyKind, SurveyResponse
from programs.workshops.models import WorkshopBooking, WorkshopBookingStatus
from tests.factories import StaffFactory, UserFactory
from tests.mentoring.factories import MentorshipFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory
from tests.programs.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _survey(session, *, comment="", kind=SurveyKind.SATISFACTION, when=None, **fields):
    enrolment = EnrolmentFactory(
        session=session, job_seeker=UserFactory(first_name="Yasmina", last_name="Zerrouki")
    )
    when = when or timezone.now() - timedelta(days=1)
    return SurveyResponse.objects.create(
        enrolment=enrolment,
        kind=kind,
        sent_at=when - timedelta(days=1),
        answered_at=when,
        comment=comment,
        **fields,
    )


def _mentoring(session, *, comment="Très utile", by_mentor=False):
    mentorship = MentorshipFactory(enrolment=EnrolmentFactory(session=session))
    author = mentorship.mentor.user if by_mentor else mentorship.enrolment.job_seeker
    return Feedback.objects.create(
        mentorship=mentorship, author=author, rating=4, useful=True, comment=comment
    )


def _workshop_feedback(session, *, answer="very"):
    enrolment = EnrolmentFactory(session=session)
    workshop = WorkshopFactory(
        session=session, title="CV et LinkedIn", starts_at=timezone.now() - timedelta(days=2)
    )
    return WorkshopBooking.objects.create(
        workshop=workshop,
        enrolment=enrolment,
        job_seeker=enrolment.job_seeker,
        status=WorkshopBookingStatus.CONFIRMED,
        attended=True,
        feedback=answer,
        feedback_at=timezone.now() - timedelta(hours=5),
    )


def _staff(client):
    client.force_login(StaffFactory())
    return client


def test_every_kind_of_answer_is_read_with_a_pseudonym_and_no_name():
    session = OpenSessionFactory()
    survey = _survey(session, comment="Merci pour tout", overall=5, would_recommend=True)
    _survey(session, kind=SurveyKind.FOLLOW_UP_3, situation="job", contract="cdi")
    mentee = _mentoring(session, comment="Ma mentore m'a beaucoup aidée")
    _mentoring(session, comment="Binôme motivé", by_mentor=True)
    _workshop_feedback(session)
    _survey(OpenSessionFactory(), comment="Une autre session")

    rows = selectors.answers(session).rows

    assert sorted((row.kind, row.role, row.rating, row.text) for row in rows) == [
        ("follow_up", "Candidat·e", "En emploi, CDI", ""),
        ("mentoring", "Candidat·e", "4/5, utile", "Ma mentore m'a beaucoup aidée"),
        ("mentoring", "Mentor·e", "4/5, utile", "Binôme motivé"),
        ("satisfaction", "Candidat·e", "5/5, recommande le programme", "Merci pour tout"),
        ("workshop", "Candidat·e", "Oui, beaucoup", ""),
    ]
    by_kind = {row.kind + row.role: row for row in rows}
    assert by_kind["satisfactionCandidat·e"].respondent == selectors.pseudonym(
        f"enrolment:{survey.enrolment.public_id}"
    )
    assert by_kind["mentoringCandidat·e"].respondent == selectors.pseudonym(
        f"enrolment:{mentee.mentorship.enrolment.public_id}"
    )
    assert all(row.respondent.startswith("P-") and len(row.respondent) == 8 for row in rows)


def test_filters_by_kind_period_and_text():
    session = OpenSessionFactory()
    _survey(session, comment="Dans la période", when=datetime(2026, 3, 10, 23, 30, tzinfo=PARIS))
    _survey(session, comment="", when=datetime(2026, 3, 11, 9, 0, tzinfo=PARIS))
    _survey(session, comment="Trop tard", when=datetime(2026, 3, 12, 0, 10, tzinfo=PARIS))
    _mentoring(session, comment="Autre type")

    def texts(**filters):
        return [row.text for row in selectors.answers(session, **filters).rows]

    march_10_11 = {"since": date(2026, 3, 10), "until": date(2026, 3, 11)}
    assert texts(kind="satisfaction", **march_10_11) == ["", "Dans la période"]
    assert texts(kind="satisfaction", with_text=True, **march_10_11) == ["Dans la période"]
    assert texts(kind="mentoring") == ["Autre type"]


def test_the_page_shows_the_answers_without_names_or_addresses(client):
    session = OpenSessionFactory()
    survey = _survey(session, comment="Le meilleur atelier : <em>entretien</em>")

    response = _staff(client).get(reverse("programs:console_answers", args=[session.slug]))

    html = response.content.decode()
    user = survey.enrolment.job_seeker
    assert (response.status_code, user.first_name in html, user.last_name in html, user.email in html) == (
        200,
        False,
        False,
        False,
    )
    assert "Le meilleur atelier : &lt;em&gt;entretien&lt;/em&gt;" in html
    assert selectors.pseudonym(f"enrolment:{survey.enrolment.public_id}") in html


def test_wrong_filters_are_a_form_error_and_refuse_the_export(client):
    session = OpenSessionFactory()
    client = _staff(client)

    page = client.get(
        reverse("programs:console_answers", args=[session.slug]),
        {"since": "2026-03-12", "until": "2026-03-01"},
    )
    export = client.get(reverse("programs:console_answers_export", args=[session.slug]), {"kind": "nope"})

    assert (page.status_code, list(page.context["form"].errors), export.status_code) == (400, ["until"], 400)


def test_the_export_writes_texts_as_text_never_formulas(client):
    session = OpenSessionFactory()
    _survey(session, comment='=HYPERLINK("https://evil.example","clic")', overall=2)

    response = _staff(client).get(
        reverse("programs:console_answers_export", args=[session.slug]), {"kind": "satisfaction"}
    )

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    cell = sheet.cell(row=2, column=7)
    assert rows[0] == ("Date", "Type", "Personne", "Rôle", "Sujet", "Réponse", "Commentaire")
    assert (cell.value, cell.data_type, rows[1][1], rows[1][5]) == (
        '=HYPERLINK("https://evil.example","clic")',
        "s",
        "Questionnaire de satisfaction",
        "2/5",
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_answers_page_query_count_is_constant(client, django_assert_num_queries, rows):
    session = OpenSessionFactory()
    for n in range(rows):
        _survey(session, comment=f"Commentaire {n}")
        _survey(session, kind=SurveyKind.FOLLOW_UP_6, situation="training")
        _mentoring(session)
        _workshop_feedback(session)
    client = _staff(client)

    # login session, user, session, one per kind (satisfaction, follow-ups, mentoring, workshops);
    # the login session saved (3)
    with django_assert_num_queries(10):
        response = client.get(reverse("programs:console_answers", args=[session.slug]))

    assert len(response.context["page"].object_list) == 4 * rows
