"""Django's admin, signed in through allauth only.

The admin's own login form checked passwords with no rate limit and no second factor. Here its
login page sends to allauth's (rate limits, lockout, second factor) and comes back; the admin
itself refuses a session that has not passed the second factor, even if the middleware that sends
such sessions to confirm it were removed.
"""

from allauth.account.utils import get_next_redirect_url
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from .mfa import passed_second_factor


class SecondFactorAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and passed_second_factor(request)

    def login(self, request, extra_context=None):
        """Never Django's password form: allauth's login page, then back to where the admin was going."""
        next_url = get_next_redirect_url(request) or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if self.has_permission(request):
            return redirect(next_url)
        raise PermissionDenied
