"""Import speed: our import path against a raw bulk_create, PostgreSQL's COPY and django-import-export.

Generates a long-format CSV of N rows (default 100,000): years × countries × the three patent measures, for the
foreign patent figures (tables 2, 4, 6). Then, on PostgreSQL, in the same run, each variant imports the same rows
into an emptied table, in its own subprocess so that its peak memory is its own:

* ours      the admin's import path: ``CountryPatentFigureResource.import_data`` on the dataset the admin builds
            from the uploaded CSV (rules, bulk writes, history for every created row);
* bulk      (a) a raw ``bulk_create`` of the same rows, already parsed, no checks and no history;
* copy      (c) PostgreSQL ``COPY`` of the same parsed rows straight into the table (psycopg 3): the physical limit;
* peer      (d) django-import-export tuned as its documentation advises for large files: ``use_bulk=True``,
            ``skip_diff=True``, ``batch_size=1000`` (no checks of ours, no history), keyed on country/year/measure;
* default   (b) django-import-export with default resource settings (row by row), keyed on country/year/measure.

Prints rows/s and peak RSS for each, the ratios, and the machine's load average. Targets: ours ≤ 1.5× the time of
a raw bulk_create, the tuned peer ≥ 3× the time of ours, ours ≥ 10× default, RSS < 500 MB; ours ÷ COPY is printed.

Usage: DATABASE_URL=postgres://… python benchmarks/import_bench.py [--rows 100000] [--default-rows N] [--peer-rows N]
(the peers are compared by rows/s; on a loaded machine give them fewer rows, e.g. ``--peer-rows 5000``)
A database named ``<name>_bench`` is created beside the one DATABASE_URL names, and used for the run.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MEASURES = ("filed", "granted", "in_force")
VARIANTS = ("bulk", "copy", "ours", "peer", "default")


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("import_bench: set DATABASE_URL to a PostgreSQL database (the benchmark runs on PostgreSQL)")
    base, _, name = url.rpartition("/")
    return f"{base}/{name.split('?')[0]}_bench"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    usable = len(os.sched_getaffinity(0))
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min; {usable} usable CPUs of {os.cpu_count()})"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("IMPORT_YEARS", "1800-2200")  # the benchmark's synthetic years start in 1900
    import django

    django.setup()


def prepare(database_url: str, rows: int, path: Path) -> None:
    """Create and migrate the benchmark database, load the reference data, and write the CSV."""
    import psycopg

    admin_url, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    setup_django(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_report_data", "--reference-only", verbosity=0)
    from statistics.models import Country

    countries = list(Country.objects.order_by("code").values_list("name_zh", flat=True))
    lines = ["国家或地区,年度,指标,发明,实用新型,外观设计,合计"]
    year = 1900
    while len(lines) <= rows:
        for country in countries:
            for measure in MEASURES:
                if len(lines) > rows:
                    break
                invention, utility, design = (year * 7 + len(country)) % 997, year % 89, len(lines) % 13
                total = invention + utility + design
                lines.append(f"{country},{year},{measure},{invention},{utility},{design},{total}")
        year += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def empty_figures() -> None:
    from django.db import connection

    from statistics.models import CountryPatentFigure

    with connection.cursor() as cursor:
        for model in (CountryPatentFigure, CountryPatentFigure.history.model):
            cursor.execute(f"TRUNCATE {model._meta.db_table} RESTART IDENTITY CASCADE")


def read_dataset(path: Path):
    from core.formats import CSV

    return CSV().create_dataset(path.read_text(encoding="utf-8"))


def run_ours(path: Path) -> int:
    from statistics.resources import CountryPatentFigureResource

    dataset = read_dataset(path)
    result = CountryPatentFigureResource().import_data(dataset, dry_run=False, raise_errors=True, file_name=path.name)
    assert not result.has_errors() and not result.has_validation_errors(), "our import refused the benchmark file"
    return len(dataset)


def run_bulk(path: Path) -> int:
    from statistics.models import CountryPatentFigure

    objects = [
        CountryPatentFigure(
            country_id=country, year=year, measure=measure, invention=invention, utility_model=utility, design=design
        )
        for country, year, measure, invention, utility, design in parsed_rows(path)
    ]
    CountryPatentFigure.objects.bulk_create(objects, batch_size=1000)
    return len(objects)


def parsed_rows(path: Path) -> list[tuple]:
    """The CSV's rows as (country pk, year, measure, invention, utility model, design), as bulk and copy use them."""
    from statistics.models import Country

    countries = dict(Country.objects.values_list("name_zh", "pk"))
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    return [
        (countries[name], int(year), measure, int(invention), int(utility), int(design))
        for name, year, measure, invention, utility, design, _total in rows
    ]


