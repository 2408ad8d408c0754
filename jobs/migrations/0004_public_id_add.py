"""Step 1 of 3 (see declics/public_ids.py): a nullable column, no value yet."""

from django.db import migrations

from declics import public_ids


class Migration(migrations.Migration):
    dependencies = [("jobs", "0003_meetingbooking_round")]

    operations = [
        public_ids.add_nullable("application"),
        public_ids.add_nullable("meetingbooking"),
    ]
