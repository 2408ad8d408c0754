"""What step 5 offers through `programs.registry`: its pathway links."""

from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Step
from programs.registry import StepEntry, StepLink


def pathway_links(enrolment) -> tuple[StepLink, ...]:
    return (
        StepLink(_("Chercher une formation"), reverse("jobs:trainings")),
        StepLink(_("Rencontrer les organismes de formation"), reverse("jobs:meetings")),
    )


ENTRY = StepEntry(step=Step.TRAININGS, pathway_links=pathway_links)
