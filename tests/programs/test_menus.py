"""Each role's menu (short, no dropdown) and the staff's "Équipe" page, which groups the staff tools
and links every session to its own staff pages."""

from html import unescape

import pytest
from django.urls import reverse

from programs.models import SessionStatus
from tests.factories import AdviserFactory, MentorFactory, PartnerUserFactory, StaffFactory, UserFactory
from tests.test_templates_a11y import by_id, parse_html

from .factories import SessionFactory

pytestmark = pytest.mark.django_db


def _role_menu(client, user):
    client.force_login(user)
    document = parse_html(client.get(reverse("privacy")).content.decode())
    role_menu = by_id(document)["main-menu"].find_all("ul")[0]
    return [(a.text.strip(), a.attrs["href"]) for a in role_menu.find_all("a")]


SESSIONS = ("Les sessions", "/sessions/")


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        (
            UserFactory,
            [
                SESSIONS,
                ("Mon parcours", reverse("programs:my_pathway")),
                ("Mon mentor·e", reverse("mentoring:mentee_start")),
                ("Formations", reverse("jobs:current_trainings")),
                ("Offres d'emploi", reverse("jobs:current_offers")),
                ("Mes candidatures", reverse("jobs:current_applications")),
            ],
        ),
        (
            MentorFactory,
            [
                SESSIONS,
                ("Mon espace mentor·e", reverse("mentoring:mentor_dashboard")),
                ("Ateliers à animer", reverse("programs:workshop_facilitated")),
            ],
        ),
        (
            AdviserFactory,
            [
                SESSIONS,
                ("Mes candidat·es", reverse("programs:adviser_sessions")),
                ("Ateliers à animer", reverse("programs:workshop_facilitated")),
            ],
        ),
        (
            PartnerUserFactory,
            [
                SESSIONS,
                ("Espace partenaire", reverse("jobs:partner_home")),
                ("Ateliers à animer", reverse("programs:workshop_facilitated")),
            ],
        ),
        (StaffFactory, [SESSIONS, ("Équipe", reverse("programs:staff_sessions"))]),
    ],
)
def test_role_menu_lists_the_roles_pages_in_a_few_plain_links(client, factory, expected):
    assert [(label, href) for label, href in _role_menu(client, factory())] == expected


def test_staff_page_groups_the_staff_tools(client):
    client.force_login(StaffFactory())

    document = parse_html(client.get(reverse("programs:staff_sessions")).content.decode())

    tools = by_id(document)["staff-tools"]
    assert [(a.text.strip(), a.attrs["href"]) for a in tools.find_all("a")] == [
        ("Mentorat", reverse("mentoring:staff_sessions")),
        ("Mentor·es à valider", reverse("mentoring:staff_mentors")),
        ("Ateliers à venir", reverse("programs:workshop_facilitated")),
        ("Suivi des candidat·es", reverse("programs:adviser_sessions")),
        ("Impact", reverse("programs:impact_dashboard")),
        ("Partenaires", reverse("jobs:partner_home")),
        ("Agences", reverse("programs:adviser_agencies")),
        ("Invitations", reverse("accounts:invitations")),
        ("Administration", reverse("admin:index")),
    ]


def test_staff_session_list_links_each_session_to_its_settings_and_pages(client):
    running = SessionFactory(title="DéClics Hérault", status=SessionStatus.RUNNING)
    draft = SessionFactory(title="DéClics Aude", status=SessionStatus.DRAFT, published_at=None)
    client.force_login(StaffFactory())

    document = parse_html(client.get(reverse("programs:staff_sessions")).content.decode())

    def tools(session):
        return [
            (a.text.strip(), a.attrs["href"])
            for a in by_id(document)[f"session-{session.pk}-tools"].find_all("a")
        ]

    assert tools(running) == [
        ("Gérer DéClics Hérault", reverse("programs:preview", args=[running.slug])),
        ("Ateliers de DéClics Hérault", reverse("programs:workshop_staff_list", args=[running.slug])),
        ("Mentorat de DéClics Hérault", reverse("mentoring:staff_session_matching", args=[running.slug])),
        ("Personnes de DéClics Hérault", reverse("programs:console_people", args=[running.slug])),
        ("Suivi de DéClics Hérault", reverse("programs:adviser_dashboard", args=[running.slug])),
        ("Impact de DéClics Hérault", f"{reverse('programs:impact_dashboard')}?session={running.pk}"),
        ("Messages de DéClics Hérault", reverse("programs:console_messages", args=[running.slug])),
        ("Réponses de DéClics Hérault", reverse("programs:console_answers", args=[running.slug])),
    ]
    # A draft has no people yet: its workshops and matching only.
    assert tools(draft) == [
        ("Gérer DéClics Aude", reverse("programs:preview", args=[draft.slug])),
        ("Ateliers de DéClics Aude", reverse("programs:workshop_staff_list", args=[draft.slug])),
        ("Mentorat de DéClics Aude", reverse("mentoring:staff_session_matching", args=[draft.slug])),
    ]


@pytest.mark.parametrize(
    "url",
    [
        lambda s: reverse("programs:workshop_staff_list", args=[s.slug]),
        lambda s: reverse("mentoring:staff_session_matching", args=[s.slug]),
        lambda s: reverse("programs:adviser_dashboard", args=[s.slug]),
        lambda s: f"{reverse('programs:impact_dashboard')}?session={s.pk}",
    ],
    ids=["workshops", "matching", "follow-up", "impact"],
)
def test_the_session_pages_linked_from_the_staff_list_open_for_staff(client, url):
    session = SessionFactory(title="DéClics Hérault", status=SessionStatus.RUNNING)
    client.force_login(StaffFactory())

    response = client.get(url(session))

    assert response.status_code == 200
    assert "DéClics Hérault" in unescape(response.content.decode())
