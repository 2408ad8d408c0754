"""What step 6 offers through `programs.registry`: its pathway links, and the person's
applications on the adviser's person page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Step
from programs.registry import Panel, StepEntry, StepLink

from . import services
from .models import Application


def pathway_links(enrolment) -> tuple[StepLink, ...]:
    slug = enrolment.session.slug
    return (
        StepLink(_("Voir les offres"), reverse("jobs:offers", args=[slug])),
        StepLink(_("Mes candidatures"), reverse("jobs:my_applications", args=[slug])),
    )


def applications_panel(enrolment) -> Panel:
    """The applications made in this enrolment's session (never another session's: the same person
    may be enrolled elsewhere without consenting to this adviser)."""
    applications = list(
        Application.objects.filter(enrolment=enrolment)
        .select_related("offer")
        .order_by("-created_at", "-pk")[:50]
    )
    return Panel("jobs/offers/_adviser_panel.html", {"applications": applications})


# When the enrolment ends, the applications stay as they are — they went to employers, and the
# person may still want the job — unless the person chose to withdraw them as they left
# (`withdraw_applications`), or their account is erased (`release`).
ENTRY = StepEntry(
    step=Step.JOBS,
    pathway_links=pathway_links,
    adviser_panel=applications_panel,
    capabilities={"withdraw_applications": services.withdraw_open_applications},
    release=services.release_applications,
)
