"""Reads of step 6: the offers a partner manages, the applications a user may see, a company's dashboard."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jobs.models import Partner
from jobs.selectors import partners_managed_by

from .models import Application, ApplicationStatus, JobOffer


def offers_managed_by(user) -> QuerySet[JobOffer]:
    return JobOffer.objects.filter(company__in=partners_managed_by(user))


def applications_visible_to(user) -> QuerySet[Application]:
    """Staff: all; a company's users: the applications to its offers; a job seeker: their own."""
    if not user.is_authenticated:
        return Application.objects.none()
    if user.is_programme_staff:
        return Application.objects.all()
    if user.is_partner:
        return Application.objects.filter(offer__company__memberships__user=user)
    return Application.objects.filter(job_seeker=user)


def offer_territory_q(departement_ids) -> Q:
    return Q(departement_id__in=list(departement_ids)) | Q(is_remote=True)


def partner_dashboard(partner: Partner) -> dict:
    """A company's dashboard block: its offers with their application counts (all, and new ones)."""
    return {
        "offers": partner.job_offers.annotate(
            application_count=Count("applications"),
            new_count=Count("applications", filter=Q(applications__status=ApplicationStatus.NEW)),
        ).order_by("-created_at")
    }


def offer_applicants(*, user, offer: JobOffer) -> QuerySet[Application]:
    """The applications to `offer` that `user` may see, the latest first, with their person."""
    return (
        applications_visible_to(user)
        .filter(offer=offer)
        .select_related("job_seeker")
        .order_by("-created_at", "-id")
    )


def company_applications(*, user, company: Partner) -> QuerySet[Application]:
    """The applications to `company`'s offers that `user` may see, with their offer and person."""
    return applications_visible_to(user).filter(offer__company=company).select_related("offer", "job_seeker")


def application_session_slug(user, *, public_id) -> str | None:
    """The session one of `user`'s applications was made in; None when it is not theirs."""
    return (
        Application.objects.filter(public_id=public_id, job_seeker=user)
        .values_list("enrolment__session__slug", flat=True)
        .first()
    )


def offers_for_staff(
    *, query: str = "", state: str = "", source: str = "", departement: str = "", today=None
) -> QuerySet[JobOffer]:
    """Every offer for moderation, filtered, with its company, town and application count, newest first.

    `state`: "online" (published and not expired), "moderated" (unpublished by staff), "unpublished"
    (by its company), "expired".
    """
    today = today or timezone.localdate()
    offers = JobOffer.objects.all()
    for word in query.split()[:5]:
        offers = offers.filter(
            Q(title__icontains=word) | Q(company__name__icontains=word) | Q(company_name__icontains=word)
        )
    if state == "online":
        offers = offers.open(today)
    elif state == "moderated":
        offers = offers.moderated()
    elif state == "unpublished":
        offers = offers.filter(is_published=False, is_moderated=False)
    elif state == "expired":
        offers = offers.filter(expires_on__lt=today)
    if source:
        offers = offers.filter(source=source)
    if departement:
        offers = offers.filter(departement_id=departement)
    return (
        offers.select_related("company", "commune")
        .annotate(application_count=Count("applications"))
        .order_by("-created_at", "-id")
    )
