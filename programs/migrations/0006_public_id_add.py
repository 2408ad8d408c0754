"""Step 1 of 3 (see declics/public_ids.py): a nullable column, no value yet."""

from django.db import migrations

from declics import public_ids


class Migration(migrations.Migration):
    dependencies = [("programs", "0005_role_models_assessment")]

    operations = [
        public_ids.add_nullable("assessmentattempt"),
        public_ids.add_nullable("assessmentresult"),
        public_ids.add_nullable("enrolment"),
        public_ids.add_nullable("workshopbooking"),
    ]
