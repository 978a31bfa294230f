"""The ``import_records`` command (any model, through its admin resource) and the progress of long imports."""

import hashlib
import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.liveness import Heartbeat
from core.progress import NoProgress, Progress, bar, published
from statistics import models
from statistics.models import ImportRun

from .test_resources import (
    COUNTRY_PATENT_HEADER,
    FILE_BUILDERS,
    NEW_YEAR,
    REGION_HEADER,
    at,
    history_counts,
    large_country_patent_rows,
    patent_row,
    printed,
)

pytestmark = pytest.mark.django_db

LABEL = "statistics.countrypatentfigure"
COUNTRIES = {"美国": "US", "日本": "JP", "德国": "DE"}


def write(tmp_path, name: str, rows) -> str:
    path = tmp_path / name
    path.write_bytes(FILE_BUILDERS[path.suffix.lstrip(".")](rows))
    return str(path)


def import_records(*args, stderr=None) -> str:
    out = io.StringIO()
    call_command("import_records", *args, stdout=out, stderr=stderr if stderr is not None else io.StringIO())
    return out.getvalue()


def three_countries(report) -> list[list]:
    """美国, 日本 and 德国 with their printed 2025 applications (table 2), as rows for a year the report lacks."""
    return [COUNTRY_PATENT_HEADER, *(patent_row(report, 2, label, 2025, as_year=NEW_YEAR) for label in COUNTRIES)]


def new_rows():
    return models.CountryPatentFigure.objects.filter(year=NEW_YEAR)


def last_run() -> models.ImportRun:
    return models.ImportRun.objects.latest("pk")


# ---------------------------------------------------------------------------------------------------------------
# Importing
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["csv", "xlsx", "json"])
def test_imports_a_file(tmp_path, report, extension):
    path = write(tmp_path, f"foreign.{extension}", three_countries(report))
    history = history_counts()

    output = import_records(LABEL, path)

    assert f"foreign.{extension}" in output and "3" in output
    stored = {figure.country.code: figure for figure in new_rows().select_related("country")}
    assert set(stored) == set(COUNTRIES.values())
    for label, code in COUNTRIES.items():
        cells = printed(report, 2, label, 2025)
        figure = stored[code]
        assert (figure.measure, figure.invention, figure.utility_model, figure.design, figure.total) == (
            "filed",
            cells["发明"],
            cells["实用新型"],
            cells["外观设计"],
            cells["合计"],
        )
    assert history_counts()["CountryPatentFigure"] == history["CountryPatentFigure"] + 3
    run = last_run()
    assert (run.status, run.kind, run.filename, run.created, run.updated) == (
        "succeeded",
        LABEL,
        f"foreign.{extension}",
        3,
        0,
    )


def test_reimporting_the_same_file_changes_nothing(tmp_path, report):
    path = write(tmp_path, "foreign.csv", three_countries(report))
    import_records(LABEL, path)
    history = history_counts()
    import_records(LABEL, path)
    assert history_counts() == history
    run = last_run()
    assert (run.created, run.updated, run.unchanged) == (0, 0, 3)


def test_a_command_import_records_the_files_sha256(tmp_path, report):
    path = write(tmp_path, "foreign.csv", three_countries(report))
    import_records(LABEL, path)
    with open(path, "rb") as handle:
        assert last_run().sha256 == hashlib.sha256(handle.read()).hexdigest()


def test_dry_run_writes_nothing(tmp_path, report):
    path = write(tmp_path, "foreign.xlsx", three_countries(report))
    history = history_counts()
    output = import_records(LABEL, path, "--dry-run")
    assert "3" in output
    assert not new_rows().exists()
    assert history_counts() == history
    run = last_run()
    assert (run.status, run.created) == ("previewed", 3)


def test_a_bad_file_lists_every_problem_and_writes_nothing(tmp_path, report):
    rows = three_countries(report)
    rows[1][3] = -4  # 美国: a negative invention count (row 2, column D)
    rows.append(["亚特兰蒂斯", NEW_YEAR, "专利申请", 1, 1, 1, None])  # row 5: an unknown country
    rows.append(["法国", NEW_YEAR, "专利申请", 1, 1, 1, 4])  # row 6: 1 + 1 + 1 is not 4 (column G)
    path = write(tmp_path, "bad.csv", rows)
    history = history_counts()

    with pytest.raises(CommandError) as refused:
        import_records(LABEL, path)

    message = str(refused.value)
    assert "bad.csv" in message
    assert at(2, "D").search(message)
    assert at(5).search(message) and "亚特兰蒂斯" in message
    assert at(6, "G").search(message)
    assert not new_rows().exists()
    assert history_counts() == history
    assert last_run().status == "refused"


def test_a_bad_region_file_writes_nothing(tmp_path):
    """A reference file with one bad row (an unknown province) is refused whole: the good row is not written."""
    rows = [
        REGION_HEADER,
        ["990400", "新省", "新省全称", "New Province", "province", "", 3401],
        ["990401", "新市", "新市全称", "New City", "city", "火星", 3402],
    ]
    path = write(tmp_path, "regions.csv", rows)
    count, history = models.Region.objects.count(), history_counts()
    with pytest.raises(CommandError) as refused:
        import_records("statistics.region", path)
    assert "火星" in str(refused.value)
    assert models.Region.objects.count() == count, "the command says nothing was written, but the good row was"
    assert history_counts() == history


