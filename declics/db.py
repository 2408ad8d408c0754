"""Unique constraints met by a double submit: the twin request that lost is answered, not crashed.

A service checks "already done?" before writing, but two requests sent at once both pass the check;
the database's unique constraint then refuses the second insert. Wrap that insert in
`duplicate_raises(SomeDomainError(message))`: the insert runs in a savepoint (the outer transaction
stays usable) and the violation becomes the same refusal the check would have given.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE


def is_unique_violation(error: IntegrityError) -> bool:
    """A unique constraint (not a check or a foreign key) refused the write."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == UNIQUE_VIOLATION:
        return True
    return "UNIQUE constraint failed" in str(error)  # SQLite's wording


@contextmanager
def duplicate_raises(error: Exception) -> Iterator[None]:
    """Run the block in a savepoint; a unique violation raises `error` (chained), anything else as is."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as integrity_error:
        if not is_unique_violation(integrity_error):
            raise
        raise error from integrity_error
