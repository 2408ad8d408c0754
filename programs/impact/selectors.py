"""What the impact pages read besides the figures (`impact.py`)."""

from ..models import Session, SessionStatus


def public_summary_sessions():
    """Sessions whose impact summary is public: published and closed (or archived)."""
    return (
        Session.objects.published()
        .filter(status__in=(SessionStatus.CLOSED, SessionStatus.ARCHIVED))
        .select_related("region")
    )
