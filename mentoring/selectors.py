"""Reads used in several places: facts for scoring, recommendations, what each person may see."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from programs import registry
from programs.models import Enrolment, EnrolmentStatus, Session

from .models import (
    MatchProposal,
    MatchRun,
    MenteePreferences,
    MentoringAlert,
    MentoringRequest,
    MentorProfile,
    Mentorship,
    MentorStatus,
    RequestStatus,
)
from .scoring import MenteeFacts, MentorFacts, Score, score_pair

RECOMMENDATIONS = 5


def mentee_job_interests(enrolment: Enrolment) -> list[str]:
    """The ROME codes a mentee is interested in, for scoring.

    Today: the codes chosen in the mentoring request form (`MenteePreferences.rome_jobs`).
    Issue 4 (skills assessment) adds here the codes its result suggests, so every caller
    (recommendations, bulk match, reasons) picks them up without change.
    """
    return sorted(job_interests_by_enrolment([enrolment.pk]).get(enrolment.pk, set()))


def job_interests_by_enrolment(enrolment_ids: Iterable[int]) -> dict[int, set[str]]:
    """`mentee_job_interests` for many enrolments in one query (used by the bulk match)."""
    through = MenteePreferences.rome_jobs.through
    interests: dict[int, set[str]] = defaultdict(set)
    enrolment_ids = list(enrolment_ids)
    rows = through.objects.filter(menteepreferences__enrolment_id__in=enrolment_ids).values_list(
        "menteepreferences__enrolment_id", "romejob_id"
    )
    for enrolment_id, code in rows:
        interests[enrolment_id].add(code)
    # The jobs the latest skills assessment suggests (issue 4), in one more query.
    suggested = registry.capability("suggested_rome_codes_by_enrolment")
    for enrolment_id, codes in suggested(enrolment_ids).items():
        interests[enrolment_id].update(codes)
    return interests


def shared_assessment(enrolment: Enrolment):
    """The mentee's skills-assessment summary (HTML) if they shared it with their mentor, else None."""
    return registry.capability("assessment_summary_for_mentor")(enrolment)


def mentee_facts(enrolments: list[Enrolment]) -> list[MenteeFacts]:
    """Scoring records for enrolments (with `commune__departement` loaded), in constant queries."""
    ids = [e.pk for e in enrolments]
    preferences = {p.enrolment_id: p for p in MenteePreferences.objects.filter(enrolment_id__in=ids)}
    interests = job_interests_by_enrolment(ids)
    asked: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, mentor_id in MentoringRequest.objects.filter(enrolment_id__in=ids).values_list(
        "enrolment_id", "mentor_id"
    ):
        asked[enrolment_id].add(mentor_id)
    facts = []
    for enrolment in enrolments:
        prefs = preferences.get(enrolment.pk)
        departement = enrolment.commune.departement if enrolment.commune_id else None
        facts.append(
            MenteeFacts(
                key=enrolment.pk,
                rome_codes=frozenset(interests.get(enrolment.pk, ())),
                departement=departement.code if departement else None,
                region=departement.region_id if departement else None,
                availability=frozenset(prefs.availability if prefs else ()),
                languages=frozenset(prefs.languages if prefs else ()),
                preferred_gender=prefs.mentor_gender if prefs else "",
                asked_mentors=frozenset(asked.get(enrolment.pk, ())),
            )
        )
    return facts


def mentor_facts(mentors: list[MentorProfile], *, count_pending: bool = False) -> list[MentorFacts]:
    """Scoring records for mentors, in two queries (ROME codes, départements).

    `remaining` is capacity minus active mentorships; with `count_pending`, minus pending
    requests too (the bulk match must not propose more than a mentor could accept).
    """
    ids = [m.pk for m in mentors]
    rome: dict[int, set[str]] = defaultdict(set)
    for mentor_id, code in MentorProfile.rome_jobs.through.objects.filter(
        mentorprofile_id__in=ids
    ).values_list("mentorprofile_id", "romejob_id"):
        rome[mentor_id].add(code)
    departements: dict[int, set[str]] = defaultdict(set)
    for mentor_id, code in MentorProfile.departements.through.objects.filter(
        mentorprofile_id__in=ids
    ).values_list("mentorprofile_id", "departement_id"):
        departements[mentor_id].add(code)
    pending: dict[int, int] = defaultdict(int)
    if count_pending:
        for mentor_id in (
            MentoringRequest.objects.pending().filter(mentor_id__in=ids).values_list("mentor_id", flat=True)
        ):
            pending[mentor_id] += 1
    return [
        MentorFacts(
            key=m.pk,
            job_title=m.job_title,
            rome_codes=frozenset(rome.get(m.pk, ())),
            region=m.region_id,
            departements=frozenset(departements.get(m.pk, ())),
            nationwide=m.nationwide,
            availability=frozenset(m.availability),
            languages=frozenset(m.languages),
            gender=m.gender,
            approved=m.status == MentorStatus.APPROVED,
            remaining=m.capacity - m.active_mentees - pending.get(m.pk, 0),
        )
        for m in mentors
    ]


@dataclass
class Recommendation:
    mentor: MentorProfile
    score: Score


def candidate_mentors(session) -> QuerySet[MentorProfile]:
    return (
        MentorProfile.objects.approved()
        .for_region(session.region_id)
        .with_free_place()
        .select_related("user")
        .order_by("id")
    )


