"""The audit log of the team's actions: who changed what, when, each field's before and after.

Built on django-auditlog (one `auditlog_logentry` table, rows written by model signals): the models
the team acts on and the fields worth a before/after are listed once, in the settings
(`AUDITLOG_INCLUDE_TRACKING_MODELS`), so no app imports anything to be audited. Why this library:

- django-pghistory records through PostgreSQL triggers: the embedded default run (and the test
  suite without `DATABASE_URL`) is on SQLite, where it would record nothing;
- django-simple-history keeps one history table per model (a migration per audited model and a
  union of tables to read "what did the team do this week");
- django-auditlog keeps one table for every model, with the actor, the action, a JSON diff of
  the fields that changed, and works on any database. What it cannot see: `QuerySet.update()` and
  bulk writes, which send no signal — services that change a row the team acts on save it.

What is recorded: the team's actions only. `StaffAuditMiddleware` sets the author of every staff
request and turns the log off for everybody else's requests (a job seeker's own booking is the
step's business, not the team's, and costs no extra query); `only_team_actions` drops an entry
written with no staff author (Celery tasks, commands), so the calendar task's changes are not
attributed to anyone. A staff member acting from a shell or a command may wrap the work in
`acting_as(user)` to be recorded.

Personal data: no IP address is kept, nor the person's own fields (see the settings). The entries
about a person (their account, and every audited row that belongs to them through a cascading key:
their enrolment, their mentor profile, their mentorship) lose their text and values with the
account's erasure (`anonymise_entries_about`, called by the accounts app's erasure); the entry
itself stays: the team's action, its date and its author.
"""

from contextlib import contextmanager

from auditlog.cid import correlation_id
from auditlog.context import auditlog_disabled, auditlog_value, disable_auditlog, set_actor
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models

ERASED = "—"


def _is_team(user) -> bool:
    return bool(user is not None and user.is_authenticated and getattr(user, "is_programme_staff", False))


class StaffAuditMiddleware(AuditlogMiddleware):
    """The author of a staff request signs its entries; other requests write none.

    The author and correlation id a request sets end with it (auditlog's own middleware leaves
    them in the thread for whatever runs next there): they are put back after the request. Not by
    running the request in a copy of the context: whatever else the request first set there would
    be dropped with the copy, such as the thread's cache connection (Django keeps it in an asgiref
    `Local`, a context variable), and every request would then open a new Redis connection.
    """

    def __call__(self, request):
        author = auditlog_value.set({})
        cid = correlation_id.set(None)
        try:
            return self._audited(request)
        finally:
            correlation_id.reset(cid)
            auditlog_value.reset(author)

    def _audited(self, request):
        if _is_team(getattr(request, "user", None)):
            return super().__call__(request)
        with disable_auditlog():
            return self.get_response(request)


@contextmanager
def acting_as(user):
    """Record what runs inside under `user`'s name (a team member's command, a test).

    auditlog's own `set_actor` leaves the author in the context after the block: whatever ran next
    in the thread would pass `only_team_actions` without an author. This one puts the context back.
    """
    token = auditlog_value.set({})
    try:
        with set_actor(user):
            yield
    finally:
        auditlog_value.reset(token)


def only_team_actions(sender, instance, action, **kwargs) -> bool:
    """auditlog's `pre_log` receiver: an entry needs a staff author (False drops it)."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return False
    return _is_team(context.get("actor"))


def record(instance, *, changes: dict[str, list], object_repr: str | None = None) -> LogEntry | None:
    """Write an entry for a change the signals cannot see (a row the log does not follow, such as
    an outbox message resent): under the same rule, only for a staff author of the current request."""
    try:
        if auditlog_disabled.get():
            return None
        context = auditlog_value.get()
    except LookupError:
        return None
    if not _is_team(context.get("actor")):
        return None
    extra = {} if object_repr is None else {"object_repr": object_repr}
    return LogEntry.objects.log_create(
        instance,
        action=LogEntry.Action.UPDATE,
        changes={name: [str(value) for value in pair] for name, pair in changes.items()},
        **extra,
    )


def _paths_to(model, user_model, depth: int = 2) -> list[str]:
    """Lookups from `model` to the User through cascading keys ("job_seeker", "enrolment__job_seeker")."""
    paths = []
    for field in model._meta.fields:
        if not (field.many_to_one or field.one_to_one) or field.remote_field.on_delete is not models.CASCADE:
            continue
        if field.related_model is user_model:
            paths.append(field.name)
        elif depth > 1:
            paths += [
                f"{field.name}__{rest}" for rest in _paths_to(field.related_model, user_model, depth - 1)
            ]
    return paths


def entries_about(user) -> models.QuerySet:
    """The entries whose object is `user`'s account or an audited row that belongs to them."""
    user_model = get_user_model()
    about = models.Q(content_type=ContentType.objects.get_for_model(user_model), object_id=user.pk)
    for model in auditlog.get_models():
        if model is user_model:
            continue
        paths = _paths_to(model, user_model)
        if not paths:
            continue
        owned = models.Q()
        for path in paths:
            owned |= models.Q(**{path: user})
        about |= models.Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model._default_manager.filter(owned).values("pk"),
        )
    return LogEntry.objects.filter(about)


def anonymise_entries_about(user) -> int:
    """Blank what the entries about `user` say (names in their title, each field's values); keep
    which fields the team changed, when and by whom. Entries `user` wrote keep no address either."""
    count = 0
    for entry in entries_about(user).only("pk", "changes"):
        changes = {name: [ERASED, ERASED] for name in (entry.changes or {})}
        count += LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=ERASED,
            changes=changes,
            changes_text="",
            serialized_data=None,
            additional_data=None,
            remote_addr=None,
        )
    LogEntry.objects.filter(actor=user).update(actor_email=None)
    return count
