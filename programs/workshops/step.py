"""What step 4 offers the spine through `programs.registry`: its pathway link, its section of the
adviser's person page, the workshops a session copy brings along, the bookings an ended
enrolment gives back, the no-shows of each workshop (to write to) and the feedback left."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.models import Step
from programs.registry import FeedbackRow, FeedbackSource, Panel, Segment, StepEntry, StepLink

from . import ics, selectors, services
from .models import WorkshopBooking, WorkshopBookingStatus

# The latest workshops whose no-shows the team may write to.
NO_SHOW_WORKSHOPS = 20


def pathway_links(enrolment) -> tuple[StepLink, ...]:
    return (
        StepLink(_("Réserver un atelier"), reverse("programs:workshop_list", args=[enrolment.session.slug])),
    )


def adviser_panel(enrolment) -> Panel:
    return Panel(
        "programs/workshops/includes/adviser_panel.html",
        {"workshop_bookings": selectors.bookings_of(enrolment)},
    )


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def segments(session, *, now) -> list[Segment]:
    """One group per workshop held (the latest first): its no-shows, people with a seat marked
    absent. One query."""
    held = session.workshops.scheduled().filter(starts_at__lte=now).order_by("-starts_at", "-pk")
    return [
        Segment(
            f"workshop-no-show:{workshop.pk}",
            _("Absent·es à l'atelier « %(title)s » du %(date)s")
            % {"title": workshop.title, "date": _when(workshop.starts_at)},
            WorkshopBooking.objects.filter(
                workshop=workshop, status=WorkshopBookingStatus.CONFIRMED, attended=False
            ).values("enrolment_id"),
        )
        for workshop in held[:NO_SHOW_WORKSHOPS]
    ]


def feedback_rows(session, *, since, until, limit) -> list[FeedbackRow]:
    """The answers to "l'atelier vous a-t-il été utile ?" in `session`, latest first. One query."""
    bookings = WorkshopBooking.objects.filter(workshop__session=session).exclude(feedback="")
    if since is not None:
        bookings = bookings.filter(feedback_at__gte=since)
    if until is not None:
        bookings = bookings.filter(feedback_at__lt=until)
    bookings = bookings.select_related("workshop", "enrolment").only(
        "feedback", "feedback_at", "enrolment__public_id", "workshop__title", "workshop__starts_at"
    )
    return [
        FeedbackRow(
            kind="workshop",
            answered_at=booking.feedback_at,
            respondent=f"enrolment:{booking.enrolment.public_id}",
            respondent_role="job_seeker",
            about=_("Atelier « %(title)s » du %(date)s")
            % {"title": booking.workshop.title, "date": _when(booking.workshop.starts_at)},
            rating=booking.get_feedback_display(),
            text="",
        )
        for booking in bookings.order_by("-feedback_at", "-pk")[:limit]
    ]


ENTRY = StepEntry(
    step=Step.WORKSHOPS,
    pathway_links=pathway_links,
    adviser_panel=adviser_panel,
    calendar_events=ics.calendar_events,
    copy_into=services.copy_workshops,
    release=services.release_bookings,
    segments=segments,
    feedback=(FeedbackSource("workshop", gettext_lazy("Avis sur les ateliers"), feedback_rows),),
)
