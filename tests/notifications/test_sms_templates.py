"""Every SMS template is plain GSM-7 and fits one SMS where it can, never more than two.

The templates are found by their name, `templates/**/*_sms.txt`: a new one is checked without
being listed. Each is rendered in French and in English with realistic values, the longest a
message usually carries (a long first name, a workshop's full title, a full date, a link), fitted
as `queue_sms` fits it, and counted. One segment is the rule; a template that cannot say what it
must in 160 characters states it in a comment, `{# sms-segments: 2 #}`, and may take two. Any
template, any value: never three.

A template whose variables the generic values cannot stand for (a `{% url %}` with an id)
gets its own context in SAMPLE_CONTEXTS.

The template's own words (without its values) are GSM-7 as written, so that `fit` never has to
strip an accent from them (an "ê" would become "e").
"""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Engine, engines
from django.urls import reverse
from django.utils import translation

from declics.notifications import sms_text
from programs.models import SurveyKind, SurveyResponse
from programs.services.surveys import survey_token

TEMPLATES = Path(settings.BASE_DIR) / "templates"
ALLOWANCE = "{# sms-segments: 2 #}"
# template name -> extra context (real values where the generic ones cannot do).
SAMPLE_CONTEXTS: dict[str, dict] = {
    # Reminders go 24 h and 1 h before: `bookings.notifications.day_words` says "demain" or this.
    "programs/emails/bookings/reminder_sms.txt": {"day": "aujourd'hui"},
    # The retention warning: the day the account goes (a date), and the sign-in page.
    "privacy/emails/retention_warning_sms.txt": {
        "erase_on": date(2026, 12, 31),
        "login_url": "https://declics.example.org/comptes/login/",
    },
}

WHEN = datetime(2026, 9, 23, 14, 30, tzinfo=ZoneInfo("Europe/Paris"))  # "mercredi 23 septembre"
# The public address as deployed (.env.example), longer than the development one.
SITE = "https://declics.example.org"
PATH = "/sessions/declics-numeriques-haute-garonne/ateliers/1234/"
# The longest slot a booking message describes (`SlotKind.describe`: workshop, talk, meeting).
WHAT = "le témoignage « Réussir son entretien d'embauche »"
# The longest of the kinds' `sms_url` (a workshop's page; a talk's and the meetings' are shorter).
SMS_URL = SITE + "/sessions/ateliers/atelier/1234/"


def _survey_url() -> str:
    """A survey's real link: its signed token (answered without logging in) makes it long."""
    response = SurveyResponse(pk=1234567, kind=SurveyKind.SATISFACTION)
    return SITE + reverse("programs:survey_answer", args=[survey_token(response=response)])


for _survey in ("programs/emails/survey_invitation_sms.txt", "programs/emails/survey_reminder_sms.txt"):
    SAMPLE_CONTEXTS[_survey] = {"url": _survey_url()}


def _realistic(name: str):
    """A value for a variable named `name`, as long as such values usually are."""
    name = name.lower()
    if name in ("true", "false", "none"):
        return {"true": True, "false": False, "none": None}[name]
    if any(part in name for part in ("date", "start", "end", "when", "time", "deadline")) or name.endswith(
        "_at"
    ):
        return WHEN
    if name == "sms_url":
        return SMS_URL
    if any(part in name for part in ("url", "link", "lien")):
        return SITE + PATH
    if name.endswith("_path"):
        return PATH
    if name == "what":
        return WHAT
    if "first_name" in name or name in ("prenom", "first"):
        return "Marie-Christine"
    if "last_name" in name or name in ("nom",):
        return "Dupont-Lefebvre"
    if name in ("code", "otp", "pin"):
        return "123456"
    if name in ("pk", "id", "count", "n", "number", "step", "seats", "minutes", "hours", "days"):
        return 12
    if "slug" in name:
        return "declics-numeriques-haute-garonne"
    return Sample(name)


class Sample:
    """Any other variable: a workshop's or a company's full name, and any attribute of it another
    such value (`booking.slot.title`). Not a str: a str's own methods (`title`) would answer."""

    TEXT = "Réussir son entretien d'embauche"

    def __init__(self, name: str):
        self.name = name

    def __str__(self):
        return self.TEXT

    def __len__(self):
        return len(self.TEXT)

    def __getattr__(self, attribute):
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return _realistic(attribute)


class SampleContext(Context):
    """A context where every variable has a realistic value, given ones first."""

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            return _realistic(key)

    def __contains__(self, key):
        return True


