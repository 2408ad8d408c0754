"""Reads shared by the two rooms: a session's territory, partners and who manages them."""

from django.db.models import Count, Q, QuerySet

from programs import registry
from programs.models import Enrolment

from .models import Partner


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


def partners_for_staff(*, query: str = "", kind: str = "") -> QuerySet[Partner]:
    """Every partner, filtered by a name or SIRET fragment and a kind, with `member_count`."""
    partners = Partner.objects.all()
    if query.strip():
        words = query.split()[:5]
        for word in words:
            partners = partners.filter(Q(name__icontains=word) | Q(siret__startswith=word))
    if kind:
        partners = partners.filter(kind=kind)
    return partners.annotate(member_count=Count("memberships")).order_by("name", "pk")
