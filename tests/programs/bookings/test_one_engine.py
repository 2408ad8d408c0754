"""One booking engine: no other module keeps a copy of its rules (issue 13).

The seat counter, the waiting list's offers and the bookings' life are written only in
`programs.bookings`; a slot type declares a `SlotKind` and calls the engine. This scan fails, with
the file and line, on code elsewhere that counts seats, moves a booking through its statuses or
queues booking reminders itself — the shape the training-body meetings had before ("to merge later").
"""

import re
from pathlib import Path

from programs.bookings import kinds

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("declics", "programs", "mentoring", "jobs")
ENGINE = ROOT / "programs" / "bookings"

FORBIDDEN = {
    "writes the seat counter": re.compile(r"seats_taken\s*(\+=|-=|=(?!=))|\.update\([^)]*seats_taken"),
    "counts booked seats": re.compile(r"(bookings|registrations)\b[^\n]*\.count\(\)\s*(>=|<|>|<=)"),
    "holds an offer": re.compile(r"offer_expires_at\s*=(?!=)"),
    "sets a booking's status": re.compile(
        r"\.status\s*=\s*\w*(Booking)?Status\.(CONFIRMED|WAITING|OFFERED|EXPIRED|BOOKED)\b"
    ),
    "keeps its own reminder schedule": re.compile(r"^\s*REMINDERS\s*=|reminded_(day_before|hour_before)_at"),
}


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if ENGINE in path.parents or "migrations" in path.parts:
                continue
            yield path


def test_no_module_outside_the_engine_copies_its_rules():
    findings = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for what, pattern in FORBIDDEN.items():
                if pattern.search(line):
                    findings.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()}")
    assert findings == [], "Booking rules outside programs.bookings:\n" + "\n".join(findings)


def test_the_scan_would_see_a_copy():
    """The patterns match the code they are meant to refuse (so the scan above cannot pass blindly)."""
    samples = {
        "writes the seat counter": "    workshop.seats_taken += 1",
        "counts booked seats": "    if slot.bookings.filter(status=BOOKED).count() >= slot.seats:",
        "holds an offer": "        booking.offer_expires_at = now + OFFER_HOLD",
        "sets a booking's status": "    booking.status = BookingStatus.BOOKED",
        "keeps its own reminder schedule": 'REMINDERS = (("24h", timedelta(hours=24)),)',
    }
    assert {what: bool(FORBIDDEN[what].search(line)) for what, line in samples.items()} == dict.fromkeys(
        samples, True
    )


def test_every_slot_type_is_a_registered_kind_of_the_engine():
    from programs.bookings.models import BookableSlot, SlotBooking

    registered = kinds.kinds_by_name()
    assert set(registered) >= {"workshop", "talk", "meeting"}
    for kind in registered.values():
        assert issubclass(kind.slot_model, BookableSlot) and issubclass(kind.booking_model, SlotBooking)
