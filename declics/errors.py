"""The one domain error: a business rule refused an action, and its message is safe to show.

Every app's services raise a subclass of `DomainError` (one per room: `ProgramError`,
`WorkshopError`, `MentoringError`, `TrainingError`…) with a French message written for the person
who tried, never a technical detail. A view turns it into an answer in one of two ways:

- the action came with a form: the message becomes the form's error (`form_error`) and the page is
  shown again with it, as any form sent back (`form_status`: 400);
- an action without a form (a button): the refusal is answered with the error's own 4xx status
  (`error.status`, 409 unless the error says otherwise), either by showing the same page with
  the message (`refused`) or by letting the error leave the view: `DomainErrorMiddleware`
  then answers with the site's refusal page, the message and a link back. Never a 500.

A refusal found by the database instead of the service's check (two requests at once meeting a
unique constraint) is turned into the same error by `declics.db`, so it is answered the same way.
"""

from http import HTTPStatus

from django.shortcuts import render
from django.utils.translation import gettext_lazy

# What a refusal may answer: the request is wrong, not allowed, about something gone or unknown,
# or in conflict with the present state (the default: full, too late, already done…).
STATUSES = frozenset(
    {HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT, HTTPStatus.GONE}
)


class DomainError(Exception):
    """A business rule refused the action; `message` (also `str(error)`) is the French text to show.

    `status` is the HTTP status of a refusal answered without a form: the class's own (409 by
    default; a subclass may set another), or the one given when raising it.
    """

    status: int = HTTPStatus.CONFLICT
    default_message = gettext_lazy("Cette action n'est pas possible pour le moment.")

    def __init__(self, message=None, *, status: int | None = None):
        super().__init__(self.default_message if message is None else message)
        if status is not None:
            if status not in STATUSES:
                raise ValueError(f"A domain error answers one of {sorted(STATUSES)}, not {status}")
            self.status = HTTPStatus(status)

    @property
    def message(self) -> str:
        return str(self.args[0])

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        # Keep a status given when raising across pickling (a task's result, a cached failure).
        return (self.__class__, (self.args[0],), {"status": self.status})


def form_error(form, error: DomainError, *, field: str | None = None) -> None:
    """Show the refusal as the form's error (`field`'s, else the whole form's)."""
    form.add_error(field, error.message)


def form_status(*forms) -> int:
    """The status of a page that shows `forms`: 400 when one was sent back with an error (invalid
    input or a refusal put there by `form_error`), else 200."""
    if any(form.is_bound and form.errors for form in forms):
        return HTTPStatus.BAD_REQUEST
    return HTTPStatus.OK


def refused(request, template: str, context: dict, error: DomainError):
    """The same page again, with the refusal's message as `error` and the refusal's status."""
    return render(request, template, {**context, "error": error.message}, status=error.status)
