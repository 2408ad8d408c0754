from django.conf import settings
from django.utils import translation


class AccountLanguageMiddleware:
    """A signed-in person reads the site in their account's language (set at sign-up, changed by the
    language switcher or the preferences page), whatever the browser's cookie said before login.

    After LocaleMiddleware and authentication; the cookie follows, so the pages after logout stay in it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        switch = language in dict(settings.LANGUAGES) and language != getattr(request, "LANGUAGE_CODE", "")
        if switch:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if (
            switch
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
            and not _switching(request)
        ):
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


def _switching(request) -> bool:
    """The language switcher's own request sets the cookie itself."""
    return request.method == "POST" and request.path == "/i18n/setlang/"
