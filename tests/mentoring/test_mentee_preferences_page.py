"""The mentor-wishes form on a phone: the 98 digital jobs by family (<details> with a legend), their
plain names without ROME codes, and a search that works without JavaScript."""

import re
from html import unescape

import pytest
from django.urls import reverse

from declics.rome.families import FAMILIES
from declics.rome.models import RomeJob
from declics.rome.services import load_rome_jobs
from mentoring.models import MenteePreferences
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory
from tests.test_templates_a11y import accessibility_problems, parse_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment():
    load_rome_jobs()
    return EnrolmentFactory(session=OpenSessionFactory())


def _page(client, enrolment, query=""):
    url = reverse("mentoring:mentee_preferences", args=[enrolment.session.slug])
    response = client.get(url, {"q": query} if query else {})
    return response, parse_html(response.content.decode())


def test_every_digital_job_is_in_one_family_under_its_plain_name(client, enrolment):
    client.force_login(enrolment.job_seeker)

    response, page = _page(client, enrolment)
    families = [d for d in page.find_all("details") if "data-job-family" in d.attrs]
    boxes = page.find_all("input", name="rome_jobs")
    text = unescape(page.text)

    assert response.status_code == 200
    assert len(families) == len(FAMILIES) == 8
    assert [d.find_all("legend")[0].text for d in families] == [str(f.label) for f in FAMILIES]
    assert all("open" not in d.attrs for d in families)  # folded: the form fits on a phone
    assert sorted(box.attrs["value"] for box in boxes) == sorted(
        RomeJob.objects.digital().values_list("pk", flat=True)
    )
    assert len(boxes) == 98
    assert re.findall(r"\b[A-N]\d{4}\b", text) == []  # no ROME code shown
    assert "Développeur / Développeuse web" in text
    assert accessibility_problems(response.content.decode()) == []


def test_the_search_without_javascript_opens_the_matching_families_and_keeps_every_box(client, enrolment):
    preferences = MenteePreferences.objects.create(enrolment=enrolment)
    preferences.rome_jobs.set(["M1874"])  # a support job, ticked before the search
    client.force_login(enrolment.job_seeker)

    _response, page = _page(client, enrolment, query="developpeur WEB")
    opened = [d for d in page.find_all("details") if "open" in d.attrs]
    shown = [
        node.text for node in page.find_all("div") if "data-job" in node.attrs and "hidden" not in node.attrs
    ]
    support = next(box for box in page.find_all("input", name="rome_jobs") if box.attrs["value"] == "M1874")

    assert [d.find_all("summary")[0].text for d in opened] == ["Créer des sites et des logiciels"]
    assert shown == ["Développeur / Développeuse web"]
    assert len(page.find_all("input", name="rome_jobs")) == 98
    assert "checked" in support.attrs
    assert "1 choisi" in page.find_all("details")[0].find_all("summary")[0].text


def test_a_family_name_finds_its_jobs(client, enrolment):
    client.force_login(enrolment.job_seeker)

    _response, page = _page(client, enrolment, query="design")
    opened = [d for d in page.find_all("details") if "open" in d.attrs]
    shown = [
        node for node in opened[0].find_all("div") if "data-job" in node.attrs and "hidden" not in node.attrs
    ]

    assert [d.find_all("legend")[0].text for d in opened] == ["Design et réseaux sociaux"]
    assert len(shown) == 13  # "Community manager" too: the family's name matched


def test_the_grouped_form_saves_jobs_availability_and_languages(client, enrolment):
    client.force_login(enrolment.job_seeker)

    response = client.post(
        reverse("mentoring:mentee_preferences", args=[enrolment.session.slug]),
        {
            "rome_jobs": ["M1855", "E1205"],
            "availability": ["mon-morning", "sat-evening"],
            "languages": ["fr", "ar"],
        },
    )

    preferences = MenteePreferences.objects.get(enrolment=enrolment)
    assert response.status_code == 302
    assert sorted(preferences.rome_jobs.values_list("pk", flat=True)) == ["E1205", "M1855"]
    assert (preferences.availability, preferences.languages) == (["mon-morning", "sat-evening"], ["fr", "ar"])


def test_the_availability_grid_labels_every_box_with_its_day_and_period(client, enrolment):
    client.force_login(enrolment.job_seeker)

    _response, page = _page(client, enrolment)
    labels = {node.attrs["for"]: node.text for node in page.find_all("label")}
    boxes = page.find_all("input", name="availability")

    assert len(boxes) == 18
    assert labels[boxes[0].attrs["id"]] == "lundi matin"
    assert labels[boxes[-1].attrs["id"]] == "samedi soir"


def test_a_search_that_finds_nothing_says_so(client, enrolment):
    client.force_login(enrolment.job_seeker)

    _response, page = _page(client, enrolment, query="boulanger")
    [none] = page.find_all("p", id="job-search-none")

    assert "hidden" not in none.attrs
    assert [d for d in page.find_all("details") if "open" in d.attrs] == []
