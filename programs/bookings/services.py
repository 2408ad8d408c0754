"""The booking rules, written once for every slot type (`kinds.SlotKind`).

Locking: a person's request first locks their enrolment (so two of their own requests cannot both
pass their limit of simultaneous bookings), then the slot row (`select_for_update`), then the
booking rows it touches — always in that order, also when an enrolment ends (the enrolment, then
each slot it gives a seat back to): never a deadlock. Seats held (confirmed bookings and pending
offers) are counted in the slot's `seats_taken`, which a check constraint keeps within `seats`:
the lock makes the count right, the constraint makes a mistake fail loudly instead of overbooking.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.accounts.models import Role
from programs.enrolments import find_enrolment
from programs.models import Enrolment, EnrolmentStatus, Session, SessionStatus
from programs.services.steps import ensure_step_open

from . import notifications
from .kinds import SlotKind, all_kinds
from .models import LIVE_STATUSES, SEAT_HOLDING, BookingStatus, SlotStatus

Status = BookingStatus

# Due reminders are queued this many bookings to a transaction.
REMINDER_BATCH = 200


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def lock_slot(kind: SlotKind, slot):
    pk = slot if isinstance(slot, int) else slot.pk
    return kind.slot_model.objects.select_for_update(of=("self",)).select_related("session").get(pk=pk)


def _lock_booking(kind: SlotKind, booking, slot):
    booking = (
        kind.booking_model.objects.select_for_update(of=("self",))
        .select_related("job_seeker")
        .get(pk=booking.pk)
    )
    setattr(booking, kind.slot_field, slot)
    return booking


def _slot_bookings(kind: SlotKind, slot):
    return kind.booking_model.objects.filter(**{kind.slot_field: slot})


def cancellation_deadline(kind: SlotKind, slot) -> datetime:
    return slot.starts_at - kind.cancel_deadline


def _check_times(kind: SlotKind, *, session: Session, starts_at, duration_minutes: int, now) -> None:
    if starts_at <= now:
        raise kind.refuse("future", _("Un rendez-vous doit commencer dans le futur."))
    if duration_minutes < 1:
        raise kind.refuse("duration", _("La durée doit être d'au moins une minute."))
    if session.status in (SessionStatus.CLOSED, SessionStatus.ARCHIVED):
        raise kind.refuse(
            "session_over", _("Cette session est terminée : on n'y ajoute plus de rendez-vous.")
        )


def check_new_slot(kind: SlotKind, *, session: Session, starts_at, duration_minutes: int, seats, now=None):
    """The rules every new slot follows (each type's `create_…` service calls it)."""
    _check_times(kind, session=session, starts_at=starts_at, duration_minutes=duration_minutes, now=_now(now))
    if seats is not None and seats < 1:
        raise kind.refuse("no_seat", _("Il faut au moins une place."))


# --- A person: book, wait, confirm an offer, cancel ----------------------------------------------


def _confirm(kind: SlotKind, booking, *, now: datetime) -> None:
    booking.status = Status.CONFIRMED
    booking.confirmed_at = now
    booking.save()
    notifications.confirmed(kind, booking)
    kind.on_booked(booking, now)


def _take_seat(slot) -> None:
    slot.seats_taken += 1
    slot.save(update_fields=["seats_taken"])


def _give_seat_back(slot) -> None:
    slot.seats_taken -= 1
    slot.save(update_fields=["seats_taken"])


@transaction.atomic
def book(kind: SlotKind, *, slot, job_seeker, now: datetime | None = None):
    """Take a seat, or a place on the waiting list when the slot is full."""
    now = _now(now)
    enrolment = find_enrolment(job_seeker, session=Session(pk=slot.session_id), for_update=True)
    slot = lock_slot(kind, slot)
    session = slot.session
    if slot.is_cancelled:
        raise kind.refuse("slot_cancelled", _("Ce rendez-vous est annulé : choisissez-en un autre."))
    if slot.starts_at <= now:
        raise kind.refuse(
            "started", _("Ce rendez-vous a déjà commencé : il n'est plus possible de s'y inscrire.")
        )
    if enrolment is None or enrolment.status != EnrolmentStatus.ACTIVE or job_seeker.role != Role.JOB_SEEKER:
        raise kind.refuse(
            "not_participant",
            _("Ce rendez-vous est réservé aux participant·es de la session « %(title)s »."),
            {"title": session.title},
        )
    ensure_step_open(enrolment=enrolment, step=kind.step, now=now, error=kind.error)
    booking = (
        kind.booking_model.objects.select_for_update(of=("self",))
        .filter(**{kind.slot_field: slot}, job_seeker=job_seeker)
        .first()
    )
    seat_free = slot.has_free_seat
    if booking is not None and booking.status in SEAT_HOLDING:
        raise kind.refuse("has_seat", _("Vous avez déjà une place pour ce rendez-vous."))
    if booking is not None and booking.status == Status.WAITING:
        if not seat_free:
            raise kind.refuse(
                "already_waiting", _("Vous êtes déjà sur la liste d'attente de ce rendez-vous.")
            )
        # A seat is free and nobody holds it (no offer is made near the start): take it.
        setattr(booking, kind.slot_field, slot)
        _take_seat(slot)
        _confirm(kind, booking, now=now)
        return booking

    limit = kind.max_live(session)
    if limit is not None:
        live = (
            kind.booking_model.objects.filter(
                enrolment=enrolment, status__in=LIVE_STATUSES, **{f"{kind.slot_field}__starts_at__gt": now}
            )
            .exclude(**{kind.slot_field: slot})
            .count()
        )
        if live >= limit:
            raise kind.refuse(
                "limit",
                _(
                    "Vous avez déjà %(n)s rendez-vous de ce type à venir (réservés ou en liste "
                    "d'attente), c'est le maximum. Annulez-en un pour en réserver un autre."
                ),
                {"n": live},
            )
    if not seat_free and now >= slot.starts_at - kind.offer_cutoff:
        raise kind.refuse(
            "full_soon", _("Ce rendez-vous est complet et commence bientôt : choisissez une autre date.")
        )

    if booking is None:
        booking = kind.booking_model(**{kind.slot_field: slot}, enrolment=enrolment, job_seeker=job_seeker)
    else:
        # Coming back after a cancellation or an expired offer: the same row, a new round.
        booking.round += 1
        booking.enrolment = enrolment
        for name in ("offered_at", "offer_expires_at", "confirmed_at", "cancelled_at", "attended"):
            setattr(booking, name, None)
        booking.end_reason = ""
        booking.attendance_marked_at = None
        booking.attendance_marked_by = None
        booking.reminded_24h_for = None
        booking.reminded_1h_for = None
    booking.booked_at = now
    setattr(booking, kind.slot_field, slot)
    if seat_free:
        booking.waiting_since = None
        _take_seat(slot)
        _confirm(kind, booking, now=now)
    else:
        booking.status = Status.WAITING
        booking.waiting_since = now
        booking.save()
        notifications.waiting(kind, booking)
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now)
    return booking


