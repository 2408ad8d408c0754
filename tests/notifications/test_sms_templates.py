"""Every SMS template fits one SMS where it can, and never more than two.

The templates are found by their name, `templates/**/*_sms.txt`: a new one is checked without
being listed. Each is rendered in French and in English with realistic values, the longest a
message usually carries (a long first name, a workshop's full title, a full date, a link), fitted
as `queue_sms` fits it, and counted. One segment is the rule; a template that cannot say what it
must in 160 characters states it in a comment, `{# sms-segments: 2 #}`, and may take two. Any
template, any value: never three.

A template whose variables the generic values cannot stand for (a `{% url %}` with an id)
gets its own context in SAMPLE_CONTEXTS.
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import Context, Engine, engines
from django.utils import translation

from declics.notifications import sms_text

TEMPLATES = Path(settings.BASE_DIR) / "templates"
ALLOWANCE = "{# sms-segments: 2 #}"
# template name -> extra context (real values where the generic ones cannot do).
SAMPLE_CONTEXTS: dict[str, dict] = {}

WHEN = datetime(2026, 9, 23, 14, 30, tzinfo=ZoneInfo("Europe/Paris"))  # "mercredi 23 septembre"
PATH = "/sessions/declics-numeriques-haute-garonne/ateliers/1234/"


def _realistic(name: str):
    """A value for a variable named `name`, as long as such values usually are."""
    name = name.lower()
    if name in ("true", "false", "none"):
        return {"true": True, "false": False, "none": None}[name]
    if any(part in name for part in ("date", "start", "end", "when", "time", "deadline")) or name.endswith(
        "_at"
    ):
        return WHEN
    if any(part in name for part in ("url", "link", "lien")):
        return settings.SITE_URL + PATH
    if name in ("site_url",):
        return settings.SITE_URL
    if "first_name" in name or name in ("prenom", "first"):
        return "Marie-Christine"
    if "last_name" in name or name in ("nom",):
        return "Dupont-Lefebvre"
    if name in ("code", "otp", "pin"):
        return "123456"
    if name in ("pk", "id", "count", "n", "number", "seats", "minutes", "hours", "days"):
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


def check(source: str, name: str = "sample_sms.txt", language: str = "fr") -> tuple[int, int]:
    """(segments of the rendered template, segments it may take)."""
    template = _engine().from_string(source)
    with translation.override(language):
        text = template.render(
            SampleContext({"SITE_URL": settings.SITE_URL, **SAMPLE_CONTEXTS.get(name, {})})
        )
    segments = sms_text.segments(sms_text.fit(text.strip()))
    return segments, 2 if ALLOWANCE in source else 1


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