def recommend_mentors(enrolment: Enrolment, *, limit: int | None = RECOMMENDATIONS) -> list[Recommendation]:
    """The best `limit` mentors for this mentee (all with None), best first (ties: the older first)."""
    enrolment = Enrolment.objects.select_related("session", "commune__departement").get(pk=enrolment.pk)
    (mentee,) = mentee_facts([enrolment])
    mentors = list(candidate_mentors(enrolment.session))
    ranked = []
    for mentor, facts in zip(mentors, mentor_facts(mentors), strict=True):
        score = score_pair(mentee, facts, session_region=enrolment.session.region_id)
        if score.eligible:
            ranked.append(Recommendation(mentor, score))
    ranked.sort(key=lambda r: (-r.score.points, r.mentor.pk))
    return ranked[:limit]


def requests_visible_to(user) -> QuerySet[MentoringRequest]:
    """Staff: all; a mentor: requests addressed to them; a job seeker: their own."""
    requests = MentoringRequest.objects.select_related(
        "enrolment__job_seeker", "enrolment__session", "mentor__user"
    )
    if user.is_programme_staff:
        return requests
    return requests.filter(Q(mentor__user=user) | Q(enrolment__job_seeker=user))


def mentorships_visible_to(user) -> QuerySet[Mentorship]:
    """Staff: all; otherwise only the mentorships the person is part of (as mentor or mentee)."""
    mentorships = Mentorship.objects.select_related(
        "enrolment__job_seeker", "enrolment__session", "mentor__user"
    )
    if user.is_programme_staff:
        return mentorships
    return mentorships.filter(Q(mentor__user=user) | Q(enrolment__job_seeker=user))


def pending_requests_for_mentor(mentor: MentorProfile) -> QuerySet[MentoringRequest]:
    return (
        mentor.requests.filter(status=RequestStatus.PENDING)
        .select_related("enrolment__job_seeker", "enrolment__session")
        .order_by("expires_at", "id")
    )


def unmatched_enrolments(session) -> QuerySet[Enrolment]:
    """Active enrolments with neither an active mentorship nor a pending request."""
    return (
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.ACTIVE)
        .exclude(mentorships__status="active")
        .exclude(mentoring_requests__status=RequestStatus.PENDING)
        .select_related("job_seeker", "commune__departement")
        .order_by("id")
    )


def has_active_mentorship(enrolment_id: int) -> bool:
    return Mentorship.objects.active().filter(enrolment_id=enrolment_id).exists()


def mentored_enrolment_ids(user) -> QuerySet:
    """The enrolments `user` mentors now, as a subquery of ids."""
    return Mentorship.objects.active().filter(mentor__user=user).values("enrolment_id")


# --- What the mentors' and staff's pages read -------------------------------------------------------


def mentor_profile_of(user) -> MentorProfile | None:
    return MentorProfile.objects.filter(user=user).first()


def active_mentorships_of(mentor: MentorProfile) -> QuerySet[Mentorship]:
    """A mentor's current mentees, the latest first, each with their number of logged sessions."""
    return (
        Mentorship.objects.active()
        .filter(mentor=mentor)
        .select_related("enrolment__job_seeker", "enrolment__session")
        .with_log_count()
        .order_by("-started_at")
    )


def mentors_to_review() -> QuerySet[MentorProfile]:
    """Profiles waiting for the staff's review, the oldest first."""
    return (
        MentorProfile.objects.filter(status=MentorStatus.PENDING)
        .select_related("user", "region")
        .prefetch_related("rome_jobs")
        .order_by("created_at", "id")
    )


def sessions_with_mentorship_counts() -> QuerySet[Session]:
    """Every session with its number of active mentorships (`active_mentorships`)."""
    return Session.objects.select_related("region").annotate(
        active_mentorships=Count(
            "enrolments__mentorships", filter=Q(enrolments__mentorships__status="active")
        )
    )


def recent_match_runs(session: Session) -> QuerySet[MatchRun]:
    return session.match_runs.select_related("created_by")[:20]


def mentorships_without_session(session: Session, *, since) -> QuerySet[Mentorship]:
    """The session's active mentorships with no session logged since `since`."""
    return (
        Mentorship.objects.without_session_since(since)
        .filter(enrolment__session=session)
        .select_related("enrolment__job_seeker", "mentor__user")
    )


def enrolments_to_accompany(session: Session) -> QuerySet[MentoringAlert]:
    """The session's people the passing-on of requests gave up on, while they still have neither
    a mentor nor a pending request (the oldest alert first)."""
    return (
        MentoringAlert.objects.filter(enrolment__session=session, enrolment__status=EnrolmentStatus.ACTIVE)
        .exclude(enrolment__in=Mentorship.objects.active().values("enrolment_id"))
        .exclude(enrolment__in=MentoringRequest.objects.pending().values("enrolment_id"))
        .select_related("enrolment__job_seeker")
        .order_by("created_at", "id")
    )


def run_proposals(run: MatchRun) -> QuerySet[MatchProposal]:
    """A bulk match's proposals, the best score first."""
    return run.proposals.select_related("enrolment__job_seeker", "mentor__user").order_by("-score", "id")


def proposal_candidates(session: Session) -> QuerySet[MentorProfile]:
    """The mentors staff may choose from for a proposal in `session` (approved, of its region)."""
    return (
        MentorProfile.objects.approved().for_region(session.region_id).select_related("user").order_by("id")
    )
