"""Public pages under 50 concurrent clients, answered from the page cache and built anew, against their own SQL.

In one run, on PostgreSQL:

1. creates its own database (``h8_pages_bench`` beside the one ``DATABASE_URL`` names), migrates it and loads the
   report (figures, work summaries, registries, the index's published results) with ``load_report_data``;
2. serves the application with gunicorn (``DEBUG=0``, static files collected), first as shipped (anonymous pages
   cached on the published versions, ``core/page_cache.py``), then with ``PUBLIC_PAGE_CACHE=0``;
3. for each public page: times single requests one after another, then drives it with ``wrk`` at 50 connections
   and prints p50/p95/p99, throughput and failures (socket errors and non-2xx answers);
4. times the very SQL statements the page runs when it is built (captured in-process with the cache off) through
   psycopg, and prints the single-request time ÷ that SQL time.

Target: p95 ≤ 100 ms for every page at 50 clients. The machine's load average is printed beside the results: the
numbers are only comparable between runs on an equally quiet machine.

Usage: DATABASE_URL=postgres://…/anything .venv/bin/python benchmarks/pages_bench.py [--duration 10]
       [--connections 50] [--workers N] [--repeat 50] [--skip-load] [--only cached|uncached]
Needs ``wrk`` (Debian: ``apt-get install wrk``). Reuses ``benchmarks/api_bench.py``'s server and wrk machinery.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import api_bench  # noqa: E402  (gunicorn, wrk and psycopg timing shared with the API benchmark)

BENCH_DATABASE = "h8_pages_bench"
TARGET_P95_MS = 100.0

TARGETS = [
    ("overview", "/"),
    ("overview, 2024", "/overview/?year=2024"),
    ("province map", "/map/"),
    ("province 北京", "/province/110000/"),
    ("foreign origins", "/foreign/"),
    ("work summaries", "/summaries/"),
    ("work summaries 2025", "/summaries/2025/"),
    ("summaries 2025, print", "/summaries/2025/print/"),
    ("registry", "/protection/"),
    ("registry, platforms", "/protection/registry/platforms/"),
    ("registry, summary", "/protection/summary/"),
    ("reconciliation", "/protection/reconciliation/"),
    ("figures (national)", "/figures/"),
    ("index, national", "/index/"),
    ("index, regions", "/index/regions/"),
    ("index, 北京", "/index/province/110000/"),
    ("index, method", "/index/method/"),
]


def targets() -> list[tuple[str, str]]:
    """Every public page (``core.page_cache.PUBLIC_PAGES``; ``tests/test_benchmarks.py`` checks that none is
    left out): the fixed paths above, and the first chapter of national figures, whose path is the loaded data's."""
    from django.urls import reverse

    from statistics import selectors

    first = selectors.chapters()[0]
    chapter = reverse("national:chapter", args=[first.document, first.number])
    return [*TARGETS, ("figures, chapter 1", chapter)]


def database_url() -> str:
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("pages_bench: DATABASE_URL must name a PostgreSQL server (the benchmark runs on PostgreSQL)")
    base, _, _name = server.rpartition("/")
    return f"{base}/{BENCH_DATABASE}"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min; {api_bench.cpus_text()})"


