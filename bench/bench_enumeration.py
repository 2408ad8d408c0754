#!/usr/bin/env python
"""Account enumeration by timing: does an answer take longer when the address is registered?

    .venv/bin/python bench/bench_enumeration.py    # PostgreSQL declics_bench_enumeration unless DATABASE_URL
    .venv/bin/python bench/bench_enumeration.py --requests 60 --only signup login

What it does:
1. creates (if missing) and migrates the database, collects the static files as bench/run.py does,
   and replaces the previous run's accounts with `--requests` + `--warmup` registered, verified
   accounts `registered-<n>@enum.bench.declics.example` (password hashed with the production
   hasher, PBKDF2);
2. starts gunicorn as bench/run.py does (the compose configuration, one worker, one thread,
   production settings, pinned to CPU 0) with ALLAUTH_TRUSTED_PROXY_COUNT=1, like the compose web
   service: every request carries its own X-Forwarded-For, as if a different visitor came through
   the proxy, so the per-client limits (signup 20/m, login 30/m) never answer 429;
3. for each flow — sign-up, login with a wrong password, password reset, login-code request —
   sends, one request at a time from CPU 1, `--warmup` then `--requests` pairs of POSTs: one for a
   registered address (a different account each time: the per-account limits never trip), one
   for an address nobody has (new each time), alternating so that both meet the same background
   load. Each request comes from a new visitor (no session cookie; one CSRF cookie and token
   fetched at the start, valid for every POST);
4. checks every answer (the same status and redirect for both cases; the login page with its error),
   and prints for each flow the median time of each case and their ratio.

Exit status 1 when an answer was wrong, 3 when a flow's medians differ by more than 10 %, 2 when
the set-up failed. Traffic goes to 127.0.0.1 only; the run takes two or three minutes (the sign-up
and login cases each cost a PBKDF2 hash, the login two).
"""

import argparse
import http.client
import os
import re
import secrets
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.server import (  # noqa: E402
    BenchError,
    Gunicorn,
    ensure_database,
    manage,
    server_environment,
    static_files_are_current,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/declics_bench_enumeration"
STATIC_ROOT = ROOT / "var" / "bench" / "staticfiles"
DOMAIN = "enum.bench.declics.example"
TOLERANCE = 0.10  # issue 11: the medians of both cases within 10 % of each other
PASSWORD = "Un-mot-de-passe-solide-42"
WRONG_PASSWORD = "Pas-le-bon-mot-de-passe-7"
LOGIN_ERROR = "L’adresse e-mail ou le mot de passe sont incorrects."


@dataclass(frozen=True)
class Flow:
    name: str
    path: str
    # The expected answer: a redirect target, or (status 200) a piece of the page.
    redirect: str | None = None
    text: str | None = None

    def data(self, email: str) -> dict[str, str]:
        if self.name == "signup":
            return {
                "first_name": "Camille",
                "last_name": "Banc",
                "email": email,
                "password1": PASSWORD,
                "password2": PASSWORD,
                "role": "job_seeker",
            }
        if self.name == "login":
            return {"login": email, "password": WRONG_PASSWORD}
        return {"email": email}


FLOWS = [
    Flow("signup", "/comptes/signup/", redirect="/comptes/confirm-email/"),
    Flow("login", "/comptes/login/", text=LOGIN_ERROR),
    Flow("password-reset", "/comptes/password/reset/", redirect="/comptes/password/reset/done/"),
    Flow("login-code", "/comptes/login/code/", redirect="/comptes/login/code/confirm/"),
]


@dataclass
class Timings:
    registered: list[float] = field(default_factory=list)
    unknown: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict:
        registered = statistics.median(self.registered) * 1000
        unknown = statistics.median(self.unknown) * 1000
        return {
            "registered_median_ms": round(registered, 1),
            "unknown_median_ms": round(unknown, 1),
            "ratio": round(registered / unknown, 3),
            "requests_per_case": len(self.registered),
            "errors": len(self.errors),
        }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=30, help="measured requests per case and flow (30)")
    parser.add_argument("--warmup", type=int, default=3, help="pairs per flow before measuring (3)")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="FLOW",
        choices=[flow.name for flow in FLOWS],
        help="run only these flows",
    )
    args = parser.parse_args(argv)
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be at least 1 and --warmup not negative")
    return args


def cpu_plan() -> tuple[int | None, int | None]:
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    return (available[0], available[1]) if len(available) >= 2 else (None, None)


