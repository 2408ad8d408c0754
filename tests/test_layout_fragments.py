"""The base layout's parts kept in the process's memory (templates/base.html, declics/fragments.py).

What is cached is the same for everyone of a language and role; what is a person's own (their
name, the CSRF token, the page's path in the language form) is rendered on every page. These tests
run with the cache filled by the previous request, as in production.
"""

import re
from html import unescape

import pytest
from django.core.cache import caches
from django.urls import reverse

from declics import fragments
from tests.factories import AdviserFactory, MentorFactory, StaffFactory, UserFactory, with_totp

pytestmark = pytest.mark.django_db

JOB_SEEKER_MENU = reverse("programs:my_pathway")
MENTOR_MENU = reverse("mentoring:mentor_dashboard")
ADVISER_MENU = reverse("programs:adviser_sessions")
STAFF_MENU = reverse("programs:staff_sessions")
MENUS = (JOB_SEEKER_MENU, MENTOR_MENU, ADVISER_MENU, STAFF_MENU)


@pytest.fixture(autouse=True)
def empty_fragments():
    caches[fragments.ALIAS].clear()
    yield
    caches[fragments.ALIAS].clear()


def _menu_links(response) -> set[str]:
    header = response.content.decode().split("</header>")[0]
    return {href for href in MENUS if f'href="{href}"' in header}


def _csrf_tokens(response) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()))


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        (UserFactory, {JOB_SEEKER_MENU}),
        (MentorFactory, {MENTOR_MENU}),
        (AdviserFactory, {ADVISER_MENU}),
        (StaffFactory, {STAFF_MENU}),
    ],
    ids=["job-seeker", "mentor", "adviser", "staff"],
)
def test_each_role_keeps_its_own_menu_after_every_other_role_filled_the_cache(client, factory, expected):
    for other in (UserFactory, MentorFactory, AdviserFactory, StaffFactory):
        client.force_login(with_totp(other()))
        client.get(reverse("privacy"))
    client.force_login(with_totp(factory()))

    response = client.get(reverse("privacy"))

    assert _menu_links(response) == expected


def test_a_visitor_after_a_signed_in_person_sees_the_visitors_menu(client):
    client.force_login(UserFactory())
    client.get(reverse("privacy"))
    client.logout()

    content = client.get(reverse("privacy")).content.decode()

    assert JOB_SEEKER_MENU not in content
    assert f'href="{reverse("account_login")}"' in content


def test_the_name_the_token_and_the_path_are_each_requests_own(client):
    first, second = UserFactory(first_name="Aïcha"), UserFactory(first_name="Bastien")
    client.force_login(first)
    first_page = client.get(reverse("privacy"))
    client.force_login(second)

    second_page = client.get(reverse("accessibility"))

    content = unescape(second_page.content.decode())
    assert "Bastien" in content and "Aïcha" not in content
    assert _csrf_tokens(second_page) and _csrf_tokens(second_page).isdisjoint(_csrf_tokens(first_page))
    assert f'name="next" type="hidden" value="{reverse("accessibility")}"' in content


def test_each_language_keeps_its_own_menu_and_footer(client):
    client.get(reverse("privacy"), headers={"accept-language": "fr"})

    english = client.get(reverse("privacy"), headers={"accept-language": "en"}).content.decode()
    french = client.get(reverse("privacy"), headers={"accept-language": "fr"}).content.decode()

    assert "Sign in" in english.split("</header>")[0] and "Se connecter" not in english
    assert "Legal notice" in english.split("<footer")[1]
    assert "Se connecter" in french.split("</header>")[0] and "Mentions légales" in french
    assert '<option value="en" lang="en" selected>' in english
    assert '<option value="fr" lang="fr" selected>' in french


def test_an_edited_file_under_runserver_empties_the_cache(client):
    client.get(reverse("privacy"))
    assert caches[fragments.ALIAS]._cache  # the layout's parts are kept

    fragments.forget_fragments(sender=None, file_path="templates/base.html")

    assert not caches[fragments.ALIAS]._cache
