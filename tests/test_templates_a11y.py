"""Structural accessibility checks (RGAA / WCAG 2.1 AA) of every public page, from the rendered HTML.

No browser here: the pages are rendered by the Django test client and read with the standard
library's HTML parser. What a parser can prove is checked on every page: one <h1>, headings in
order, landmarks, `lang`, a label for every field, radios grouped in a fieldset with a legend, no
inline script, style or event handler (the CSP forbids them), unique ids, and, on a form sent back
with errors, a summary with role="alert" and each error tied to its field. The axe-core check in a
real browser lives in tests/e2e/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.factories import PASSWORD, StaffFactory, UserFactory

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
}  # fmt: skip
INLINE_ELEMENTS = {"a", "abbr", "b", "code", "em", "i", "kbd", "small", "span", "strong", "sub", "sup"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
FIELD_TAGS = ("input", "select", "textarea")
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str | None]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, *tags: str, **attrs: str) -> list[Node]:
        return [
            node
            for node in self.iter()
            if (not tags or node.tag in tags) and all(node.attrs.get(k) == v for k, v in attrs.items())
        ]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        """The text as read: whitespace collapsed, a space around block elements only."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in INLINE_ELEMENTS:
                parts.append(child.text)
            else:
                parts.append(f" {child.text} ")
        return re.sub(r"\s+", " ", "".join(parts)).strip()


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.current)
        self.current.children.append(node)
        if tag not in VOID_ELEMENTS:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def by_id(document: Node) -> dict[str, Node]:
    return {node.attrs["id"]: node for node in document.iter() if node.attrs.get("id")}


