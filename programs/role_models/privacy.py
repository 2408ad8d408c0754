"""What step 1 holds about people: the talks a job seeker registered for or watched again, the job
pages they read, the talks a member of the team hosts; and the role models' own profiles.

Erasure keeps the registrations, replays and page views: with no identifier left on the account
they count the step's attendance. Registrations to talks not yet started end before (cancelled,
their seat offered to the first person waiting, nobody written to), by the spine's erasure
(`registry.release_holdings` → `services.release_registrations`).
The role models are people without an account, presented
with their consent: the team removes a profile (and its photo) in the administration.
"""

from declics import personal_data
from declics.personal_data import choice, iso

from .models import JobPageView, Talk, TalkRegistration, TalkReplayView


def _by_enrolment(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for enrolment_id, row in rows:
        grouped.setdefault(enrolment_id, []).append(row)
    return grouped


def export_enrolments(enrolment_ids) -> dict[int, dict]:
    talks = _by_enrolment(
        (
            registration.enrolment_id,
            {
                "talk": registration.talk.title,
                "starts_at": iso(registration.talk.starts_at),
                "status": choice(registration, "status"),
                "registered_at": iso(registration.booked_at),
                "confirmed_at": iso(registration.confirmed_at),
                "cancelled_at": iso(registration.cancelled_at),
                "joined_at": iso(registration.joined_at),
                "attended": registration.attended,
            },
        )
        for registration in TalkRegistration.objects.filter(enrolment__in=enrolment_ids)
        .select_related("talk")
        .order_by("booked_at", "pk")
    )
    replays = _by_enrolment(
        (
            view.enrolment_id,
            {"talk": view.talk.title, "first_viewed_at": iso(view.first_viewed_at), "views": view.views},
        )
        for view in TalkReplayView.objects.filter(enrolment__in=enrolment_ids)
        .select_related("talk")
        .order_by("pk")
    )
    pages = _by_enrolment(
        (view.enrolment_id, {"rome": view.rome_id, "viewed_at": iso(view.viewed_at)})
        for view in JobPageView.objects.filter(enrolment__in=enrolment_ids).order_by("pk")
    )
    return {
        pk: {
            "talks": talks.get(pk, []),
            "replays_watched": replays.get(pk, []),
            "job_pages_viewed": pages.get(pk, []),
        }
        for pk in enrolment_ids
    }


def export(user) -> dict:
    return {
        "roles": {
            "hosted_talks": [
                {"title": talk.title, "starts_at": iso(talk.starts_at)}
                for talk in Talk.objects.filter(host=user)
            ]
        }
    }


PERSONAL_DATA = personal_data.PersonalData(
    app="role_models",
    order=personal_data.STEP + 1,
    personal={"programs.RoleModel": "first_name last_name employer town story photo"},
    kept={
        "programs.RoleModel": "photo_consent_at",
        "programs.Talk": "host",
        "programs.TalkRegistration": "public_id talk enrolment job_seeker status round booked_at "
        "waiting_since offered_at offer_expires_at confirmed_at cancelled_at end_reason joined_at attended "
        "attendance_marked_at attendance_marked_by reminded_24h_for reminded_1h_for",
        "programs.TalkReplayView": "talk enrolment first_viewed_at views",
        "programs.JobPageView": "enrolment rome viewed_at",
    },
    not_personal={
        "programs.RoleModel": "job_title",
        "programs.Talk": "session title description role_models starts_at duration_minutes video_url seats "
        "seats_taken replay_url status sequence rescheduled_at cancelled_at created_at",
    },
    export=export,
    export_enrolments=export_enrolments,
)
