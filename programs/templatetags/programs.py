from django import template

from programs import selectors
from programs.models import Session

register = template.Library()


@register.simple_tag
def open_sessions():
    """Sessions open (or soon open) for registration, for the home page."""
    return list(selectors.open_sessions())


@register.simple_tag(takes_context=True)
def pending_enrolment_session(context):
    """The session whose sign-up this visitor started (eligibility checked) and did not finish."""
    request = context.get("request")
    pending = request.session.get("programs_pending_enrolment") if request is not None else None
    if not pending:
        return None
    return Session.objects.published().filter(pk=pending.get("session")).first()
