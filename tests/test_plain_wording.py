"""Wording a new user stumbled on: plurals written "(s)", a sign-up step without a link."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from programs import services
from programs.models import Step
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory
from tests.test_templates_a11y import parse_html
from tests.test_translations import marked_strings

# "étape(s)", "terminée(s)", "prévenu(e)s", "inscrit(e)": a plural or a gender in parentheses.
PARENTHESISED_ENDING = re.compile(r"\w\((?:e?s|e|x)\)")


def test_no_user_facing_string_writes_a_plural_in_parentheses():
    found = sorted(msgid for _context, msgid in marked_strings() if PARENTHESISED_ENDING.search(msgid))

    assert found == [], "write the plural with ngettext / {% blocktranslate count %}"


@pytest.mark.parametrize(
    ("count", "french", "english"),
    [
        (1, "Atelier annulé : 1 personne prévenue.", "Workshop cancelled: 1 person informed."),
        (2, "Atelier annulé : 2 personnes prévenues.", "Workshop cancelled: 2 people informed."),
    ],
)
def test_plural_messages_agree_with_the_count_in_both_languages(count, french, english):
    singular, plural = (
        "Atelier annulé : %(n)s personne prévenue.",
        "Atelier annulé : %(n)s personnes prévenues.",
    )

    with translation.override("fr"):
        assert ngettext(singular, plural, count) % {"n": count} == french
    with translation.override("en"):
        assert ngettext(singular, plural, count) % {"n": count} == english


def _progress_label(client, enrolment) -> str:
    page = client.get(reverse("programs:pathway", args=[enrolment.session.slug])).content.decode()
    [label] = parse_html(page).find_all("label", **{"for": "pathway-progress"})
    return unescape(label.text)


@pytest.mark.django_db
def test_the_pathway_counts_finished_steps_in_plain_words(client):
    enrolment = EnrolmentFactory(session=OpenSessionFactory())
    client.force_login(enrolment.job_seeker)

    none = _progress_label(client, enrolment)
    services.complete_step(enrolment=enrolment, step=Step.ROLE_MODELS)
    one = _progress_label(client, enrolment)
    services.complete_step(enrolment=enrolment, step=Step.ASSESSMENT)
    two = _progress_label(client, enrolment)
    enrolment.job_seeker.language = "en"  # the account's language, as the switcher stores it
    enrolment.job_seeker.save(update_fields=["language"])
    english = _progress_label(client, enrolment)

    assert [none, one, two] == [
        "Aucune étape terminée sur 6",
        "1 étape terminée sur 6",
        "2 étapes terminées sur 6",
    ]
    assert english == "2 steps completed out of 6"


@pytest.mark.django_db
def test_the_home_page_links_the_sign_up_step_to_the_sessions(client):
    page = parse_html(client.get(reverse("home")).content.decode())

    links = [a for a in page.find_all("a") if a.text.startswith("Inscrivez-vous")]

    assert [a.attrs["href"] for a in links] == [reverse("programs:list")]


@pytest.mark.django_db
def test_the_mentoring_page_without_a_session_links_to_the_sessions(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    page = parse_html(client.get(reverse("mentoring:mentee_start")).content.decode())

    assert reverse("programs:list") in [
        a.attrs.get("href") for a in page.find_all("a", **{"class": "btn btn-primary"})
    ]
