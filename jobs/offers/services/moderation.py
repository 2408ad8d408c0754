"""Staff moderation of offers: unpublish one with a reason told to its company, put it back online.

An unpublished offer leaves the job seekers' lists and pages (`JobOffer.objects.open()`, the detail
and the application form only show published offers); its applications are kept as they are, and
its company still sees them. While it is moderated only staff may publish it again: the company's
form cannot (`save_job_offer`), nor does the France Travail import (`france_travail.import_offers`).
"""

from datetime import datetime
from http import HTTPStatus

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.notifications.services import queue_email
from jobs.selectors import partner_recipients

from ..models import JobOffer, ModerationAction, OfferModeration
from .offers import OfferError

REASON_MAX_LENGTH = 2000


def _ensure_staff(by) -> None:
    if not by.is_programme_staff:
        raise OfferError(_("Seule l'équipe DéClics peut modérer les offres."), status=HTTPStatus.FORBIDDEN)


def _tell_company(*, offer: JobOffer, moderation: OfferModeration, template: str) -> None:
    """One e-mail per recipient of the company (its users, else its contact address), keyed by
    the moderation: a decision is told once, however often the button is pressed."""
    if offer.company is None:
        return  # an imported France Travail offer: nobody of ours to tell
    url = settings.SITE_URL + reverse("jobs:partner_offer_edit", args=[offer.company_id, offer.pk])
    for email in partner_recipients(offer.company):
        queue_email(
            key=f"jobs:offer-moderation:{offer.pk}:{moderation.pk}:{email}",
            to=email,
            template=template,
            context={"offer": offer, "moderation": moderation, "offer_url": url},
        )


@transaction.atomic
def unpublish_offer(*, offer: JobOffer, reason: str, by, now: datetime | None = None) -> OfferModeration:
    """Take `offer` offline for a `reason` the company receives by e-mail (staff only)."""
    _ensure_staff(by)
    reason = reason.strip()
    if not reason:
        raise OfferError(
            _("Indiquez la raison du retrait : l'entreprise la recevra."), status=HTTPStatus.BAD_REQUEST
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise OfferError(
            _("La raison tient en %(max)s caractères au plus.") % {"max": REASON_MAX_LENGTH},
            status=HTTPStatus.BAD_REQUEST,
        )
    offer = JobOffer.objects.select_for_update(of=("self",)).select_related("company").get(pk=offer.pk)
    if offer.is_moderated:
        raise OfferError(_("Cette offre est déjà retirée par l'équipe DéClics."))
    offer.is_moderated = True
    offer.is_published = False
    offer.save(update_fields=["is_moderated", "is_published", "updated_at"])
    moderation = OfferModeration.objects.create(
        offer=offer,
        action=ModerationAction.UNPUBLISHED,
        reason=reason,
        by=by,
        created_at=now or timezone.now(),
    )
    _tell_company(offer=offer, moderation=moderation, template="jobs/offers/emails/offer_unpublished")
    return moderation


@transaction.atomic
def republish_offer(*, offer: JobOffer, by, now: datetime | None = None) -> OfferModeration:
    """Put a moderated offer back online (staff only); the company is told."""
    _ensure_staff(by)
    offer = JobOffer.objects.select_for_update(of=("self",)).select_related("company").get(pk=offer.pk)
    if not offer.is_moderated:
        raise OfferError(_("Cette offre n'a pas été retirée par l'équipe DéClics."))
    offer.is_moderated = False
    offer.is_published = True
    offer.save(update_fields=["is_moderated", "is_published", "updated_at"])
    moderation = OfferModeration.objects.create(
        offer=offer, action=ModerationAction.REPUBLISHED, by=by, created_at=now or timezone.now()
    )
    _tell_company(offer=offer, moderation=moderation, template="jobs/offers/emails/offer_republished")
    return moderation
