#!/usr/bin/env python
"""DéClics benchmark: gunicorn on one core, a load client on the other, every scenario in one run.

Creates and migrates the PostgreSQL database named by DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/declics_bench), starts gunicorn on 127.0.0.1 with one worker
pinned to CPU 0 and production settings (DEBUG=false), waits for /healthz, then sends a fixed
number of requests per scenario (bench/scenarios.py) from CPU 1 and prints requests/s, p50 and p95
and each scenario's share of the baseline's requests/s. Traffic goes to 127.0.0.1 only, and the
run stops by itself. See bench/README.md.
"""

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.client import LoadResult, run_load  # noqa: E402
from bench.scenarios import SCENARIOS, Scenario  # noqa: E402
from bench.server import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    BenchError,
    Gunicorn,
    ensure_database,
    free_port,
    manage,
    pin_command,
    server_environment,
    static_files_are_current,
)

RESULTS_DIR = ROOT / "bench" / "results"
STATIC_ROOT = ROOT / "var" / "bench" / "staticfiles"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="measured requests per scenario (2000)")
    parser.add_argument(
        "--warmup", type=int, default=200, help="requests per scenario before measuring (200)"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="open connections (8)")
    parser.add_argument(
        "--rounds", type=int, default=4, help="interleaved rounds the measured requests are split into (4)"
    )
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads in its one worker (4)")
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="run only these scenarios (the baseline always runs)"
    )
    parser.add_argument("--json", action="store_true", help="also write the results to bench/results/")
    parser.add_argument(
        "--client-check",
        action="store_true",
        help="measure the load client against a do-nothing server instead (its ceiling)",
    )
    args = parser.parse_args(argv)
    for name in ("requests", "rounds", "concurrency", "threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup cannot be negative")
    known = {scenario.name for scenario in SCENARIOS}
    unknown = set(args.only or ()) - known
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    return args


def cpu_plan() -> tuple[int | None, int | None]:
    """(server CPU, client CPU): 0 and 1 when the machine has two cores to give, else no pinning."""
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(available) >= 2:
        return available[0], available[1]
    return None, None


def pin_self(cpu: int | None) -> None:
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})


def selected(args: argparse.Namespace) -> list[Scenario]:
    if not args.only:
        return list(SCENARIOS)
    return [SCENARIOS[0], *(s for s in SCENARIOS[1:] if s.name in args.only)]


def load_options(scenario: Scenario, *, port: int, headers: dict, args: argparse.Namespace) -> dict:
    return {
        "port": port,
        "path": scenario.path,
        "concurrency": args.concurrency,
        "headers": headers,
        "expected_status": scenario.expected_status,
        "expected_text": scenario.expected_text,
    }


