"""The personal calendar feed's secret address."""

import secrets

from ..models import CalendarFeedToken


def renew_calendar_feed(*, user) -> CalendarFeedToken:
    """A new secret in the person's calendar address: the old address stops working at once.

    One row per person, replaced in place (`update_or_create` locks it): two renewals at once
    leave one address, the later one.
    """
    feed, _created = CalendarFeedToken.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed
