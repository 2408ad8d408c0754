"""Step 3 of 3: unique, not null, a fresh uuid4 for every new row."""

from django.db import migrations

from declics import public_ids


class Migration(migrations.Migration):
    dependencies = [("jobs", "0005_public_id_fill")]

    operations = [
        public_ids.make_unique("application"),
        public_ids.make_unique("meetingbooking"),
    ]
