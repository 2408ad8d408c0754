"""What step 6 offers through `programs.registry`: its pathway links, and the person's
applications on the adviser's person page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Step
from programs.registry import Panel, StepEntry, StepLink

from .models import Application


def pathway_links(enrolment) -> tuple[StepLink, ...]:
    return (
        StepLink(_("Voir les offres"), reverse("jobs:offers")),
        StepLink(_("Mes candidatures"), reverse("jobs:my_applications")),
    )


def applications_panel(enrolment) -> Panel:
    applications = list(
        Application.objects.filter(job_seeker=enrolment.job_seeker)
        .select_related("offer")
        .order_by("-created_at")[:50]
    )
    return Panel("jobs/offers/_adviser_panel.html", {"applications": applications})


ENTRY = StepEntry(step=Step.JOBS, pathway_links=pathway_links, adviser_panel=applications_panel)
