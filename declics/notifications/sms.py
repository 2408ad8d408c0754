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
embedded default, read by the browser tests), `locmem` (keeps them in `sms.outbox`, for tests) and
`brevo` (Brevo's transactional SMS HTTP API; the key from BREVO_API_KEY).
"""

import json
import socket
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from . import sms_text

# Filled by the locmem backend, like django.core.mail.outbox.
outbox: list["Sms"] = []
_file_lock = threading.Lock()


@dataclass(frozen=True)
class Sms:
    to: str  # E.164
    text: str
    sender: str
    key: str  # the outbox key: providers get it as a reference, so a re-send can be recognised
    kind: str = ""  # the kind of message ("workshop-reminder", "security"): the provider's tag


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


class BrevoBackend(BaseSmsBackend):
    """Brevo's transactional SMS API: one POST per SMS, over one HTTP session per batch.

    The request: header `api-key` (BREVO_API_KEY, from the environment only), JSON `sender`,
    `recipient` (the E.164 number's digits, without "+"), `content`, `type` "transactional", `tag`
    (the kind of message, for the provider's statistics) and `unicodeEnabled` when the text is not
    GSM-7. The answers:
    - 2xx: sent; the provider's `messageId` is returned;
    - no answer (connection refused, DNS, timeout) or 5xx: `SmsUnreachable`, the batch waits;
    - 401 or 403: the key is wrong or the account blocked: not the message's fault either, so
      `SmsUnreachable` too (every SMS waits for the key to be fixed, none is failed for it);
    - 429: `SmsRefused(temporary=True)`, retried with back-off;
    - any other 4xx (an invalid number, a sender not allowed): `SmsRefused(temporary=False)`
      with the provider's own message.
    A timeout after the provider took the SMS makes it go once more at the retry: a reminder
    twice rather than none (the outbox's at-least-once promise for the one message in flight).
    """

    def __init__(self, *, api_key: str | None = None, url: str | None = None, timeout: float | None = None):
        self.api_key = settings.BREVO_API_KEY if api_key is None else api_key
        self.url = url or settings.SMS_API_URL
        self.timeout = settings.SMS_TIMEOUT if timeout is None else timeout
        self.client: httpx.Client | None = None

    def open(self) -> None:
        if not self.api_key:
            raise SmsUnreachable("BREVO_API_KEY is not set: no SMS leaves until it is")
        self.client = httpx.Client(
            timeout=self.timeout,
            headers={"api-key": self.api_key, "accept": "application/json"},
            # The request's headers and body leave as two writes: without TCP_NODELAY the body may
            # wait for the server's delayed ACK (40 ms per SMS, measured by bench/bench_sms.py).
            transport=httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]),
        )

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def send(self, sms: Sms) -> str:
        if self.client is None:
            self.open()
        payload = {
            "sender": sms.sender,
            "recipient": sms.to.removeprefix("+"),
            "content": sms.text,
            "type": "transactional",
        }
        if sms.kind:
            payload["tag"] = sms.kind
        if not sms_text.is_gsm7(sms.text):
            payload["unicodeEnabled"] = True
        try:
            response = self.client.post(self.url, json=payload)
        except httpx.TransportError as error:  # refused, reset, DNS, every timeout
            raise SmsUnreachable(f"{type(error).__name__}: {error}") from error
        if response.is_success:
            return str(_json(response).get("messageId", ""))
        reason = f"HTTP {response.status_code}: {_provider_message(response)}"
        if response.status_code >= 500 or response.status_code in (401, 403):
            raise SmsUnreachable(reason)
        raise SmsRefused(reason, temporary=response.status_code == 429)


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _provider_message(response: httpx.Response) -> str:
    """Brevo answers errors as {"code": "invalid_parameter", "message": "…"}."""
    body = _json(response)
    found = " ".join(str(body[name]) for name in ("code", "message") if body.get(name))
    return (found or response.text or response.reason_phrase)[:500]


ALIASES = {
    "console": "declics.notifications.sms.ConsoleBackend",
    "file": "declics.notifications.sms.FileBackend",
    "locmem": "declics.notifications.sms.LocmemBackend",
    "brevo": "declics.notifications.sms.BrevoBackend",
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
