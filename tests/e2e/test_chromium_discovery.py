"""How the e2e tests find a browser, and what happens without one: fail on CI, a plain skip elsewhere."""

import pytest

from tests.e2e import conftest as e2e

pytestmark = pytest.mark.e2e


@pytest.fixture
def no_browser_anywhere(monkeypatch, tmp_path):
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setattr(e2e, "CHROMIUM_CANDIDATES", [str(tmp_path / "missing" / "chromium")])
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(e2e, "_skipped_reason", None)


def _fake_browser(path):
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def test_find_chromium_prefers_the_chromium_variable(monkeypatch, tmp_path):
    explicit = _fake_browser(tmp_path / "my-chrome")
    monkeypatch.setenv("CHROMIUM", explicit)
    monkeypatch.setattr(e2e, "CHROMIUM_CANDIDATES", [_fake_browser(tmp_path / "other")])

    assert e2e.find_chromium() == explicit


def test_find_chromium_takes_the_first_usual_path_that_exists(monkeypatch, tmp_path):
    monkeypatch.delenv("CHROMIUM", raising=False)
    second = _fake_browser(tmp_path / "chromium-browser")
    monkeypatch.setattr(e2e, "CHROMIUM_CANDIDATES", [str(tmp_path / "absent"), second])

    assert e2e.find_chromium() == second


def test_find_chromium_falls_back_to_the_path(no_browser_anywhere, tmp_path):
    on_path = _fake_browser(tmp_path / "google-chrome")

    assert e2e.find_chromium() == on_path


def test_require_chromium_skips_with_a_plain_reason_off_ci(no_browser_anywhere, monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception) as skipped:
        e2e.require_chromium()

    assert str(skipped.value) == (
        "No Chromium found: set CHROMIUM=/path/to/chrome or install Debian's chromium"
    )
    assert e2e._skipped_reason == str(skipped.value)


def test_require_chromium_fails_on_ci(no_browser_anywhere, monkeypatch):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception) as failed:
        e2e.require_chromium()

    assert str(failed.value) == (
        "No Chromium found: set CHROMIUM=/path/to/chrome or install Debian's chromium "
        "(CI=true: the browser test must run on CI)"
    )
    assert e2e._skipped_reason is None


def test_require_chromium_fails_when_the_variable_points_nowhere(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "nothing-here"))

    with pytest.raises(pytest.fail.Exception) as failed:
        e2e.require_chromium()

    assert str(failed.value) == f"CHROMIUM={tmp_path / 'nothing-here'} is not an executable file"


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://localhost:8000/", True),
        ("http://127.0.0.1:8000/static/x.css", True),
        ("http://[::1]:8000/", True),
        ("data:image/png;base64,AAAA", True),
        ("https://cdn.jsdelivr.net/npm/bootstrap.css", False),
        ("https://fonts.googleapis.com/css", False),
        ("http://10.0.0.1/", False),
    ],
)
def test_is_loopback_allows_only_this_machine(url, loopback):
    assert e2e._is_loopback(url) is loopback
