"""The kinds of messages the platform sends to a person, and the groups the preferences page shows.

Each kind names how a message may travel (see `routing.notify`):

- `group`: the person chooses a channel (e-mail, SMS or both) per group;
- `optional`: the person may turn the group off, one click unsubscribes from its e-mails, and
  its messages count towards the daily budget (NOTIFICATIONS_OPTIONAL_PER_DAY), the surplus going
  into the next morning's digest;
- `essential`: always reaches at least one channel the person has, whatever the preferences
  (account security, a booking cancelled or moved by the organiser);
- `urgent`: sent at once even within the person's quiet hours (a message that would be useless
  later: a security code, a seat offered for a few hours, a reminder, the answer to an action the
  person has just taken). Everything else waits for the end of the quiet hours.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Group:
    name: str
    label: str | Promise
    help_text: str | Promise
    optional: bool = False


@dataclass(frozen=True)
class Kind:
    name: str
    group: str
    label: str | Promise = ""
    essential: bool = False
    urgent: bool = False

    @property
    def optional(self) -> bool:
        return GROUPS[self.group].optional


ACCOUNT, REMINDERS, BOOKINGS, PATHWAY, MENTORING, APPLICATIONS = (
    "account",
    "reminders",
    "bookings",
    "pathway",
    "mentoring",
    "applications",
)
NEWS, NUDGES, SURVEYS = "news", "nudges", "surveys"

GROUPS: dict[str, Group] = {
    group.name: group
    for group in (
        Group(ACCOUNT, _("Votre compte"), _("Bienvenue, sécurité du compte.")),
        Group(
            REMINDERS, _("Rappels de rendez-vous"), _("Avant un atelier, une conférence ou un rendez-vous.")
        ),
        Group(BOOKINGS, _("Vos réservations"), _("Place confirmée, liste d'attente, changement d'horaire.")),
        Group(PATHWAY, _("Votre parcours"), _("Inscription, ouverture des étapes, dates de la session.")),
        Group(MENTORING, _("Mentorat"), _("Réponses de votre mentor·e et suivi.")),
        Group(APPLICATIONS, _("Candidatures"), _("Réponses à vos candidatures (offres, formations).")),
        Group(
            NEWS, _("Nouvelles de votre session"), _("Messages de l'équipe à votre groupe."), optional=True
        ),
        Group(
            NUDGES,
            _("Encouragements"),
            _("Quand une étape vous attend depuis quelques jours."),
            optional=True,
        ),
        Group(
            SURVEYS,
            _("Questionnaires"),
            _("Votre avis sur la session, puis 3 et 6 mois après."),
            optional=True,
        ),
    )
}

KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.group not in GROUPS:
        raise ValueError(f"unknown group {kind.group!r}")
    KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    return KINDS[name]


def optional_groups() -> list[Group]:
    return [group for group in GROUPS.values() if group.optional]


def optional_kind_names() -> list[str]:
    return [kind.name for kind in KINDS.values() if kind.optional]


SECURITY = register(Kind("security", ACCOUNT, _("Sécurité du compte"), essential=True, urgent=True))
WELCOME = register(Kind("welcome", ACCOUNT, _("Bienvenue"), urgent=True))
BOOKING_REMINDER = register(Kind("booking-reminder", REMINDERS, _("Rappel de rendez-vous"), urgent=True))
# The answer to the person's own booking (confirmed, waiting, a seat offered for a few hours…).
BOOKING_NOTICE = register(Kind("booking-notice", BOOKINGS, _("Réservation"), urgent=True))
# The organiser moved or cancelled the slot: the person must learn it.
BOOKING_CHANGED = register(
    Kind("booking-changed", BOOKINGS, _("Rendez-vous déplacé ou annulé"), essential=True)
)
BOOKING_FOLLOW_UP = register(Kind("booking-follow-up", BOOKINGS, _("Après un rendez-vous")))
ENROLMENT = register(Kind("enrolment", PATHWAY, _("Inscription"), urgent=True))
# The session ended for the person, or was cancelled, or its dates changed.
ENROLMENT_CHANGED = register(
    Kind("enrolment-changed", PATHWAY, _("Changement de votre session"), essential=True)
)
STEP_OPENED = register(Kind("step-opened", PATHWAY, _("Étape ouverte")))
MENTORING_NOTICE = register(Kind("mentoring", MENTORING, _("Mentorat")))
APPLICATION_UPDATE = register(Kind("application-update", APPLICATIONS, _("Candidature")))
COHORT_NEWS = register(Kind("cohort-news", NEWS, _("Message de l'équipe")))
NUDGE = register(Kind("nudge", NUDGES, _("Encouragement")))
SURVEY = register(Kind("survey", SURVEYS, _("Questionnaire")))
# The held optional messages of a day, in one message (see `digest`): not optional itself.
DIGEST = register(Kind("digest", PATHWAY, _("Messages réunis")))
