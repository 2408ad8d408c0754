"""Who may use a view: one decorator that states the roles, used by every app."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Role


def role_required(*roles: str):
    """Anonymous → login page; logged in with another role → 403. Staff pass everywhere."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_programme_staff or user.role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = tuple(dict.fromkeys((*roles, Role.STAFF)))
        return wrapper

    return decorator


staff_required = role_required(Role.STAFF)