@pytest.mark.parametrize("label", ["statistics.nosuchmodel", "nonsense", "auth.user"])
def test_an_unknown_model_label_is_refused(tmp_path, report, label):
    path = write(tmp_path, "foreign.csv", three_countries(report))
    with pytest.raises(CommandError) as refused:
        import_records(label, path)
    assert label in str(refused.value)
    assert not new_rows().exists()


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError) as refused:
        import_records(LABEL, str(tmp_path / "absent.csv"))
    assert "absent.csv" in str(refused.value)


def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("国家或地区,年度\n美国,2031\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        import_records(LABEL, str(path))
    assert "notes.txt" in str(refused.value)


def test_a_damaged_workbook_is_refused(tmp_path):
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CommandError) as refused:
        import_records(LABEL, str(path))
    assert "XLSX" in str(refused.value)  # says what was expected, in either language
    assert not new_rows().exists()


# ---------------------------------------------------------------------------------------------------------------
# Long imports: a progress bar on stderr
# ---------------------------------------------------------------------------------------------------------------


def test_a_long_import_prints_a_progress_bar(tmp_path):
    rows = large_country_patent_rows()
    total = len(rows) - 1
    path = write(tmp_path, "long.csv", rows)
    count = models.CountryPatentFigure.objects.count()
    stderr = io.StringIO()

    output = import_records(LABEL, path, stderr=stderr)

    err = stderr.getvalue()
    assert "rows/s" in err
    assert f"{total:,}/{total:,} rows (100%)" in err
    assert str(total) in output
    assert models.CountryPatentFigure.objects.count() == count + total
    assert last_run().created == total


def test_a_short_import_prints_no_progress_bar(tmp_path, report):
    stderr = io.StringIO()
    import_records(LABEL, write(tmp_path, "foreign.csv", three_countries(report)), stderr=stderr)
    assert "rows/s" not in stderr.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------------------------------------------


def new_run():
    return ImportRun.start(kind=LABEL, filename="rows.csv", sha256="0" * 64)


def test_progress_reaches_the_run_through_its_heartbeat():
    """The import keeps its latest counts; the run's heartbeat writes them to the run, where any server reads them."""
    run = new_run()
    progress = Progress(run_id=run.pk, interval=3600)
    heartbeat = Heartbeat(run.pk, progress=progress)
    assert published(run.pk) is None
    progress.phase("reading", 200)
    heartbeat.beat()
    assert published(run.pk) | {"rate": 0, "at": 0} == {
        "phase": "reading",
        "phase_label": published(run.pk)["phase_label"],
        "done": 0,
        "total": 200,
        "percent": 0,
        "rate": 0,
        "at": 0,  # when it was published, for telling a dead import from a slow one
    }
    assert published(run.pk)["at"] > 0
    progress.advance(50)
    heartbeat.beat()
    assert published(run.pk)["done"] == 0, "published again before the interval was up"
    progress.publish()
    heartbeat.beat()
    assert (published(run.pk)["done"], published(run.pk)["percent"]) == (50, 25)
    progress.phase("writing", 80)
    progress.finish()
    heartbeat.beat()
    assert (published(run.pk)["phase"], published(run.pk)["done"], published(run.pk)["percent"]) == ("writing", 80, 100)
    assert published(run.pk + 1) is None


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_writes_progress_while_the_import_transaction_is_open():
    """The thread writes from its own connection, so the progress is visible before the import commits."""
    run = new_run()
    progress = Progress(run_id=run.pk, interval=0)
    with Heartbeat(run.pk, interval=0.05, progress=progress):
        progress.phase("writing", 10)
        progress.advance(4)
        deadline = time.monotonic() + 20
        while (published(run.pk) or {}).get("done") != 4 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert published(run.pk)["done"] == 4


def test_progress_with_no_interval_publishes_every_step_to_its_printer():
    states = []
    progress = Progress(printer=states.append, interval=0)
    progress.phase("writing", 4)
    for _ in range(4):
        progress.advance()
    assert [state["done"] for state in states] == [0, 1, 2, 3, 4]
    assert all(state["rate"] >= 0 for state in states)
    assert progress.latest["done"] == 4


def test_no_progress_publishes_nothing():
    progress = NoProgress(run_id=44)
    progress.phase("reading", 10)
    progress.advance(10)
    progress.finish()
    assert progress.latest is None


def test_progress_bar_text():
    state = {"phase_label": "writing", "done": 45_000, "total": 100_000, "percent": 45, "rate": 9_800}
    text = bar(state)
    assert text.startswith("writing [")
    assert "[" + "#" * 13 + "." * 17 + "]" in text  # 45 % of 30 characters
    assert "45,000/100,000 rows (45%)" in text
    assert text.endswith("9,800 rows/s")
    assert "[" + "#" * 10 + "]" in bar(state | {"done": 100_000, "percent": 100}, width=10)
