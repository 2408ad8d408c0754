"""The one booking engine: slots with seats, bookings, a waiting list, moves, cancellations,
reminders and attendance — for every slot type (workshops, role-model talks, training-body
meetings, and any future one).

A slot type declares a `kinds.SlotKind` (its models, who organises it, its wording, its calendar
event, what attending it means) and registers it when its app loads; `services` holds every rule,
written once. The concrete models inherit `models.BookableSlot` and `models.SlotBooking`, so the
columns the rules read have the same names everywhere and each type keeps only what is its own.
"""