def accessibility_problems(html: str, *, about_the_user: bool = True) -> list[str]:
    """Every structural accessibility problem found in a page, as readable sentences.

    about_the_user: the page's fields collect the visitor's own data, so names, e-mail, phone and
    passwords need an autocomplete attribute (WCAG 1.3.5); false for a form about someone else.
    """
    document = parse_html(html)
    problems: list[str] = []
    ids = by_id(document)

    # Language, title, landmarks.
    html_nodes = document.find_all("html")
    if len(html_nodes) != 1 or html_nodes[0].attrs.get("lang") not in ("fr", "en"):
        problems.append("<html> must carry lang='fr' or lang='en'")
    titles = document.find_all("title")
    if len(titles) != 1 or not titles[0].text:
        problems.append("the page needs one non-empty <title>")
    for landmark in ("header", "main", "footer"):
        if len(document.find_all(landmark)) != 1:
            problems.append(f"the page needs exactly one <{landmark}>")
    main = document.find_all("main")
    if main and main[0].attrs.get("id") != "main":
        problems.append("<main> must have id='main' (the skip link's target)")
    skip_links = [a for a in document.find_all("a") if a.attrs.get("href") == "#main"]
    if not skip_links or document.find_all("a")[0] is not skip_links[0]:
        problems.append("the first link of the page must be the skip link to #main")
    for nav in document.find_all("nav"):
        if not (nav.attrs.get("aria-label") or nav.attrs.get("aria-labelledby")):
            problems.append("every <nav> needs an aria-label (there are several)")

    # Headings: one h1, no level skipped.
    headings = document.find_all(*HEADINGS)
    levels = [int(h.tag[1]) for h in headings]
    if levels.count(1) != 1:
        problems.append(f"the page needs exactly one <h1>, found {levels.count(1)}")
    if levels and levels[0] != 1:
        problems.append("the first heading must be the <h1>")
    for before, after, heading in zip(levels, levels[1:], headings[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level skipped: h{before} then h{after} ({heading.text!r})")
    for heading in headings:
        if not heading.text:
            problems.append(f"empty <{heading.tag}>")

    # Content Security Policy: no inline script, style or event handler.
    for script in document.find_all("script"):
        if not script.attrs.get("src") or script.text:
            problems.append("inline <script> (the CSP only allows script files)")
    if document.find_all("style"):
        problems.append("<style> element (the CSP only allows style sheets)")
    for node in document.iter():
        if "style" in node.attrs:
            problems.append(f"style= attribute on <{node.tag}>")
        for name in node.attrs:
            if name.startswith("on"):
                problems.append(f"inline event handler {name}= on <{node.tag}>")

    # Ids are unique; ARIA references point to something.
    seen: set[str] = set()
    for node in document.iter():
        node_id = node.attrs.get("id")
        if node_id:
            if node_id in seen:
                problems.append(f"duplicate id {node_id!r}")
            seen.add(node_id)
        for attr in ("aria-describedby", "aria-labelledby", "aria-controls"):
            for ref in (node.attrs.get(attr) or "").split():
                if ref not in ids:
                    problems.append(f"{attr}={ref!r} on <{node.tag}> points to no element")

    # Images have a text alternative (possibly empty for decoration).
    for img in document.find_all("img"):
        if "alt" not in img.attrs:
            problems.append(f"<img src={img.attrs.get('src')!r}> has no alt")

    # Links and buttons have an accessible name.
    for node in document.find_all("a", "button"):
        if node.tag == "a" and "href" not in node.attrs:
            continue
        if not (node.text or node.attrs.get("aria-label") or node.attrs.get("aria-labelledby")):
            problems.append(f"<{node.tag}> without an accessible name")

    # Every field has a label; radios and checkboxes of one name sit in a fieldset with a legend.
    label_targets = {label.attrs.get("for") for label in document.find_all("label")}
    for control in document.find_all(*FIELD_TAGS):
        kind = control.attrs.get("type", "text") if control.tag == "input" else control.tag
        if kind in UNLABELLED_INPUT_TYPES:
            continue
        name = control.attrs.get("name") or control.attrs.get("id")
        labelled = (
            control.attrs.get("id") in label_targets
            or any(a.tag == "label" for a in control.ancestors())
            or control.attrs.get("aria-label")
            or control.attrs.get("aria-labelledby")
        )
        if not labelled:
            problems.append(f"field {name!r} has no label")
        for label in document.find_all("label"):
            if label.attrs.get("for") == control.attrs.get("id") and not label.text:
                problems.append(f"field {name!r} has an empty label")
        personal = kind in ("email", "password", "tel") or name in ("first_name", "last_name")
        if about_the_user and personal and not control.attrs.get("autocomplete"):
            problems.append(f"field {name!r} needs an autocomplete attribute")
    radio_names: dict[str, list[Node]] = {}
    for radio in document.find_all("input", type="radio"):
        radio_names.setdefault(radio.attrs.get("name") or "", []).append(radio)
    for name, radios in radio_names.items():
        fieldsets = [a for a in radios[0].ancestors() if a.tag == "fieldset"]
        if len(radios) > 1 and not (fieldsets and fieldsets[0].find_all("legend")):
            problems.append(f"radios {name!r} must be grouped in a <fieldset> with a <legend>")

    # Errors: every invalid field says so and is described by its message, shown in .invalid-feedback.
    invalid = [node for node in document.find_all(*FIELD_TAGS) if "is-invalid" in node.classes()]
    for control in invalid:
        name = control.attrs.get("name")
        if control.attrs.get("aria-invalid") != "true":
            problems.append(f"invalid field {name!r} lacks aria-invalid='true'")
        described = [
            ref
            for holder in [control, *[a for a in control.ancestors() if a.tag == "fieldset"]]
            for ref in (holder.attrs.get("aria-describedby") or "").split()
        ]
        messages = [ids[ref] for ref in described if ref in ids and "invalid-feedback" in ids[ref].classes()]
        if not messages or not all(message.text for message in messages):
            problems.append(f"invalid field {name!r} is not described by a visible error message")
    if invalid and not document.find_all(role="alert"):
        problems.append("a form with errors needs a summary with role='alert'")
    return problems


# ------------------------------------------------------------------------------------------------
# The pages


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts attempts in the cache: each test starts from zero.
    cache.clear()
    yield
    cache.clear()


def _assert_accessible(response, expected_status=200, **options):
    assert response.status_code == expected_status, response.content[:500]
    assert accessibility_problems(response.content.decode(), **options) == []


PUBLIC_PAGES = [
    "home",
    "legal_notice",
    "privacy",
    "accessibility",
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_request_login_code",
    "account_email_verification_sent",
    "account_inactive",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_public_page_structure_is_accessible(client, url_name):
    _assert_accessible(client.get(reverse(url_name)))


@pytest.mark.django_db
def test_signup_with_errors_ties_each_message_to_its_field(client):
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "",
            "last_name": "Durand",
            "email": "camille@example.org",
            "password1": "court",
            "password2": "x",
            "role": "job_seeker",
        },
    )

    _assert_accessible(response)
    document = parse_html(response.content.decode())
    ids = by_id(document)
    summary = document.find_all(role="alert")
    assert [node.text for node in summary[0].find_all("a")] == [
        "Prénom : Ce champ est obligatoire.",
        "Mot de passe : Ce mot de passe est trop court. Il doit contenir au minimum 10 caractères.",
    ]
    assert [a.attrs["href"] for a in summary[0].find_all("a")] == [
        "#id_first_name",
        "#id_password1",
    ]
    assert ids["id_first_name"].attrs["aria-describedby"] == "id_first_name_error"
    assert ids["id_first_name_error"].text == "Ce champ est obligatoire."
    assert ids["id_password1"].attrs["aria-invalid"] == "true"
    assert ids["id_password1"].attrs["aria-describedby"] == "id_password1_helptext id_password1_error"
    assert ids["id_last_name"].attrs.get("aria-invalid") is None
    assert document.find_all("title")[0].text == "Erreur : Créer un compte · DéClics Numériques"


@pytest.mark.django_db
def test_signup_role_radios_form_a_fieldset_with_legend_and_its_error(client):
    response = client.post(reverse("account_signup"), {"first_name": "Camille", "role": ""})

    _assert_accessible(response)
    document = parse_html(response.content.decode())
    fieldset = by_id(document)["id_role_0"]
    fieldset = next(a for a in fieldset.ancestors() if a.tag == "fieldset")
    assert fieldset.find_all("legend")[0].text == "Vous êtes*"
    assert [label.text for label in fieldset.find_all("label")] == [
        "en recherche d'emploi",
        "professionnel·le du numérique et vous voulez être mentor·e",
    ]
    assert fieldset.attrs["aria-describedby"] == "id_role_error"
    assert by_id(document)["id_role_error"].text == "Ce champ est obligatoire."


@pytest.mark.django_db
def test_login_with_wrong_password_shows_the_error_in_the_summary(client):
    user = UserFactory()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "mauvais-mot-de-passe"}
    )

    _assert_accessible(response)
    summary = parse_html(response.content.decode()).find_all(role="alert")
    assert len(summary) == 1
    assert summary[0].find_all("li")[0].text == "L’adresse e-mail ou le mot de passe sont incorrects."


