"""The one domain error (declics/errors.py): every app's refusals derive from it, and a refusal that
leaves a view is answered with its own 4xx and its message on the site's page, never a 500."""

import ast
import builtins
import importlib
import inspect
import pickle
import pkgutil
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import path

from declics.errors import DomainError, form_error, form_status
from declics.urls import urlpatterns as site_urlpatterns
from tests.test_templates_a11y import accessibility_problems, parse_html

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("declics", "programs", "mentoring", "jobs")

# Exceptions of the project that are not refusals shown to a person: a reference file that does not
# load (management commands), the France Travail API failing (retried by its task), an answer the
# scoring cannot read (the assessment service turns it into its own domain error), the SMS provider's.
NOT_DOMAIN_ERRORS = {
    "declics.territories.services.zoning.TerritoryImportError",
    "jobs.offers.france_travail.FranceTravailError",
    "programs.assessment.scoring.AnswerError",
    # The SMS provider's answers, read by the outbox (held back, retried or failed), never shown.
    "declics.notifications.sms.SmsRefused",
    "declics.notifications.sms.SmsUnreachable",
    # Not a refusal but a page that does not exist for this user (an Http404: the normal 404 page).
    "programs.enrolments.NotEnrolled",
}


class RefusedHere(DomainError):
    """A refusal raised by the test view below."""


def refusing_view(request, status):
    raise RefusedHere("Ce créneau est complet <b>désolé</b>.", status=status)


def failing_view(request):
    raise ValueError("a technical detail that must not be shown")


urlpatterns = [
    *site_urlpatterns,
    path("test-refus/<int:status>/", refusing_view),
    path("test-panne/", failing_view),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("status", [400, 403, 404, 409, 410])
def test_a_domain_error_leaving_a_view_answers_its_status_with_its_message(client, db, status):
    response = client.get(f"/test-refus/{status}/")

    html = response.content.decode()
    assert response.status_code == status
    assert response.templates[0].name == "refused.html"
    (alert,) = parse_html(html).find_all("div", role="alert")
    assert "".join(alert.children) == "Ce créneau est complet <b>désolé</b>."  # escaped, as text
    assert f"Erreur {status}" in html
    assert "Traceback" not in html
    assert accessibility_problems(html) == []


@pytest.mark.urls(__name__)
def test_the_refusal_page_links_back_to_our_page_only(client, db):
    ours = client.get("/test-refus/409/", headers={"referer": "http://testserver/sessions/"})
    theirs = client.get("/test-refus/409/", headers={"referer": "https://pirate.example/"})

    assert 'href="http://testserver/sessions/">Revenir à la page précédente' in ours.content.decode()
    assert "pirate.example" not in theirs.content.decode()
    assert 'href="/">Retour à l\'accueil' in theirs.content.decode()


@pytest.mark.urls(__name__)
def test_any_other_exception_is_not_dressed_as_a_refusal(client, db):
    with pytest.raises(ValueError, match="technical detail"):
        client.get("/test-panne/")


def test_a_domain_error_has_a_safe_message_and_a_4xx_status():
    assert (str(RefusedHere("Complet.")), RefusedHere("Complet.").message) == ("Complet.", "Complet.")
    assert RefusedHere().message == "Cette action n'est pas possible pour le moment."
    assert (RefusedHere("x").status, RefusedHere("x", status=403).status) == (409, 403)
    with pytest.raises(ValueError):
        RefusedHere("x", status=500)
    again = pickle.loads(pickle.dumps(RefusedHere("Fermé.", status=410)))
    assert (type(again), again.message, again.status) == (RefusedHere, "Fermé.", 410)


def test_form_error_puts_the_message_on_the_form_and_the_page_answers_400():
    from django import forms

    class Form(forms.Form):
        name = forms.CharField()

    unbound, valid = Form(), Form({"name": "Ada"})
    assert valid.is_valid()
    assert form_status(unbound, valid) == 200

    form_error(valid, RefusedHere("Déjà pris."))
    form_error(valid, RefusedHere("Trop court."), field="name")

    assert (valid.non_field_errors(), valid.errors["name"]) == (["Déjà pris."], ["Trop court."])
    assert form_status(unbound, valid) == 400


def _project_modules():
    for package in PACKAGES:
        for module in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            parts = module.name.split(".")
            if "migrations" in parts or "management" in parts or parts[-1] in ("wsgi", "asgi", "settings"):
                continue
            yield importlib.import_module(module.name)


def test_every_error_of_the_project_is_a_domain_error():
    """A step's refusals derive from DomainError, so that every view answers them the same way."""
    errors = {
        f"{cls.__module__}.{cls.__qualname__}": cls
        for module in _project_modules()
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Exception) and cls.__module__ == module.__name__
    }
    assert set(errors) >= NOT_DOMAIN_ERRORS, "an allowed exception moved: update the list"
    others = {name for name, cls in errors.items() if not issubclass(cls, DomainError)}
    assert sorted(others - NOT_DOMAIN_ERRORS) == []
    # One per room at least: the spine, the accounts, each step and the partners' base.
    for name in (
        "programs.services.errors.ProgramError",
        "declics.accounts.services.InvitationError",
        "programs.role_models.kind.TalkError",
        "programs.assessment.services.AssessmentError",
        "mentoring.services.MentoringError",
        "programs.workshops.kind.WorkshopError",
        "jobs.trainings.services.trainings.TrainingError",
        "jobs.trainings.kind.MeetingError",
        "jobs.offers.services.offers.OfferError",
        "jobs.offers.services.applications.ApplicationError",
        "jobs.services.PartnerError",
    ):
        assert issubclass(errors[name], DomainError), name


BUILTIN_EXCEPTIONS = {
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, Exception)
}
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "format_lazy"}


def _service_files():
    for package in PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            if file.stem == "services" or file.parent.name == "services":
                yield file


def _translated(node) -> bool:
    return any(
        isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in GETTEXT
        for sub in ast.walk(node)
    )


def test_no_service_raises_a_builtin_exception_with_a_message_for_people():
    """A French message for the person belongs in a domain error, or no view would show it."""
    found = []
    for file in _service_files():
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                if isinstance(func, ast.Name) and func.id in BUILTIN_EXCEPTIONS and _translated(node.exc):
                    found.append(f"{file.relative_to(ROOT)}:{node.lineno} raise {func.id}(_(…))")
    assert found == []
    assert len(list(_service_files())) > 10  # the walk finds the services


def test_the_builtin_exception_check_sees_such_a_raise():
    code = ast.parse('def f():\n    raise ValueError(_("Complet."))\n')
    (raise_node,) = [node for node in ast.walk(code) if isinstance(node, ast.Raise)]
    assert raise_node.exc.func.id in BUILTIN_EXCEPTIONS and _translated(raise_node.exc)
