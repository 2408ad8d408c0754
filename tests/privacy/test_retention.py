from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from declics.accounts.models import User
from declics.notifications.models import OutboxMessage
from declics.notifications.services import send_due_messages
from declics.privacy import retention
from declics.privacy.tasks import apply_retention
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

YEARS_2 = timedelta(days=730)


def _inactive(since, **fields):
    return UserFactory(last_login=timezone.now() - since, **fields)


def _warnings():
    return sorted(
        OutboxMessage.objects.filter(dedup_key__startswith="accounts:retention-warning:").values_list(
            "dedup_key", flat=True
        )
    )


def _age_warnings(days):
    OutboxMessage.objects.filter(dedup_key__startswith="accounts:retention-warning:").update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_retention_warns_accounts_inactive_for_two_years_once():
    old = _inactive(YEARS_2 + timedelta(days=1), first_name="Awa", email="awa@example.org")
    never_logged = UserFactory(date_joined=timezone.now() - YEARS_2 - timedelta(days=3))
    _inactive(YEARS_2 - timedelta(days=1))  # not yet
    StaffFactory(last_login=timezone.now() - YEARS_2 * 2)  # staff: left to the operator

    first = apply_retention()
    second = apply_retention()

    assert first == {"warned": [old.pk, never_logged.pk], "anonymised": []}
    assert second == {"warned": [], "anonymised": []}
    day = timezone.localdate(old.last_login)
    assert _warnings() == sorted(
        [
            f"accounts:retention-warning:user:{old.pk}:{day:%Y-%m-%d}",
            f"accounts:retention-warning:user:{never_logged.pk}:"
            f"{timezone.localdate(never_logged.date_joined):%Y-%m-%d}",
        ]
    )
    assert send_due_messages() == 2
    [to_awa] = [m for m in mail.outbox if m.to == ["awa@example.org"]]
    assert to_awa.subject == "[DéClics] Votre compte DéClics sera supprimé faute de connexion"
    assert "Bonjour Awa," in to_awa.body
    erase_on = timezone.localdate() + timedelta(days=30)
    assert f"d'ici le {erase_on.day} " in to_awa.body
    assert f"{settings.SITE_URL}/compte/mes-donnees/" in to_awa.body


def test_retention_anonymises_30_days_after_the_warning_if_still_inactive():
    user = _inactive(YEARS_2 + timedelta(days=40), email="awa@example.org")
    apply_retention()
    send_due_messages()

    _age_warnings(29)
    assert apply_retention() == {"warned": [], "anonymised": []}
    _age_warnings(31)
    assert apply_retention() == {"warned": [], "anonymised": [user.pk]}

    user.refresh_from_db()
    assert (user.email, user.is_active) == (f"anonymised-{user.pk}@invalid", False)
    assert apply_retention() == {"warned": [], "anonymised": []}


def test_retention_spares_a_person_who_logged_in_after_the_warning():
    user = _inactive(YEARS_2 + timedelta(days=40))
    apply_retention()
    send_due_messages()
    _age_warnings(31)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(days=10))

    assert apply_retention() == {"warned": [], "anonymised": []}
    user.refresh_from_db()
    assert user.is_active is True

    # Two more years of silence: a new warning for the new period, then erasure.
    later = timezone.now() + YEARS_2
    report = retention.run_retention(now=later)
    assert [u.pk for u in report.warned] == [user.pk]
    assert len(_warnings()) == 2


def test_retention_does_not_erase_when_the_warning_never_left():
    user = _inactive(YEARS_2 + timedelta(days=40))
    apply_retention()  # queued, but the mail server was down for a month: not sent
    _age_warnings(31)
    assert apply_retention() == {"warned": [], "anonymised": []}
    user.refresh_from_db()
    assert user.is_active is True


def test_retention_dry_run_lists_and_writes_nothing():
    warned = _inactive(YEARS_2 + timedelta(days=40), email="ancien@example.org")
    to_warn = _inactive(YEARS_2 + timedelta(days=5), email="bientot@example.org")
    apply_retention()
    send_due_messages()
    OutboxMessage.objects.filter(dedup_key__contains=f":user:{to_warn.pk}:").delete()
    _age_warnings(31)
    out = StringIO()

    call_command("retention", "--dry-run", stdout=out)

    day = timezone.localdate(to_warn.last_login)
    assert out.getvalue().splitlines() == [
        f"[dry-run] would warn: #{to_warn.pk} bientot@example.org (last activity {day:%Y-%m-%d})",
        f"[dry-run] would anonymise: #{warned.pk}",
        "[dry-run] 1 would warn, 1 would anonymise.",
    ]
    assert len(_warnings()) == 1
    warned.refresh_from_db()
    assert (warned.email, warned.is_active) == ("ancien@example.org", True)


def test_retention_command_applies_the_rule():
    user = _inactive(YEARS_2 + timedelta(days=1))
    out = StringIO()
    call_command("retention", stdout=out)
    assert out.getvalue().splitlines()[-1] == "1 warned, 0 anonymised."
    assert _warnings() == [
        f"accounts:retention-warning:user:{user.pk}:{timezone.localdate(user.last_login):%Y-%m-%d}"
    ]


def test_retention_task_is_scheduled_daily():
    assert settings.CELERY_BEAT_SCHEDULE["privacy-apply-retention"] == {
        "task": "declics.privacy.tasks.apply_retention",
        "schedule": 24 * 60 * 60.0,
    }


def test_a_person_without_address_is_warned_by_sms_and_anonymised_after_the_grace_period():
    person = User.objects.create_user(
        None,
        phone="+33612345678",
        phone_verified=True,
        last_login=timezone.now() - YEARS_2 - timedelta(days=1),
    )

    assert apply_retention() == {"warned": [person.pk], "anonymised": []}
    [warning] = OutboxMessage.objects.filter(user=person)
    assert (warning.channel, warning.to_phone) == ("sms", "+33612345678")
    assert "connectez-vous avant le" in warning.body_text
    assert send_due_messages() == 1

    _age_warnings(31)
    assert apply_retention() == {"warned": [], "anonymised": [person.pk]}
    person.refresh_from_db()
    assert (person.is_active, person.phone) == (False, "")
