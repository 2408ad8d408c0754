"""The `page` fixture's guards really see what they are meant to catch."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_page_guard_blocks_external_hosts_and_records_csp_violations(page, browser_log):
    page.goto("/")
    # An inline script and a third-party image: both refused by the CSP; the image also by the guard.
    # Wait for the image's violation to be reported (the last one), not for some time.
    with page.expect_console_message(lambda message: message.text.startswith("CSP violation: img-src")):
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.inlineRan = true";
              document.body.append(script);
              const img = document.createElement("img");
              img.src = "https://tracker.example.com/pixel.png";
              document.body.append(img);
            }"""
        )
    page.wait_for_function("() => document.querySelector('img[src*=tracker]').complete")

    assert page.evaluate("() => window.inlineRan === undefined")
    assert browser_log.blocked == []  # the CSP stopped the image before any request left the page
    # Seen twice: by the page's own securitypolicyviolation listener, and in Chromium's console.
    assert [v for v in browser_log.csp_violations if v.startswith("CSP violation:")] == [
        "CSP violation: script-src-elem blocked inline",
        "CSP violation: img-src blocked https://tracker.example.com/pixel.png",
    ]
    assert any("Content Security Policy" in v for v in browser_log.csp_violations)

    # Past the CSP (a navigation), an external request is stopped by the guard and recorded.
    with pytest.raises(Exception, match="net::ERR_FAILED"):
        page.goto("https://tracker.example.com/")
    assert browser_log.blocked == ["https://tracker.example.com/"]

    # Checked; clear so that the fixture's own end-of-test check does not fail this test.
    browser_log.blocked.clear()
    browser_log.console_errors.clear()
