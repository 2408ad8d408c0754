from http import HTTPStatus

from django.db import transaction
from django.utils.translation import gettext as _

from declics.accounts.models import Role
from declics.errors import DomainError

from .models import Partner, PartnerMembership
from .selectors import partners_managed_by


class PartnerError(DomainError):
    """A business rule refused the change; the message is safe to show."""


def ensure_manages(*, user, partner: Partner, error: type[DomainError] = PartnerError) -> None:
    """Raise `error` (a 403) unless `user` is staff or a member of `partner`."""
    if not partners_managed_by(user).filter(pk=partner.pk).exists():
        raise error(
            _("Vous ne pouvez pas modifier les données d'un autre partenaire."), status=HTTPStatus.FORBIDDEN
        )


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