@pytest.mark.django_db
def test_password_reset_with_errors_is_accessible(client):
    _assert_accessible(client.post(reverse("account_reset_password"), {"email": "pas-une-adresse"}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "accounts:profile",
        "account_email",
        "account_change_password",
        "account_logout",
        "notifications:preferences",
    ],
)
def test_signed_in_account_page_structure_is_accessible(client, url_name):
    client.force_login(UserFactory(phone="0612345678"))
    _assert_accessible(client.get(reverse(url_name)))


@pytest.mark.django_db
def test_message_preferences_with_errors_are_accessible(client):
    client.force_login(UserFactory())
    response = client.post(reverse("notifications:preferences"), {"language": "xx", "quiet_from": "25:99"})
    _assert_accessible(response, expected_status=400)


@pytest.mark.django_db
def test_unsubscribe_pages_are_accessible(client):
    from declics.notifications.unsubscribe import token

    url = reverse("notifications:unsubscribe", args=[token(user_id=UserFactory().pk, group="news")])
    _assert_accessible(client.get(url), about_the_user=False)
    _assert_accessible(client.post(url), about_the_user=False)
    _assert_accessible(client.get(reverse("notifications:unsubscribe", args=["x"])), expected_status=404)


@pytest.mark.django_db
def test_profile_with_errors_is_accessible(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:profile"), {"first_name": "", "last_name": "", "phone": "12"})
    _assert_accessible(response, expected_status=400)


@pytest.mark.django_db
def test_staff_invitation_page_structure_is_accessible(client):
    client.force_login(StaffFactory())
    # The invitation form is about someone else: no autocomplete from the staff member's own data.
    _assert_accessible(client.get(reverse("accounts:invitations")), about_the_user=False)


@pytest.mark.django_db
def test_email_confirmation_page_is_accessible(client):
    user = UserFactory(verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    key = EmailConfirmationHMAC(address).key

    _assert_accessible(client.get(reverse("account_confirm_email", args=[key])))


@pytest.mark.django_db
def test_password_reset_from_key_pages_are_accessible(client):
    user = UserFactory()
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": key.split("-", 1)[0], "key": key.split("-", 1)[1]},
    )

    form_page = client.get(url, follow=True)
    _assert_accessible(form_page)
    _assert_accessible(client.post(form_page.redirect_chain[-1][0], {"password1": "a", "password2": "b"}))
    _assert_accessible(
        client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad"}))
    )
    _assert_accessible(client.get(reverse("account_reset_password_from_key_done")))


@pytest.mark.django_db
def test_password_change_with_errors_is_accessible(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "faux", "password1": PASSWORD, "password2": "autre"},
    )
    _assert_accessible(response)


