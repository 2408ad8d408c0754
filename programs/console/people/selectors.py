"""Reads of the people pages: a session's enrolments, filtered, in a constant number of queries."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from programs.models import BulkRemoval, Enrolment, EnrolmentStatus, Session, StepProgress

PAGE_SIZE = 50


def people_of(session: Session, *, status: str = "", step_done: int | None = None) -> QuerySet[Enrolment]:
    """The session's enrolments (the waiting list in its order when `status` is "waiting"), each
    with `steps_done`, its person and where it was transferred to."""
    queryset = (
        Enrolment.objects.filter(session=session)
        .select_related("job_seeker", "transferred_to__session")
        .annotate(steps_done=Count("step_progress", filter=Q(step_progress__completed_at__isnull=False)))
    )
    if status:
        queryset = queryset.filter(status=status)
    if step_done:
        done = StepProgress.objects.done().filter(enrolment=OuterRef("pk"), step=step_done)
        queryset = queryset.filter(Exists(done))
    if status == EnrolmentStatus.WAITING:
        return queryset.order_by("created_at", "pk")
    return queryset.order_by("job_seeker__last_name", "job_seeker__first_name", "pk")


def person(session: Session, public_id) -> Enrolment | None:
    return (
        Enrolment.objects.filter(session=session, public_id=public_id)
        .select_related("job_seeker", "session", "ended_by", "transferred_to__session")
        .first()
    )


def transfer_targets(session: Session) -> QuerySet[Session]:
    """Sessions a person of `session` may be moved to (the service checks again)."""
    from programs.services.lifecycle import TRANSFER_TARGET_STATUSES

    return (
        Session.objects.filter(status__in=TRANSFER_TARGET_STATUSES, published_at__isnull=False)
        .exclude(pk=session.pk)
        .order_by("-starts_at", "pk")
    )


def bulk_removal(public_id) -> BulkRemoval | None:
    return BulkRemoval.objects.filter(public_id=public_id).select_related("session", "created_by").first()
