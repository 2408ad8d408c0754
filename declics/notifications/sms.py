"""SMS backends: how an outbox SMS leaves. Chosen by `SMS_BACKEND` (settings, from the environment).

A backend is opened once per batch, sends messages one by one, and is closed; like Django's mail
backends. Its `send` raises:
- `SmsUnreachable` when the provider cannot be reached: the outbox gives the whole batch back
  without counting an attempt (nothing is lost during an outage);
- `SmsRefused(temporary=True)` for a refusal worth retrying (rate limit, provider busy), retried
  with back-off for 48 hours like an e-mail's 4xx;
- `SmsRefused(temporary=False)` for a refusal that will not change (invalid number, no credit
  for that destination): retried up to NOTIFICATIONS_MAX_ATTEMPTS, then failed.

Backends here: `console` (prints), `file` (appends one JSON line per SMS to SMS_FILE_PATH: the
embedded default, read by the browser tests) and `locmem` (keeps them in `sms.outbox`, for tests).
"""

import json
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

# Filled by the locmem backend, like django.core.mail.outbox.
outbox: list["Sms"] = []
_file_lock = threading.Lock()


@dataclass(frozen=True)
class Sms:
    to: str  # E.164
    text: str
    sender: str
    key: str  # the outbox key: providers get it as a reference, so a re-send can be recognised


class SmsUnreachable(ConnectionError):
    """The provider could not be reached: not this message's fault."""


class SmsRefused(Exception):
    def __init__(self, message: str, *, temporary: bool):
        super().__init__(message)
        self.temporary = temporary


class BaseSmsBackend:
    def open(self) -> None:
        """Get ready to send a batch (a session, a connection)."""

    def close(self) -> None:
        """The batch is over."""

    def send(self, sms: Sms) -> str:
        """Send one SMS; return the provider's id for it (may be empty)."""
        raise NotImplementedError


class ConsoleBackend(BaseSmsBackend):
    def send(self, sms: Sms) -> str:
        sys.stdout.write(f"SMS {sms.sender} → {sms.to} [{sms.key}]\n{sms.text}\n{'-' * 40}\n")
        sys.stdout.flush()
        return ""


class FileBackend(BaseSmsBackend):
    """One JSON object per line in SMS_FILE_PATH (a file, or a directory that gets `sms.jsonl`)."""

    def __init__(self, path: str | Path | None = None):
        path = Path(path or settings.SMS_FILE_PATH)
        self.path = path / "sms.jsonl" if path.is_dir() or not path.suffix else path

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def send(self, sms: Sms) -> str:
        line = json.dumps({**asdict(sms), "at": timezone.now().isoformat()}, ensure_ascii=False)
        with _file_lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return ""


class LocmemBackend(BaseSmsBackend):
    def send(self, sms: Sms) -> str:
        outbox.append(sms)
        return ""


ALIASES = {
    "console": "declics.notifications.sms.ConsoleBackend",
    "file": "declics.notifications.sms.FileBackend",
    "locmem": "declics.notifications.sms.LocmemBackend",
}


def get_backend() -> BaseSmsBackend:
    name = settings.SMS_BACKEND
    return import_string(ALIASES.get(name, name))()


def read_file(path: str | Path | None = None) -> list[dict]:
    """The SMS a file backend wrote, oldest first (for tests and the demo's documentation)."""
    backend = FileBackend(path)
    if not backend.path.exists():
        return []
    return [json.loads(line) for line in backend.path.read_text(encoding="utf-8").splitlines() if line]
