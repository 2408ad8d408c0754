"""What the adviser's page of one person shows: every panel is read through the consented enrolment.

An adviser may see a person only within one session, and only if the person agreed to share
their progress with them in that session (`selectors.enrolments_visible_to`). The same person may
be enrolled in another session, with another adviser or without consent: nothing they did there
may show here. So every panel is a function of the enrolment alone and filters its rows by that
enrolment, never by the person (`job_seeker`), and `PANELS` lists every panel the page has: the
tests create one record of each kind in two sessions of the same person and check each panel.
A record with no enrolment (e.g. an application whose enrolment was deleted) shows nowhere.
"""

from jobs.models import Application, MeetingBooking
from mentoring.models import MentoringRequest, Mentorship

from ..models import AssessmentResult, ShareAudience, ShareStatus, TalkRegistration, WorkshopBooking

LIMIT = 50  # rows per panel: a person has a handful; the limit only bounds a pathological case


def talk_registrations(enrolment) -> list[TalkRegistration]:
    return list(
        TalkRegistration.objects.filter(enrolment=enrolment)
        .select_related("talk")
        .order_by("-talk__starts_at", "-pk")[:LIMIT]
    )


def workshop_bookings(enrolment) -> list[WorkshopBooking]:
    return list(
        WorkshopBooking.objects.filter(enrolment=enrolment)
        .select_related("workshop")
        .order_by("-booked_at", "-pk")[:LIMIT]
    )


def mentoring_requests(enrolment) -> list[MentoringRequest]:
    return list(
        MentoringRequest.objects.filter(enrolment=enrolment)
        .select_related("mentor")
        .order_by("-created_at", "-pk")[:LIMIT]
    )


def mentorships(enrolment) -> list[Mentorship]:
    return list(
        Mentorship.objects.filter(enrolment=enrolment)
        .select_related("mentor")
        .order_by("-started_at", "-pk")[:LIMIT]
    )


def meeting_bookings(enrolment) -> list[MeetingBooking]:
    return list(
        MeetingBooking.objects.filter(enrolment=enrolment)
        .select_related("slot__body")
        .order_by("-slot__starts_at", "-pk")[:LIMIT]
    )


def applications(enrolment) -> list[Application]:
    return list(
        Application.objects.filter(enrolment=enrolment)
        .select_related("offer")
        .order_by("-created_at", "-pk")[:LIMIT]
    )


def shared_assessments(enrolment) -> list[AssessmentResult]:
    """The latest skills assessment result the person chose to share with their adviser (0 or 1)."""
    return list(
        AssessmentResult.objects.filter(
            attempt__enrolment=enrolment,
            shares__audience=ShareAudience.ADVISER,
            shares__status=ShareStatus.SHARED,
        ).order_by("-created_at", "-pk")[:1]
    )


# name in the template context → reader (one query each).
PANELS = {
    "talk_registrations": talk_registrations,
    "workshop_bookings": workshop_bookings,
    "mentoring_requests": mentoring_requests,
    "mentorships": mentorships,
    "meeting_bookings": meeting_bookings,
    "applications": applications,
    "shared_assessments": shared_assessments,
}


def panels(enrolment) -> dict[str, list]:
    return {name: read(enrolment) for name, read in PANELS.items()}
