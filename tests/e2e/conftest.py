"""Real-browser tests: Playwright driving a locally installed Chromium against pytest-django's live server.

Nothing is downloaded: the browser is Debian's `chromium` (or any Chrome/Chromium found through the
`CHROMIUM` variable or the usual paths). On CI (`CI=true`) a missing browser fails the run; on a
developer's laptop the e2e tests are skipped with a plain reason, repeated at the end of the run.

Fixtures and helpers:
- `browser` (one Chromium for the whole e2e package), `page` (a fresh French context at 1280 px
  that records every request, blocks any non-loopback one, and records console errors and CSP
  violations), `browser_log` (those records);
- `screenshot(page, name)`: full-page PNGs at 360 px and 1280 px under tests/e2e/screenshots/;
- `axe(page)`: axe-core, failing on serious/critical WCAG 2.1 A/AA violations, listed readably;
- `mailbox`: the locmem outbox (`django.core.mail.outbox`) with `wait_for()` (woken by each message
  the live server sends, never a fixed delay) and `links()`;
- `sign_in(page, email, password, totp_secret=…)`: the real sign-in form, then (staff, advisers)
  the code of the authenticator app computed from its key, or a recovery code.

Every wait is on a condition (`expect(...)`, `wait_for_url`, the mailbox's condition variable), never
a fixed delay (a test in tests/test_project_hygiene.py refuses them), with generous timeouts
(`TIMEOUT_MS`): on a busy 2-core machine running tests in parallel, a page may take seconds.
"""

import ipaddress
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail

E2E_DIR = Path(__file__).resolve().parent
SCREENSHOTS_DIR = E2E_DIR / "screenshots"

CHROMIUM_CANDIDATES = [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = "No Chromium found: set CHROMIUM=/path/to/chrome or install Debian's chromium"

# How long a page, an element or an e-mail may take to reach the expected state: generous, since the
# tests pass as soon as the condition holds and a busy machine (parallel workers, another CPU-heavy
# job) can be many times slower than an idle one.
TIMEOUT_MS = 30_000

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 360, "height": 740}

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_BLOCKING_IMPACTS = {"serious", "critical"}

# Set when the e2e tests were skipped for want of a browser, to say so again in the final summary.
_skipped_reason: str | None = None


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def find_chromium() -> str | None:
    """The browser to drive: $CHROMIUM if set, else the first usual path or PATH entry that exists."""
    explicit = os.environ.get("CHROMIUM", "").strip()
    if explicit:
        return explicit
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.path)).parents:
            # Every test under tests/e2e/ is an e2e test, whether or not its module says so.
            item.add_marker(pytest.mark.e2e)


def pytest_terminal_summary(terminalreporter):
    if _skipped_reason:
        terminalreporter.write_line(f"e2e tests skipped: {_skipped_reason}", yellow=True, bold=True)


def require_chromium() -> str:
    """The browser's path; without one, fail on CI and skip (saying why) on a developer's machine."""
    global _skipped_reason
    path = find_chromium()
    if path and not os.access(path, os.X_OK):
        pytest.fail(f"CHROMIUM={path} is not an executable file", pytrace=False)
    if not path:
        if on_ci():
            pytest.fail(f"{NO_CHROMIUM} (CI=true: the browser test must run on CI)", pytrace=False)
        _skipped_reason = NO_CHROMIUM
        pytest.skip(NO_CHROMIUM)
    return path


@pytest.fixture(scope="package")
def chromium_path():
    return require_chromium()


@pytest.fixture(scope="package")
def browser(chromium_path):
    """One headless Chromium for the whole e2e package.

    Playwright's sync API keeps an asyncio loop running in this thread, which makes Django refuse
    ORM calls from it (SynchronousOnlyOperation), including pytest-django's own database flush.
    The test thread never runs async code, so the check is lifted exactly while the browser is
    alive: package scope ends with the last e2e test, so the rest of the suite keeps the check.
    """
    from playwright.sync_api import expect, sync_playwright

    # A shared 2-core CI machine can be slow: wait up to TIMEOUT_MS for the expected state.
    expect.set_options(timeout=TIMEOUT_MS)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    host = (parts.hostname or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# Reported by the page itself: CSP violations do not always reach the console.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@dataclass
class BrowserLog:
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def csp_violations(self) -> list[str]:
        pattern = re.compile(r"content security policy|csp violation", re.IGNORECASE)
        return [message for message in self.console_errors if pattern.search(message)]


@pytest.fixture
def browser_log():
    return BrowserLog()


@pytest.fixture
def page(browser, live_server, browser_log):
    """A fresh context (fr-FR, Europe/Paris, 1280 px) on the live server.

    Requests to anything but loopback are aborted and recorded: the site vendors all its assets.
    """
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport=DESKTOP, base_url=live_server.url
    )
    context.set_default_timeout(TIMEOUT_MS)

    def guard(route):
        url = route.request.url
        browser_log.requests.append(url)
        if _is_loopback(url):
            route.continue_()
        else:
            browser_log.blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    context.add_init_script(_CSP_LISTENER)
    page = context.new_page()
    page.on(
        "console", lambda message: message.type == "error" and browser_log.console_errors.append(message.text)
    )
    page.on("pageerror", lambda error: browser_log.page_errors.append(str(error)))
    yield page
    context.close()
    # Whatever a test asserts, no e2e page may call a non-loopback host or break the CSP.
    problems = []
    if browser_log.blocked:
        problems.append(f"requests to non-loopback hosts: {browser_log.blocked}")
    if browser_log.csp_violations:
        problems.append(f"CSP violations: {browser_log.csp_violations}")
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)


