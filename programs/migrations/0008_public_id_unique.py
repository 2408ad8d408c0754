"""Step 3 of 3: unique, not null, a fresh uuid4 for every new row."""

from django.db import migrations

from declics import public_ids


class Migration(migrations.Migration):
    dependencies = [("programs", "0007_public_id_fill")]

    operations = [
        public_ids.make_unique("assessmentattempt"),
        public_ids.make_unique("assessmentresult"),
        public_ids.make_unique("enrolment"),
        public_ids.make_unique("workshopbooking"),
    ]