def run_copy(path: Path) -> int:
    """PostgreSQL's own bulk load of the parsed rows, in one transaction: nothing checked, no history."""
    from django.db import connection, transaction

    from statistics.models import CountryPatentFigure

    rows = parsed_rows(path)
    columns = "country_id, year, measure, invention, utility_model, design"
    statement = f"COPY {CountryPatentFigure._meta.db_table} ({columns}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
    return len(rows)


def peer_resource(**options):
    """django-import-export's ModelResource for the figures, keyed on country/year/measure; ``options`` go in Meta."""
    from import_export import fields, resources, widgets

    from statistics.models import Country, CountryPatentFigure

    class PeerResource(resources.ModelResource):
        country = fields.Field("country", "国家或地区", widget=widgets.ForeignKeyWidget(Country, "name_zh"))
        year = fields.Field("year", "年度")
        measure = fields.Field("measure", "指标")
        invention = fields.Field("invention", "发明")
        utility_model = fields.Field("utility_model", "实用新型")
        design = fields.Field("design", "外观设计")

        class Meta:
            model = CountryPatentFigure
            import_id_fields = ("country", "year", "measure")
            fields = ("country", "year", "measure", "invention", "utility_model", "design")

    for name, value in options.items():
        setattr(PeerResource._meta, name, value)
    return PeerResource()


def run_peer(path: Path, limit: int | None) -> int:
    dataset = read_dataset(path)
    if limit:
        del dataset[limit:]
    resource = peer_resource(use_bulk=True, skip_diff=True, batch_size=1000)
    result = resource.import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    return len(dataset)


def run_default(path: Path, limit: int | None) -> int:
    """django-import-export's defaults; only the columns are named and rows keyed on country/year/measure."""
    dataset = read_dataset(path)
    if limit:
        del dataset[limit:]
    result = peer_resource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    return len(dataset)


def child(variant: str, path: Path, database_url: str, limit: int | None) -> None:
    setup_django(database_url)
    empty_figures()
    started = time.perf_counter()
    runners = {"ours": run_ours, "bulk": run_bulk, "copy": run_copy}
    runner = runners.get(variant) or (lambda p: (run_peer if variant == "peer" else run_default)(p, limit))
    rows = runner(path)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"variant": variant, "rows": rows, "seconds": seconds, "peak_mb": peak_mb}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--default-rows", type=int, default=None, help="rows for (b), default all (it is slow)")
    parser.add_argument("--peer-rows", type=int, default=None, help="rows for (d), default all (rates are compared)")
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        limit = args.peer_rows if args.child == "peer" else args.default_rows
        child(args.child, args.file, args.database_url, limit)
        return 0

    database_url = bench_database_url()
    path = ROOT / "benchmarks" / f"long-format-{args.rows}.csv"
    prepare(database_url, args.rows, path)
    results = {}
    print(f"load average before: {load_average()} — a shared machine: read absolute numbers loosely")
    for variant in VARIANTS:
        command = [sys.executable, __file__, "--child", variant, "--file", str(path), "--database-url", database_url]
        if args.default_rows:
            command += ["--default-rows", str(args.default_rows)]
        if args.peer_rows:
            command += ["--peer-rows", str(args.peer_rows)]
        output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
        results[variant] = json.loads(output.strip().splitlines()[-1])
        result = results[variant]
        rate = result["rows"] / result["seconds"]
        print(
            f"{variant:8} {result['rows']:>8} rows  {result['seconds']:8.2f} s  {rate:10.0f} rows/s  "
            f"peak RSS {result['peak_mb']:6.0f} MB",
            flush=True,
        )
    path.unlink()
    rate = {name: result["rows"] / result["seconds"] for name, result in results.items()}
    bulk, peer, copy = rate["bulk"] / rate["ours"], rate["ours"] / rate["peer"], rate["copy"] / rate["ours"]
    print(f"ours ÷ (a) raw bulk_create, time: {bulk:6.2f}×  (target ≤ 1.5×) {'met' if bulk <= 1.5 else 'MISSED'}")
    print(f"(d) tuned import-export ÷ ours:   {peer:6.2f}×  (target ≥ 3×) {'met' if peer >= 3 else 'MISSED'}")
    print(f"ours ÷ (c) PostgreSQL COPY, time: {copy:6.2f}×  (the physical limit; no target)")
    default = rate["ours"] / rate["default"]
    print(f"(b) default import-export ÷ ours: {default:6.1f}×  (target ≥ 10×) {'met' if default >= 10 else 'MISSED'}")
    print(f"ours peak RSS: {results['ours']['peak_mb']:.0f} MB (target < 500 MB)")
    print(f"load average after: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