@pytest.fixture
def screenshot():
    """`screenshot(page, name)` writes name-360.png and name-1280.png (full page); returns the paths."""
    SCREENSHOTS_DIR.mkdir(exist_ok=True)

    def take(page, name: str) -> list[Path]:
        original = page.viewport_size or DESKTOP
        paths = []
        try:
            for size in (MOBILE, DESKTOP):
                page.set_viewport_size(size)
                path = SCREENSHOTS_DIR / f"{name}-{size['width']}.png"
                page.screenshot(path=str(path), full_page=True)
                paths.append(path)
        finally:
            page.set_viewport_size(original)
        return paths

    return take


def format_axe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation.get('impact')}] {violation['id']}: {violation['help']} "
            f"({', '.join(tag for tag in violation.get('tags', []) if tag.startswith('wcag'))}) "
            f"{violation.get('helpUrl', '')}"
        )
        for node in violation.get("nodes", []):
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}: {node.get('html', '')[:200]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"       {summary[:400]}")
    return "\n".join(lines)


@pytest.fixture
def axe():
    """`axe(page)` runs axe-core on the current page (WCAG 2.0/2.1 A and AA rules).

    Fails on serious or critical violations, listing each with its elements; returns the minor
    and moderate ones (printed too) so a test may look at them.
    """
    from axe_playwright_python.sync_playwright import Axe

    runner = Axe()

    def check(page) -> list[dict]:
        results = runner.run(
            page,
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        violations = results.response["violations"]
        blocking = [v for v in violations if v.get("impact") in AXE_BLOCKING_IMPACTS]
        others = [v for v in violations if v.get("impact") not in AXE_BLOCKING_IMPACTS]
        if others:
            print(f"axe, minor/moderate on {page.url}:\n{format_axe_violations(others)}")
        if blocking:
            pytest.fail(
                f"axe found {len(blocking)} serious/critical WCAG 2.1 A/AA violation(s) on {page.url}:\n"
                + format_axe_violations(blocking),
                pytrace=False,
            )
        return others

    return check


class Mailbox:
    """The locmem mailbox the live server writes to (same process, so the same `mail.outbox`).

    `sent` is notified by the live server's thread each time it sends (see the `mailbox` fixture), so
    `wait_for` sleeps until a message comes, not for a fixed time.
    """

    def __init__(self):
        self.sent = threading.Condition()

    @property
    def messages(self):
        return list(mail.outbox)

    def _find(self, to: str, subject: str | re.Pattern):
        for message in reversed(mail.outbox):
            if isinstance(subject, re.Pattern):
                wanted = bool(subject.search(message.subject))
            else:
                wanted = subject in message.subject
            if to in message.to and wanted:
                return message
        return None

    def wait_for(self, *, to: str, subject: str | re.Pattern = "", timeout: float = TIMEOUT_MS / 1000):
        """The last message to `to` whose subject contains (or matches) `subject`, once it is sent."""
        with self.sent:
            found = self.sent.wait_for(lambda: self._find(to, subject), timeout=timeout)
        if found:
            return found
        from declics.notifications.models import OutboxMessage

        rows = list(
            OutboxMessage.objects.values_list("to_email", "subject", "status", "attempts", "last_error")
        )
        sent = [(m.to, m.subject) for m in mail.outbox]
        pytest.fail(
            f"No e-mail to {to} with subject {subject!r} within {timeout}s.\n"
            f"Mailbox: {sent}\nOutbox rows: {rows}",
            pytrace=False,
        )

    @staticmethod
    def links(message) -> list[str]:
        return re.findall(r"https?://[^\s<>\"']+", message.body)


@pytest.fixture
def mailbox(mailoutbox, monkeypatch):
    from django.core.mail.backends import locmem

    box = Mailbox()
    send_messages = locmem.EmailBackend.send_messages

    def send_and_notify(backend, messages):
        with box.sent:
            count = send_messages(backend, messages)
            box.sent.notify_all()
        return count

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", send_and_notify)
    return box


def sign_in(
    page, email: str, password: str, *, totp_secret: str | None = None, recovery_code: str | None = None
):
    """Sign in through the real forms: password, then the second factor if one is given.

    The code is what an authenticator app would show for `totp_secret` now (each code works once:
    a second sign-in of the same person within 30 seconds should use a recovery code).
    """
    from playwright.sync_api import expect

    from tests.factories import totp_code

    page.goto("/comptes/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form [type=submit]").first.click()
    # Signed in (or asked for the code) once the browser has left the login page: a `goto` before
    # that would cancel the sign-in.
    page.wait_for_url(lambda url: "/comptes/login/" not in url)
    if totp_secret is None and recovery_code is None:
        return
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    page.get_by_label("Code à 6 chiffres ou code de secours").fill(recovery_code or totp_code(totp_secret))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Double authentification")
