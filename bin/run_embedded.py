#!/usr/bin/env python
"""Serve the embedded setup: Django's runserver plus one Celery worker with beat.

No server to install: SQLite and kombu's filesystem broker (see declics/settings.py).
Ctrl-C stops both. Used by `make run`. Links in e-mails follow the port served
(`PORT=8080 make run`: http://127.0.0.1:8080) unless SITE_URL is set (environment or `.env`).
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def site_url(port: str | int, environ: Mapping[str, str]) -> str:
    """The address in e-mail links: SITE_URL when it is set, else the port served on loopback."""
    explicit = environ.get("SITE_URL", "").strip()
    return explicit.rstrip("/") if explicit else f"http://127.0.0.1:{port}"


def child_environment(port: str | int) -> dict[str, str]:
    """The web server's and the worker's environment: this one, `.env` under it, SITE_URL decided."""
    import environ

    environ.Env.read_env(ROOT / ".env", overwrite=False)  # as declics/settings.py reads it
    return {**os.environ, "SITE_URL": site_url(port, os.environ)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument(
        "--print-site-url",
        action="store_true",
        help="print the address e-mail links will use for this port, and exit (the Makefile gives it "
        "to seed_demo, whose e-mails are written before the site starts)",
    )
    args = parser.parse_args()
    if args.print_site_url:
        print(child_environment(args.port)["SITE_URL"])
        return 0

    python = sys.executable
    commands = {
        "web": [python, "manage.py", "runserver", f"127.0.0.1:{args.port}"],
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "declics",
            "worker",
            "--beat",
            "--loglevel=INFO",
            "--concurrency=1",
            "--pool=solo",
        ],
    }
    env = child_environment(args.port)
    processes = {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in commands.items()}
    print(
        f"\nDéClics runs on http://127.0.0.1:{args.port}/ (Ctrl-C to stop the site and the worker); "
        f"links in e-mails: {env['SITE_URL']}\n",
        flush=True,
    )

    def stop(*_):
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 10
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()

    # Ctrl-C reaches the children too (same process group): stop them all and end well, rather than
    # report the first child that the same Ctrl-C stopped as a failure.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: (stop(), sys.exit(0)))
    try:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} stopped (exit {process.returncode}); stopping the rest.", file=sys.stderr)
                    stop()
                    return process.returncode or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        stop()
        return 0


if __name__ == "__main__":
    sys.exit(main())
