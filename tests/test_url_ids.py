"""No URL names a person's object by a sequential id (issue 11): every pattern is walked.

A person's objects (enrolments, assessment attempts and results, workshop and meeting bookings,
applications and their CV, mentor profiles, mentoring requests, mentorships, match proposals) are
named by their random `public_id` (`<uuid:public_id>`, see declics/public_ids.py). An integer in a
URL is allowed only for the objects below, which belong to no one person; a new `<int:…>`, or an id
taken as free text (`<pk>`, `<str:…_id>`), fails until it is turned into a public id or added here
with its reason.
"""

import uuid

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from tests.url_patterns import url_patterns

# Kwargs that may be integers on every URL that has them.
PUBLIC_INT_KWARGS = {
    # A partner organisation (company or training body): its name is on its public offers and
    # trainings, and its pages are for its own staff.
    "partner_id": "partner organisation",
}

# (URL name, kwarg) pairs that may be integers.
PUBLIC_INT_IDS = {
    # Workshops: the programme of a session, listed to every enrolled person. A person's booking of
    # one is named by the booking's public id (workshop_cancel, _confirm_offer, _booking_ics, _feedback).
    ("programs:workshop_detail", "pk"),
    ("programs:workshop_book", "pk"),
    ("programs:workshop_attendance", "pk"),
    ("programs:workshop_edit", "pk"),
    ("programs:workshop_move", "pk"),
    ("programs:workshop_cancel_workshop", "pk"),
    # Role-model talks: the programme of a session. The join link, the .ics and the replay find the
    # logged-in person's own registration from the session, never from the URL.
    ("programs:talk_detail", "pk"),
    ("programs:talk_register", "pk"),
    ("programs:talk_join", "pk"),
    # An import of an official QPV or FRR/ZRR list: reference data uploaded by the team (staff only).
    ("programs:zoning_import", "pk"),
    ("programs:talk_ics", "pk"),
    ("programs:talk_replay", "pk"),
    ("programs:talk_attendance", "pk"),
    # …and staff's pages to move or cancel a talk. A person's registration is named by its public id
    # (talk_cancel, talk_confirm_offer).
    ("programs:talk_move", "pk"),
    ("programs:talk_cancel_talk", "pk"),
    # The team's pages of a role model (staff only; a role model has no public id, their page is
    # the team's, not the person's).
    ("programs:staff_role_model", "pk"),
    ("programs:staff_role_model_active", "pk"),
    # …and staff's page to edit a talk (like talk_move).
    ("programs:staff_talk_edit", "pk"),
    # Trainings and job offers: published by partners for the job seekers of a region.
    ("jobs:training_detail", "pk"),
    ("jobs:offer_detail", "pk"),
    ("jobs:apply", "pk"),
    # Their old addresses under /emplois/ (before the pages moved into the person's session).
    ("jobs:moved_training_detail", "pk"),
    ("jobs:moved_offer_detail", "pk"),
    ("jobs:moved_apply", "pk"),
    ("jobs:partner_training_edit", "pk"),
    ("jobs:partner_offer_edit", "pk"),
    ("jobs:partner_offer_applications", "pk"),
    # Their moderation by staff (the console).
    ("jobs:staff_offer", "pk"),
    ("jobs:staff_offer_unpublish", "pk"),
    ("jobs:staff_offer_republish", "pk"),
    # A training body's meeting slot: offered to everyone of the session; the person's booking of a
    # slot is named by the booking's public id (cancel_meeting, meeting_ics, partner_mark_attendance).
    ("jobs:book_meeting", "pk"),
    ("jobs:moved_book_meeting", "pk"),
    ("jobs:partner_slot", "pk"),
    ("jobs:partner_slot_edit", "pk"),
    ("jobs:partner_slot_cancel", "pk"),
    # A matching run: a staff computation over a whole session; each of its lines (a person and a
    # proposed mentor) is named by the proposal's public id (staff_proposal).
    ("mentoring:staff_run", "pk"),
    ("mentoring:staff_run_progress", "pk"),
    ("mentoring:staff_run_publish", "pk"),
    ("mentoring:staff_run_discard", "pk"),
    # An outbox message, resent from the team's delivery page (staff only): its id never reaches the
    # person it is addressed to, and its pages name no one else's object.
    ("programs:console_delivery_resend", "pk"),
    # allauth's own security-key pages (rename, remove): its views look the key up among the
    # signed-in person's own authenticators only, and the URLs are allauth's, not ours to change.
    ("mfa_edit_webauthn", "pk"),
    ("mfa_remove_webauthn", "pk"),
}

PERSONAL_MODELS = {
    "programs.Enrolment",
    "programs.AssessmentAttempt",
    "programs.AssessmentResult",
    "programs.WorkshopBooking",
    "programs.TalkRegistration",
    "jobs.MeetingBooking",
    "jobs.Application",
    "mentoring.MentorProfile",
    "mentoring.MentoringRequest",
    "mentoring.Mentorship",
    "mentoring.MatchProposal",
}


def _int_allowed(name: str, kwarg: str) -> bool:
    return kwarg in PUBLIC_INT_KWARGS or (name, kwarg) in PUBLIC_INT_IDS


def _looks_like_an_id(kwarg: str) -> bool:
    return kwarg in {"pk", "id"} or kwarg.endswith(("_id", "_pk"))


def test_no_url_takes_an_integer_id_outside_the_allow_list():
    found = [
        (route.name, kwarg)
        for route in url_patterns()
        for kwarg, kind in route.kwargs.items()
        if kind == "int" and not _int_allowed(route.name, kwarg)
    ]

    assert found == []


def test_every_id_in_a_url_is_a_uuid_or_an_allowed_integer():
    # `<pk>` (a str converter) or `<str:mentor_id>` would slip past the integer check above.
    found = [
        (route.name, kwarg, kind)
        for route in url_patterns()
        for kwarg, kind in route.kwargs.items()
        if _looks_like_an_id(kwarg)
        and kind != "uuid"
        and not (kind == "int" and _int_allowed(route.name, kwarg))
    ]

    assert found == []


def test_the_allow_list_names_only_integer_kwargs_that_exist():
    integers = {(r.name, k) for r in url_patterns() for k, kind in r.kwargs.items() if kind == "int"}

    assert PUBLIC_INT_IDS - integers == set()
    assert {k for _name, k in integers} >= set(PUBLIC_INT_KWARGS)


def test_every_personal_model_has_a_unique_random_public_id():
    for label in PERSONAL_MODELS:
        field = apps.get_model(label)._meta.get_field("public_id")
        assert (field.get_internal_type(), field.unique, field.editable, field.default) == (
            "UUIDField",
            True,
            False,
            uuid.uuid4,
        ), label


@pytest.mark.parametrize(
    "name, args",
    [
        ("programs:assessment_result", [1]),
        ("programs:workshop_cancel", [1]),
        ("programs:adviser_person", ["declics-herault", 1]),
        ("jobs:application_cv", [1]),
        ("jobs:partner_application", [1, 1]),
        ("mentoring:mentorship", [1]),
        ("mentoring:ask_mentor", ["declics-herault", 1]),
    ],
)
def test_an_old_integer_url_of_a_personal_object_no_longer_resolves(name, args):
    with pytest.raises(NoReverseMatch):
        reverse(name, args=args)
