"""Step 2 of 3: a distinct uuid4 for every existing row (a schema change of its own would clash on PostgreSQL)."""

from django.db import migrations

from declics import public_ids


class Migration(migrations.Migration):
    dependencies = [("jobs", "0004_public_id_add")]

    operations = [
        public_ids.fill("jobs", "application", "meetingbooking"),
    ]
