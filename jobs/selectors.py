"""Reads shared by the two rooms: the person's current enrolment, partners and who manages them."""

from django.db.models import QuerySet

from programs import registry
from programs.models import Enrolment, EnrolmentStatus, SessionStatus

from .models import Partner

CURRENT_SESSION_STATUSES = (SessionStatus.REGISTRATION_OPEN, SessionStatus.RUNNING)


def current_enrolment(user) -> Enrolment | None:
    """The job seeker's active enrolment in a session that is running (or about to), newest first."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(
            job_seeker=user, status=EnrolmentStatus.ACTIVE, session__status__in=CURRENT_SESSION_STATUSES
        )
        .select_related("session", "commune")
        .order_by("-session__starts_at", "-id")
        .first()
    )


def session_departement_ids(enrolment: Enrolment | None) -> list[str]:
    if enrolment is None:
        return []
    return list(enrolment.session.departements.values_list("code", flat=True))


def suggested_rome_codes(user) -> list[str]:
    """The jobs suggested by the person's latest skills assessment (step 2), best first; [] without one."""
    return registry.capability("suggested_rome_codes")(user)


def partner_of(user) -> Partner | None:
    if not user.is_authenticated:
        return None
    membership = getattr(user, "partner_membership", None)
    return membership.partner if membership else None


def partners_managed_by(user) -> QuerySet[Partner]:
    """Staff manage every partner; a partner user only their own."""
    if user.is_authenticated and user.is_programme_staff:
        return Partner.objects.all()
    if user.is_authenticated and user.is_partner:
        return Partner.objects.filter(memberships__user=user)
    return Partner.objects.none()


def partner_recipients(partner: Partner) -> list[str]:
    """Who receives a partner's notices: its users, else its contact address."""
    emails = [membership.user.email for membership in partner.memberships.select_related("user")]
    if not emails and partner.contact_email:
        emails = [partner.contact_email]
    return emails
