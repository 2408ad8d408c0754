"""Who may open each URL of the site, with job seeker B's objects: one line per URL name.

`ACCESS[name] = (kwargs, policy)` or `(kwargs, policy, methods)`:

- `kwargs(world)` builds the URL's arguments from the world (tests/security/world.py), always
  pointing at B's objects (or at B's session, B's mentor, the partners B dealt with);
- `policy` says what each role of the matrix gets (exact outcomes, see `Policy`) and who the
  "insider" is: the person allowed to use the page, as whom the fuzz test fills its forms;
- `methods` lists the HTTP methods the view accepts ("get post" unless said otherwise). The
  method left out must answer 405 to the insider: the list cannot silently hide a method.

A URL name missing here fails `test_every_url_is_covered`: a new page must say who may open it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from declics.notifications.unsubscribe import token as unsubscribe_token
from tests.security.world import ROLES

LOGIN = "login"  # a redirect to the login page
REDIRECT = "redirect"  # a redirect anywhere else
OK, FORBIDDEN, NOT_FOUND = 200, 403, 404
REFUSALS = (LOGIN, FORBIDDEN, NOT_FOUND)


@dataclass(frozen=True)
class Policy:
    """What each role of the matrix gets (on GET, and on an empty POST unless said), and who the
    insider is (the person allowed to use the page with B's object)."""

    name: str
    insider: str
    outcomes: MappingProxyType = field(repr=False)
    forge_token: bool = False  # the URL carries a secret: the matrix uses a forged one

    def expected(self, role: str, method: str = "get"):
        """The outcome of `role` (or "insider"); a role may have one per method: `{"post": 404}`."""
        outcome = self.outcomes[role]
        if isinstance(outcome, dict):
            return outcome.get(method, outcome["get"])
        return outcome

    def but(self, **outcomes) -> Policy:
        """The same policy with a few roles' outcomes changed (say why, where it is used)."""
        unknown = set(outcomes) - set(ROLES) - {"insider"}
        assert not unknown, unknown
        return Policy(
            f"{self.name}*", self.insider, MappingProxyType({**self.outcomes, **outcomes}), self.forge_token
        )


def policy(name, insider, *, default, forge_token=False, **outcomes) -> Policy:
    """`outcomes` per role of the matrix (else `default`), and for the insider (else 200)."""
    return Policy(
        name,
        insider,
        MappingProxyType(
            {**{role: outcomes.get(role, default) for role in ROLES}, "insider": outcomes.get("insider", OK)}
        ),
        forge_token,
    )


PUBLIC = policy("public", "anonymous", default=OK)
LOGGED_IN = policy("login", "b", default=OK, anonymous=LOGIN)
# Pages reached by a secret link (survey, calendar feed, mentor's answer, invitation): with a forged
# secret nobody gets anything; the insider is whoever holds the real link.
TOKEN = policy("token", "anonymous", default=NOT_FOUND, forge_token=True)
STAFF = policy("staff", "staff", default=FORBIDDEN, anonymous=LOGIN, staff=OK)
# A workshop's facilitators (staff here) and staff; anybody else finds nothing.
FACILITATOR = policy("facilitator", "staff", default=NOT_FOUND, anonymous=LOGIN, staff=OK)

# A job seeker's own pages that name no object (lists, search, their own enrolment's pages).
SEEKER = policy("seeker", "b", default=FORBIDDEN, anonymous=LOGIN, seeker=OK, staff=OK)
# Pages of B's session offering actions (book, apply, register…): a participant who did none yet.
PARTICIPANT = Policy("participant", "fresh", SEEKER.outcomes)
# Enrolment: someone who passed the eligibility check (B is enrolled already).
NEWCOMER = Policy("newcomer", "newcomer", SEEKER.outcomes)
# B's personal object behind a job-seeker page: another person's id looks like an unknown one.
OWNER = policy("owner", "b", default=FORBIDDEN, anonymous=LOGIN, seeker=NOT_FOUND, staff=NOT_FOUND)
# The old address of a job-seeker page that moved under /sessions/<slug>/ (issue 12): a redirect
# for job seekers and staff (to the page in their current session, or to "Mon parcours").
MOVED = SEEKER.but(seeker=REDIRECT, staff=REDIRECT, insider=REDIRECT)
# …of a page of B's booking or application: to that object's session for B; nobody else's.
MOVED_OWN = OWNER.but(insider=REDIRECT)
# B's personal object that B's mentor or adviser may also read once B shared it; staff read all.
OWNER_SHARED = policy(
    "owner_shared",
    "b",
    default=NOT_FOUND,
    anonymous=LOGIN,
    partner=FORBIDDEN,
    staff=OK,
)
# A mentorship: its mentee and its mentor; staff read all.
MENTORSHIP = policy(
    "mentorship",
    "b",
    default=FORBIDDEN,
    anonymous=LOGIN,
    seeker=NOT_FOUND,
    mentor=NOT_FOUND,
    staff=OK,
)
MENTOR = policy("mentor", "b_mentor", default=FORBIDDEN, anonymous=LOGIN, mentor=OK, staff=OK)
# A request addressed to B's mentor: only that mentor.
MENTOR_OF = policy(
    "mentor_of", "b_mentor", default=FORBIDDEN, anonymous=LOGIN, mentor=NOT_FOUND, staff=NOT_FOUND
)
ADVISER = policy("adviser", "b_adviser", default=FORBIDDEN, anonymous=LOGIN, adviser=OK, staff=OK)
# B's session or B's record on an adviser page: only advisers B consented to, and staff.
ADVISER_CONSENTED = policy(
    "adviser_consented", "b_adviser", default=FORBIDDEN, anonymous=LOGIN, adviser=NOT_FOUND, staff=OK
)
PARTNER = policy("partner", "company", default=FORBIDDEN, anonymous=LOGIN, partner=REDIRECT, staff=OK)
# The company B applied to / the training body B met: its own users, and staff.
PARTNER_OF = policy("partner_of", "company", default=FORBIDDEN, anonymous=LOGIN, partner=NOT_FOUND, staff=OK)
TRAINING_BODY_OF = Policy("training_body_of", "training_body", PARTNER_OF.outcomes)
# A second factor one has (an authenticator app and recovery codes; a security key): its owner only.
OWN_FACTOR = policy("own_factor", "app_holder", default=NOT_FOUND, anonymous=LOGIN)
OWN_KEY = policy("own_key", "key_holder", default=NOT_FOUND, anonymous=LOGIN)
# The Django admin: staff only (declared as one block; see `ADMIN_NAMESPACE`).
ADMIN = policy("admin", "staff", default=LOGIN, staff=OK)
ADMIN_NAMESPACE = "admin"

GET, POST = "get", "post"


def _session(w):
    return {"slug": w.session.slug}


def _in_session(**kwargs):
    """The arguments of a page in B's session: its slug and `kwargs(world)`."""
    return lambda w: {"slug": w.session.slug, **{name: value(w) for name, value in kwargs.items()}}


def _zoning_import(w):
    """An import of a QPV list made from the console (the world has none: made here)."""
    from datetime import date

    from declics.territories.models import ZoningImport

    upload = ZoningImport.objects.create(
        kind="qpv", valid_from=date(2024, 1, 1), source="ANCT", filename="qpv.csv", content=b"code_qp"
    )
    return {"pk": upload.pk}


def _role_model(w):
    return {"pk": w.talk.role_models.first().pk}


def _none(w):
    return {}


ACCESS = {
    # --- Site pages -------------------------------------------------------------------------------
    "home": (_none, PUBLIC),
    "healthz": (_none, PUBLIC, GET),
    "readyz": (_none, PUBLIC, GET),
    # Prometheus' scrape: nobody without METRICS_TOKEN's bearer token (unset here: 404 for all);
    # its holder is a machine, tested in tests/operations/test_metrics.py.
    "metrics": (_none, policy("metrics", "anonymous", default=NOT_FOUND).but(insider=NOT_FOUND), GET),
    "hello": (_none, PUBLIC, GET),
    # The SMS provider's callback (STOP replies): without its signature, nobody gets in.
    "sms_inbound": (_none, policy("signed", "anonymous", default=FORBIDDEN).but(insider=FORBIDDEN), POST),
    "legal_notice": (_none, PUBLIC),
    "privacy": (_none, PUBLIC),
    "accessibility": (_none, PUBLIC),
    "set_language": (_none, PUBLIC.but(**dict.fromkeys((*ROLES, "insider"), REDIRECT))),
    # --- allauth --------------------------------------------------------------------------------
    "account_login": (_none, PUBLIC.but(**dict.fromkeys(ROLES[1:], REDIRECT))),
    "account_logout": (_none, LOGGED_IN.but(anonymous=REDIRECT)),
    "account_inactive": (_none, PUBLIC),
    "account_signup": (_none, PUBLIC.but(**dict.fromkeys(ROLES[1:], REDIRECT))),
    "account_reauthenticate": (_none, LOGGED_IN),
    "account_email": (_none, LOGGED_IN),
    "account_email_verification_sent": (_none, PUBLIC),
    "account_change_password": (_none, LOGGED_IN),
    "account_set_password": (_none, LOGGED_IN.but(**dict.fromkeys((*ROLES[1:], "insider"), REDIRECT))),
    "account_reset_password": (_none, PUBLIC),
    "account_reset_password_done": (_none, PUBLIC),
    # No login code was asked for: back to the page that asks for one (or home, when signed in).
    "account_confirm_login_code": (_none, PUBLIC.but(**dict.fromkeys((*ROLES, "insider"), REDIRECT))),
    # A forged key: a page saying the link is wrong; confirming it is refused.
    "account_confirm_email": (
        lambda w: {"key": w.email_key},
        policy("confirm_link", "anonymous", default={"get": OK, "post": NOT_FOUND}, forge_token=True),
    ),
    "account_reset_password_from_key_done": (_none, PUBLIC),
    "account_reset_password_from_key": (lambda w: {"uidb36": "zz", "key": "cle-inconnue"}, PUBLIC),
    "account_request_login_code": (_none, PUBLIC.but(**dict.fromkeys(ROLES[1:], REDIRECT))),
    # The code sent by SMS after a sign-up by phone: with no sign-up under way, back to the login page
    # (or home, when signed in).
    "account_verify_phone": (
        _none,
        PUBLIC.but(anonymous=LOGIN, insider=LOGIN, **dict.fromkeys(ROLES[1:], REDIRECT)),
    ),
    # A signed-in person's new mobile number, verified by a code sent to it.
    "account_change_phone": (_none, LOGGED_IN),
    # --- Second factor (allauth.mfa): each person's own authenticators, never another's ---------
    "mfa_index": (_none, LOGGED_IN, GET),
    "mfa_activate_totp": (_none, LOGGED_IN),
    "mfa_add_webauthn": (_none, LOGGED_IN),
    "mfa_generate_recovery_codes": (_none, LOGGED_IN),
    "mfa_list_webauthn": (_none, LOGGED_IN, GET),
    # The second step of a sign-in: with no first step under way, back to the login page (or home).
    "mfa_authenticate": (
        _none,
        PUBLIC.but(anonymous=LOGIN, insider=LOGIN, **dict.fromkeys(ROLES[1:], REDIRECT)),
    ),
    # Confirming one's second factor again: only with one, else there is nothing to confirm.
    "mfa_reauthenticate": (_none, OWN_FACTOR.but(insider=OK, **dict.fromkeys(ROLES[1:], REDIRECT))),
    # (with an app but no security key, back to the page that confirms with the app)
    "mfa_reauthenticate_webauthn": (
        _none,
        OWN_FACTOR.but(insider=REDIRECT, **dict.fromkeys(ROLES[1:], REDIRECT)),
    ),
    # Pages about an authenticator one has: the roles have none, so there is nothing to show them.
    "mfa_deactivate_totp": (_none, OWN_FACTOR),
    "mfa_view_recovery_codes": (_none, OWN_FACTOR, GET),
    "mfa_download_recovery_codes": (_none, OWN_FACTOR, GET),
    "mfa_edit_webauthn": (lambda w: {"pk": w.security_key.pk}, OWN_KEY),
    "mfa_remove_webauthn": (lambda w: {"pk": w.security_key.pk}, OWN_KEY),
    # Back from setting a second factor up, to the page one was going to (or home).
    "accounts:second_factor_continue": (
        _none,
        LOGGED_IN.but(insider=REDIRECT, **dict.fromkeys(ROLES[1:], REDIRECT)),
    ),
    # --- Accounts ---------------------------------------------------------------------------------
    "accounts:profile": (_none, LOGGED_IN),
    # Every person chooses their messages; the unsubscribe link works without login (the token is B's).
    "notifications:preferences": (_none, LOGGED_IN),
    "notifications:unsubscribe": (
        lambda w: {"token": unsubscribe_token(user_id=w.user("b").pk, group="news")},
        TOKEN,
    ),
    "privacy:data": (_none, LOGGED_IN, GET),
    "privacy:export": (_none, LOGGED_IN, GET),
    "privacy:delete": (_none, LOGGED_IN),
    "privacy:deleted": (_none, PUBLIC, GET),
    "accounts:invitations": (_none, STAFF),
    "accounts:accept_invitation": (lambda w: {"token": w.invitation_token}, TOKEN),
    # An adviser's SMS invitation (short link): the session's page, the adviser remembered.
    "programs:phone_invitation": (
        lambda w: {"token": w.phone_invitation_token},
        TOKEN.but(insider=REDIRECT),
        GET,
    ),
    # The console's accounts page (the person acted on is posted in the form, never in the URL).
    "accounts:staff_users": (_none, STAFF),
    "accounts:staff_user_role": (_none, STAFF, POST),
    "accounts:staff_user_deactivate": (_none, STAFF, POST),
    "accounts:staff_user_reactivate": (_none, STAFF, POST),
    # --- Territories ----------------------------------------------------------------------------
    "territories:find_commune": (_none, PUBLIC),
    "territories:commune_search": (_none, PUBLIC, GET),
    # --- Sessions, enrolment, pathway -----------------------------------------------------------
    "programs:list": (_none, PUBLIC),
    "programs:landing": (_session, PUBLIC),
    "programs:eligibility": (_session, PUBLIC),
    # A is already enrolled; staff did not pass the eligibility check.
    "programs:enrol": (_session, NEWCOMER.but(seeker=REDIRECT, staff=REDIRECT)),
    "programs:my_pathway": (_none, SEEKER.but(seeker=REDIRECT, staff=REDIRECT, insider=REDIRECT)),
    "programs:pathway": (_session, SEEKER.but(staff=NOT_FOUND)),  # A's own pathway
    "programs:withdraw": (_session, SEEKER.but(staff=NOT_FOUND)),  # A's own enrolment
    "programs:staff_sessions": (_none, STAFF),
    # People of a session (issue 14, item 3): staff only; B's enrolment in B's session.
    "programs:console_people": (_session, STAFF),
    "programs:console_person": (_in_session(public_id=lambda w: w.b_enrolment.public_id), STAFF),
    "programs:console_remove": (
        _in_session(public_id=lambda w: w.b_enrolment.public_id),
        STAFF.but(insider=REDIRECT),
        POST,
    ),
    "programs:console_transfer": (
        _in_session(public_id=lambda w: w.b_enrolment.public_id),
        STAFF.but(insider=REDIRECT),
        POST,
    ),
    "programs:console_promote": (
        _in_session(public_id=lambda w: w.b_enrolment.public_id),
        STAFF.but(insider=REDIRECT),
        POST,
    ),
    "programs:console_bulk_removal": (lambda w: {"public_id": w.bulk_removal.public_id}, STAFF),
    "programs:launch": (_none, STAFF),
    "programs:preview": (lambda w: {"slug": w.draft_session.slug}, STAFF),
    "programs:publish": (lambda w: {"slug": w.draft_session.slug}, STAFF, POST),
    # --- Console: a session at every stage ---------------------------------------------------------
    "programs:session_calendar": (_session, STAFF),
    "programs:session_places": (_session, STAFF),
    "programs:session_texts": (lambda w: {"slug": w.draft_session.slug}, STAFF),
    "programs:session_close_registrations": (_session, STAFF, POST),
    "programs:session_archive": (lambda w: {"slug": w.closed_session.slug}, STAFF, POST),
    "programs:session_cancel": (_session, STAFF),
    # --- Console: launch-a-region templates ---------------------------------------------------------
    "programs:template_list": (_none, STAFF, GET),
    "programs:template_launch": (_none, STAFF),
    "programs:template_save": (_session, STAFF),
    # --- Console: reference data --------------------------------------------------------------------
    "programs:reference_data": (_none, STAFF, GET),
    "programs:zoning_upload": (_none, STAFF),
    "programs:zoning_import": (_zoning_import, STAFF, GET),
    "programs:impact_dashboard": (_none, STAFF),
    # --- The operator's console (issue 14) --------------------------------------------------------
    "programs:console_messages": (_session, STAFF, GET),
    "programs:console_message_compose": (_session, STAFF),
    "programs:console_answers": (_session, STAFF, GET),
    "programs:console_answers_export": (_session, STAFF, GET),
    # --- The operator's console (issue 14) ------------------------------------------------------
    "programs:console_audit": (_none, STAFF),
    "programs:console_delivery": (_none, STAFF),
    "programs:console_delivery_resend": (lambda w: {"pk": w.failed_message.pk}, STAFF, POST),
    "programs:impact_session": (lambda w: {"slug": w.closed_session.slug}, PUBLIC),
    "programs:survey_answer": (lambda w: {"token": w.survey_token}, TOKEN),
    # --- Step 1: talks and digital jobs ---------------------------------------------------------
    "programs:talk_list": (_session, SEEKER),
    "programs:talk_detail": (lambda w: {"pk": w.talk.pk}, PARTICIPANT),
    "programs:talk_register": (lambda w: {"pk": w.talk.pk}, SEEKER.but(staff=FORBIDDEN), POST),
    "programs:talk_join": (
        lambda w: {"pk": w.talk.pk},
        SEEKER.but(seeker=FORBIDDEN, staff=FORBIDDEN, insider=REDIRECT),  # to the video room
    ),
    "programs:talk_ics": (lambda w: {"pk": w.talk.pk}, SEEKER.but(seeker=FORBIDDEN, staff=FORBIDDEN)),
    "programs:talk_replay": (
        lambda w: {"pk": w.talk.pk},
        SEEKER.but(seeker=REDIRECT, insider=REDIRECT, staff=FORBIDDEN),  # to the replay
    ),
    "programs:talk_attendance": (lambda w: {"pk": w.talk.pk}, STAFF),
    # The running talk: an insider's POST is refused (409/400), the matrix's world stays as it is.
    "programs:talk_move": (lambda w: {"pk": w.talk.pk}, STAFF),
    "programs:talk_cancel_talk": (lambda w: {"pk": w.talk.pk}, STAFF),
    # The team's pages of role models (issue 14, item 4).
    "programs:staff_role_models": (_none, STAFF, GET),
    "programs:staff_role_model_create": (_none, STAFF),
    "programs:staff_role_model": (_role_model, STAFF),
    "programs:staff_role_model_active": (_role_model, STAFF, POST),
    "programs:staff_talks": (_session, STAFF, GET),
    "programs:staff_talk_create": (_session, STAFF),
    "programs:staff_talk_edit": (lambda w: {"pk": w.talk.pk}, STAFF),
    "programs:talk_cancel": (lambda w: {"public_id": w.talk_registration.public_id}, OWNER),
    "programs:talk_confirm_offer": (lambda w: {"public_id": w.talk_registration.public_id}, OWNER),
    "programs:jobs_list": (_session, PUBLIC),
    "programs:jobs_detail": (lambda w: {"slug": w.session.slug, "code": w.rome_code}, PUBLIC),
    # --- Step 2: skills assessment --------------------------------------------------------------
    "programs:assessment_home": (_session, SEEKER.but(staff=NOT_FOUND)),
    "programs:assessment_question": (lambda w: {"public_id": w.draft.public_id}, OWNER),
    "programs:assessment_finish": (lambda w: {"public_id": w.draft.public_id}, OWNER),
    "programs:assessment_result": (lambda w: {"public_id": w.result.public_id}, OWNER_SHARED),
    "programs:assessment_print": (lambda w: {"public_id": w.result.public_id}, OWNER_SHARED),
    "programs:assessment_share": (lambda w: {"public_id": w.result.public_id}, OWNER, POST),
    "programs:assessment_versions": (_none, STAFF),
    # --- Step 3: mentoring ----------------------------------------------------------------------
    "mentoring:mentor_dashboard": (_none, MENTOR),
    "mentoring:mentor_profile": (_none, MENTOR),
    "mentoring:request_detail": (lambda w: {"public_id": w.mentor_request.public_id}, MENTOR_OF),
    "mentoring:answer_request": (lambda w: {"public_id": w.mentor_request.public_id}, MENTOR_OF, POST),
    "mentoring:answer_by_email": (lambda w: {"token": w.answer_token}, TOKEN),
    "mentoring:mentee_start": (_none, SEEKER.but(seeker=REDIRECT, insider=REDIRECT)),
    # B's other session, where B's request waits for an answer.
    "mentoring:mentee_home": (
        lambda w: {"slug": w.other_session.slug},
        SEEKER.but(seeker=NOT_FOUND, staff=NOT_FOUND),
    ),
    "mentoring:mentee_preferences": (_session, SEEKER.but(staff=NOT_FOUND)),
    "mentoring:ask_mentor": (
        lambda w: {"slug": w.session.slug, "public_id": w.mentor_profile.public_id},
        SEEKER.but(staff=NOT_FOUND),
    ),
    "mentoring:moved_mentee_home": (lambda w: {"slug": w.other_session.slug}, MOVED),
    "mentoring:moved_mentee_preferences": (_session, MOVED),
    "mentoring:moved_ask_mentor": (
        lambda w: {"slug": w.session.slug, "public_id": w.mentor_profile.public_id},
        MOVED,
    ),
    "mentoring:cancel_request": (lambda w: {"public_id": w.mentor_request.public_id}, OWNER, POST),
    "mentoring:mentorship": (lambda w: {"public_id": w.mentorship.public_id}, MENTORSHIP),
    "mentoring:mentorship_log": (lambda w: {"public_id": w.mentorship.public_id}, MENTORSHIP, POST),
    "mentoring:mentorship_goals": (lambda w: {"public_id": w.mentorship.public_id}, MENTORSHIP, POST),
    "mentoring:mentorship_end": (lambda w: {"public_id": w.mentorship.public_id}, MENTORSHIP),
    "mentoring:feedback": (lambda w: {"public_id": w.mentorship.public_id}, MENTORSHIP),
    "mentoring:staff_mentors": (_none, STAFF),
    "mentoring:staff_review_mentor": (lambda w: {"public_id": w.pending_profile.public_id}, STAFF, POST),
    "mentoring:staff_sessions": (_none, STAFF),
    "mentoring:staff_session_matching": (_session, STAFF),
    "mentoring:staff_run": (lambda w: {"pk": w.match_run.pk}, STAFF),
    "mentoring:staff_run_progress": (lambda w: {"pk": w.match_run.pk}, STAFF),
    "mentoring:staff_run_publish": (lambda w: {"pk": w.match_run.pk}, STAFF, POST),
    "mentoring:staff_run_discard": (lambda w: {"pk": w.match_run.pk}, STAFF, POST),
    "mentoring:staff_proposal": (lambda w: {"public_id": w.proposal.public_id}, STAFF),
    # --- Step 4: workshops ----------------------------------------------------------------------
    "programs:workshop_list": (_session, SEEKER.but(staff=REDIRECT)),
    # The session's participants (A too) and the workshop's facilitators.
    "programs:workshop_detail": (
        lambda w: {"pk": w.workshop.pk},
        Policy("participant", "fresh", LOGGED_IN.outcomes).but(
            mentor=NOT_FOUND, adviser=NOT_FOUND, partner=NOT_FOUND
        ),
    ),
    "programs:workshop_book": (lambda w: {"pk": w.workshop.pk}, SEEKER, POST),
    "programs:workshop_attendance": (lambda w: {"pk": w.running_workshop.pk}, FACILITATOR),
    "programs:workshop_edit": (lambda w: {"pk": w.workshop.pk}, STAFF),
    "programs:workshop_move": (lambda w: {"pk": w.workshop.pk}, STAFF),
    "programs:workshop_cancel_workshop": (lambda w: {"pk": w.workshop.pk}, STAFF),
    "programs:workshop_cancel": (lambda w: {"public_id": w.booking.public_id}, OWNER),
    "programs:workshop_confirm_offer": (lambda w: {"public_id": w.booking.public_id}, OWNER),
    "programs:workshop_booking_ics": (lambda w: {"public_id": w.booking.public_id}, OWNER),
    "programs:workshop_feedback": (lambda w: {"public_id": w.booking.public_id}, OWNER),
    "programs:workshop_feed": (lambda w: {"token": w.feed_token}, TOKEN),
    "programs:workshop_feed_settings": (_none, SEEKER),
    "programs:workshop_facilitated": (_none, LOGGED_IN.but(anonymous=LOGIN)),
    "programs:workshop_staff_list": (_session, STAFF),
    "programs:workshop_create": (_session, STAFF),
    # --- Advisers -------------------------------------------------------------------------------
    "programs:adviser_sessions": (_none, ADVISER),
    "programs:adviser_agencies": (_none, STAFF),
    "programs:adviser_dashboard": (_session, ADVISER_CONSENTED),
    "programs:adviser_export": (_session, ADVISER_CONSENTED),
    "programs:adviser_invite": (_session, ADVISER_CONSENTED.but(staff=NOT_FOUND)),
    "programs:adviser_person": (
        lambda w: {"slug": w.session.slug, "public_id": w.b_enrolment.public_id},
        ADVISER_CONSENTED,
    ),
    # --- Steps 5 and 6: trainings, meetings, offers, applications -------------------------------
    # The job-seeker pages are in B's session (/sessions/<slug>/…): A is enrolled there too; staff,
    # enrolled nowhere, find no such page.
    "jobs:trainings": (_session, SEEKER.but(staff=NOT_FOUND)),
    "jobs:training_detail": (_in_session(pk=lambda w: w.training.pk), PARTICIPANT.but(staff=NOT_FOUND)),
    "jobs:meetings": (_session, PARTICIPANT.but(staff=NOT_FOUND)),
    "jobs:book_meeting": (_in_session(pk=lambda w: w.slot.pk), SEEKER.but(staff=NOT_FOUND), POST),
    "jobs:cancel_meeting": (_in_session(public_id=lambda w: w.meeting.public_id), OWNER, POST),
    "jobs:confirm_meeting_offer": (_in_session(public_id=lambda w: w.meeting.public_id), OWNER, POST),
    "jobs:meeting_ics": (_in_session(public_id=lambda w: w.meeting.public_id), OWNER),
    "jobs:offers": (_session, SEEKER.but(staff=NOT_FOUND)),
    "jobs:offer_detail": (_in_session(pk=lambda w: w.offer.pk), PARTICIPANT.but(staff=NOT_FOUND)),
    "jobs:apply": (_in_session(pk=lambda w: w.offer.pk), SEEKER.but(staff=NOT_FOUND), POST),
    "jobs:my_applications": (_session, SEEKER.but(staff=NOT_FOUND)),
    "jobs:withdraw": (_in_session(public_id=lambda w: w.application.public_id), OWNER),
    # Their old addresses under /emplois/.
    "jobs:current_trainings": (_none, MOVED),
    "jobs:current_meetings": (_none, MOVED),
    "jobs:current_offers": (_none, MOVED),
    "jobs:current_applications": (_none, MOVED),
    "jobs:moved_training_detail": (lambda w: {"pk": w.training.pk}, MOVED),
    "jobs:moved_book_meeting": (lambda w: {"pk": w.slot.pk}, MOVED),
    "jobs:moved_cancel_meeting": (lambda w: {"public_id": w.meeting.public_id}, MOVED_OWN),
    "jobs:moved_meeting_ics": (lambda w: {"public_id": w.meeting.public_id}, MOVED_OWN),
    "jobs:moved_offer_detail": (lambda w: {"pk": w.offer.pk}, MOVED),
    "jobs:moved_apply": (lambda w: {"pk": w.offer.pk}, MOVED),
    "jobs:moved_withdraw": (lambda w: {"public_id": w.application.public_id}, MOVED_OWN),
    "jobs:application_cv": (
        lambda w: {"public_id": w.application.public_id},
        OWNER_SHARED.but(partner=NOT_FOUND),
    ),
    "jobs:partner_home": (_none, PARTNER.but(insider=REDIRECT)),
    "jobs:partner_dashboard": (lambda w: {"partner_id": w.company.pk}, PARTNER_OF),
    "jobs:partner_training_create": (lambda w: {"partner_id": w.body.pk}, TRAINING_BODY_OF),
    "jobs:partner_training_edit": (
        lambda w: {"partner_id": w.body.pk, "pk": w.training.pk},
        TRAINING_BODY_OF,
    ),
    "jobs:partner_interests": (lambda w: {"partner_id": w.body.pk}, TRAINING_BODY_OF),
    "jobs:partner_slot_create": (lambda w: {"partner_id": w.body.pk}, TRAINING_BODY_OF),
    "jobs:partner_slot": (lambda w: {"partner_id": w.body.pk, "pk": w.slot.pk}, TRAINING_BODY_OF),
    "jobs:partner_slot_edit": (lambda w: {"partner_id": w.body.pk, "pk": w.slot.pk}, TRAINING_BODY_OF),
    "jobs:partner_slot_cancel": (lambda w: {"partner_id": w.body.pk, "pk": w.slot.pk}, TRAINING_BODY_OF),
    "jobs:partner_mark_attendance": (
        lambda w: {"partner_id": w.body.pk, "public_id": w.meeting.public_id},
        TRAINING_BODY_OF,
        POST,
    ),
    "jobs:partner_offer_create": (lambda w: {"partner_id": w.company.pk}, PARTNER_OF),
    "jobs:partner_offer_edit": (lambda w: {"partner_id": w.company.pk, "pk": w.offer.pk}, PARTNER_OF),
    "jobs:partner_offer_applications": (
        lambda w: {"partner_id": w.company.pk, "pk": w.offer.pk},
        PARTNER_OF,
    ),
    "jobs:partner_application": (
        lambda w: {"partner_id": w.company.pk, "public_id": w.application.public_id},
        PARTNER_OF,
    ),
    # The console's pages of partners (B's company, its users) and of offer moderation (B's offer).
    "jobs:staff_partners": (_none, STAFF),
    "jobs:staff_partner_create": (_none, STAFF),
    "jobs:staff_partner": (lambda w: {"partner_id": w.company.pk}, STAFF),
    "jobs:staff_partner_invite": (lambda w: {"partner_id": w.company.pk}, STAFF, POST),
    "jobs:staff_partner_link": (lambda w: {"partner_id": w.company.pk}, STAFF, POST),
    "jobs:staff_partner_unlink": (lambda w: {"partner_id": w.company.pk}, STAFF, POST),
    "jobs:staff_offers": (_none, STAFF),
    "jobs:staff_offer": (lambda w: {"pk": w.offer.pk}, STAFF),
    "jobs:staff_offer_unpublish": (lambda w: {"pk": w.offer.pk}, STAFF, POST),
    "jobs:staff_offer_republish": (lambda w: {"pk": w.offer.pk}, STAFF, POST),
}


@dataclass(frozen=True)
class Entry:
    name: str
    kwargs: object
    policy: Policy
    methods: tuple[str, ...]


def entries() -> list[Entry]:
    result = []
    for name, (kwargs, rule, *methods) in ACCESS.items():
        result.append(Entry(name, kwargs, rule, tuple((methods[0] if methods else "get post").split())))
    return result
