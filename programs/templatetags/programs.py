from django import template
from django.template.loader import render_to_string

from programs import figures_cache, selectors
from programs.models import Session

register = template.Library()


@register.simple_tag
def open_sessions():
    """Sessions open (or soon open) for registration, for the home page: the most visited page, so
    the list and its places left are shared by every visitor for a minute (programs.figures_cache)
    rather than counted on each view. Enrolment itself always checks the real capacity under a lock."""
    return figures_cache.cached(
        figures_cache.OPEN_SESSIONS_KEY,
        lambda: list(selectors.open_sessions()),
        figures_cache.OPEN_SESSIONS_SECONDS,
    )


@register.simple_tag(takes_context=True)
def pending_enrolment_session(context):
    """The session whose sign-up this visitor started (eligibility checked) and did not finish."""
    request = context.get("request")
    pending = request.session.get("programs_pending_enrolment") if request is not None else None
    if not pending:
        return None
    return Session.objects.published().filter(pk=pending.get("session")).first()


@register.simple_tag
def step_panel(panel):
    """A step's section of a cross-step page (`programs.registry.Panel`), rendered with its own context."""
    return render_to_string(panel.template, dict(panel.context))