@pytest.mark.django_db
def test_error_pages_are_accessible(client):
    _assert_accessible(client.get("/cette-page-n-existe-pas/"), expected_status=404)
    client.force_login(UserFactory())
    _assert_accessible(client.get(reverse("accounts:invitations")), expected_status=403)


def test_server_error_and_bad_request_pages_are_accessible():
    request = RequestFactory().get("/")
    _assert_accessible(defaults.server_error(request), expected_status=500)
    _assert_accessible(defaults.bad_request(request, exception=None), expected_status=400)


@pytest.mark.django_db
def test_csrf_failure_page_is_accessible():
    _assert_accessible(Client(enforce_csrf_checks=True).post(reverse("account_login")), expected_status=403)


@pytest.mark.django_db
def test_rate_limit_page_is_accessible(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    credentials = {"login": "personne@example.org", "password": "faux-mot-de-passe"}
    client.post(reverse("account_login"), credentials)
    _assert_accessible(client.post(reverse("account_login"), credentials), expected_status=429)


# ------------------------------------------------------------------------------------------------
# The checker itself: it must catch what it claims to catch.


def test_checker_reports_each_kind_of_problem():
    page = """<!DOCTYPE html><html><head><title>t</title><style>p{}</style></head><body>
      <header></header><main id="main"><h2>Sub</h2><h1>A</h1><h1>B</h1><h4>Deep</h4>
      <script>alert(1)</script><p style="color:red" onclick="x()">x</p>
      <input type="text" name="nolabel" id="nolabel">
      <input type="email" name="mail" id="mail" aria-label="Mail">
      <input type="radio" name="r" id="r1" aria-label="a"><input type="radio" name="r" id="r2" aria-label="b">
      <input class="form-control is-invalid" name="bad" id="bad" aria-label="Bad">
      <img src="x.png"><a href="/x"></a><span id="nolabel"></span>
      </main><footer></footer></body></html>"""

    assert accessibility_problems(page) == [
        "<html> must carry lang='fr' or lang='en'",
        "the first link of the page must be the skip link to #main",
        "the page needs exactly one <h1>, found 2",
        "the first heading must be the <h1>",
        "heading level skipped: h1 then h4 ('Deep')",
        "inline <script> (the CSP only allows script files)",
        "<style> element (the CSP only allows style sheets)",
        "style= attribute on <p>",
        "inline event handler onclick= on <p>",
        "duplicate id 'nolabel'",
        "<img src='x.png'> has no alt",
        "<a> without an accessible name",
        "field 'nolabel' has no label",
        "field 'mail' needs an autocomplete attribute",
        "radios 'r' must be grouped in a <fieldset> with a <legend>",
        "invalid field 'bad' lacks aria-invalid='true'",
        "invalid field 'bad' is not described by a visible error message",
        "a form with errors needs a summary with role='alert'",
    ]
