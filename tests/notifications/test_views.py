"""The preferences page (every role), the one-click unsubscribe page (no login), the language."""

import pytest
from django.conf import settings
from django.urls import reverse

from declics.notifications import kinds, preferences, unsubscribe
from declics.notifications.models import NotificationPreference
from tests.factories import (
    PASSWORD,
    AdviserFactory,
    MentorFactory,
    PartnerUserFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("notifications:preferences")


def _post(client, **changes):
    data = {
        "language": "fr",
        "quiet_from": "21:00",
        "quiet_until": "08:00",
        "receive_news": "on",
        "receive_nudges": "on",
        "receive_surveys": "on",
        **changes,
    }
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


@pytest.mark.parametrize(
    "factory", [UserFactory, MentorFactory, AdviserFactory, PartnerUserFactory, StaffFactory]
)
def test_every_role_has_the_page_linked_from_the_account_menu(client, factory):
    client.force_login(factory())

    page = client.get(reverse("accounts:profile")).content.decode()
    response = client.get(URL)

    assert f'href="{URL}"' in page
    assert response.status_code == 200
    assert "Messages et langue" in response.content.decode()


def test_channel_choices_are_offered_only_to_a_person_with_an_address_and_a_number(client):
    email_only = UserFactory()
    both = UserFactory(phone="0612345678")

    client.force_login(email_only)
    assert 'name="channel_reminders"' not in client.get(URL).content.decode()
    client.force_login(both)
    assert 'name="channel_reminders"' in client.get(URL).content.decode()


def test_saving_choices_channels_optional_groups_quiet_hours_and_language(client):
    user = UserFactory(phone="0612345678")
    client.force_login(user)

    every_group = {f"channel_{group}": "email" for group in kinds.GROUPS}
    response = _post(
        client,
        **{**every_group, "channel_reminders": "sms", "channel_news": "both"},
        receive_news=None,
        quiet_from="22:30",
        language="en",
    )

    assert response.status_code == 302
    row = NotificationPreference.objects.get(user=user)
    assert row.channels["reminders"] == "sms" and row.channels["news"] == "both"
    assert row.muted == ["news"]
    assert (row.quiet_from.isoformat(), row.quiet_until.isoformat()) == ("22:30:00", "08:00:00")
    user.refresh_from_db()
    assert user.language == "en"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_quiet_hours_half_given_is_an_error_tied_to_the_field(client):
    client.force_login(UserFactory())

    response = _post(client, quiet_until="")

    assert response.status_code == 400
    assert 'href="#id_quiet_until"' in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_page_takes_a_constant_number_of_queries(client, django_assert_num_queries):
    user = UserFactory(phone="0612345678")
    preferences.save_preferences(
        user=user, channels={"news": "sms"}, muted=["surveys"], quiet_from=None, quiet_until=None
    )
    client.force_login(user)
    client.get(URL)  # warm the session

    with django_assert_num_queries(4):  # session, user, preferences, the STOP list for the number
        response = client.get(URL)

    assert response.status_code == 200


def test_the_language_switcher_stores_the_language_on_the_account(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert user.language == "en"


def test_the_account_language_is_activated_at_login_whatever_the_cookie(client):
    user = UserFactory(language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.get(reverse("accounts:profile"))

    assert '<html lang="en"' in response.content.decode()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


# --- Unsubscribe ----------------------------------------------------------------------------------


def _unsubscribe_url(user, group="news"):
    return reverse("notifications:unsubscribe", args=[unsubscribe.token(user_id=user.pk, group=group)])


def test_get_asks_for_confirmation_and_changes_nothing(client):
    user = UserFactory()

    response = client.get(_unsubscribe_url(user))

    assert response.status_code == 200
    assert "Confirmer" in response.content.decode()
    assert user.email not in response.content.decode()
    assert preferences.of(user).muted == frozenset()


def test_one_click_post_without_cookie_or_csrf_turns_the_group_off(client):
    user = UserFactory()
    csrf_client = client.__class__(enforce_csrf_checks=True)

    response = csrf_client.post(
        _unsubscribe_url(user),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Vous ne recevrez plus" in response.content.decode()
    assert reverse("notifications:preferences") in response.content.decode()
    assert preferences.of(user).muted == frozenset({"news"})
    # Twice is harmless.
    assert csrf_client.post(_unsubscribe_url(user)).status_code == 200
    assert NotificationPreference.objects.get(user=user).muted == ["news"]


def test_a_token_is_per_person_and_per_group(client):
    user, other = UserFactory(), UserFactory()

    client.post(_unsubscribe_url(user, "surveys"))

    assert preferences.of(user).muted == frozenset({"surveys"})
    assert preferences.of(other).muted == frozenset()


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        unsubscribe.token(user_id=10**9, group="news"),  # nobody: the same page as a forged token
        unsubscribe.token(user_id=1, group="account"),  # not an optional group
        unsubscribe.token(user_id=1, group="news")[:-4] + "AAAA",
    ],
    # Named, not shown: a signed token holds a timestamp, and parallel workers must collect the same ids.
    ids=["forged", "nobody", "not-optional", "bad-signature"],
)
def test_a_bad_token_gets_the_same_404_page_on_get_and_post(client, token):
    UserFactory()
    url = reverse("notifications:unsubscribe", args=[token])

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 404
        assert "Ce lien n'est pas valable" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_deactivated_account_gets_the_same_404_page(client):
    user = UserFactory(is_active=False)

    assert client.get(_unsubscribe_url(user)).status_code == 404