def _end_booking(kind: SlotKind, booking, slot, *, now: datetime, reason: str) -> None:
    """End a live booking (the caller holds the slot's and the booking's locks): the seat goes back
    and is offered, reminders are cancelled, the person gets a CANCEL, the organiser is told."""
    previous = booking.status
    booking.status = Status.CANCELLED
    booking.cancelled_at = now
    booking.end_reason = reason
    booking.save(update_fields=["status", "cancelled_at", "end_reason"])
    notifications.cancel_reminders(kind, booking)
    notifications.booking_cancelled(kind, booking, had_invitation=previous == Status.CONFIRMED, reason=reason)
    if previous == Status.CONFIRMED:
        notifications.organiser_told(kind, booking, reason=reason)
    if previous in SEAT_HOLDING:
        _give_seat_back(slot)
        _offer_free_seats(kind, slot, now=now)


@transaction.atomic
def cancel_booking(
    kind: SlotKind, *, booking, job_seeker=None, now: datetime | None = None, reason: str = ""
):
    """The person gives up their seat (until the deadline), their place in the queue, or an offer.

    A freed seat is offered at once to the first person waiting. `reason` is empty when the person
    cancels, else why their enrolment ended ("withdrawn", "removed"…: see `release`).
    """
    now = _now(now)
    slot = lock_slot(kind, getattr(booking, f"{kind.slot_field}_id"))
    booking = _lock_booking(kind, booking, slot)
    if job_seeker is not None and booking.job_seeker_id != job_seeker.pk:
        raise kind.refuse("not_yours", _("Cette réservation n'est pas la vôtre."))
    if booking.status not in LIVE_STATUSES:
        raise kind.refuse("already_cancelled", _("Cette réservation est déjà annulée."))
    if slot.starts_at <= now:
        raise kind.refuse(
            "cancel_started", _("Ce rendez-vous a déjà commencé : la réservation ne peut plus être annulée.")
        )
    if booking.status == Status.CONFIRMED and now > cancellation_deadline(kind, slot) and not reason:
        hours = int(kind.cancel_deadline.total_seconds() // 3600)
        raise kind.refuse(
            "too_late",
            _(
                "Il est trop tard pour annuler en ligne : le rendez-vous commence dans moins de "
                "%(hours)s heures. Si vous ne pouvez pas venir, prévenez l'équipe DéClics."
            ),
            {"hours": hours},
        )
    _end_booking(kind, booking, slot, now=now, reason=reason)
    return booking


def release(kind: SlotKind, enrolment: Enrolment, *, reason: str, now: datetime) -> int:
    """The enrolment ended (`reason`: withdrawn, removed, transferred, erased, session_cancelled):
    each upcoming seat, place in the queue or offer ends as if the person cancelled it — the seat
    goes to the first person waiting, reminders are cancelled, the person gets a CANCEL (none on
    erasure), the organiser is told — even inside the online cancellation deadline, since the
    person will not come. Past bookings stay for attendance and figures. Returns how many ended.
    """
    upcoming = kind.booking_model.objects.filter(
        enrolment=enrolment, status__in=LIVE_STATUSES, **{f"{kind.slot_field}__starts_at__gt": now}
    ).order_by(f"{kind.slot_field}__starts_at", "pk")
    ended = 0
    for booking in upcoming:
        try:
            cancel_booking(kind, booking=booking, now=now, reason=reason or "ended")
        except kind.error:
            continue
        ended += 1
    return ended


def _offer_free_seats(kind: SlotKind, slot, *, now: datetime) -> list:
    """Offer every free seat to the people waiting, in order. The caller holds the slot's lock.

    Nothing is offered within `offer_cutoff` of the start: nobody could confirm in time, so the
    seat stays free for whoever books it first (people waiting included); nor in a cancelled slot
    or session (nobody could take it).
    """
    if (
        slot.is_cancelled
        or slot.session.status == SessionStatus.CANCELLED
        or now >= slot.starts_at - kind.offer_cutoff
    ):
        return []
    offered = []
    while slot.has_free_seat:
        booking = (
            _slot_bookings(kind, slot)
            .waiting_queue()
            .select_for_update(of=("self",))
            .select_related("job_seeker")
            .first()
        )
        if booking is None:
            break
        setattr(booking, kind.slot_field, slot)
        booking.status = Status.OFFERED
        booking.offered_at = now
        booking.offer_expires_at = min(now + kind.offer_hold, slot.starts_at - kind.offer_cutoff)
        booking.save(update_fields=["status", "offered_at", "offer_expires_at"])
        slot.seats_taken += 1
        notifications.offer(kind, booking)
        offered.append(booking)
    if offered:
        slot.save(update_fields=["seats_taken"])
    return offered


@transaction.atomic
def offer_free_seats(kind: SlotKind, *, slot, now: datetime | None = None) -> list:
    """Offer the slot's free seats to the people waiting (see `_offer_free_seats`)."""
    return _offer_free_seats(kind, lock_slot(kind, slot), now=_now(now))


@transaction.atomic
def confirm_offer(kind: SlotKind, *, booking, job_seeker, now: datetime | None = None):
    """The person takes the seat held for them, before the offer expires."""
    now = _now(now)
    slot = lock_slot(kind, getattr(booking, f"{kind.slot_field}_id"))
    booking = _lock_booking(kind, booking, slot)
    if booking.job_seeker_id != job_seeker.pk:
        raise kind.refuse("not_yours", _("Cette réservation n'est pas la vôtre."))
    if booking.status == Status.CONFIRMED:
        raise kind.refuse("already_confirmed", _("Votre place est déjà confirmée."))
    if booking.status != Status.OFFERED or now >= booking.offer_expires_at or slot.is_cancelled:
        raise kind.error(
            _(
                "Cette proposition de place n'est plus valable : le délai pour confirmer est "
                "dépassé. Vous pouvez vous réinscrire sur la liste d'attente ou choisir une autre date."
            )
        )
    _confirm(kind, booking, now=now)
    return booking


def expire_offers(*, now: datetime | None = None) -> int:
    """Pass on every offer not confirmed in time, for every slot type: the seat goes to the next
    person waiting. One transaction per slot; idempotent (an expired offer is no longer offered)."""
    now = _now(now)
    expired = 0
    for kind in all_kinds():
        slot_ids = set(
            kind.booking_model.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list(
                f"{kind.slot_field}_id", flat=True
            )
        )
        expired += sum(_expire_offers_of(kind, slot_id, now=now) for slot_id in sorted(slot_ids))
    return expired


@transaction.atomic
def _expire_offers_of(kind: SlotKind, slot_id: int, *, now: datetime) -> int:
    slot = lock_slot(kind, slot_id)
    expired = list(
        _slot_bookings(kind, slot)
        .filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .select_for_update(of=("self",))
        .select_related("job_seeker")
    )
    for booking in expired:
        setattr(booking, kind.slot_field, slot)
        booking.status = Status.EXPIRED
        booking.save(update_fields=["status"])
        slot.seats_taken -= 1
        notifications.offer_expired(kind, booking)
    if expired:
        slot.save(update_fields=["seats_taken"])
        _offer_free_seats(kind, slot, now=now)
    return len(expired)


# --- The organiser: seats, move, cancel -----------------------------------------------------------


def _ensure_organiser(kind: SlotKind, slot, by) -> None:
    if by is None or not by.is_authenticated or not kind.can_organise(by, slot):
        raise kind.refuse(
            "organiser_only", _("Seule l'équipe ou l'organisateur de ce rendez-vous peut le modifier.")
        )


@transaction.atomic
def change_seats(kind: SlotKind, *, slot, seats, by, now: datetime | None = None):
    """Set the number of seats (never below the seats held); new seats are offered at once."""
    now = _now(now)
    slot = lock_slot(kind, slot)
    _ensure_organiser(kind, slot, by)
    if slot.is_cancelled:
        raise kind.refuse("change_cancelled", _("Ce rendez-vous est annulé : il ne peut plus être modifié."))
    if seats is not None and seats < max(slot.seats_taken, 1):
        raise kind.refuse(
            "seats_below",
            _("Il y a déjà %(n)s places prises : le rendez-vous ne peut pas en compter moins."),
            {"n": slot.seats_taken},
        )
    slot.seats = seats
    slot.save(update_fields=["seats"])
    _offer_free_seats(kind, slot, now=now)
    return slot


@transaction.atomic
def move_slot(
    kind: SlotKind, *, slot, starts_at: datetime, duration_minutes: int | None = None, by, now=None
):
    """Move a slot: everyone booked or waiting is told once, with an updated invitation.

    The SEQUENCE goes up; reminders follow the new time (they are queued when due, keyed by the
    start time); pending offers may not outlast the new cut-off.
    """
    now = _now(now)
    slot = lock_slot(kind, slot)
    _ensure_organiser(kind, slot, by)
    duration_minutes = duration_minutes or slot.duration_minutes
    if slot.is_cancelled:
        raise kind.refuse("move_cancelled", _("Ce rendez-vous est annulé : il ne peut plus être déplacé."))
    if slot.starts_at <= now:
        raise kind.refuse("move_started", _("Ce rendez-vous a déjà commencé : il ne peut plus être déplacé."))
    _check_times(kind, session=slot.session, starts_at=starts_at, duration_minutes=duration_minutes, now=now)
    if starts_at == slot.starts_at and duration_minutes == slot.duration_minutes:
        raise kind.refuse("same_time", _("La date et la durée sont les mêmes qu'avant : rien à changer."))
    previous_start = slot.starts_at
    slot.starts_at = starts_at
    slot.duration_minutes = duration_minutes
    slot.sequence += 1
    slot.rescheduled_at = now
    slot.save(update_fields=["starts_at", "duration_minutes", "sequence", "rescheduled_at"])
    bookings = _slot_bookings(kind, slot).live().select_for_update(of=("self",)).select_related("job_seeker")
    for booking in bookings:
        setattr(booking, kind.slot_field, slot)
        if booking.status == Status.CONFIRMED:
            notifications.cancel_reminders(kind, booking)
        elif booking.status == Status.OFFERED:
            booking.offer_expires_at = min(booking.offer_expires_at, starts_at - kind.offer_cutoff)
            booking.save(update_fields=["offer_expires_at"])
        notifications.slot_moved(kind, booking, previous_start=previous_start)
    return slot


@transaction.atomic
def cancel_slot(kind: SlotKind, *, slot, by, reason: str = "", now: datetime | None = None) -> int:
    """Cancel a slot: every booking ends, everyone booked or waiting is told once (with a CANCEL).

    Returns how many people were told.
    """
    now = _now(now)
    slot = lock_slot(kind, slot)
    _ensure_organiser(kind, slot, by)
    if slot.is_cancelled:
        raise kind.refuse("slot_already_cancelled", _("Ce rendez-vous est déjà annulé."))
    if slot.starts_at <= now:
        raise kind.refuse(
            "cancel_slot_started", _("Ce rendez-vous a déjà commencé : il ne peut plus être annulé.")
        )
    slot.status = SlotStatus.CANCELLED
    slot.cancelled_at = now
    slot.sequence += 1
    slot.seats_taken = 0
    slot.save(update_fields=["status", "cancelled_at", "sequence", "seats_taken"])
    told = 0
    bookings = _slot_bookings(kind, slot).live().select_for_update(of=("self",)).select_related("job_seeker")
    for booking in bookings:
        setattr(booking, kind.slot_field, slot)
        had_invitation = booking.status == Status.CONFIRMED
        booking.status = Status.CANCELLED
        booking.cancelled_at = now
        booking.end_reason = "slot_cancelled"
        booking.save(update_fields=["status", "cancelled_at", "end_reason"])
        notifications.cancel_reminders(kind, booking)
        notifications.slot_cancelled(kind, booking, had_invitation=had_invitation, reason=reason)
        told += 1
    return told


# --- Reminders ---------------------------------------------------------------------------------


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Queue the 24 h and 1 h reminders that are due, for every slot type; each once.

    A reminder is due from `before` the start until the next reminder's time (the 24 h one) or the
    start (the 1 h one), for a confirmed seat of a scheduled slot; it is not sent when the person
    confirmed, or the slot moved, after its due time (they were just told). Idempotent: the booking
    row is stamped with the start time it was sent for, under its lock, with a unique outbox key.
    """
    now = _now(now)
    queued = 0
    for kind in all_kinds():
        field = kind.slot_field
        for index, (name, before) in enumerate(notifications.REMINDERS):
            stamp = f"reminded_{name}_for"
            # The 24 h reminder is due until the 1 h one is; the 1 h one until the start.
            later = notifications.REMINDERS[index + 1 :]
            lower = now + later[0][1] if later else now
            due = kind.booking_model.objects.filter(
                status=Status.CONFIRMED,
                **{
                    f"{field}__status": SlotStatus.SCHEDULED,
                    f"{field}__starts_at__gt": lower,
                    f"{field}__starts_at__lte": now + before,
                    "confirmed_at__lte": F(f"{field}__starts_at") - before,
                },
            ).filter(Q(**{f"{stamp}__isnull": True}) | ~Q(**{stamp: F(f"{field}__starts_at")}))
            due = due.filter(
                Q(**{f"{field}__rescheduled_at__isnull": True})
                | Q(**{f"{field}__rescheduled_at__lte": F(f"{field}__starts_at") - before})
            )
            pks = list(due.values_list("pk", flat=True))
            for start in range(0, len(pks), REMINDER_BATCH):
                queued += _remind(
                    kind, pks=pks[start : start + REMINDER_BATCH], name=name, stamp=stamp, now=now
                )
    return queued


@transaction.atomic
def _remind(kind: SlotKind, *, pks: list[int], name: str, stamp: str, now: datetime) -> int:
    """Queue one batch of due reminders in one transaction; rows another worker holds are skipped
    (it is sending them), rows already stamped for this start are left."""
    bookings = list(
        kind.booking_model.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related(kind.slot_field, f"{kind.slot_field}__session", "job_seeker")
        .filter(pk__in=pks, status=Status.CONFIRMED)
        .order_by("pk")
    )
    stamped = []
    queued = 0
    for booking in bookings:
        slot = kind.slot_of(booking)
        if slot.is_cancelled or getattr(booking, stamp) == slot.starts_at:
            continue
        created = notifications.reminder(kind, booking, name=name, now=now).created
        setattr(booking, stamp, slot.starts_at)
        stamped.append(booking)
        queued += int(created)
    kind.booking_model.objects.bulk_update(stamped, [stamp], batch_size=REMINDER_BATCH)
    return queued


# --- Attendance and the no-show follow-up -------------------------------------------------------


@transaction.atomic
def mark_attendance(kind: SlotKind, *, slot, present: Iterable[int], by, now: datetime | None = None) -> dict:
    """Record who came among the confirmed bookings (`present`: booking ids; the others were absent).

    Attending runs the kind's `on_attended` (the step completed) and thanks the person; each
    absent person gets a kind word with the replay where there is one, else another date — once
    per booking. Marking again corrects the list; a completed step stays completed.
    """
    now = _now(now)
    slot = lock_slot(kind, slot)
    if by is None or not kind.can_mark_attendance(by, slot):
        raise kind.refuse(
            "attendance_forbidden",
            _("Seuls l'équipe et l'organisateur de ce rendez-vous notent les présences."),
        )
    if slot.is_cancelled:
        raise kind.refuse("attendance_cancelled", _("Ce rendez-vous a été annulé."))
    if now < slot.starts_at:
        raise kind.refuse(
            "attendance_not_started", _("Les présences se notent une fois le rendez-vous commencé.")
        )
    present = {int(pk) for pk in present}
    bookings = list(
        _slot_bookings(kind, slot).confirmed().select_for_update(of=("self",)).select_related("job_seeker")
    )
    if present - {booking.pk for booking in bookings}:
        raise kind.refuse(
            "attendance_tampered",
            _("Cette liste contient une personne qui n'a pas de place pour ce rendez-vous."),
        )
    return _record(kind, slot, bookings, present=present, by=by, now=now)


@transaction.atomic
def mark_one(kind: SlotKind, *, booking, attended: bool, by, now: datetime | None = None) -> dict:
    """Record one person's attendance (the others' stay as they are)."""
    now = _now(now)
    slot = lock_slot(kind, getattr(booking, f"{kind.slot_field}_id"))
    booking = _lock_booking(kind, booking, slot)
    if by is None or not kind.can_mark_attendance(by, slot):
        raise kind.refuse(
            "attendance_forbidden",
            _("Seuls l'équipe et l'organisateur de ce rendez-vous notent les présences."),
        )
    if booking.status != Status.CONFIRMED or slot.is_cancelled:
        raise kind.refuse("attendance_booking_cancelled", _("Cette réservation a été annulée."))
    if now < slot.starts_at:
        raise kind.refuse(
            "attendance_not_started", _("Les présences se notent une fois le rendez-vous commencé.")
        )
    return _record(kind, slot, [booking], present={booking.pk} if attended else set(), by=by, now=now)


def _record(kind: SlotKind, slot, bookings: list, *, present: set, by, now: datetime) -> dict:
    counts = {"present": 0, "absent": 0}
    attendees = []
    other = None
    for booking in bookings:
        setattr(booking, kind.slot_field, slot)
        attended = booking.pk in present
        counts["present" if attended else "absent"] += 1
        if booking.attended != attended:
            booking.attended = attended
            booking.attendance_marked_at = now
            booking.attendance_marked_by = by
            booking.save(update_fields=["attended", "attendance_marked_at", "attendance_marked_by"])
        if attended:
            attendees.append(booking)
            notifications.attended(kind, booking)
        else:
            if other is None:
                other = (None if getattr(slot, "replay_url", "") else kind.another_date(slot, now)) or False
            notifications.missed(kind, booking, other=other or None)
    if attendees:
        kind.on_attended(attendees, slot, now)
    return counts


def another_date_query(kind: SlotKind, slot, *, now: datetime, **same):
    """The next scheduled slot of the session (with `same` field values) with a seat left."""
    return (
        kind.slot_model.objects.upcoming(now)
        .filter(Q(seats__isnull=True) | Q(seats_taken__lt=F("seats")), session_id=slot.session_id, **same)
        .exclude(pk=slot.pk)
        .order_by("starts_at", "pk")
        .first()
    )


def video_link_visible(kind: SlotKind, *, booking, slot, opens_before, now: datetime | None = None) -> bool:
    """The room's link is shown to a confirmed person from `opens_before` the start to the end."""
    now = _now(now)
    return (
        booking is not None
        and booking.status == Status.CONFIRMED
        and not slot.is_cancelled
        and slot.starts_at - opens_before <= now < slot.ends_at
    )


def recount_seats(kind: SlotKind, slots) -> int:
    """Set each slot's seat counter from its rows (for bulk loads of history, never for bookings:
    they go through `book`). Returns how many slots changed."""
    changed = 0
    related = kind.booking_model._meta.get_field(kind.slot_field).related_query_name()
    counted = slots.annotate(held=Count(related, filter=Q(**{f"{related}__status__in": SEAT_HOLDING})))
    for slot in counted:
        if slot.seats_taken != slot.held:
            kind.slot_model.objects.filter(pk=slot.pk).update(seats_taken=slot.held)
            changed += 1
    return changed
