"""Prepare the benchmark database and run gunicorn on loopback, pinned to one core."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import environ
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/declics_bench"
GUNICORN_CONFIG = ROOT / "docker" / "gunicorn.conf.py"


class BenchError(Exception):
    """The benchmark could not be prepared; the message says why."""


def server_environment(*, database_url: str, redis_url: str, static_root: Path, secret_key: str) -> dict:
    """The production-like variables the server (and the scenarios' setup) run with."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "declics.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback: no TLS to redirect to.
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(static_root),
            "LOG_FORMAT": "json",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)  # Celery falls back to the embedded filesystem broker
    return env


def ensure_database(database_url: str) -> bool:
    """Create the PostgreSQL database named in the URL if it does not exist; True when created."""
    config = environ.Env.db_url_config(database_url)
    if "postgresql" not in config["ENGINE"]:
        raise BenchError(f"the benchmark runs against PostgreSQL; DATABASE_URL is {database_url!r}")
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
        "connect_timeout": 5,
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
            ).fetchone()
            if exists:
                return False
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True
    except psycopg.OperationalError as error:
        raise BenchError(f"cannot reach PostgreSQL at {database_url}: {error}") from error


def manage(*args: str, env: dict) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def static_files_are_current(static_root: Path) -> bool:
    """True when the manifest is newer than every source file (collectstatic can be skipped)."""
    manifest = static_root / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    return all(path.stat().st_mtime <= built for path in (ROOT / "static").rglob("*") if path.is_file())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pin_command(command: list[str], cpu: int | None) -> list[str]:
    if cpu is None:
        return command
    taskset = shutil.which("taskset")
    return [taskset, "-c", str(cpu), *command] if taskset else command


class Gunicorn:
    """gunicorn declics.wsgi with the compose configuration, one worker, on 127.0.0.1:<free port>."""

    def __init__(self, *, env: dict, threads: int, cpu: int | None):
        self.port = free_port()
        self.env = env
        self.threads = threads
        self.cpu = cpu
        self.process: subprocess.Popen | None = None
        handle, name = tempfile.mkstemp(prefix="declics-bench-gunicorn-", suffix=".log")
        os.close(handle)
        self.log_path = Path(name)

    @property
    def command(self) -> list[str]:
        gunicorn = [sys.executable, "-m", "gunicorn", "declics.wsgi", "--config", str(GUNICORN_CONFIG)]
        gunicorn += ["--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--threads", str(self.threads)]
        # A benchmark run must not recycle its only worker in the middle of a measure.
        gunicorn += ["--max-requests", "0"]
        return pin_command(gunicorn, self.cpu)

    def __enter__(self) -> "Gunicorn":
        # The child keeps its own copy of the descriptor; ours can close at once.
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            self.wait_healthy(timeout=30)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        self.stop()
        if exc_type is None:
            self.log_path.unlink(missing_ok=True)

    def wait_healthy(self, *, timeout: float) -> None:
        url = f"http://127.0.0.1:{self.port}/healthz"
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as error:
                last = f"{error.code} {error.read()[:200]!r}"
            except OSError as error:
                last = repr(error)
            time.sleep(0.2)
        raise BenchError(
            f"{url} did not answer 200 within {timeout:.0f} s (last: {last}):\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        tail = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join([f"(gunicorn log: {self.log_path})", *tail])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
