import time

import pytest
from django.urls import reverse

from declics.accounts import demo as accounts_demo
from declics.accounts.models import User
from programs import demo
from programs.advisers import demo as advisers_demo
from programs.impact import impact
from programs.models import AdviserMembership, Agency, Enrolment, SurveyKind, SurveyResponse

pytestmark = pytest.mark.django_db

HERAULT = "declics-numeriques-herault-2020"


def test_advisers_demo_is_idempotent_and_lived_in():
    accounts_demo.seed()
    started = time.monotonic()
    demo.seed()
    advisers_demo.seed()
    first_run = time.monotonic() - started
    counts = (
        Agency.objects.count(),
        SurveyResponse.objects.count(),
        Enrolment.objects.filter(adviser__isnull=False).count(),
    )
    demo.seed()
    advisers_demo.seed()

    assert (
        Agency.objects.count(),
        SurveyResponse.objects.count(),
        Enrolment.objects.filter(adviser__isnull=False).count(),
    ) == counts
    assert sorted(Agency.objects.values_list("departement_id", flat=True)) == ["31", "31", "34", "34"]
    adviser = User.objects.get(email="adviser@declics.example")
    assert adviser.get_full_name() == "Claire Roussel"
    assert AdviserMembership.objects.get(user=adviser).agency.name == "France Travail Montpellier Ouest"
    named = Enrolment.objects.filter(adviser=adviser)
    assert (named.count(), named.filter(share_with_adviser=True).count()) == (40, 36)
    assert set(named.values_list("session__slug", flat=True)) == {HERAULT}
    # Every Hérault participant got the three surveys; the answers look like the real edition.
    assert SurveyResponse.objects.filter(enrolment__session__slug=HERAULT).count() == 3 * 600
    [row] = impact.compute(enrolments=impact.participants(Enrolment.objects.filter(session__slug=HERAULT)))
    assert 80 <= row.satisfied.share <= 90
    assert (
        row.outcomes[SurveyKind.FOLLOW_UP_6]["job"].share > row.outcomes[SurveyKind.FOLLOW_UP_3]["job"].share
    )
    assert first_run < 30


def test_demo_adviser_sees_their_people_on_the_dashboard(client):
    accounts_demo.seed()
    demo.seed()
    advisers_demo.seed()
    client.force_login(User.objects.get(email="adviser@declics.example"))

    response = client.get(reverse("programs:adviser_dashboard", args=[HERAULT]))

    assert response.context["page"].paginator.count == 36
    funnel = {str(stage.label): stage.figure.count for stage in response.context["funnel"]}
    assert funnel["Inscrit·es"] == 40
