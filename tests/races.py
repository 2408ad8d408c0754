"""Running several actions at the same instant, each on its own database connection (threads
against PostgreSQL): the race tests of the booking engine's slot types share this."""

import threading

import pytest
from django.db import connection, connections

# The marks of a race test: row locks (SELECT … FOR UPDATE) need PostgreSQL, which CI runs.
POSTGRES_RACE = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
    ),
]


def run_together(actions):
    """Run every action at the same instant; returns the exceptions raised."""
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            barrier.wait(timeout=20)
            action()
        except Exception as error:  # reported by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
