"""Fake SMTP edges for the outbox tests: the only thing these tests replace is the mail server.

- `RecordingBackend`: a Django e-mail backend standing for the server (refusals, drops, delays,
  and a hook called as each message is handed over);
- `SlowSMTPServer`: a real SMTP server on 127.0.0.1, for Django's own SMTP backend, that takes
  its time to accept each message and can refuse recipients with a given reply code.
"""

import socketserver
import threading
import time
from email.parser import BytesHeaderParser
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend


class Recorder:
    """What the fake server saw, shared by every connection (threads included)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(
        self, *, refuse=(), refuse_code=550, unreachable=False, disconnect_after=None, delay=0.0, on_send=None
    ):
        with self.lock:
            self.sent = []  # (dedup key, recipient) in order
            self.message_ids = []  # the Message-ID of each message sent, in order
            self.opened = 0
            self.closed = 0
            self.refuse = set(refuse)  # recipients the server refuses…
            self.refuse_code = refuse_code  # …with this reply (4xx: try later, 5xx: never)
            self.unreachable = unreachable  # open() fails
            self.disconnect_after = disconnect_after  # the connection drops after N messages
            self.delay = delay  # seconds per message
            self.on_send = on_send  # called with each message's dedup key as it is handed over


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
            key = message.extra_headers["X-DeClics-Key"]
            if recorder.on_send is not None:
                recorder.on_send(key)
            if recorder.delay:
                time.sleep(recorder.delay)
            with recorder.lock:
                if recorder.disconnect_after is not None and len(recorder.sent) >= recorder.disconnect_after:
                    raise SMTPServerDisconnected("Connection unexpectedly closed")
                if set(message.to) & recorder.refuse:
                    reply = b"Try again later" if recorder.refuse_code < 500 else b"No such user"
                    raise SMTPRecipientsRefused({message.to[0]: (recorder.refuse_code, reply)})
                recorder.sent.append((key, message.to[0]))
                recorder.message_ids.append(message.message()["Message-ID"])
        return len(email_messages)


class SlowSMTPServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP for smtplib; `delay` seconds before accepting each message's data.

    `received` lists (X-DeClics-Key, Message-ID) of the messages it accepted, in order; a
    recipient in `refuse` is answered `refuse_code` at RCPT.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *, delay=0.0, refuse=(), refuse_code=451):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.delay = delay
        self.refuse = set(refuse)
        self.refuse_code = refuse_code
        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.first_received = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        server = self.server
        self.reply("220 slow ESMTP")
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command == b"EHLO":
                self.wfile.write(b"250-slow\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif command == b"RCPT":
                address = line.decode().partition(":")[2].strip().strip("<>")
                if address in server.refuse:
                    self.reply(f"{server.refuse_code} try again later")
                else:
                    self.reply("250 OK")
            elif command == b"DATA":
                self.reply("354 go ahead")
                chunks = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    chunks.append(chunk)
                headers = BytesHeaderParser().parsebytes(b"".join(chunks))
                time.sleep(server.delay)
                with server.lock:
                    server.received.append((headers["X-DeClics-Key"], headers["Message-ID"]))
                server.first_received.set()
                self.reply("250 queued")
            elif command == b"QUIT":
                self.reply("221 bye")
                return
            elif command in (b"HELO", b"MAIL", b"RSET", b"NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")
