"""Step 2 of 3 (see declics/public_ids.py): a distinct uuid4 for every existing row, and the links of
e-mails still queued in the outbox rewritten from the old integer URLs to the new ones."""

from django.db import migrations

from declics import public_ids

# The paths as this version's URLs were written before the change (declics/urls.py prefixes included).
OLD_PATHS = {
    r"/emplois/rencontres/reservations/(?P<pk>\d+)/": "meetingbooking",
    r"/emplois/partenaire/\d+/reservations/(?P<pk>\d+)/": "meetingbooking",
    r"/emplois/candidatures/(?P<pk>\d+)/": "application",
    r"/emplois/partenaire/\d+/candidatures/(?P<pk>\d+)/": "application",
}


class Migration(migrations.Migration):
    dependencies = [("jobs", "0004_public_id_add"), ("notifications", "0001_initial")]

    operations = [
        public_ids.fill("jobs", "application", "meetingbooking"),
        public_ids.rewrite_queued_links("jobs", OLD_PATHS),
    ]