def _engine() -> Engine:
    """The site's template engine (its tag libraries, its loaders for `{% include %}`)."""
    return engines["django"].engine


def render(source: str, name: str = "sample_sms.txt", language: str = "fr") -> str:
    """The SMS as `queue_sms` sends it: rendered with realistic values, then fitted."""
    template = _engine().from_string(source)
    with translation.override(language):
        text = template.render(SampleContext({"SITE_URL": SITE, **SAMPLE_CONTEXTS.get(name, {})}))
    return sms_text.fit(text.strip())


def check(source: str, name: str = "sample_sms.txt", language: str = "fr") -> tuple[int, int]:
    """(segments of the rendered template, segments it may take)."""
    return sms_text.segments(render(source, name, language)), 2 if ALLOWANCE in source else 1


def sms_templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*_sms.txt"))


def test_every_sms_template_fits_its_segments():
    too_long = {}
    for path in sms_templates():
        name = str(path.relative_to(TEMPLATES))
        for language in ("fr", "en"):
            segments, allowed = check(path.read_text(encoding="utf-8"), name, language)
            if segments > allowed:
                too_long[f"{name} ({language})"] = f"{segments} SMS, at most {allowed}"

    assert too_long == {}, "shorten these SMS templates (realistic values: see the module's docstring)"


TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)


def own_words(source: str) -> str:
    """The template's own words, without the values: what the person reads around them."""
    return TAGS.sub("", re.sub(r'{% translate "(.*?)" %}', r"\1", source))


def test_there_are_sms_templates():
    assert len(sms_templates()) >= 20


@pytest.mark.parametrize("path", sms_templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_sms_template_is_gsm7(path):
    source = path.read_text(encoding="utf-8")
    name = str(path.relative_to(TEMPLATES))

    assert sms_text.is_gsm7(own_words(source)), f"{path}: its own words use characters outside GSM-7"
    for language in ("fr", "en"):
        assert sms_text.is_gsm7(render(source, name, language)), f"{path} ({language}): sent as UCS-2"


def test_own_words_drop_the_tags_and_keep_the_translated_text():
    assert own_words('{% load i18n %}{# note #}{% translate "Voir :" %} {{ url }}') == "Voir : "


def test_a_character_outside_gsm7_is_seen():
    assert not sms_text.is_gsm7(own_words('{% translate "Votre fenêtre" %}'))
    assert not sms_text.is_gsm7(render("{{ what }} 🙂"))


# The check itself, on sample templates (so it is tested even before the first real one exists).

REMINDER = (
    "{% load i18n %}{% autoescape off %}{% blocktranslate with title=workshop.title "
    "day=starts_at|date:'l j F' time=starts_at|date:'H:i' trimmed %}"
    "DeClics : votre atelier « {{ title }} » est {{ day }} à {{ time }}. "
    "Bonne préparation !{% endblocktranslate %}{% endautoescape %}"
)
# The same with its full link: about 80 characters more.
WITH_LINK = REMINDER.replace("Bonne préparation !", "Le lien : {{ url }}")


def test_a_short_reminder_fits_one_sms():
    assert check(REMINDER) == (1, 1)


def test_realistic_values_stand_for_the_variables():
    template = _engine().from_string(
        "{{ user.first_name }} · {{ workshop.title }} · {{ starts_at|date:'l j F' }}"
    )

    with translation.override("fr"):
        text = template.render(SampleContext({}))

    assert text == "Marie-Christine · Réussir son entretien d&#x27;embauche · mercredi 23 septembre"


def test_a_long_template_takes_two_only_when_it_says_so_and_never_three():
    assert check(WITH_LINK) == (2, 1)  # test_every_sms_template_fits_its_segments would refuse it
    assert check(ALLOWANCE + WITH_LINK) == (2, 2)
    assert check(ALLOWANCE + WITH_LINK + WITH_LINK)[0] == 3


def test_the_templates_are_found_by_their_name(tmp_path, monkeypatch):
    (tmp_path / "workshops").mkdir()
    (tmp_path / "workshops" / "reminder_sms.txt").write_text(REMINDER)
    (tmp_path / "workshops" / "reminder_body.txt").write_text("not an SMS")
    monkeypatch.setattr(__import__(__name__, fromlist=["TEMPLATES"]), "TEMPLATES", tmp_path)

    assert sms_templates() == [tmp_path / "workshops" / "reminder_sms.txt"]
