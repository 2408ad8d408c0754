"""Opaque identifiers for the URLs that name a person's object.

A sequential primary key in a URL tells anyone how many applications, bookings or results exist
and invites trying the neighbours' (even where a permission check would refuse). Every model whose
rows belong to a person carries a random `public_id`, and its URLs take `<uuid:public_id>`;
`tests/test_url_ids.py` refuses any new `<int:…>` in a URL outside its commented allow-list.

Adding the field to a table that already has rows takes three migrations, not one `AddField`
with `default=uuid.uuid4`: that evaluates the default once and gives every existing row the same
value on some backends, and PostgreSQL refuses a schema change in the transaction that just
updated the rows ("pending trigger events"). Hence `add_nullable`, then `fill` (with
`rewrite_queued_links` for e-mails already queued), then `make_unique`, each in its own migration.
"""

import re
import uuid

from django.db import migrations, models

FIELD = "public_id"
BATCH = 2000


def public_id_field() -> models.UUIDField:
    return models.UUIDField(unique=True, editable=False, default=uuid.uuid4)


def add_nullable(model_name: str) -> migrations.AddField:
    """Step 1: the column, nullable and not unique, so existing rows need no value yet."""
    return migrations.AddField(model_name, FIELD, models.UUIDField(null=True, editable=False))


def fill(app_label: str, *model_names: str) -> migrations.RunPython:
    """Step 2: a distinct uuid4 for every row still without one, in batches."""

    def forwards(apps, schema_editor):
        for model_name in model_names:
            model = apps.get_model(app_label, model_name)
            while True:
                rows = list(model._default_manager.filter(**{f"{FIELD}__isnull": True}).only("pk")[:BATCH])
                if not rows:
                    break
                for row in rows:
                    setattr(row, FIELD, uuid.uuid4())
                model._default_manager.bulk_update(rows, [FIELD])

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)


def make_unique(model_name: str) -> migrations.AlterField:
    """Step 3: unique, not null, a fresh uuid4 for each new row."""
    return migrations.AlterField(model_name, FIELD, public_id_field())


def rewrite_queued_links(app_label: str, routes: dict[str, str]) -> migrations.RunPython:
    """Step 2 too: e-mails already queued (pending in the outbox) were rendered with the old integer
    URLs; give them the new ones, so a reminder queued before the deploy still leads somewhere.

    `routes` maps a regular expression of an old path, whose group `pk` is the integer, to the
    model it named. There is no redirect from an integer URL: it would defeat the purpose.
    """

    def forwards(apps, schema_editor):
        message_model = apps.get_model("notifications", "OutboxMessage")
        compiled = [(re.compile(path), apps.get_model(app_label, name)) for path, name in routes.items()]
        pending = message_model._default_manager.filter(status="pending")
        for message in pending.only("pk", "body_text", "body_html").iterator():
            text, html = message.body_text, message.body_html
            for pattern, model in compiled:
                text, html = (_rewrite(pattern, model, body) for body in (text, html))
            if (text, html) != (message.body_text, message.body_html):
                message_model._default_manager.filter(pk=message.pk).update(body_text=text, body_html=html)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)


def _rewrite(pattern: re.Pattern, model, body: str) -> str:
    found = {int(match["pk"]) for match in pattern.finditer(body)}
    if not found:
        return body
    ids = dict(model._default_manager.filter(pk__in=found).values_list("pk", FIELD))

    def replace(match):
        public_id = ids.get(int(match["pk"]))
        if public_id is None:
            return match[0]  # a row since deleted: the link answers 404 either way
        start, end = match.span("pk")
        return match[0][: start - match.start()] + str(public_id) + match[0][end - match.start() :]

    return pattern.sub(replace, body)
