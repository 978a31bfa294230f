"""API speed: the main 100-row list endpoints under 50 concurrent clients, with and without the response cache,
against the same SQL through psycopg.

In one run, on PostgreSQL:

1. creates its own database (``ip_api_bench`` on the server that ``DATABASE_URL`` names; by default the dev server
   ``postgres://postgres@127.0.0.1:55433``), migrates it, loads the reference data and 20 years of synthetic
   figures: every region × every year × every measure, and every country × every year × every measure, for the
   six figures models (bulk inserts; the figures are made up, so the table rules are not run on them), and the
   reports' national figures;
2. serves the application with gunicorn on localhost (``DEBUG=0``, static files collected), first with the
   anonymous response cache off (``STATISTICS_RESPONSE_CACHE=0``: every request reads the database), then on;
3. after an unmeasured 3-second warm-up at full concurrency (so that every worker has booted), for each target
   (100-row pages of the main lists): times single uncached requests one after another, drives the
   target with ``wrk`` at 50 concurrent connections for a fixed time in each mode, and prints p50/p95 latency,
   throughput and failures (socket errors and non-2xx answers);
4. times the very SQL statements the application ran for the same request (captured in-process), through
   psycopg one after another, and prints the ratio of the single-request API time to the SQL time.

Targets (issue 16), printed as met or missed for each list:

* one uncached request ≤ 3× its own SQL through psycopg;
* p95 ≤ 100 ms at 50 clients without the cache;
* p95 ≤ 50 ms at 50 clients from the cache.

The floor is measured in the same run: a cached answer of the first list, one request at a time. It passes HTTP,
gunicorn and the middleware before the response cache and reads the published version (one primary-key lookup), but
runs no view: less than any uncached request costs before its own work, so a list whose SQL takes less than a third
of it cannot meet the 3× ratio however lean its own code is. The API root (no SQL, but it reverses the URL of every
endpoint) is measured too, one request at a time and at 50 clients.

The public pages (the overview and the others) are ``benchmarks/pages_bench.py``'s.

Usage: .venv/bin/python benchmarks/api_bench.py [--duration 10] [--connections 50] [--workers 5] [--years 20]
Needs ``wrk`` (Debian: ``apt-get install wrk``).
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:55433/ip_records"
BENCH_DATABASE = "ip_api_bench"
CACHE_DIR = tempfile.mkdtemp(prefix="api-bench-cache-")

# (label, path): 100-row pages of the main lists (default page size) and a deep page.
TARGETS = [
    ("regional patents, one year", "/api/v1/region-patent-figures/?year=2025"),
    ("regional patents, all, page 20", "/api/v1/region-patent-figures/?page=20"),
    ("regional patents by name", "/api/v1/region-patent-figures/?region=%E5%8C%97%E4%BA%AC&measure=filed"),
    ("foreign patents, one year", "/api/v1/country-patent-figures/?year=2025&measure=filed"),
    ("foreign patents, by country", "/api/v1/country-patent-figures/?country=US"),
    ("regional trademarks", "/api/v1/region-trademark-figures/?year__gte=2024"),
    ("foreign trademarks", "/api/v1/country-trademark-figures/?year=2025"),
    ("regional GI and IC", "/api/v1/region-count-figures/?measure=gi_products"),
    ("foreign GI and IC", "/api/v1/country-count-figures/?year=2025"),
    ("countries", "/api/v1/countries/"),
    ("national figures", "/api/v1/national-figures/"),
]
RATIO_TARGET, UNCACHED_P95_TARGET, CACHED_P95_TARGET = 3.0, 100.0, 50.0
# An API answer that runs no SQL at all (the API root lists the endpoints), through the same gunicorn, middleware
# and DRF; not a floor, since it reverses every endpoint's URL (the floor is a cached answer, measured beside it).
FLOOR_PATH = "/api/v1/"
# The list whose rows are derived once per published version: its first request after a publication is timed too.
MEMO_TARGET = TARGETS[-1]
WARM_UP_SECONDS = 3

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def database_url(name: str = BENCH_DATABASE) -> str:
    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("api_bench: DATABASE_URL must name a PostgreSQL server (the benchmark runs on PostgreSQL)")
    base, _, _name = server.rpartition("/")
    return f"{base}/{name}"


def usable_cpus() -> int:
    """The CPUs this process may run on (``taskset`` narrows them; gunicorn and wrk, its children, inherit them)."""
    return len(os.sched_getaffinity(0))


def cpus_text() -> str:
    usable, present = usable_cpus(), os.cpu_count() or 1
    return f"{usable} CPUs" if usable == present else f"{usable} of the machine's {present} CPUs (taskset)"


def server_environment(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
        # A cache of its own, so a run neither reads nor leaves entries in the developer's .cache/.
        "CACHE_LOCATION": CACHE_DIR,
        "STATISTICS_RESPONSE_CACHE": os.environ.get("STATISTICS_RESPONSE_CACHE", "1"),
    }


def cache_environment(url: str, cached: bool) -> dict:
    return {**server_environment(url), "STATISTICS_RESPONSE_CACHE": "1" if cached else "0"}


def setup_django(url: str) -> None:
    os.environ.update(server_environment(url))
    import django

    django.setup()


# ---------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------


def create_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def load_synthetic_figures(years: int) -> dict[str, int]:
    """Replace every figure with ``years`` years of made-up values for every region/country and measure."""
    from django.db import connection, transaction

    from statistics import models

    regions = list(models.Region.objects.values_list("pk", flat=True))
    countries = list(models.Country.objects.values_list("pk", flat=True))
    last = 2025
    span = range(last - years + 1, last + 1)
    patent = [m.value for m in models.PatentMeasure]
    count = [m.value for m in models.CountMeasure]

    def value(*seed) -> int:
        return zlib.crc32(repr(seed).encode()) % 500_000

    plan = {
        models.RegionPatentFigure: lambda: (
            models.RegionPatentFigure(
                region_id=r,
                year=y,
                measure=m,
                invention=value(r, y, m, 1),
                utility_model=value(r, y, m, 2),
                design=value(r, y, m, 3),
            )
            for r in regions
            for y in span
            for m in patent
        ),
        models.CountryPatentFigure: lambda: (
            models.CountryPatentFigure(
                country_id=c,
                year=y,
                measure=m,
                invention=value(c, y, m, 4),
                utility_model=value(c, y, m, 5),
                design=value(c, y, m, 6),
            )
            for c in countries
            for y in span
            for m in patent
        ),
        models.RegionTrademarkFigure: lambda: (
            models.RegionTrademarkFigure(
                region_id=r, year=y, applications=value(r, y, 7), registrations=value(r, y, 8), in_force=value(r, y, 9)
            )
            for r in regions
            for y in span
        ),
        models.CountryTrademarkFigure: lambda: (
            models.CountryTrademarkFigure(
                country_id=c,
                year=y,
                applications=value(c, y, 7),
                registrations=value(c, y, 8),
                in_force=value(c, y, 9),
            )
            for c in countries
            for y in span
        ),
        models.RegionCountFigure: lambda: (
            models.RegionCountFigure(region_id=r, year=y, measure=m, value=value(r, y, m))
            for r in regions
            for y in span
            for m in count
        ),
        models.CountryCountFigure: lambda: (
            models.CountryCountFigure(country_id=c, year=y, measure=m, value=value(c, y, m))
            for c in countries
            for y in span
            for m in count
        ),
    }
    written = {}
    with transaction.atomic():
        for model, rows in plan.items():
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {model._meta.db_table} RESTART IDENTITY")
            objects = list(rows())
            model.objects.bulk_create(objects, batch_size=5000)
            written[model.__name__] = len(objects)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return written


def prepare(url: str, years: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_report_data", "--reference-only", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    written = load_synthetic_figures(years)
    from statistics.national_loading import load_national_figures

    print(load_national_figures())  # the reports' national figures, for the national-figures list
    print(f"database {url.rpartition('/')[2]}: {sum(written.values()):,} synthetic figure rows over {years} years")
    for name, rows in written.items():
        print(f"  {name:24} {rows:>8,}")


# ---------------------------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int, cached: bool) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--backlog", "2048",
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=cache_environment(url, cached))
    deadline = time.monotonic() + 120  # workers import the whole project; slow on a busy shared machine
    while time.monotonic() < deadline:
        try:
            status, _body = get(port, "/api/v1/regions/")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    sys.exit("api_bench: gunicorn did not answer within 120 s")


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def single_client_ms(port: int, path: str, repeat: int) -> tuple[float, int, int]:
    """Median time of one request at a time (after a warm-up), the status, and the rows of the page."""
    for _ in range(5):
        get(port, path)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        status, body = get(port, path)
        timings.append((time.perf_counter() - started) * 1000)
    rows = len(json.loads(body).get("results", [])) if path.startswith("/api/") and status == 200 else 0
    return median(timings), status, rows


def first_after_publication_ms(port: int, path: str, repeat: int) -> float:
    """Median time of a request right after the published version moved: values kept per version
    (``core.published_memo``: the national figures' rows) are derived again by whichever worker answers."""
    from core import published

    timings = []
    for _ in range(repeat):
        published.bump()
        started = time.perf_counter()
        get(port, path)
        timings.append((time.perf_counter() - started) * 1000)
    return median(timings)


def under_load(port: int, path: str, connections: int, duration: int, script: Path) -> dict:
    threads = min(connections, max(2, usable_cpus()))
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script),
        "-H", "Accept: application/json", f"http://127.0.0.1:{port}{path}",
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def captured_sql(path: str) -> list[str]:
    """The SQL statements the application runs to answer ``path`` (as an anonymous visitor), parameters inlined.

    Captured with the response cache off: these are the queries a cache miss runs."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT="application/json")
    with override_settings(STATISTICS_RESPONSE_CACHE=False):
        client.get(path)  # warm-up: first-use queries (content types, …) are not part of a steady request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    if response.status_code != 200:
        print(f"  note: {path} answers {response.status_code} in-process; its SQL is timed all the same")
    return [query["sql"] for query in queries.captured_queries]


def raw_sql_ms(url: str, statements: list[str], repeat: int) -> float:
    """Median time to run ``statements`` one after another through psycopg and fetch every row."""
    import psycopg

    if not statements:
        return 0.0
    with psycopg.connect(url, autocommit=True) as connection:
        timings = []
        for index in range(repeat + 5):
            started = time.perf_counter()
            for statement in statements:
                connection.execute(statement.replace("%", "%%")).fetchall()
            if index >= 5:
                timings.append((time.perf_counter() - started) * 1000)
    return median(timings)


def load_row(load: dict) -> tuple[float, float, float, int]:
    """p50, p95 (ms), requests per second and failures of a wrk run."""
    failures = sum(load[key] for key in ("connect", "read", "write", "status", "timeout"))
    return load["p50"] / 1000, load["p95"] / 1000, load["requests"] / (load["duration_us"] / 1e6), failures


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per target and mode (default 10)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--workers", type=int, default=2 * usable_cpus() + 1, help="gunicorn workers")
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=100, help="single-client requests and SQL runs per target")
    parser.add_argument("--skip-load", action="store_true", help="reuse the data of an earlier run")
    parser.add_argument(
        "--database", default=BENCH_DATABASE, help=f"database to create and use (default {BENCH_DATABASE})"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("api_bench: wrk is not installed (Debian: apt-get install wrk)")

    url = database_url(args.database)
    create_database(url)
    setup_django(url)
    if args.skip_load:
        print(f"database {args.database}: data of an earlier run")
    else:
        prepare(url, args.years)
    statements = {path: captured_sql(path) for _label, path in TARGETS}
    print(
        f"gunicorn: {args.workers} sync workers on 127.0.0.1; wrk: {args.connections} connections, {args.duration} s "
        f"per target and mode; {cpus_text()} shared by wrk, gunicorn and PostgreSQL (and anything else "
        f"running); load average before: {os.getloadavg()[0]:.2f}"
    )
    results: dict[str, dict] = {label: {} for label, _path in TARGETS}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        for cached in (False, True):
            port = free_port()
            server = start_gunicorn(url, port, args.workers, cached)
            try:
                # Unmeasured: every worker has booted (one answering is not all of them; a worker still importing
                # the project made the first target's p95 seconds long) and opened its database connection.
                under_load(port, "/api/v1/regions/", args.connections, WARM_UP_SECONDS, Path(script.name))
                if not cached:
                    floor = single_client_ms(port, FLOOR_PATH, args.repeat)[0]
                    floor_wrk = under_load(port, FLOOR_PATH, args.connections, args.duration, Path(script.name))
                    floor_load = load_row(floor_wrk)
                    after_publication = first_after_publication_ms(port, MEMO_TARGET[1], 20)
                else:  # the first target's answer from the cache: no view runs, one version lookup
                    hit_floor = single_client_ms(port, TARGETS[0][1], args.repeat)[0]
                for label, path in TARGETS:
                    if not cached:
                        single, status, rows = single_client_ms(port, path, args.repeat)
                        sql = raw_sql_ms(url, statements[path], args.repeat)
                        results[label].update(single=single, status=status, rows=rows, sql=sql)
                    load = under_load(port, path, args.connections, args.duration, Path(script.name))
                    results[label]["cached" if cached else "uncached"] = load_row(load)
            finally:
                server.terminate()
                server.wait(timeout=30)
    finally:
        Path(script.name).unlink(missing_ok=True)

    header = (
        f"{'target':31} {'rows':>4} {'1-req ms':>8} {'SQL ms':>7} {'qs':>3} {'API/SQL':>7} {'≤3×':>6} "
        f"{'p95 uncached':>12} {'≤100':>6} {'req/s':>6} {'p95 cached':>10} {'≤50':>6} {'req/s':>6} {'fail':>4}"
    )
    print(header)
    print("-" * len(header))
    misses = []
    for label, path in TARGETS:
        result = results[label]
        _p50, p95_uncached, rate_uncached, fail_uncached = result["uncached"]
        _p50, p95_cached, rate_cached, fail_cached = result["cached"]
        ratio = result["single"] / result["sql"] if result["sql"] else float("inf")
        failures = fail_uncached + fail_cached
        checks = (verdict(ratio, RATIO_TARGET), verdict(p95_uncached, UNCACHED_P95_TARGET))
        checks += (verdict(p95_cached, CACHED_P95_TARGET),)
        print(
            f"{label:31} {result['rows']:>4} {result['single']:8.2f} {result['sql']:7.2f} {len(statements[path]):>3} "
            f"{ratio:7.1f} {checks[0]:>6} {p95_uncached:12.1f} {checks[1]:>6} {rate_uncached:6.0f} "
            f"{p95_cached:10.1f} {checks[2]:>6} {rate_cached:6.0f} {failures:>4}",
            flush=True,
        )
        if result["status"] != 200 or failures:
            misses.append(f"{label}: status {result['status']}, {failures} failures")
        for check, what in zip(checks, ("API/SQL ≤ 3×", "uncached p95 ≤ 100 ms", "cached p95 ≤ 50 ms"), strict=True):
            if check != "met":
                misses.append(f"{label}: {what}")
    print(f"load average after: {os.getloadavg()[0]:.2f} (anything above 0 came from other processes too)")
    floor_queries = len(captured_sql(FLOOR_PATH))
    print(
        f"API root {FLOOR_PATH} ({floor_queries} SQL statements; it reverses every endpoint's URL): {floor:.2f} ms "
        f"per request, p95 {floor_load[1]:.1f} ms at {args.connections} clients ({floor_load[2]:.0f} requests/s)"
    )
    print(
        f"floor: a cached answer of '{TARGETS[0][0]}' (HTTP, gunicorn, the middleware before the cache, one version "
        f"lookup, no view): {hit_floor:.2f} ms per request; a list whose SQL takes less than "
        f"{hit_floor / RATIO_TARGET:.2f} ms cannot be within {RATIO_TARGET:.0f}× of its SQL"
    )
    print(
        f"{MEMO_TARGET[0]}: the rows are derived once per published version in each worker; the first request after "
        f"a publication: {after_publication:.2f} ms (the table's 1-req ms is the request after it)"
    )
    print("1-req ms: one uncached request at a time through gunicorn; SQL ms: the same statements through psycopg;")
    print("API/SQL: their ratio. p95: 50 clients through wrk, without and with the anonymous response cache.")
    print("targets missed: " + ("; ".join(misses) if misses else "none"))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
