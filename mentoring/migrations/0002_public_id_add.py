"""Step 1 of 3 (see declics/public_ids.py): a nullable column, no value yet."""

from django.db import migrations

from declics import public_ids


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [
        public_ids.add_nullable("matchproposal"),
        public_ids.add_nullable("mentoringrequest"),
        public_ids.add_nullable("mentorprofile"),
        public_ids.add_nullable("mentorship"),
    ]
