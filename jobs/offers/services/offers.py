from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.errors import DomainError
from jobs.models import Partner
from jobs.services import ensure_manages

from ..models import JobOffer, OfferSource


class OfferError(DomainError):
    """A business rule refused the offer; the message is safe to show."""


@transaction.atomic
def save_job_offer(*, offer: JobOffer, company: Partner, by) -> JobOffer:
    """Create or update a partner company's offer; the département follows the town."""
    ensure_manages(user=by, partner=company, error=OfferError)
    if offer.pk and offer.company_id != company.pk:
        raise OfferError(_("Cette offre appartient à une autre entreprise."))
    if not company.is_company:
        raise OfferError(_("Seule une entreprise peut publier des offres d'emploi."))
    if offer.commune_id is None and not offer.is_remote:
        raise OfferError(_("Indiquez la ville du poste, ou cochez « télétravail complet »."))
    if not offer.pk and offer.expires_on < timezone.localdate():
        raise OfferError(_("La date limite de candidature est déjà passée."))
    if offer.pk:
        # Staff may have unpublished it since the form was loaded: their decision stands.
        offer.is_moderated = JobOffer.objects.select_for_update().get(pk=offer.pk).is_moderated
        if offer.is_moderated and offer.is_published:
            raise OfferError(
                _(
                    "L'équipe DéClics a retiré cette offre : elle ne peut pas être republiée ici. "
                    "Modifiez-la, enregistrez-la sans la publier, puis écrivez à l'équipe."
                )
            )
    offer.company = company
    offer.source = OfferSource.PARTNER
    offer.departement_id = offer.commune.departement_id if offer.commune_id else None
    offer.save()
    return offer
