import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from declics import personal_data
from declics.accounts.models import User
from declics.notifications.models import OutboxMessage
from declics.notifications.services import queue_message
from declics.privacy import services as privacy
from jobs.offers.models import Application
from jobs.trainings import services as meeting_services
from jobs.trainings.models import TrainingInterest
from mentoring.models import Feedback, MenteePreferences, MentorshipStatus, SessionLog
from programs.assessment.models import AssessmentAttempt
from programs.impact import impact
from programs.models import (
    Enrolment,
    JobSeekerProfile,
    SessionEmailInvitation,
    Step,
    StepProgress,
    SurveyKind,
    SurveyResponse,
)
from programs.workshops.models import WorkshopBooking, WorkshopBookingStatus
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.jobs.factories import (
    PDF_BYTES,
    ApplicationFactory,
    MeetingSlotFactory,
    MembershipFactory,
    TrainingFactory,
    meeting_booking,
)
from tests.jobs.factories import (
    EnrolmentFactory as JobsEnrolmentFactory,
)
from tests.mentoring.factories import MenteePreferencesFactory, MentorshipFactory
from tests.programs.advisers.factories import agency_adviser
from tests.programs.factories import CommuneFactory, EnrolmentFactory, QPVFactory, SessionFactory
from tests.programs.role_models.factories import TalkFactory, TalkRegistrationFactory
from tests.programs.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def person():
    """A job seeker with a row in every app: profile, enrolment, steps, workshop, mentor, jobs, mail."""
    user = UserFactory(first_name="Awa", last_name="Diallo", email="awa@example.org", phone="0612345678")
    commune = CommuneFactory(code="34172", name="Montpellier")
    qpv = QPVFactory(communes=[commune], code="QN03401M", name="La Paillade")
    adviser = agency_adviser(first_name="Ana", last_name="Conseil")
    session = SessionFactory(
        title="DéClics Hérault 2020", slug="declics-herault-2020", departements=[commune.departement]
    )
    JobSeekerProfile.objects.create(
        user=user,
        commune=commune,
        birth_year=1990,
        gender=JobSeekerProfile.Gender.WOMAN,
        france_travail_id="1234567A",
        rqth=True,
        heard_from="adviser",
    )
    enrolment = EnrolmentFactory(
        session=session,
        job_seeker=user,
        commune=commune,
        qpv=qpv,
        adviser=adviser,
        share_with_adviser=True,
        eligibility={
            "eligible": True,
            "basis": "qpv",
            "session": session.slug,
            "commune": {"code": "34172", "name": "Montpellier", "departement": commune.departement_id},
            "qpv": {"code": "QN03401M", "name": "La Paillade"},
        },
    )
    SessionEmailInvitation.objects.create(session=session, adviser=adviser, email="awa@example.org")
    StepProgress.objects.create(enrolment=enrolment, step=Step.ROLE_MODELS, completed_at=timezone.now())
    SurveyResponse.objects.create(
        enrolment=enrolment,
        kind=SurveyKind.SATISFACTION,
        sent_at=timezone.now(),
        answered_at=timezone.now(),
        overall=5,
        comment="Merci à ma mentore Julie, elle m'a beaucoup aidée.",
    )
    past = WorkshopFactory(session=session, title="Mon CV", starts_at=timezone.now() - timedelta(days=2))
    WorkshopBooking.objects.create(
        workshop=past,
        enrolment=enrolment,
        job_seeker=user,
        status=WorkshopBookingStatus.CONFIRMED,
        attended=True,
    )
    MenteePreferencesFactory(enrolment=enrolment, goals="Trouver une alternance près de chez moi.")
    mentorship = MentorshipFactory(enrolment=enrolment, goals="Préparer mes entretiens.")
    SessionLog.objects.create(
        mentorship=mentorship,
        held_on=timezone.localdate(),
        duration_minutes=45,
        topic="Relecture du CV",
        private_notes="Awa hésite, sa fille est malade.",
        created_by=mentorship.mentor.user,
    )
    Feedback.objects.create(mentorship=mentorship, author=user, rating=5, comment="Julie est super.")
    application = ApplicationFactory(
        job_seeker=user, enrolment=enrolment, message="Je suis motivée.", cv_name="CV Awa Diallo.pdf"
    )
    TrainingInterest.objects.create(
        training=TrainingFactory(title="Développeur web"),
        job_seeker=user,
        enrolment=enrolment,
        message="Je voudrais en savoir plus.",
        consent_at=timezone.now(),
    )
    meeting_booking(MeetingSlotFactory(session=session), enrolment)
    queue_message(
        key="test:hello", to="awa@example.org", subject="Bonjour Awa", text="Bonjour Awa Diallo", user=user
    )
    return {"user": user, "enrolment": enrolment, "application": application, "mentorship": mentorship}


