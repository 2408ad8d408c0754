"""A fake of Brevo's transactional SMS API on 127.0.0.1, for the Brevo backend's tests and the
benchmark: it answers what it is told to and records what it received.

    with FakeBrevo() as provider:
        provider.answers = [(429, {"code": "too_many_requests", "message": "slow down"})]
        settings.SMS_API_URL = provider.url
        ...
        provider.received  # [{"headers": {...}, "json": {...}}] in order
"""

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/v3/transactionalSMS/sms"


class FakeBrevo(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *, port: int = 0, delay: float = 0.0, record: bool = True):
        super().__init__(("127.0.0.1", port), _Handler)
        self.delay = delay  # seconds before each answer
        self.record = record  # keep every request (tests); the benchmark only counts
        self.answers: list[tuple[int, dict]] = []  # answered first, one per request, then 201
        self.received: list[dict] = []
        self.recipients: Counter = Counter()  # how many SMS each number got
        self.connections = 0  # TCP connections opened by clients
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{PATH}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection per batch, as with the real API
    disable_nagle_algorithm = True  # headers and body leave at once, no 40 ms delayed-ACK stall

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_GET(self):
        """GET /stats: what it received so far (the benchmark reads it from another process)."""
        server = self.server
        with server.lock:
            counts = list(server.recipients.values())
            stats = {
                "received": sum(counts),
                "distinct": len(counts),
                "twice_or_more": sum(1 for n in counts if n > 1),
                "connections": server.connections,
            }
        data = json.dumps(stats).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if server.delay:
            time.sleep(server.delay)
        payload = json.loads(body or b"{}")
        with server.lock:
            if server.answers:
                status, answer = server.answers.pop(0)
            else:
                server.recipients[payload.get("recipient")] += 1
                status, answer = 201, {"messageId": sum(server.recipients.values())}
            if server.record:
                server.received.append({"path": self.path, "headers": dict(self.headers), "json": payload})
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
