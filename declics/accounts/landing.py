"""Where each role lands after login: its own space, not the marketing home page (issue 14, item 10).

The spaces belong to the domain apps, which the foundation does not import: each role's landing
is registered by the app that owns it when it loads (`register`), as a function of the user that
returns a URL. `AccountAdapter.get_login_redirect_url` asks `landing_url`; a safe `?next=` still
wins (allauth reads it before asking the adapter).
"""

from collections.abc import Callable

from django.conf import settings
from django.shortcuts import resolve_url

from .models import Role

_landings: dict[str, Callable] = {}


def register(role: str, landing: Callable) -> None:
    """`landing(user) -> url` for users of `role` (registering a role again replaces it)."""
    _landings[role] = landing


def landing_url(user) -> str:
    """The space of `user`'s role; staff (and superusers) land on the staff one; else the default."""
    role = Role.STAFF if getattr(user, "is_programme_staff", False) else getattr(user, "role", None)
    landing = _landings.get(role)
    return landing(user) if landing is not None else resolve_url(settings.LOGIN_REDIRECT_URL)