def test_export_user_data_gathers_the_person_across_apps(person):
    data = privacy.export_user_data(user=person["user"])

    assert data["account"]["email"] == "awa@example.org"
    assert data["account"]["phone"] == "0612345678"
    assert data["email_addresses"] == [{"email": "awa@example.org", "verified": True, "primary": True}]
    assert data["adviser_invitations_received"][0]["adviser"] == "Ana Conseil"
    assert data["job_seeker_profile"]["france_travail_id"] == "1234567A"
    assert data["job_seeker_profile"]["gender"] == {"value": "woman", "label": "Femme"}
    [enrolment] = data["enrolments"]
    assert enrolment["session"] == {"title": "DéClics Hérault 2020", "slug": "declics-herault-2020"}
    assert enrolment["qpv"] == {"code": "QN03401M", "name": "La Paillade"}
    assert enrolment["eligibility"]["basis"] == "qpv"
    assert [(s["step"], s["completed_at"] is not None) for s in enrolment["steps"]] == [(1, True)]
    assert enrolment["surveys"][0]["overall"] == 5
    assert enrolment["surveys"][0]["comment"] == "Merci à ma mentore Julie, elle m'a beaucoup aidée."
    assert enrolment["mentoring"]["preferences"]["goals"] == "Trouver une alternance près de chez moi."
    [mentorship] = enrolment["mentoring"]["mentorships"]
    assert mentorship["goals"] == "Préparer mes entretiens."
    assert mentorship["sessions"] == [
        {"held_on": timezone.localdate().isoformat(), "duration_minutes": 45, "topic": "Relecture du CV"}
    ]
    assert [b["workshop"] for b in data["workshop_bookings"]] == ["Mon CV"]
    assert data["mentoring_feedback_given"][0]["comment"] == "Julie est super."
    assert data["applications"][0]["message"] == "Je suis motivée."
    assert data["applications"][0]["cv"] == {
        "name": "CV Awa Diallo.pdf",
        "file_in_archive": f"cv/{person['application'].pk}-CV_Awa_Diallo.pdf",
    }
    assert data["training_interests"][0]["message"] == "Je voudrais en savoir plus."
    assert len(data["meeting_bookings"]) == 1
    assert [m["subject"] for m in data["messages_sent_to_you"]] == ["Bonjour Awa"]


def test_export_never_shows_the_mentors_private_notes_to_the_mentee(person):
    mentee_export = json.dumps(privacy.export_user_data(user=person["user"]), default=str)
    mentor_export = privacy.export_user_data(user=person["mentorship"].mentor.user)

    assert "sa fille est malade" not in mentee_export
    assert (
        mentor_export["mentor_profile"]["sessions"][0]["private_notes"] == "Awa hésite, sa fille est malade."
    )


def test_privacy_export_view_sends_a_zip_with_the_json_and_the_cv(client, person):
    client.force_login(person["user"])

    response = client.get(reverse("privacy:export"))

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="declics-mes-donnees-')
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    cv_name = f"cv/{person['application'].pk}-CV_Awa_Diallo.pdf"
    assert sorted(archive.namelist()) == sorted(["donnees.json", "LISEZMOI.txt", cv_name])
    assert archive.read(cv_name) == PDF_BYTES
    assert json.loads(archive.read("donnees.json"))["account"]["last_name"] == "Diallo"


