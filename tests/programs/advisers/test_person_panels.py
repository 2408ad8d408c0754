"""The adviser's person page shows each step's own section, read through the registry of steps."""

import pytest
from django.urls import reverse

from programs.models import Step

pytestmark = pytest.mark.django_db


def test_the_person_page_shows_each_registered_step_section_in_pathway_order(client, world, without_step):
    client.force_login(world.adviser)
    url = reverse("programs:adviser_person", args=[world.session.slug, world.alice.public_id])

    response = client.get(url)

    html = response.content.decode()
    headings = [
        "Témoignages",
        "Bilan de compétences",
        "Mentor·e",
        "Ateliers",
        "Rencontres avec les organismes de formation",
        "Candidatures",
    ]
    positions = [html.index(f"<h2>{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)
    assert [panel.template for panel in response.context["panels"]] == [
        "programs/role_models/includes/adviser_panel.html",
        "programs/assessment/includes/adviser_panel.html",
        "mentoring/includes/adviser_panel.html",
        "programs/workshops/includes/adviser_panel.html",
        "jobs/trainings/_adviser_panel.html",
        "jobs/offers/_adviser_panel.html",
    ]

    without_step(Step.MENTOR)
    html = client.get(url).content.decode()
    assert "<h2>Mentor·e</h2>" not in html
    assert "<h2>Ateliers</h2>" in html
