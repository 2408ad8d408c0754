"""A first day on a freshly set-up site, run by tests/test_setup_production.py in its own process.

The database is the one the compose `migrate` service's command set up (DATABASE_URL), nothing
else: the first staff member (created by `create_first_staff`, whose printed key is argv[1]) signs
in with the second factor and opens a session in the Hérault (after loading an FRR list, as the
operator uploads the official one); a job seeker checks eligibility, signs up, confirms the address
from the e-mail in the outbox, enrols, takes the whole skills assessment and searches job offers by
digital job. Every page goes through django.test.Client against that database; prints "ok" last.
"""

import re
import sys
from datetime import timedelta
from pathlib import Path

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from declics.accounts.demo import totp_code  # noqa: E402
from declics.accounts.models import User  # noqa: E402
from declics.notifications.models import OutboxMessage  # noqa: E402
from declics.rome.models import RomeJob  # noqa: E402
from declics.territories.models import Commune, Departement  # noqa: E402
from programs.models import Step  # noqa: E402
from programs.services import launch_session, publish_session  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "declics" / "territories" / "data" / "samples"
STAFF_EMAIL, STAFF_PASSWORD = "ines@diversidays.example", "Une-phrase-de-passe-2026"
SEEKER_EMAIL, SEEKER_PASSWORD = "nadia.amrani@example.org", "Numerique-2026-lodeve"


def expect(condition, what):
    if not condition:
        sys.exit(f"FAILED: {what}")


def staff_opens_a_session(totp_key: str):
    staff = Client()
    login = staff.post(reverse("account_login"), {"login": STAFF_EMAIL, "password": STAFF_PASSWORD})
    expect(login.status_code == 302 and login.url == reverse("mfa_authenticate"), "staff: asked for the code")
    staff.post(login.url, {"code": totp_code(totp_key)})
    expect(staff.get(reverse("programs:staff_sessions")).status_code == 200, "staff: the team's space opens")

    call_command(
        "import_rural_zones",
        str(SAMPLES / "rural_zones_sample.csv"),
        "--classification=FRR",
        "--valid-from=2024-07-01",
        "--source=Fichier d'exemple DéClics",
        "--sample",
        stdout=sys.stderr,
    )
    now = timezone.now()
    herault = Departement.objects.get(code="34")
    session = launch_session(
        title="DéClics Numériques Hérault",
        region=herault.region,
        departements=[herault],
        capacity=100,
        registration_opens_at=now - timedelta(days=5),
        registration_closes_at=now + timedelta(days=9),
        starts_at=now - timedelta(days=3),
        ends_at=now + timedelta(days=20),
        survey_at=now + timedelta(days=20),
        step_dates={step.value: now - timedelta(days=2) for step in Step},
        created_by=User.objects.get(email=STAFF_EMAIL),
    )
    return publish_session(session=session, by=User.objects.get(email=STAFF_EMAIL))


def job_seeker_signs_up_and_enrols(session) -> Client:
    seeker = Client()
    expect(seeker.get(reverse("programs:landing", args=[session.slug])).status_code == 200, "landing page")
    lodeve = Commune.objects.get(code="34142")
    checked = seeker.post(
        reverse("programs:eligibility", args=[session.slug]), {"commune": "Lodève", "commune_id": lodeve.pk}
    )
    expect("Bonne nouvelle" in checked.content.decode(), "eligible from Lodève (FRR)")

    signup = seeker.post(
        reverse("account_signup"),
        {
            "first_name": "Nadia",
            "last_name": "Amrani",
            "email": SEEKER_EMAIL,
            "password1": SEEKER_PASSWORD,
            "password2": SEEKER_PASSWORD,
            "role": "job_seeker",
        },
    )
    expect(signup.status_code == 302, f"sign-up accepted ({signup.status_code})")
    verification = OutboxMessage.objects.filter(to_email=SEEKER_EMAIL).order_by("pk").first()
    expect(verification is not None, "the verification e-mail is in the outbox")
    link = re.search(r"https?://[^\s]+(/comptes/confirm-email/[^\s/]+/)", verification.body_text)
    expect(link, "the e-mail holds the confirmation link")
    confirmed = seeker.post(link.group(1))
    expect(confirmed.status_code == 302, "address confirmed, signed in")

    profile = {
        "session_id": session.pk,
        "commune": lodeve.pk,
        "birth_year": "1990",
        "gender": "woman",
        "education_level": "bac",
        "situation": "job_seeker",
        "heard_from": "france_travail",
        "rqth": "",
        "privacy_consent": "on",
    }
    enrolled = seeker.post(reverse("programs:enrol", args=[session.slug]), profile)
    expect(enrolled.status_code == 302, f"enrolment accepted ({enrolled.status_code})")
    expect(enrolled.url == reverse("programs:pathway", args=[session.slug]), "lands on the pathway")
    expect(seeker.get(enrolled.url).status_code == 200, "the pathway opens")
    return seeker


def takes_the_assessment(seeker: Client, session) -> None:
    started = seeker.post(reverse("programs:assessment_home", args=[session.slug]))
    expect(started.status_code == 302, "the assessment starts")
    question_url, answered = started.url, 0
    while True:
        page = seeker.get(question_url)
        if page.status_code != 200 or "question" not in (page.context or {}):
            break
        question = page.context["question"]
        choice = question.choices.order_by("order").first()
        response = seeker.post(question_url, {"question": question.pk, "answer": choice.value})
        expect(response.status_code == 302, f"answer {answered + 1} accepted")
        answered += 1
        if "/question/" not in response.url:
            question_url = response.url
            break
    expect(answered == 26, f"26 questions answered ({answered})")
    finished = seeker.post(question_url) if "/terminer/" in question_url else None
    result_url = finished.url if finished is not None else question_url
    result = seeker.get(result_url)
    expect(result.status_code == 200 and "/bilan/resultat/" in result_url, f"the result page ({result_url})")
    print(f"assessment: {answered} answers, result at {result_url}", file=sys.stderr)


def searches_jobs(seeker: Client, session) -> None:
    developer = RomeJob.objects.get(code="M1805")
    expect(developer.is_digital and developer.description, "the ROME sheet with its description")
    catalogue = seeker.get(reverse("programs:jobs_list", args=[session.slug]))
    expect(developer.label in catalogue.content.decode(), "the digital-jobs catalogue lists the developer")
    offers_url = reverse("jobs:offers", args=[session.slug])
    for query in ({"job": "M1805"}, {"job": "suggested"}):
        search = seeker.get(offers_url, query)
        expect(search.status_code == 200, f"offer search {query}")
        expect(search.context["form"].is_valid(), f"the search form accepts {query}")
    expect(len(search.context["form"].fields["job"].choices) > 90, "every digital job can be searched")


if __name__ == "__main__":
    setup_test_environment()
    session = staff_opens_a_session(sys.argv[1])
    seeker = job_seeker_signs_up_and_enrols(session)
    takes_the_assessment(seeker, session)
    searches_jobs(seeker, session)
    print("ok")