def prepare(url: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_report_data", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"database {BENCH_DATABASE}: the report loaded (load_report_data)")


def captured_sql(path: str) -> list[str]:
    """The SQL a page runs when it is built for an anonymous visitor (the page cache off), parameters inlined."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(PUBLIC_PAGE_CACHE=False):
        client.get(path)  # warm-up: first-use queries are not part of a steady request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    if response.status_code != 200:
        print(f"  note: {path} answers {response.status_code} in-process; its SQL is timed all the same")
    return [query["sql"] for query in queries.captured_queries]


def start_gunicorn(url: str, port: int, workers: int):
    """``api_bench``'s server, waited for longer: on a loaded shared machine its workers take a while to boot."""
    import subprocess
    import time

    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--backlog", "2048", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=api_bench.server_environment(url))
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if api_bench.get(port, "/healthz/")[0] in (200, 503):
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    sys.exit("pages_bench: gunicorn did not answer within 180 s")


def fetch(port: int, path: str) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def single_client_ms(port: int, path: str, repeat: int, warm: int) -> tuple[float, int]:
    """Median of one request at a time, after ``warm`` requests (every worker's own cache warmed), and the status."""
    import time

    for _ in range(warm):
        fetch(port, path)
    timings, status = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        status = fetch(port, path)
        timings.append((time.perf_counter() - started) * 1000)
    return api_bench.median(timings), status


def run_mode(url: str, cached: bool, args, pages: list, statements: dict, script: Path) -> dict:
    os.environ["PUBLIC_PAGE_CACHE"] = "1" if cached else "0"
    port = api_bench.free_port()
    server = start_gunicorn(url, port, args.workers)
    label = "on (as shipped)" if cached else "off (PUBLIC_PAGE_CACHE=0)"
    print(f"\npage cache {label}; gunicorn: {args.workers} sync workers; wrk: {args.connections} connections, "
          f"{args.duration} s per page; load average before: {load_average()}")  # fmt: skip
    header = (
        f"{'page':22} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7} {'fail':>5} {'1-client':>9} "
        f"{'SQL ms':>7} {'queries':>7} {'1-cl/SQL':>8}  p95 ≤ {TARGET_P95_MS:.0f} ms"
    )
    print(header)
    print("-" * len(header))
    results = {}
    try:
        for name, path in pages:
            single, status = single_client_ms(port, path, args.repeat, warm=4 * args.workers)
            load = api_bench.under_load(port, path, args.connections, args.duration, script)
            sql = api_bench.raw_sql_ms(url, statements[path], args.repeat) if not cached else None
            failures = sum(load[key] for key in ("connect", "read", "write", "status", "timeout"))
            rate = load["requests"] / (load["duration_us"] / 1e6)
            p50, p95, p99 = (load[key] / 1000 for key in ("p50", "p95", "p99"))
            met = "met" if p95 <= TARGET_P95_MS and not failures and status == 200 else "MISSED"
            sql_text = f"{sql:7.2f}" if sql is not None else f"{'':>7}"
            ratio = f"{single / sql:8.1f}" if sql else f"{'':>8}"
            print(
                f"{name:22} {p50:8.1f} {p95:8.1f} {p99:8.1f} {rate:7.0f} {failures:>5} {single:9.2f} {sql_text} "
                f"{len(statements[path]):>7} {ratio}  {met}" + ("" if status == 200 else f" (status {status})"),
                flush=True,
            )
            results[path] = {"p95": p95, "rate": rate, "single": single, "met": met == "met"}
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load average after: {load_average()}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * api_bench.usable_cpus() + 1, help="gunicorn workers")
    parser.add_argument("--repeat", type=int, default=50, help="single-client requests and SQL runs per page")
    parser.add_argument("--skip-load", action="store_true", help="reuse the data of an earlier run")
    parser.add_argument("--only", choices=["cached", "uncached"], help="run one mode only")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("pages_bench: wrk is not installed (Debian: apt-get install wrk)")

    url = database_url()
    api_bench.create_database(url)
    api_bench.setup_django(url)
    print(f"machine load average at start: {load_average()} — a shared machine: read absolute numbers loosely")
    if args.skip_load:
        print(f"database {BENCH_DATABASE}: data of an earlier run")
    else:
        prepare(url)
    pages = targets()
    statements = {path: captured_sql(path) for _name, path in pages}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(api_bench.WRK_SCRIPT)
    try:
        modes = [mode for mode in ("cached", "uncached") if args.only in (None, mode)]
        runs = {mode: run_mode(url, mode == "cached", args, pages, statements, Path(script.name)) for mode in modes}
    finally:
        Path(script.name).unlink(missing_ok=True)
    if len(runs) == 2:
        print("\ncache's gain per page (uncached ÷ cached): p95 and one request")
        for name, path in pages:
            cached, uncached = runs["cached"][path], runs["uncached"][path]
            print(
                f"  {name:22} p95 {uncached['p95'] / cached['p95']:6.1f}×   "
                f"one request {uncached['single'] / cached['single']:6.1f}×"
            )
    missed = [name for name, path in pages if "cached" in runs and not runs["cached"][path]["met"]]
    print("as shipped (cached), target p95 ≤ 100 ms: " + ("met on every page" if not missed else f"missed: {missed}"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
