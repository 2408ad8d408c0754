"""What a slot type tells the booking engine about itself (`SlotKind`), and the registry of types.

A step's app registers its kind when it loads (`AppConfig.ready()`), as it registers its step
entry; the engine's periodic work (offers expiring, reminders) goes over every registered kind.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType

from declics.errors import DomainError


def _nobody(*args, **kwargs):
    return ()


def _none(*args, **kwargs):
    return None


@dataclass(frozen=True)
class SlotKind:
    """One slot type. Callables receive the engine's objects with their slot loaded.

    - `name`: short and stable ("workshop"): the outbox keys and calendar UIDs start with it.
    - `slot_model`, `booking_model`: concrete `BookableSlot` / `SlotBooking` models;
      `slot_field`: the booking's foreign key to its slot; `step`: the pathway step it serves.
    - `error`: the `DomainError` subclass raised for a refusal (its message is shown).
    - `cancel_deadline`: a person may cancel a confirmed seat until this long before the start.
    - `offer_hold`: a freed seat is held this long for the first person waiting, never later than
      `offer_cutoff` before the start (no offer is made after that point).
    - `max_live(session) -> int | None`: a person's limit of simultaneous live bookings.
    - `can_organise(user, slot)`: may move, cancel and change the slot (staff, host, training body).
    - `can_mark_attendance(user, slot)`.
    - `describe(slot) -> str`: the slot named in a sentence ("l'atelier « CV »").
    - `slot_url(slot)`, `booking_urls(booking) -> {"cancel_url": …, "confirm_url": …}` (absolute).
    - `calendar_event(booking, method) -> CalendarEvent` (`programs.calendar_files`); the engine
      writes the file, the kind decides the texts and whether the video link may appear.
    - `ics_filename`.
    - `templates`: event name -> e-mail template base, for the events whose wording is the kind's
      own; any other event uses `programs/emails/bookings/<event>`.
    - `extra_context(booking) -> dict`: more for the e-mails (the kind's own templates read it);
      an `sms_url` there replaces the slot's page as the SMS link when the kind has a shorter one.
    - `organiser_contacts(slot) -> [(email, user or None)]`: told when a person cancels or an
      enrolment ends (a training body), none for slots the team organises.
    - `on_attended(bookings, slot, now)`: what attending means (complete the step).
    - `another_date(slot, now) -> slot | None`: proposed to a no-show when there is no replay.
    - `on_booked(booking, now)`: the kind's own bookkeeping after a seat is confirmed.
    - `messages`: refusal code -> the kind's own wording of a refusal (see `refuse`), where the
      engine's neutral "rendez-vous" would read worse ("Cet atelier est annulé…").
    """

    name: str
    slot_model: type
    booking_model: type
    slot_field: str
    step: int
    error: type[DomainError]
    describe: Callable
    slot_url: Callable
    calendar_event: Callable
    ics_filename: str
    can_organise: Callable
    can_mark_attendance: Callable
    booking_urls: Callable = lambda booking: {}
    cancel_deadline: timedelta = timedelta(0)
    offer_hold: timedelta = timedelta(hours=12)
    offer_cutoff: timedelta = timedelta(hours=1)
    max_live: Callable = _none
    templates: Mapping[str, str] = field(default_factory=dict)
    extra_context: Callable = lambda booking: {}
    organiser_contacts: Callable = _nobody
    on_attended: Callable = _nobody
    another_date: Callable = _none
    on_booked: Callable = _nobody
    messages: Mapping[str, str] = field(default_factory=dict)

    def bookings(self):
        return self.booking_model.objects.all()

    def slot_of(self, booking):
        return getattr(booking, self.slot_field)

    def refuse(self, code: str, default: str, params: Mapping | None = None) -> DomainError:
        """The error to raise for refusal `code`: the kind's own wording if it has one."""
        text = str(self.messages.get(code, default))
        return self.error(text % params if params else text)

    def template(self, event: str) -> str:
        return self.templates.get(event, f"programs/emails/bookings/{event}")


_kinds: dict[str, SlotKind] = {}


def register(kind: SlotKind) -> SlotKind:
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> SlotKind:
    return _kinds[name]


def all_kinds() -> list[SlotKind]:
    return [_kinds[name] for name in sorted(_kinds)]


def kinds_by_name() -> Mapping[str, SlotKind]:
    return MappingProxyType(_kinds)
