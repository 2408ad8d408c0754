"""Step 2 of 3 (see declics/public_ids.py): a distinct uuid4 for every existing row, and the links of
e-mails still queued in the outbox rewritten from the old integer URLs to the new ones."""

from django.db import migrations

from declics import public_ids

# The paths as this version's URLs were written before the change (declics/urls.py prefixes included).
OLD_PATHS = {
    r"/sessions/bilan/(?P<pk>\d+)/": "assessmentattempt",
    r"/sessions/bilan/resultat/(?P<pk>\d+)/": "assessmentresult",
    r"/sessions/conseiller/[-\w]+/personne/(?P<pk>\d+)/": "enrolment",
    r"/sessions/ateliers/reservation/(?P<pk>\d+)/": "workshopbooking",
}


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_public_id_add"), ("notifications", "0001_initial")]

    operations = [
        public_ids.fill("programs", "assessmentattempt", "assessmentresult", "enrolment", "workshopbooking"),
        public_ids.rewrite_queued_links("programs", OLD_PATHS),
    ]