def round_sizes(total: int, rounds: int) -> list[int]:
    """Split `total` requests into `rounds` nearly equal parts (none empty)."""
    rounds = min(rounds, total)
    return [total // rounds + (1 if index < total % rounds else 0) for index in range(rounds)]


def measure_all(
    scenarios: list[Scenario], *, port: int, headers: dict, args: argparse.Namespace
) -> list[LoadResult]:
    """Warm every scenario up, then measure them in interleaved rounds.

    Interleaving (hello, home, …, hello, home, …) puts every scenario under the same background
    load, so the ratios stay meaningful on a machine that other work shares.
    """
    options = [
        load_options(scenario, port=port, headers=headers[scenario.name], args=args) for scenario in scenarios
    ]
    for scenario, option in zip(scenarios, options, strict=True):
        if args.warmup:
            warmup = run_load(total=args.warmup, **option)
            if warmup.errors:
                raise BenchError(
                    f"{scenario.name} {scenario.path}: {warmup.errors} bad answers ({warmup.first_error})"
                )
    parts: list[list[LoadResult]] = [[] for _ in scenarios]
    for size in round_sizes(args.requests, args.rounds):
        for index, option in enumerate(options):
            parts[index].append(run_load(total=size, **option))
    return [LoadResult.combine(scenario_parts) for scenario_parts in parts]


def print_table(rows: list[dict], baseline: str) -> None:
    name_width = max(len("scenario"), *(len(row["name"]) for row in rows))
    path_width = max(len("path"), *(len(row["path"]) for row in rows))
    print()
    header = (
        f"{'scenario':<{name_width}} {'path':<{path_width}} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'errors':>6}  share of {baseline}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        share = f"{row['ratio_percent']:6.1f} %"
        if row.get("budget_percent") is not None:
            verdict = "ok" if row["ratio_percent"] >= row["budget_percent"] else "BELOW"
            share += f"  (budget ≥ {row['budget_percent']:.0f} %: {verdict})"
        print(
            f"{row['name']:<{name_width}} {row['path']:<{path_width}} {row['requests_per_second']:>8.1f} "
            f"{row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['errors']:>6}  {share}"
        )
    print()


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def write_json(payload: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"bench-{datetime.now(tz=UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return path


def client_check(args: argparse.Namespace) -> int:
    server_cpu, client_cpu = cpu_plan()
    port = free_port()
    command = pin_command([sys.executable, str(ROOT / "bench" / "trivial_server.py"), str(port)], server_cpu)
    process = subprocess.Popen(command)
    try:
        time.sleep(0.5)
        pin_self(client_cpu)
        run_load(port=port, path="/", total=args.warmup or 1, concurrency=args.concurrency)
        result = run_load(port=port, path="/", total=args.requests, concurrency=args.concurrency)
    finally:
        process.terminate()
        process.wait(timeout=10)
    figures = result.as_dict()
    print(
        f"load client ceiling against a do-nothing server: {figures['requests_per_second']:.0f} req/s, "
        f"p50 {figures['p50_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms, {figures['errors']} errors"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.client_check:
        return client_check(args)

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL", "")
    env = server_environment(
        database_url=database_url,
        redis_url=redis_url,
        static_root=STATIC_ROOT,
        secret_key=secrets.token_urlsafe(50),  # a throwaway key per run
    )
    server_cpu, client_cpu = cpu_plan()
    scenarios = selected(args)

    print(f"database {database_url}; broker {redis_url or 'filesystem:// (REDIS_URL not set)'}")
    if ensure_database(database_url):
        print("created the database")
    manage("migrate", "--noinput", "-v", "0", env=env)
    if not static_files_are_current(STATIC_ROOT):
        print("collecting static files (manifest storage, as in production)…")
        manage("collectstatic", "--noinput", "--clear", "-v", "0", env=env)

    # The scenarios' setup runs here, with the server's settings and database.
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    headers = {scenario.name: (scenario.setup() if scenario.setup else {}) for scenario in scenarios}
    connections.close_all()

    pinning = (
        f"server on CPU {server_cpu}, client on CPU {client_cpu}" if server_cpu is not None else "no pinning"
    )
    print(
        f"gunicorn: 1 worker x {args.threads} threads; {pinning}; "
        f"{args.warmup} warm-up + {args.requests} requests per scenario in {args.rounds} interleaved rounds, "
        f"concurrency {args.concurrency}"
    )
    # Other processes on the same cores move every figure: say how busy the machine was.
    load_before = os.getloadavg()[0]
    print(f"machine load (1 min average) before the run: {load_before:.2f} on {os.cpu_count()} CPUs")
    rows = []
    with Gunicorn(env=env, threads=args.threads, cpu=server_cpu) as server:
        pin_self(client_cpu)
        results = measure_all(scenarios, port=server.port, headers=headers, args=args)
    for scenario, result in zip(scenarios, results, strict=True):
        rows.append({"name": scenario.name, "path": scenario.path, **result.as_dict()})
        if result.errors:
            print(f"  {scenario.name}: {result.errors} bad answers, first: {result.first_error}")
    baseline = rows[0]["requests_per_second"]
    for row, scenario in zip(rows, scenarios, strict=True):
        row["ratio_percent"] = round(100 * row["requests_per_second"] / baseline, 1) if baseline else 0.0
        row["budget_percent"] = 100 * scenario.budget_ratio if scenario.budget_ratio is not None else None
    print_table(rows, baseline=scenarios[0].name)

    if args.json:
        payload = {
            "when": datetime.now(tz=UTC).isoformat(),
            "commit": git_commit(),
            "python": platform.python_version(),
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load_before": load_before},
            "setup": {
                "requests": args.requests,
                "warmup": args.warmup,
                "rounds": args.rounds,
                "concurrency": args.concurrency,
                "gunicorn_workers": 1,
                "gunicorn_threads": args.threads,
                "server_cpu": server_cpu,
                "client_cpu": client_cpu,
                "broker": "redis" if redis_url else "filesystem",
            },
            "baseline": scenarios[0].name,
            "results": rows,
        }
        print(f"results written to {write_json(payload).relative_to(ROOT)}")
    return 1 if any(row["errors"] for row in rows) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(2)
