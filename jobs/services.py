"""Partners (companies and training bodies) and their users: staff create and edit them, invite or
attach their users, detach them."""

from http import HTTPStatus

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from declics.accounts import services as account_services
from declics.accounts.models import Invitation, Role, User
from declics.errors import DomainError
from declics.notifications.services import queue_email

from .models import Partner, PartnerInvitation, PartnerMembership
from .selectors import partners_managed_by


class PartnerError(DomainError):
    """A business rule refused the change; the message is safe to show."""


def ensure_manages(*, user, partner: Partner, error: type[DomainError] = PartnerError) -> None:
    """Raise `error` (a 403) unless `user` is staff or a member of `partner`."""
    if not partners_managed_by(user).filter(pk=partner.pk).exists():
        raise error(
            _("Vous ne pouvez pas modifier les données d'un autre partenaire."), status=HTTPStatus.FORBIDDEN
        )


def _ensure_staff(by) -> None:
    if not by.is_programme_staff:
        raise PartnerError(
            _("Seule l'équipe DéClics peut gérer les partenaires."), status=HTTPStatus.FORBIDDEN
        )


@transaction.atomic
def save_partner(*, partner: Partner, by, regions=None, communes=None) -> Partner:
    """Create or update a partner (staff only); the towns are for training bodies only.

    `regions` and `communes`, when given, replace the partner's (a form's many-to-many values).
    """
    _ensure_staff(by)
    if partner.pk:
        before = Partner.objects.select_for_update().get(pk=partner.pk)
        held = partner.job_offers.exists() or partner.trainings.exists() or partner.meeting_slots.exists()
        if before.kind != partner.kind and held:
            raise PartnerError(
                _(
                    "Ce partenaire a déjà des offres, des formations ou des rendez-vous : "
                    "son type ne peut plus changer."
                )
            )
    if partner.is_company:
        partner.qualiopi = False
        communes = []
    partner.save()
    if regions is not None:
        partner.regions.set(regions)
    if communes is not None:
        partner.communes.set(communes)
    return partner


@transaction.atomic
def add_partner_member(*, partner: Partner, user, added_by) -> PartnerMembership:
    """Attach a partner user (invited by staff) to the one partner they work for."""
    if not added_by.is_programme_staff:
        raise PartnerError(_("Seule l'équipe DéClics peut rattacher un compte à un partenaire."))
    if user.role != Role.PARTNER:
        raise PartnerError(_("Seul un compte « partenaire » peut être rattaché à un partenaire."))
    if PartnerMembership.objects.filter(user=user).exclude(partner=partner).exists():
        raise PartnerError(_("Ce compte est déjà rattaché à un autre partenaire."))
    membership, _created = PartnerMembership.objects.get_or_create(user=user, defaults={"partner": partner})
    return membership


def _partner_url(partner: Partner) -> str:
    return settings.SITE_URL + reverse("jobs:partner_dashboard", args=[partner.pk])


@transaction.atomic
def invite_partner_user(*, partner: Partner, email: str, first_name: str, last_name: str, by) -> Invitation:
    """Invite a new partner user (the accounts' invitation e-mail); they join `partner` on accepting."""
    _ensure_staff(by)
    return account_services.invite_user(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.PARTNER,
        invited_by=by,
        partner=partner,
    )


def record_invitation_partner(*, invitation: Invitation, partner: Partner | None = None) -> None:
    """Hook of `accounts.services.invite_user` (see `jobs.apps`): the partner the invited user will join."""
    if partner is None:
        return
    if invitation.role != Role.PARTNER:
        raise PartnerError(_("Seul un compte « partenaire » peut être rattaché à un partenaire."))
    PartnerInvitation.objects.update_or_create(invitation=invitation, defaults={"partner": partner})


def attach_invited_partner_user(*, invitation: Invitation, user: User) -> PartnerMembership | None:
    """Hook of `accounts.services.accept_invitation`, in its transaction: join the invited partner."""
    link = PartnerInvitation.objects.filter(invitation=invitation).first()
    if link is None or user.role != Role.PARTNER:
        return None
    membership, _created = PartnerMembership.objects.get_or_create(
        user=user, defaults={"partner_id": link.partner_id}
    )
    return membership


@transaction.atomic
def link_partner_user(*, partner: Partner, email: str, by) -> PartnerMembership:
    """Attach an existing partner account (found by its address) to `partner`, and tell them."""
    _ensure_staff(by)
    user = User.objects.select_for_update().filter(email__iexact=email.strip()).first()
    if user is None:
        raise PartnerError(_("Aucun compte n'a cette adresse e-mail : invitez plutôt la personne."))
    if not user.is_active:
        raise PartnerError(_("Ce compte est désactivé : réactivez-le d'abord."))
    if PartnerMembership.objects.filter(user=user, partner=partner).exists():
        raise PartnerError(_("Ce compte est déjà rattaché à ce partenaire."))
    if user.role != Role.PARTNER:
        raise PartnerError(
            _(
                "Ce compte a le rôle « %(role)s » : donnez-lui d'abord le rôle « Partenaire » "
                "(page Comptes et rôles)."
            )
            % {"role": user.get_role_display()}
        )
    membership = add_partner_member(partner=partner, user=user, added_by=by)
    queue_email(
        key=f"jobs:partner-member-added:{membership.pk}",
        to=user.email,
        template="jobs/emails/partner_member_added",
        context={"user": user, "partner": partner, "partner_url": _partner_url(partner)},
        user=user,
    )
    return membership


@transaction.atomic
def unlink_partner_user(*, partner: Partner, user: User, by) -> None:
    """Detach `user` from `partner` (their account stays), and tell them."""
    _ensure_staff(by)
    membership = PartnerMembership.objects.select_for_update().filter(partner=partner, user=user).first()
    if membership is None:
        raise PartnerError(_("Ce compte n'est pas (ou plus) rattaché à ce partenaire."))
    key = f"jobs:partner-member-removed:{membership.pk}"
    membership.delete()
    queue_email(
        key=key,
        to=user.email,
        template="jobs/emails/partner_member_removed",
        context={"user": user, "partner": partner},
        user=user,
    )