def prepare_accounts(count: int) -> list[str]:
    """`count` registered, verified accounts (the previous run's bench accounts are removed)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from declics.accounts.models import Role, User

    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    password = make_password(PASSWORD)  # the production hasher, once for all
    emails = [f"registered-{n:04d}@{DOMAIN}" for n in range(count)]
    users = User.objects.bulk_create(
        User(
            email=email, first_name="Personne", last_name="Inscrite", role=Role.JOB_SEEKER, password=password
        )
        for email in emails
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    return emails


class Visitor:
    """Sequential requests on one keep-alive connection, each as a new visitor behind the proxy."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.address = 0
        self.csrf_cookie, self.csrf_token = self._csrf()

    def _next_address(self) -> str:
        self.address += 1
        return f"198.18.{self.address // 250}.{self.address % 250 + 1}"  # RFC 2544 benchmark range

    def request(self, method: str, path: str, *, body: str = "", headers: dict | None = None):
        headers = {"X-Forwarded-For": self._next_address(), **(headers or {})}
        self.connection.request(method, path, body=body or None, headers=headers)
        response = self.connection.getresponse()
        return response, response.read()

    def _csrf(self) -> tuple[str, str]:
        response, body = self.request("GET", "/comptes/login/")
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if response.status != 200 or not cookie or not token:
            raise BenchError(f"no CSRF cookie and token from the login page ({response.status})")
        return cookie.group(1), token.group(1).decode()

    def post(self, path: str, data: dict[str, str]) -> tuple[float, int, str, bytes]:
        body = urlencode({"csrfmiddlewaretoken": self.csrf_token, **data})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={self.csrf_cookie}",
        }
        started = time.perf_counter()
        response, content = self.request("POST", path, body=body, headers=headers)
        elapsed = time.perf_counter() - started
        return elapsed, response.status, response.getheader("Location") or "", content


def check(flow: Flow, status: int, location: str, content: bytes) -> str | None:
    """What is wrong with this answer, or None."""
    if flow.redirect is not None:
        if status != 302 or location != flow.redirect:
            return f"{status} to {location!r}, expected 302 to {flow.redirect}"
    elif status != 200 or flow.text.encode() not in content:
        return f"{status} without {flow.text!r}"
    return None


def measure(flow: Flow, visitor: Visitor, registered: list[str], *, warmup: int, requests: int) -> Timings:
    timings = Timings()
    for index in range(warmup + requests):
        # Alternate which case goes first, so neither always follows the other.
        cases = [("registered", registered[index]), ("unknown", f"nobody-{uuid.uuid4().hex[:12]}@{DOMAIN}")]
        if index % 2:
            cases.reverse()
        for case, email in cases:
            elapsed, status, location, content = visitor.post(flow.path, flow.data(email))
            problem = check(flow, status, location, content)
            if problem:
                timings.errors.append(f"{flow.name} {case} {email}: {problem}")
            if index >= warmup:
                getattr(timings, case).append(elapsed)
    return timings


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    flows = [flow for flow in FLOWS if not args.only or flow.name in args.only]
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    env = server_environment(
        database_url=database_url,
        redis_url=os.environ.get("REDIS_URL", ""),
        static_root=STATIC_ROOT,
        secret_key=secrets.token_urlsafe(50),
    )
    env["ALLAUTH_TRUSTED_PROXY_COUNT"] = "1"  # as the compose web service, behind its proxy
    server_cpu, client_cpu = cpu_plan()
    try:
        print(f"database {database_url}")
        ensure_database(database_url)
        manage("migrate", "--noinput", "-v", "0", env=env)
        if not static_files_are_current(STATIC_ROOT):
            manage("collectstatic", "--noinput", "--clear", "-v", "0", env=env)
        os.environ.clear()
        os.environ.update(env)
        import django

        django.setup()
        from django.conf import settings
        from django.db import connections

        registered = prepare_accounts(args.warmup + args.requests)
        connections.close_all()
        print(
            f"{len(registered)} registered accounts; {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}; "
            f"gunicorn 1 worker x 1 thread on CPU {server_cpu}, client on CPU {client_cpu}; "
            f"{args.warmup} warm-up + {args.requests} measured pairs per flow; "
            f"machine load {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
        )
        with Gunicorn(env=env, threads=1, cpu=server_cpu) as server:
            if client_cpu is not None:
                os.sched_setaffinity(0, {client_cpu})
            visitor = Visitor(server.port)
            results = {
                flow.name: measure(flow, visitor, registered, warmup=args.warmup, requests=args.requests)
                for flow in flows
            }
    except BenchError as error:
        print(f"set-up failed: {error}", file=sys.stderr)
        return 2

    print()
    header = f"{'flow':<15} {'registered ms':>14} {'unknown ms':>11} {'ratio':>7}  within {TOLERANCE:.0%}"
    print(header)
    print("-" * len(header))
    status = 0
    for name, timings in results.items():
        figures = timings.figures()
        within = abs(figures["ratio"] - 1) <= TOLERANCE
        print(
            f"{name:<15} {figures['registered_median_ms']:>14.1f} {figures['unknown_median_ms']:>11.1f} "
            f"{figures['ratio']:>7.3f}  {'ok' if within else 'APART'}"
        )
        for error in timings.errors[:3]:
            print(f"  wrong answer: {error}")
        if timings.errors:
            status = 1
        elif not within and status == 0:
            status = 3
    print()
    return status


if __name__ == "__main__":
    sys.exit(main())
