"""The preferences page, the one-click unsubscribe page (no login), and the language switcher."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from declics.errors import form_status

from . import kinds, preferences, routing, unsubscribe
from .forms import PreferencesForm


@login_required
def preferences_page(request):
    user = request.user
    person = routing.Person.of(user)
    has_email, has_phone = bool(routing.email_of(person)), bool(routing.phone_of(person))
    form = PreferencesForm(
        request.POST or None,
        user=user,
        prefs=preferences.of(user),
        has_email=has_email,
        has_phone=has_phone,
    )
    if request.method == "POST" and form.is_valid():
        preferences.save_preferences(
            user=user,
            channels=form.channels(),
            muted=form.muted(),
            quiet_from=form.cleaned_data["quiet_from"],
            quiet_until=form.cleaned_data["quiet_until"],
        )
        language = form.cleaned_data["language"]
        preferences.save_language(user=user, language=language)
        translation.activate(language)
        messages.success(request, _("Vos préférences sont enregistrées."))
        response = redirect("notifications:preferences")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response
    context = {
        "form": form,
        "has_email": has_email,
        "has_phone": has_phone,
        "channel_fields": [form[name] for name in form.channel_fields],
        "optional_fields": [form[name] for name in form.optional_fields],
        "per_day": settings.NOTIFICATIONS_OPTIONAL_PER_DAY,
    }
    return render(request, "notifications/preferences.html", context, status=form_status(form))


def _person_and_group(token: str):
    found = unsubscribe.read(token)
    if found is None:
        return None, None
    user_id, group = found
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return (user, kinds.GROUPS[group]) if user is not None else (None, None)


# RFC 8058: the mail client posts "List-Unsubscribe=One-Click" with no cookie; the token is the proof.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request, token):
    """GET asks for confirmation (link scanners follow GETs: nothing changes); POST turns the group off.

    A token that is forged, altered or names an account that no longer exists gives the same 404
    page: nothing tells whether an account exists.
    """
    user, group = _person_and_group(token)
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        preferences.mute_group(user=user, group=group.name)
        return render(request, "notifications/unsubscribe_done.html", {"group": group})
    return render(request, "notifications/unsubscribe.html", {"group": group})


def set_language(request):
    """Django's language switcher, which also stores the choice on the account of a signed-in person."""
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER)
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        preferences.save_language(user=request.user, language=language)
    return response
