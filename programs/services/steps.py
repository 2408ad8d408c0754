"""The one rule every step's actions share: nothing happens on a step before it opens."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from declics.errors import DomainError

from ..models import Enrolment, SessionStep, Step
from .errors import StepNotOpen


def ensure_step_open(
    *,
    enrolment: Enrolment,
    step: Step | int,
    now: datetime | None = None,
    error: type[DomainError] = StepNotOpen,
) -> None:
    """Refuse an action of `step` before that step's opening date on the enrolment's session calendar.

    One query. `error` lets another app raise its own domain error (its views already answer it),
    like `jobs.services.ensure_manages`; the message is the same everywhere.
    """
    now = now or timezone.now()
    opens_at = (
        SessionStep.objects.filter(session_id=enrolment.session_id, step=step)
        .values_list("opens_at", flat=True)
        .first()
    )
    if opens_at is None:
        raise error(_("Cette étape n'est pas encore au calendrier de votre session."))
    if opens_at > now:
        when = timezone.localtime(opens_at)
        raise error(
            _("Cette étape ouvre le %(date)s à %(time)s : revenez à ce moment-là.")
            % {"date": formats.date_format(when, "l j F"), "time": formats.time_format(when, "H:i")}
        )
