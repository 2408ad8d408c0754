"""Sentry is set up by the settings only when SENTRY_DSN is set, and then without personal data.

Each case builds the settings in a subprocess (the SDK, once initialised, patches Django and Celery
for the whole process); the SDK's transport is replaced by one that keeps the reports in memory,
so nothing leaves the machine.
"""

import json

from tests.test_settings import run_django

PROBE = r"""
import json, sys
import django
django.setup()
import sentry_sdk
from sentry_sdk.transport import Transport

client = sentry_sdk.get_client()
found = {"active": client.is_active()}
if client.is_active():
    class KeptInMemory(Transport):
        envelopes = []

        def capture_envelope(self, envelope):
            self.envelopes.append(envelope)

    client.transport = KeptInMemory(client.options)
    options = client.options
    names = ("dsn", "environment", "release", "send_default_pii", "traces_sample_rate")
    found.update({name: options[name] for name in names})
    found["integrations"] = sorted(client.integrations)
    try:
        raise ValueError("boom")
    except ValueError:
        sentry_sdk.capture_exception()
    client.flush(timeout=2)
    items = [item for envelope in KeptInMemory.envelopes for item in envelope.items]
    [event] = [item.payload.json for item in items if item.type == "event"]
    found["event"] = {
        "environment": event["environment"],
        "release": event["release"],
        "exception": event["exception"]["values"][0]["value"],
        "user": event.get("user"),
    }
with open(sys.argv[1], "w") as out:
    json.dump(found, out)
"""

DSN = "https://cle-publique@sentry.example.org/42"


def _probe(env, tmp_path) -> dict:
    target = tmp_path / "sentry.json"
    result = run_django(PROBE, env, str(target))
    assert result.returncode == 0, result.stderr
    return json.loads(target.read_text())


def test_sentry_is_off_without_a_dsn(tmp_path):
    assert _probe({"SENTRY_DSN": ""}, tmp_path) == {"active": False}


def test_sentry_reports_errors_of_django_and_celery_without_personal_data(tmp_path):
    env = {
        "SENTRY_DSN": DSN,
        "SENTRY_ENVIRONMENT": "recette",
        "SENTRY_RELEASE": "declics@9102a41",
        "SENTRY_TRACES_SAMPLE_RATE": "0.05",
    }

    found = _probe(env, tmp_path)

    assert {name: found[name] for name in ("active", "dsn", "environment", "release")} == {
        "active": True,
        "dsn": DSN,
        "environment": "recette",
        "release": "declics@9102a41",
    }
    assert found["send_default_pii"] is False
    assert found["traces_sample_rate"] == 0.05
    assert {"django", "celery"} <= set(found["integrations"])
    assert found["event"] == {
        "environment": "recette",
        "release": "declics@9102a41",
        "exception": "boom",
        "user": None,
    }


def test_sentry_defaults_to_the_production_environment_and_no_tracing(tmp_path):
    found = _probe({"SENTRY_DSN": DSN}, tmp_path)

    assert (found["environment"], found["traces_sample_rate"]) == ("production", 0.0)
    # No SENTRY_RELEASE: the SDK names the release itself (the git commit, where there is one).
    assert found["release"] != ""
