#!/usr/bin/env python
"""`routing.notify_many` for N people: each person's channel, language, daily budget and unsubscribe
link, the message rendered once per language and inserted in bulk (what nudges, step openings and
cohort news go through).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/bench_notify_many.py 10000

Runs in a throw-away test database (created and dropped): N accounts (a third with a phone, a fifth
in English), then one optional kind (nudge) and one regular kind (step opened), 1,000 people a call.
"""

import os
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declics.settings")


def main(count: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        from declics.accounts.models import User
        from declics.notifications import kinds, routing
        from declics.notifications.models import DigestItem, OutboxMessage

        User.objects.bulk_create(
            [
                User(
                    email=f"p{i}@example.org",
                    phone="+33612345678" if i % 3 == 0 else "",
                    language="en" if i % 5 == 0 else "fr",
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        recipients = [(f"bench:{pk}", person) for pk, person in routing.people_of(User.objects.all()).items()]
        context = {"session": {"slug": "s", "title": "Session"}, "subject": "Sujet", "body": "Texte"}
        for kind in (kinds.NUDGE, kinds.STEP_OPENED):
            OutboxMessage.objects.all().delete()
            DigestItem.objects.all().delete()
            started = time.perf_counter()
            for start in range(0, count, 1000):
                routing.notify_many(
                    recipients=recipients[start : start + 1000],
                    kind=kind,
                    template="programs/emails/cohort_message",
                    context=context,
                )
            took = time.perf_counter() - started
            print(
                f"{connection.vendor} {kind.name}: {count} people in {took:.1f} s ({count / took:.0f}/s), "
                f"rows {OutboxMessage.objects.count()}, held {DigestItem.objects.count()}"
            )
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
