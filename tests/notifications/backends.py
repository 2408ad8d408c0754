"""Fake SMTP edges for the outbox tests: the only thing these tests replace is the mail server."""

import threading
import time
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend


class Recorder:
    """What the fake server saw, shared by every connection (threads included)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self, *, refuse=(), unreachable=False, disconnect_after=None, delay=0.0):
        with self.lock:
            self.sent = []  # (dedup key, recipient) in order
            self.opened = 0
            self.closed = 0
            self.refuse = set(refuse)  # recipients the server refuses
            self.unreachable = unreachable  # open() fails
            self.disconnect_after = disconnect_after  # the connection drops after N messages
            self.delay = delay  # seconds per message


recorder = Recorder()


class RecordingBackend(BaseEmailBackend):
    def open(self):
        if recorder.unreachable:
            raise ConnectionRefusedError(111, "Connection refused")
        with recorder.lock:
            recorder.opened += 1
        return True

    def close(self):
        with recorder.lock:
            recorder.closed += 1

    def send_messages(self, email_messages):
        for message in email_messages:
            if recorder.delay:
                time.sleep(recorder.delay)
            with recorder.lock:
                if recorder.disconnect_after is not None and len(recorder.sent) >= recorder.disconnect_after:
                    raise SMTPServerDisconnected("Connection unexpectedly closed")
                if set(message.to) & recorder.refuse:
                    raise SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
                recorder.sent.append((message.extra_headers["X-DeClics-Key"], message.to[0]))
        return len(email_messages)
