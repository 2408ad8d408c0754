"""The world of the security tests: job seeker B owns one of every personal object; around B stand
the people allowed to see them (B's adviser, mentor, the company and training body B dealt with,
staff) and the people who must not (job seeker A of the same session, a mentor, an adviser and a
partner with no link to B).

B's name and e-mail are made unusual on purpose, so that finding them in a page is never chance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from declics.accounts.mfa import mark_second_factor_passed
from declics.accounts.models import Invitation, Role
from declics.notifications.models import OutboxMessage
from mentoring.models import MatchProposal, MatchRun, MatchRunStatus
from mentoring.notifications import answer_token
from programs.assessment import services as assessment_services
from programs.models import (
    BulkRemoval,
    BulkRemovalStatus,
    CalendarFeedToken,
    SessionPhoneInvitation,
    SessionStatus,
    SurveyKind,
    SurveyResponse,
)
from programs.services.surveys import survey_token
from programs.views import PENDING_KEY
from programs.workshops import services as workshop_services
from programs.workshops.models import Workshop
from tests.conftest import Client
from tests.factories import MentorFactory, PartnerUserFactory, StaffFactory, UserFactory
from tests.jobs.factories import (
    ApplicationFactory,
    JobOfferFactory,
    MeetingSlotFactory,
    MembershipFactory,
    PartnerFactory,
    TrainingBodyFactory,
    TrainingFactory,
)
from tests.mentoring.factories import MentoringRequestFactory, MentorProfileFactory, MentorshipFactory
from tests.programs.advisers.factories import AgencyFactory, agency_adviser
from tests.programs.assessment.answer_sets import SUPPORT_PROFILE, v1_data
from tests.programs.factories import (
    CommuneFactory,
    DepartementFactory,
    EnrolmentFactory,
    OpenSessionFactory,
    RegionFactory,
    RuralZoneFactory,
)
from tests.programs.role_models.factories import TalkFactory, TalkRegistrationFactory
from tests.programs.workshops.factories import WorkshopFactory

# What must never show in a page refused to someone else (compared case-insensitively, unescaped).
B_FIRST_NAME, B_LAST_NAME = "Bérénice", "Quintavalle"
B_EMAIL = "berenice.quintavalle@example.org"
B_SECRETS = (B_LAST_NAME, B_EMAIL)

# The roles of the role × view matrix: each one is somebody with no claim on B's objects, but staff.
ROLES = ("anonymous", "seeker", "mentor", "adviser", "partner", "staff")


@dataclass
class World:
    """Everything the URL tables point at. `users` maps a role or an insider name to a user."""

    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    # What an insider's login session holds besides the login (e.g. a passed eligibility check).
    session_data: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None

    def user(self, name):
        return self.users[name]

    def login(self, client: Client, name: str) -> Client:
        """Sign `client` in as the role or insider `name`, with what their session should hold."""
        login(client, self.users[name])
        if self.session_data.get(name):
            session = client.session
            session.update(self.session_data[name])
            session.save()
        return client


def signed_in_client(world: World, name: str) -> Client:
    """A new client signed in as the role or insider `name` (for tests that need several at once)."""
    return world.login(Client(), name)


def login(client: Client, user) -> Client:
    """The one place where the security tests sign a client in (or out, for `None`).

    Kept in one function so that a change to how tests sign in is made here: the second factor
    that staff and advisers need is marked passed, as the suite's `Client.force_login` does
    (the second factor itself is tested in tests/accounts/test_second_factor*.py).
    """
    client.logout()
    if user is not None:
        client.force_login(user)
        session = client.session
        mark_second_factor_passed(session, user)
        session.save()
    return client


def _assessment_result(enrolment):
    attempt = assessment_services.start_assessment(enrolment=enrolment)
    for question in attempt.questionnaire.questions.all():
        assessment_services.answer_question(
            attempt=attempt, question_id=question.pk, choice_value=SUPPORT_PROFILE[question.key]
        )
    return assessment_services.complete_assessment(attempt=attempt)


def build_world() -> World:
    now = timezone.now()
    region = RegionFactory(code="76", name="Occitanie")
    herault = DepartementFactory(code="34", name="Hérault", region=region)
    garonne = DepartementFactory(code="31", name="Haute-Garonne", region=region)
    # A rural commune (FRR) of the Hérault: whoever lives there may enrol.
    lodeve = CommuneFactory(code="34142", name="Lodève", postal_codes="34700")
    RuralZoneFactory(commune=lodeve)
    session = OpenSessionFactory(slug="session-b", region=region, departements=[herault], capacity=50)
    other_session = OpenSessionFactory(slug="session-b-deux", region=region, departements=[herault])
    draft_session = OpenSessionFactory(
        slug="session-brouillon",
        region=region,
        departements=[herault],
        status=SessionStatus.DRAFT,
        published_at=None,
        registration_closes_at=now + timedelta(days=30),
    )
    closed = OpenSessionFactory(
        slug="session-close",
        region=region,
        departements=[herault],
        status=SessionStatus.CLOSED,
        starts_at=now - timedelta(days=60),
        ends_at=now - timedelta(days=20),
    )

    staff = StaffFactory(first_name="Sacha", last_name="Equipe")
    agency = AgencyFactory(name="France Travail Montpellier", departement=herault)
    adviser_b = agency_adviser(agency=agency, first_name="Ana", last_name="Conseil")
    other_agency = AgencyFactory(name="Mission locale Toulouse", departement=garonne)
    adviser_other = agency_adviser(agency=other_agency, first_name="Octave", last_name="Ailleurs")

    b = UserFactory(first_name=B_FIRST_NAME, last_name=B_LAST_NAME, email=B_EMAIL)
    # Two people with a second factor (B has none): one with an authenticator app and recovery
    # codes, one with a security key (its stored data reduced to a name: enough to rename or remove
    # it, not to sign in with it).
    app_holder = UserFactory(first_name="Hugo", last_name="Appli")
    TOTP.activate(app_holder, totp_auth.generate_totp_secret())
    RecoveryCodes.activate(app_holder)
    key_holder = UserFactory(first_name="Kim", last_name="Cle")
    security_key = Authenticator.objects.create(
        user=key_holder, type=Authenticator.Type.WEBAUTHN, data={"name": "Clé de Kim"}
    )
    a = UserFactory(first_name="Armand", last_name="Voisin", email="armand.voisin@example.org")
    # A participant of B's session who has done nothing yet: the pages offer them every action.
    fresh = UserFactory(first_name="Claire", last_name="Neuve")
    # Someone who just passed the eligibility check of B's session and is about to enrol.
    newcomer = UserFactory(first_name="Nina", last_name="Nouvelle")

    def enrol(person, in_session, **extra):
        return EnrolmentFactory(session=in_session, job_seeker=person, commune=lodeve, **extra)

    b_enrolment = enrol(b, session, adviser=adviser_b, share_with_adviser=True)
    b_other_enrolment = enrol(b, other_session, adviser=adviser_b, share_with_adviser=True)
    enrol(b, closed)
    a_enrolment = enrol(a, session)
    enrol(fresh, session)

    # Step 2: a kept result (session 1) and a draft (session 2).
    assessment_services.load_questionnaire(data=v1_data())
    result = _assessment_result(b_enrolment)
    draft = assessment_services.start_assessment(enrolment=b_other_enrolment)

    # Step 3: a mentorship with one mentor, a pending request (the other session) to the same mentor.
    mentor_profile = MentorProfileFactory(
        user=MentorFactory(first_name="Manon", last_name="Mentor"), region=region, capacity=3, rome=["M1805"]
    )
    mentorship = MentorshipFactory(enrolment=b_enrolment, mentor=mentor_profile)
    mentor_request = MentoringRequestFactory(enrolment=b_other_enrolment, mentor=mentor_profile)
    mentor_other = MentorProfileFactory(
        user=MentorFactory(first_name="Marius", last_name="Sanslien"), region=region, rome=["M1805"]
    )
    pending_profile = MentorProfileFactory(region=region, status="pending")
    match_run = MatchRun.objects.create(session=session, created_by=staff, status=MatchRunStatus.READY)
    proposal = MatchProposal.objects.create(run=match_run, enrolment=b_enrolment, mentor=mentor_profile)
    bulk_removal = BulkRemoval.objects.create(
        session=session, created_by=staff, reason="Doublons", enrolment_ids=[], status=BulkRemovalStatus.DONE
    )

    # Step 4: a confirmed booking of an upcoming workshop and of one that started (its attendance is
    # marked now); step 1: a talk registration.
    workshop = WorkshopFactory(session=session, facilitators=[staff])
    booking = workshop_services.book_workshop(workshop=workshop, job_seeker=b)
    running_workshop = WorkshopFactory(session=session, facilitators=[staff])
    workshop_services.book_workshop(workshop=running_workshop, job_seeker=b)
    Workshop.objects.filter(pk=running_workshop.pk).update(starts_at=now - timedelta(minutes=10))
    # Running now: its room opens to the registered, its replay link is there.
    talk = TalkFactory(
        session=session, starts_at=now - timedelta(minutes=10), replay_url="https://replay.example.org/t"
    )
    talk_registration = TalkRegistrationFactory(talk=talk, enrolment=b_enrolment)
    # Tomorrow's: registering for a talk is open until its start.
    upcoming_talk = TalkFactory(session=session, starts_at=now + timedelta(days=1))

    # Steps 5 and 6: a training body (slot, booking, interest), a company (offer, application with CV).
    body = TrainingBodyFactory(name="Organisme Lien")
    body_user = MembershipFactory(partner=body, user=PartnerUserFactory(first_name="Olga")).user
    training = TrainingFactory(body=body, is_published=True)
    slot = MeetingSlotFactory(body=body, session=session, training=training, seats_taken=1)
    meeting = slot.bookings.create(job_seeker=b, enrolment=b_enrolment, confirmed_at=now)
    training.interests.create(job_seeker=b, enrolment=b_enrolment, message="Bonjour", consent_at=now)
    company = PartnerFactory(name="Entreprise Lien")
    company_user = MembershipFactory(partner=company, user=PartnerUserFactory(first_name="Paul")).user
    offer = JobOfferFactory(company=company, commune=lodeve)
    application = ApplicationFactory(offer=offer, job_seeker=b, enrolment=b_enrolment)
    partner_other = PartnerFactory(name="Entreprise Sanslien")
    partner_other_user = MembershipFactory(partner=partner_other, user=PartnerUserFactory()).user

    # Links that stand for a login: survey, calendar feed, mentor's answer, staff invitation.
    survey = SurveyResponse.objects.create(enrolment=b_enrolment, kind=SurveyKind.SATISFACTION, sent_at=now)
    feed = CalendarFeedToken.objects.create(user=b)
    invitation = Invitation.objects.create(
        email="nouvelle.conseillere@example.org",
        first_name="Nora",
        last_name="Nouvelle",
        role=Role.ADVISER,
        invited_by=staff,
    )

    return World(
        users={
            # The matrix's roles.
            "anonymous": None,
            "seeker": a,
            "mentor": mentor_other.user,
            "adviser": adviser_other,
            "partner": partner_other_user,
            "staff": staff,
            # The people allowed to see B's objects.
            "b": b,
            "b_mentor": mentor_profile.user,
            "b_adviser": adviser_b,
            "company": company_user,
            "training_body": body_user,
            "newcomer": newcomer,
            "app_holder": app_holder,
            "key_holder": key_holder,
            "fresh": fresh,
        },
        session_data={
            "newcomer": {
                PENDING_KEY: {"session": session.pk, "commune": lodeve.pk, "qpv": None},
            }
        },
        objects={
            "session": session,
            "other_session": other_session,
            "draft_session": draft_session,
            "closed_session": closed,
            "b_enrolment": b_enrolment,
            "b_other_enrolment": b_other_enrolment,
            "a_enrolment": a_enrolment,
            "result": result,
            "draft": draft,
            "mentor_profile": mentor_profile,
            "mentor_other": mentor_other,
            "pending_profile": pending_profile,
            "mentorship": mentorship,
            "mentor_request": mentor_request,
            "match_run": match_run,
            "proposal": proposal,
            "bulk_removal": bulk_removal,
            "workshop": workshop,
            "booking": booking,
            "running_workshop": running_workshop,
            "talk": talk,
            "talk_registration": talk_registration,
            "upcoming_talk": upcoming_talk,
            "body": body,
            "training": training,
            "slot": slot,
            "meeting": meeting,
            "company": company,
            "offer": offer,
            "application": application,
            "partner_other": partner_other,
            "survey_token": survey_token(response=survey),
            "feed_token": feed.token,
            "security_key": security_key,
            "answer_token": answer_token(mentor_request),
            "invitation_token": invitation.token,
            "phone_invitation_token": SessionPhoneInvitation.objects.create(
                session=session, adviser=adviser_b, phone="+33698765432"
            ).token,
            "email_key": EmailConfirmationHMAC(EmailAddress.objects.get(email=B_EMAIL)).key,
            # A message to B that failed for good (the console's delivery page resends it).
            "failed_message": OutboxMessage.objects.create(
                dedup_key="security:failed",
                user=b,
                to_email=B_EMAIL,
                subject="Bienvenue",
                body_text="…",
                status=OutboxMessage.Status.FAILED,
                attempts=8,
                last_error="SMTPRecipientsRefused: 550",
            ),
            "rome_code": "M1805",
            "commune": lodeve,
        },
    )
