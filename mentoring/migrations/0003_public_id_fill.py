"""Step 2 of 3: a distinct uuid4 for every existing row (a schema change of its own would clash on PostgreSQL)."""

from django.db import migrations

from declics import public_ids


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0002_public_id_add")]

    operations = [
        public_ids.fill("mentoring", "matchproposal", "mentoringrequest", "mentorprofile", "mentorship"),
    ]
