"""What step 1 offers the spine through `programs.registry`: its pathway links and the talks a
session copy brings along."""

from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Step
from programs.registry import StepEntry, StepLink

from . import services


def pathway_links(enrolment) -> tuple[StepLink, ...]:
    slug = enrolment.session.slug
    return (
        StepLink(_("Voir les témoignages"), reverse("programs:talk_list", args=[slug])),
        StepLink(_("Découvrir les métiers du numérique"), reverse("programs:jobs_list", args=[slug])),
    )


ENTRY = StepEntry(step=Step.ROLE_MODELS, pathway_links=pathway_links, copy_into=services.copy_talks)
