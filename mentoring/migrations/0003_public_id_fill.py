"""Step 2 of 3 (see declics/public_ids.py): a distinct uuid4 for every existing row, and the links of
e-mails still queued in the outbox rewritten from the old integer URLs to the new ones."""

from django.db import migrations

from declics import public_ids

# The paths as this version's URLs were written before the change (declics/urls.py prefixes included).
OLD_PATHS = {
    r"/mentorat/mentor/demandes/(?P<pk>\d+)/": "mentoringrequest",
    r"/mentorat/demandes/(?P<pk>\d+)/": "mentoringrequest",
    r"/mentorat/mentorats/(?P<pk>\d+)/": "mentorship",
    r"/mentorat/session/[-\w]+/demander/(?P<pk>\d+)/": "mentorprofile",
    r"/mentorat/equipe/mentors/(?P<pk>\d+)/": "mentorprofile",
    r"/mentorat/equipe/propositions/(?P<pk>\d+)/": "matchproposal",
}


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0002_public_id_add"), ("notifications", "0001_initial")]

    operations = [
        public_ids.fill("mentoring", "matchproposal", "mentoringrequest", "mentorprofile", "mentorship"),
        public_ids.rewrite_queued_links("mentoring", OLD_PATHS),
    ]
