"""One account per mobile number, even when the same sign-up arrives twice at once (PostgreSQL)."""

from django.test import Client
from django.urls import reverse

from declics.accounts.models import User
from tests.races import POSTGRES_RACE, run_together

pytestmark = POSTGRES_RACE

PASSWORD = "Un-mot-de-passe-solide-42"


def _signup():
    data = {
        "first_name": "Moussa",
        "last_name": "Traoré",
        "email": "",
        "phone": "06 12 34 56 78",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "job_seeker",
    }
    return Client().post(reverse("account_signup"), data)


def test_two_sign_ups_with_one_number_at_once_make_one_account_and_no_error():
    answers = []
    errors = run_together([lambda: answers.append(_signup()), lambda: answers.append(_signup())])

    assert errors == []
    # The twin that loses gets allauth's answer to a number already registered, or, the number's
    # SMS being limited to one per 30 seconds, the page asking to wait: never a server error.
    assert sorted(answer.status_code for answer in answers) in ([302, 302], [302, 429])
    assert User.objects.filter(phone="+33612345678").count() == 1