def test_privacy_pages_ask_to_log_in(client):
    for name in ("data", "export", "delete"):
        response = client.get(reverse(f"privacy:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_profile_links_to_my_data(client):
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("privacy:export") in page
    assert reverse("privacy:delete") in page


def test_erase_user_removes_identifiers_and_keeps_counted_figures(person, django_capture_on_commit_callbacks):
    user = person["user"]
    cv_path = Path(person["application"].cv.path)
    before = impact.compute(enrolments=impact.participants())[0]
    assert cv_path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_user(user=user)

    user.refresh_from_db()
    anonymous = f"anonymised-{user.pk}@invalid"
    assert (user.email, user.first_name, user.last_name, user.phone) == (anonymous, "", "", "")
    assert user.is_active is False
    assert user.has_usable_password() is False
    assert not EmailAddress.objects.filter(user=user).exists()
    profile = JobSeekerProfile.objects.get(user=user)
    assert (profile.france_travail_id, profile.heard_from, profile.commune) == ("", "", None)
    assert (profile.gender, profile.birth_year, profile.rqth) == ("woman", 1990, True)  # counted figures
    enrolment = Enrolment.objects.get(pk=person["enrolment"].pk)
    assert (enrolment.qpv, enrolment.share_with_adviser) == (None, False)
    assert enrolment.eligibility["basis"] == "qpv"
    assert "qpv" not in enrolment.eligibility
    assert enrolment.eligibility["commune"] == {
        "code": "34172",
        "departement": enrolment.commune.departement_id,
    }
    assert SessionEmailInvitation.objects.get().email == anonymous
    survey = SurveyResponse.objects.get()
    assert (survey.overall, survey.comment) == (5, "")
    assert not MenteePreferences.objects.exists()
    assert not AssessmentAttempt.objects.exists()
    assert SessionLog.objects.get().private_notes == ""
    assert Feedback.objects.get().comment == ""
    application = Application.objects.get()
    assert (application.message, application.cv_name, application.cv.name) == ("", "", "")
    assert not cv_path.exists()
    assert TrainingInterest.objects.get().message == ""
    message = OutboxMessage.objects.get(dedup_key="test:hello")
    assert (message.to_email, message.subject, message.body_text, message.status) == (
        anonymous,
        "",
        "",
        OutboxMessage.Status.CANCELLED,
    )
    # The mentorship was ended, the mentor's place freed.
    mentorship = person["mentorship"]
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED
    assert mentorship.mentor.__class__.objects.get(pk=mentorship.mentor_id).active_mentees == 0
    # What the impact page counts is unchanged.
    after = impact.compute(enrolments=impact.participants())[0]
    assert (after.participants.count, after.women.count, after.qpv.count, after.rqth.count) == (
        before.participants.count,
        before.women.count,
        before.qpv.count,
        before.rqth.count,
    )
    assert after.steps[Step.ROLE_MODELS].count == before.steps[Step.ROLE_MODELS].count == 1
    assert after.satisfied.count == before.satisfied.count == 1
    # Nothing left that names her.
    dump = json.dumps(privacy.export_user_data(user=user), default=str)
    for word in ("Awa", "Diallo", "awa@example.org", "0612345678", "1234567A", "Paillade"):
        assert word not in dump


def test_erase_user_twice_changes_nothing_more(person):
    privacy.erase_user(user=person["user"])
    first = privacy.export_user_data(user=person["user"])
    privacy.erase_user(user=person["user"])
    second = privacy.export_user_data(user=person["user"])
    first.pop("generated_at")
    second.pop("generated_at")
    assert first == second


def test_erase_user_frees_an_upcoming_workshop_seat():
    enrolment = EnrolmentFactory()
    workshop = WorkshopFactory(session=enrolment.session, seats=1, seats_taken=1)
    booking = WorkshopBooking.objects.create(
        workshop=workshop,
        enrolment=enrolment,
        job_seeker=enrolment.job_seeker,
        status=WorkshopBookingStatus.CONFIRMED,
        confirmed_at=timezone.now(),
    )

    privacy.erase_user(user=enrolment.job_seeker)

    booking.refresh_from_db()
    workshop.refresh_from_db()
    assert (booking.status, workshop.seats_taken) == (WorkshopBookingStatus.CANCELLED, 0)


def test_erase_user_refuses_staff_accounts():
    staff = StaffFactory(email="staff@example.org")
    with pytest.raises(privacy.ErasureError):
        privacy.erase_user(user=staff)
    staff.refresh_from_db()
    assert (staff.email, staff.is_active) == ("staff@example.org", True)


def test_privacy_delete_with_a_wrong_password_keeps_the_account(client):
    user = UserFactory(email="awa@example.org")
    client.force_login(user)

    response = client.post(reverse("privacy:delete"), {"password": "pas-le-bon"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"password": ["Ce mot de passe n'est pas le bon."]}
    user.refresh_from_db()
    assert (user.email, user.is_active) == ("awa@example.org", True)


def test_privacy_delete_with_the_password_erases_and_logs_out(client):
    user = UserFactory(email="awa@example.org")
    client.force_login(user)

    page = client.get(reverse("privacy:delete"))
    response = client.post(reverse("privacy:delete"), {"password": PASSWORD}, follow=True)

    assert 'autocomplete="current-password"' in page.content.decode()
    assert response.redirect_chain == [(reverse("privacy:deleted"), 302)]
    assert "Votre compte est supprimé" in response.content.decode()
    assert response.context["user"].is_authenticated is False
    user.refresh_from_db()
    assert (user.email, user.is_active) == (f"anonymised-{user.pk}@invalid", False)
    assert not client.login(email="awa@example.org", password=PASSWORD)


def test_privacy_delete_without_a_password_asks_for_the_typed_word(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    refused = client.post(reverse("privacy:delete"), {"confirmation": "oui"})
    accepted = client.post(reverse("privacy:delete"), {"confirmation": "supprimer"})

    assert refused.context["form"].errors == {"confirmation": ["Écrivez SUPPRIMER en toutes lettres."]}
    assert accepted["Location"] == reverse("privacy:deleted")
    assert User.objects.get(pk=user.pk).is_active is False


def test_privacy_delete_by_staff_shows_why_not(client):
    staff = StaffFactory()
    client.force_login(staff)
    response = client.post(reverse("privacy:delete"), {"password": PASSWORD})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Un compte de l'équipe DéClics se ferme par l'administration."
    ]


def test_privacy_data_page_explains_and_links(client):
    client.force_login(UserFactory())
    response = client.get(reverse("privacy:data"))
    html = response.content.decode()
    assert "<h1>Mes données</h1>" in html
    assert f'href="{reverse("privacy:export")}"' in html
    assert f'href="{reverse("privacy:delete")}"' in html


def test_erase_user_deletes_the_cv_only_once_the_erasure_commits(person, django_capture_on_commit_callbacks):
    cv_path = Path(person["application"].cv.path)

    with django_capture_on_commit_callbacks() as callbacks:
        privacy.erase_user(user=person["user"])
        assert cv_path.exists()  # not before the commit

    for callback in callbacks:
        callback()
    assert not cv_path.exists()


def test_a_rolled_back_erasure_deletes_no_file(person):
    cv_path = Path(person["application"].cv.path)

    with pytest.raises(RuntimeError), transaction.atomic():
        privacy.erase_user(user=person["user"])
        raise RuntimeError("the caller's transaction fails after the erasure")

    assert cv_path.exists()
    assert Application.objects.get().cv.name == person["application"].cv.name


def test_erase_user_frees_an_upcoming_meeting_seat_for_the_next_person_and_tells_the_body():
    enrolment = JobsEnrolmentFactory()
    slot = MeetingSlotFactory(
        session=enrolment.session, starts_at=timezone.now() + timedelta(days=3), seats=1
    )
    member = MembershipFactory(partner=slot.body).user
    booking = meeting_booking(slot, enrolment)
    waiting = meeting_services.book_meeting_slot(
        slot=slot, enrolment=JobsEnrolmentFactory(session=slot.session)
    )

    privacy.erase_user(user=enrolment.job_seeker)

    booking.refresh_from_db()
    waiting.refresh_from_db()
    slot.refresh_from_db()
    assert (booking.status, booking.end_reason) == ("cancelled", "erased")
    assert (waiting.status, slot.seats_taken) == ("offered", 1)
    told = OutboxMessage.objects.filter(dedup_key__startswith="meeting-organiser-cancelled")
    assert list(told.values_list("to_email", flat=True)) == [member.email]
    # Nobody writes to an address being erased: no cancellation notice to the person.
    assert not OutboxMessage.objects.filter(dedup_key__startswith="meeting-booking-cancelled").exists()


@pytest.fixture
def erasure_failing_after_the_steps():
    """An app whose erasure fails after every step's (the CV field is blank by then)."""

    def erase(*, user, now):
        raise RuntimeError("the database went away")

    personal_data.register(
        personal_data.PersonalData(app="tests-failing", order=personal_data.ACCOUNT + 1, erase=erase)
    )
    yield
    personal_data.unregister("tests-failing")


def test_an_erasure_failing_midway_deletes_no_file_and_changes_nothing(
    person, erasure_failing_after_the_steps, django_capture_on_commit_callbacks
):
    cv_path = Path(person["application"].cv.path)

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        privacy.erase_user(user=person["user"])

    assert callbacks == []
    assert cv_path.exists()
    application = Application.objects.get()
    assert (application.cv.name, application.message) == (person["application"].cv.name, "Je suis motivée.")
    user = User.objects.get(pk=person["user"].pk)
    assert (user.email, user.is_active) == ("awa@example.org", True)


def test_export_keeps_each_enrolment_with_its_own_steps():
    first = EnrolmentFactory(session=SessionFactory(slug="declics-herault-2020"))
    user = first.job_seeker
    second = EnrolmentFactory(session=SessionFactory(slug="declics-haute-garonne-2020"), job_seeker=user)
    MenteePreferencesFactory(enrolment=first, goals="Une alternance à Montpellier.")
    MenteePreferencesFactory(enrolment=second, goals="Un stage à Toulouse.")
    talk = TalkFactory(session=second.session, title="Data à Toulouse")
    TalkRegistrationFactory(talk=talk, enrolment=second)

    rows = {row["session"]["slug"]: row for row in privacy.export_user_data(user=user)["enrolments"]}

    herault, toulouse = rows["declics-herault-2020"], rows["declics-haute-garonne-2020"]
    assert herault["mentoring"]["preferences"]["goals"] == "Une alternance à Montpellier."
    assert toulouse["mentoring"]["preferences"]["goals"] == "Un stage à Toulouse."
    assert herault["talks"] == []
    assert [talk["talk"] for talk in toulouse["talks"]] == ["Data à Toulouse"]
    assert herault["assessment"] == toulouse["assessment"] == []


def test_export_merges_the_roles_every_app_fills():
    adviser = agency_adviser(first_name="Ana", last_name="Conseil")
    EnrolmentFactory.create_batch(2, adviser=adviser, session=SessionFactory(slug="declics-herault-2020"))
    WorkshopFactory(title="Réussir son entretien").facilitators.add(adviser)

    roles = privacy.export_user_data(user=adviser)["roles"]

    assert sorted(roles) == [
        "agency",
        "email_invitations_sent_per_session",
        "facilitated_workshops",
        "hosted_talks",
        "partner",
        "people_who_named_you_per_session",
        "sms_invitations_sent_per_session",
    ]
    assert roles["people_who_named_you_per_session"] == {"declics-herault-2020": 2}
    assert [w["title"] for w in roles["facilitated_workshops"]] == ["Réussir son entretien"]


def _busy_enrolments(count: int):
    """A job seeker with `count` enrolments, each with a row in every step."""
    user = UserFactory()
    for n in range(count):
        enrolment = EnrolmentFactory(session=SessionFactory(slug=f"session-{n}"), job_seeker=user)
        StepProgress.objects.create(enrolment=enrolment, step=Step.ROLE_MODELS, completed_at=timezone.now())
        SurveyResponse.objects.create(
            enrolment=enrolment, kind=SurveyKind.SATISFACTION, sent_at=timezone.now()
        )
        TalkRegistrationFactory(talk=TalkFactory(session=enrolment.session), enrolment=enrolment)
        MenteePreferencesFactory(enrolment=enrolment, rome=["M1805"])
        mentorship = MentorshipFactory(enrolment=enrolment)
        SessionLog.objects.create(
            mentorship=mentorship, held_on=timezone.localdate(), duration_minutes=30, topic="CV"
        )
        WorkshopBooking.objects.create(
            workshop=WorkshopFactory(session=enrolment.session),
            enrolment=enrolment,
            job_seeker=user,
            status=WorkshopBookingStatus.CONFIRMED,
        )
        ApplicationFactory(job_seeker=user, enrolment=enrolment)
    return user


@pytest.mark.parametrize("enrolments", [1, 3])
def test_export_query_count_is_constant_in_the_rows(django_assert_num_queries, enrolments):
    user = _busy_enrolments(enrolments)

    with django_assert_num_queries(35):
        data = privacy.export_user_data(user=user)

    assert [len(data[key]) for key in ("enrolments", "applications", "workshop_bookings")] == [enrolments] * 3


def test_erasure_makes_the_sessions_cached_figures_stale_after_commit(django_capture_on_commit_callbacks):
    from programs.figures_cache import session_figures_version

    enrolment = EnrolmentFactory(share_with_adviser=True)
    before = session_figures_version(enrolment.session_id)

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_user(user=enrolment.job_seeker)

    assert session_figures_version(enrolment.session_id) != before
