"""The daily budget and the digest under concurrent requests and workers (PostgreSQL row locks)."""

from datetime import timedelta

from django.utils import timezone

from declics.notifications import digest, kinds, routing
from declics.notifications.models import DailyBudget, DigestItem, OutboxMessage
from tests.factories import UserFactory
from tests.races import POSTGRES_RACE, run_together

pytestmark = POSTGRES_RACE


class _Session:
    slug = "herault-2026"
    title = "Hérault 2026"


def _news(user, key):
    return lambda: routing.notify(
        user=user,
        kind=kinds.COHORT_NEWS,
        key=key,
        template="programs/emails/cohort_message",
        context={"session": _Session(), "subject": "Sujet", "body": "Texte"},
    )


def test_four_optional_messages_at_once_take_the_two_places_of_the_day_and_no_more(settings):
    settings.NOTIFICATIONS_OPTIONAL_PER_DAY = 2
    user = UserFactory()

    errors = run_together([_news(user, f"news:{n}") for n in range(4)])

    assert errors == []
    assert OutboxMessage.objects.filter(user=user).count() == 2
    assert DigestItem.objects.filter(user=user).count() == 2
    assert DailyBudget.objects.get(user=user).used == 2


def test_two_digest_runs_at_once_send_each_item_once(settings):
    settings.NOTIFICATIONS_OPTIONAL_PER_DAY = 0
    users = [UserFactory() for _ in range(3)]
    yesterday = timezone.now() - timedelta(days=1)
    for user in users:
        for n in range(2):
            DigestItem.objects.create(
                user=user, key=f"{user.pk}:{n}", kind="nudge", subject="S", body_text="T"
            )
    DigestItem.objects.update(held_at=yesterday)
    morning = timezone.localtime(timezone.now()).replace(hour=9)

    errors = run_together([lambda: digest.send_digests(now=morning)] * 2)

    assert errors == []
    assert OutboxMessage.objects.filter(kind="digest").count() == 3
    assert not DigestItem.objects.waiting().exists()
