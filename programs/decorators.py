"""The decorators of the job-seeker pages of the steps, on the one rule of `programs/enrolments.py`.

- `@step_page(step)`: a step's page under `/sessions/<slug>/…` receives `enrolment`, the user's
  enrolment in that session (the rule: `enrolments.find_enrolment`);
- `moved_to_session(name)`: the view answering at the old address of a page that moved under
  `/sessions/<slug>/…` (the person's current session: `enrolments.current_session_enrolment`).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.urls import reverse

from declics.accounts.models import Role
from declics.accounts.permissions import role_required

from .enrolments import NotEnrolled, current_session_enrolment, find_enrolment
from .models import Session, Step


def step_page(step: Step, *, refused: str | None = None, staff_page: str | None = None):
    """Decorate the view of a job-seeker page of `step` under `/sessions/<slug>/…`.

    The view is called with `enrolment` (the user's active enrolment in that session, its session
    loaded) in place of `slug`. Anonymous visitors go to the login page and other roles get 403
    (as `role_required(Role.JOB_SEEKER)`). Without an active enrolment the page answers 404, or,
    with `refused` (a message), sends the person to the session's page with that message;
    programme staff go to `staff_page` (a URL name taking the slug) when one is given.
    """

    def decorator(view: Callable):
        @role_required(Role.JOB_SEEKER)
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            if staff_page and request.user.is_programme_staff:
                return redirect(staff_page, slug=slug)
            enrolment = find_enrolment(request.user, session_slug=slug)
            if enrolment is None:
                if refused is None or not Session.objects.published().filter(slug=slug).exists():
                    raise NotEnrolled("no active enrolment of this user in this session")
                messages.info(request, refused)
                return redirect("programs:landing", slug=slug)
            return view(request, *args, enrolment=enrolment, **kwargs)

        wrapper.step = Step(step)
        return wrapper

    return decorator


def moved_to_session(url_name: str, *, slug_of: Callable | None = None):
    """The view answering at the old address of a page that moved under `/sessions/<slug>/…`.

    It redirects for good to `url_name` with the same arguments in the session the old URL named,
    or the one `slug_of(user, **kwargs)` names (the session of the booking or application in the
    old URL; None: not theirs, 404), or else the session of the person's current enrolment
    (`current_session_enrolment`).
    GET answers 301; a form posted to the old address answers 308, which keeps the method. With
    no session to go to: the login page for a visitor, 403 for the roles the page refuses, else
    "Mon parcours". The target depends on
    who asks, so the response is never cached (the middleware marks every signed-in page so).
    """

    def view(request, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.role == Role.JOB_SEEKER or user.is_programme_staff):
            raise PermissionDenied  # as the page itself answers them
        if "slug" in kwargs:  # the old address named the session already
            slug = kwargs.pop("slug")
        elif slug_of is not None:
            slug = slug_of(user, **kwargs)
            if slug is None:
                raise Http404("not this person's")
        else:
            enrolment = current_session_enrolment(user) if user.role == Role.JOB_SEEKER else None
            if enrolment is None:
                return redirect("programs:my_pathway")
            slug = enrolment.session.slug
        url = reverse(url_name, kwargs={"slug": slug, **kwargs})
        if request.GET:
            url = f"{url}?{request.GET.urlencode()}"
        response = HttpResponsePermanentRedirect(url)
        if request.method not in ("GET", "HEAD"):
            response.status_code = 308
        return response

    view.moved_to = url_name
    return view
