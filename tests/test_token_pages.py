"""Pages reached by a token without login are stored by no cache and send their token to no other
site in a Referer (issue 11).

The rule is the middleware's (declics/middleware.py), keyed on the URL's kwargs: every pattern is
walked, so a new token page is covered the day it is added, and a new free-text kwarg must be
classified here (a token, or public text) before the suite passes.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse
from django.utils import timezone

from declics.accounts import services as account_services
from declics.accounts.models import Role
from declics.middleware import TOKEN_KWARGS
from mentoring.notifications import answer_token
from programs import notifications as program_notifications
from programs.models import CalendarFeedToken, SessionStatus, SurveyKind, SurveyResponse
from programs.services import surveys
from programs.views import ADVISER_KEY
from tests.factories import AdviserFactory, StaffFactory, UserFactory
from tests.mentoring.factories import MentoringRequestFactory
from tests.programs.factories import EnrolmentFactory, SessionFactory
from tests.url_patterns import url_patterns

pytestmark = pytest.mark.django_db

# Free-text kwargs that are not secrets: public reference data.
PUBLIC_TEXT_KWARGS = {
    ("programs:jobs_detail", "code"): "a ROME job code, the same page for everyone",
}

FAKE = {"token": "jeton-inconnu", "key": "cle-inconnue", "uidb36": "zz", "uidb64": "eg"}


def _token_routes():
    return [route for route in url_patterns() if TOKEN_KWARGS & route.kwargs.keys()]


def _never_stored(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    # `same-origin`: no Referer at all to another site; the token page's own forms keep their Origin
    # header (with `no-referrer` a browser posts `Origin: null` and the CSRF check refuses: the
    # e-mail confirmation of tests/e2e/test_signup_journey.py answered 403).
    return {"no-store", "private"} <= directives and response.get("Referrer-Policy") == "same-origin"


def test_every_free_text_kwarg_in_a_url_is_a_token_or_public_text():
    found = [
        (route.name, kwarg)
        for route in url_patterns()
        for kwarg, kind in route.kwargs.items()
        if kind not in {"int", "uuid", "slug"}
        and kwarg not in TOKEN_KWARGS
        and (route.name, kwarg) not in PUBLIC_TEXT_KWARGS
    ]

    assert found == []


def test_every_token_page_is_never_stored_and_keeps_its_referrer_policy(client, settings):
    settings.SECURE_REFERRER_POLICY = "unsafe-url"  # a laxer site-wide value does not reach token pages
    routes = _token_routes()
    assert {route.name for route in routes} >= {
        "mentoring:answer_by_email",
        "accounts:accept_invitation",
        "programs:survey_answer",
        "programs:workshop_feed",
        "account_confirm_email",
        "account_reset_password_from_key",
    }

    stored = []
    for route in routes:
        url = reverse(route.name, kwargs={kwarg: FAKE[kwarg] for kwarg in route.kwargs})
        for response in (client.get(url), client.post(url, {})):
            if not _never_stored(response):
                stored.append((route.name, response.request["REQUEST_METHOD"], response.status_code))

    assert stored == []


@pytest.fixture
def mentor_answer_url():
    request = MentoringRequestFactory(enrolment__job_seeker__first_name="Nadia")
    return reverse("mentoring:answer_by_email", args=[answer_token(request)]), "Nadia"


@pytest.fixture
def invitation_url(django_capture_on_commit_callbacks):
    invitation = account_services.invite_user(
        email="claire.roussel@francetravail.example",
        first_name="Claire",
        last_name="Roussel",
        role=Role.ADVISER,
        invited_by=StaffFactory(),
    )
    return reverse("accounts:accept_invitation", args=[invitation.token]), "Claire"


@pytest.fixture
def survey_url():
    now = timezone.now()
    session = SessionFactory(
        title="DéClics Gers",
        status=SessionStatus.CLOSED,
        registration_opens_at=now - timedelta(days=60),
        registration_closes_at=now - timedelta(days=30),
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=2),
        survey_at=now - timedelta(days=2),
    )
    EnrolmentFactory(session=session)
    surveys.send_session_surveys(session=session, kind=SurveyKind.SATISFACTION)
    token = surveys.survey_token(response=SurveyResponse.objects.get())
    return reverse("programs:survey_answer", args=[token]), "DéClics Gers"


@pytest.fixture
def feed_url():
    feed = CalendarFeedToken.objects.create(user=UserFactory())
    return reverse("programs:workshop_feed", args=[feed.token]), "BEGIN:VCALENDAR"


@pytest.fixture
def email_confirmation_url():
    user = UserFactory(verified=False, email="ines@example.org")
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]), "ines@example.org"


@pytest.fixture
def password_reset_url():
    user = UserFactory()
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return url, 'name="password1"'


@pytest.mark.parametrize(
    "page",
    [
        "mentor_answer_url",
        "invitation_url",
        "survey_url",
        "feed_url",
        "email_confirmation_url",
        "password_reset_url",
    ],
)
def test_a_token_page_with_a_valid_token_shows_the_person_and_is_never_stored(
    client, settings, request, page
):
    settings.SECURE_REFERRER_POLICY = "unsafe-url"
    url, shown = request.getfixturevalue(page)

    response = client.get(url, follow=True)

    assert response.status_code == 200
    assert shown in response.content.decode()
    for hop in [*(client.get(u) for u, _status in response.redirect_chain), response]:
        assert _never_stored(hop), (page, hop.status_code)


def test_an_anonymous_page_that_reads_session_data_is_never_stored(client):
    session = SessionFactory()
    adviser = AdviserFactory()
    link = program_notifications.adviser_invitation_url(session=session, adviser=adviser)
    landing = re.sub(r"^https?://[^/]+", "", link)

    response = client.get(landing)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert client.session[ADVISER_KEY] == {str(session.pk): adviser.pk}


def test_an_anonymous_public_page_is_not_marked(client):
    response = client.get(reverse("programs:landing", args=[SessionFactory().slug]))

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert response["Referrer-Policy"] == "same-origin"
