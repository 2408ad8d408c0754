"""Retention: warn accounts inactive for 2 years, erase them 30 days after the warning.

See `declics.privacy.services` for what erasure deletes and keeps. The warning's outbox row (key
`accounts:retention-warning:user:<id>:<date of last activity>`) is the record of the warning.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from declics.accounts.models import Role, User
from declics.notifications import kinds
from declics.notifications.models import OutboxMessage
from declics.notifications.routing import notify
from declics.personal_data import ANONYMOUS_DOMAIN

from .services import erase_user

logger = logging.getLogger(__name__)

INACTIVE_AFTER = timedelta(days=730)
GRACE_PERIOD = timedelta(days=30)
# The prefix the warnings have always had: the rows already sent are the record that counts.
WARNING_KEY_PREFIX = "accounts:retention-warning:user:"


def _last_activity():
    return Coalesce("last_login", "date_joined")


def _retained_accounts():
    """Accounts retention applies to: active, not staff, not already anonymised."""
    return (
        User.objects.filter(is_active=True, is_superuser=False, is_staff=False)
        .exclude(role=Role.STAFF)
        .exclude(email__endswith=f"@{ANONYMOUS_DOMAIN}")
    )


def warning_key(*, user: User, last_activity: datetime) -> str:
    return f"{WARNING_KEY_PREFIX}{user.pk}:{timezone.localdate(last_activity):%Y-%m-%d}"


def accounts_to_warn(*, now: datetime | None = None):
    """Accounts inactive for INACTIVE_AFTER, not yet warned for this period of inactivity."""
    now = now or timezone.now()
    warned_since = OutboxMessage.objects.filter(
        user=OuterRef("pk"),
        dedup_key__startswith=WARNING_KEY_PREFIX,
        created_at__gte=OuterRef("last_activity"),
    )
    return (
        _retained_accounts()
        .annotate(last_activity=_last_activity())
        .filter(last_activity__lte=now - INACTIVE_AFTER)
        .exclude(Exists(warned_since))
        .order_by("pk")
    )


def _warnings_due(*, now: datetime):
    """Warnings older than GRACE_PERIOD that were sent (or tried: a dead address stays dead)."""
    return OutboxMessage.objects.filter(
        dedup_key__startswith=WARNING_KEY_PREFIX,
        created_at__lte=now - GRACE_PERIOD,
        status__in=(OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED),
        user__isnull=False,
    )


def accounts_to_anonymise(*, now: datetime | None = None):
    """Accounts warned at least GRACE_PERIOD ago that have not logged in since that warning."""
    now = now or timezone.now()
    warned = _warnings_due(now=now).filter(user=OuterRef("pk"))
    not_back = Q(last_login__isnull=True) | Exists(warned.filter(created_at__gt=OuterRef("last_login")))
    return _retained_accounts().filter(Exists(warned)).filter(not_back).order_by("pk")


def warn_account(*, user: User, now: datetime | None = None) -> bool:
    """Queue the warning for the current period of inactivity; False when it was already queued."""
    now = now or timezone.now()
    last_activity = user.last_login or user.date_joined
    # Essential (account security): a person with no address is warned by SMS.
    delivery = notify(
        user=user,
        kind=kinds.SECURITY,
        key=warning_key(user=user, last_activity=last_activity),
        template="privacy/emails/retention_warning",
        context={
            "user": user,
            "erase_on": timezone.localdate(now + GRACE_PERIOD),
            "login_url": settings.SITE_URL + reverse("account_login"),
            "privacy_url": settings.SITE_URL + reverse("privacy:data"),
        },
        now=now,
    )
    created = bool(delivery.messages)
    return created


@dataclass
class RetentionReport:
    warned: list[User] = field(default_factory=list)
    anonymised: list[User] = field(default_factory=list)
    dry_run: bool = False


def run_retention(*, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Warn the accounts that just passed 2 years of inactivity, erase those warned 30 days ago.

    Each account in its own transaction: one failure (logged) never holds the others back. With
    `dry_run`, nothing is written: the report lists what would happen.
    """
    now = now or timezone.now()
    report = RetentionReport(dry_run=dry_run)
    to_erase = list(accounts_to_anonymise(now=now))
    erase_ids = {user.pk for user in to_erase}
    for user in accounts_to_warn(now=now).iterator(chunk_size=500):
        if user.pk in erase_ids:
            continue
        if dry_run:
            report.warned.append(user)
            continue
        with transaction.atomic():
            if warn_account(user=user, now=now):
                report.warned.append(user)
    for user in to_erase:
        if dry_run:
            report.anonymised.append(user)
            continue
        try:
            report.anonymised.append(erase_user(user=user, now=now))
        except Exception:
            logger.exception("retention erasure failed", extra={"user": user.pk})
    return report
