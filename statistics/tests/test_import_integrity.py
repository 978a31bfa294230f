"""Issue 11: importers refuse what cannot be true, answer damaged files with problems instead of errors, confirm a
preview by its run only, and never leave a run "running" after its process died.

Inputs start from the report's printed tables (``workbooks.printed_rows``); every refusal is checked to write
nothing.
"""

import datetime
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from core.liveness import Heartbeat, host_name, on_startup, process_start
from statistics import models
from statistics.imports import import_appendix
from statistics.years import ImportYearWidget, import_years

from .factories import UserFactory
from .test_admin_import import (  # noqa: F401  (chief, chief_client, inline_imports: fixtures)
    APPENDIX_IMPORT,
    chief,
    chief_client,
    confirm,
    format_choice,
    hidden_fields,
    in_english,
    inline_imports,
    upload,
    url,
)
from .test_resources import PATENT_HEADER, csv_bytes, good_patent_rows, patent_row
from .test_resources import xlsx_bytes as long_xlsx_bytes
from .workbooks import printed_rows, xlsx_bytes

pytestmark = pytest.mark.django_db

INTERRUPTED = "中断"  # the translated "interrupted" problem; the interface is Chinese by default


def texts(outcome) -> list[str]:
    return [str(problem) for problem in outcome.problems]


def year_cell(rows, year: int) -> tuple[int, str]:
    """The 1-based row and the column letter of the header cell ``"<year> 年"`` in rows written from A1."""
    from openpyxl.utils import get_column_letter

    for number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            if cell == f"{year} 年":
                return number, get_column_letter(index + 1)
    raise AssertionError(f"no header cell for {year}")


def damaged(content: bytes) -> bytes:
    """The workbook with its first worksheet's XML cut in half: a valid ZIP holding a corrupt sheet."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            archive.writestr(member, data)
    return target.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# Years that cannot be true
# ---------------------------------------------------------------------------------------------------------------


def test_the_default_years_run_from_the_patent_law_to_this_year_in_beijing_time(settings):
    settings.IMPORT_YEARS = ""
    this_year = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).year
    assert import_years() == (1985, this_year)


def test_a_header_year_of_3025_is_refused_at_its_cell(settings, report, no_figures):
    settings.IMPORT_YEARS = ""  # the default range
    rows = printed_rows(report[7])
    rows = [["3025 年" if cell == "2025 年" else cell for cell in row] for row in rows]
    row, column = year_cell(rows, 3025)

    outcome = import_appendix(xlsx_bytes(("表7", rows)), "typo.xlsx")

    assert not outcome.ok
    assert any(
        problem.location == models_location("表7", row, column) and "3025" in problem.message
        for problem in outcome.problems
    ), texts(outcome)
    assert not models.RegionTrademarkFigure.objects.exists()
    assert outcome.run.status == models.ImportRun.Status.REFUSED


def models_location(sheet, row, column):
    from core.problems import Location

    return Location(sheet, row, column)


def test_an_explicit_range_refuses_a_year_after_it(settings, report, no_figures):
    settings.IMPORT_YEARS = "2000-2024"
    rows = printed_rows(report[7])
    row, column = year_cell(rows, 2025)
    outcome = import_appendix(xlsx_bytes(("Sheet1", rows)), "t7.xlsx")
    assert [problem.location for problem in outcome.problems] == [models_location("Sheet1", row, column)]
    assert not models.RegionTrademarkFigure.objects.exists()


def test_a_long_format_year_of_3025_is_refused_at_its_cell(settings, report, tmp_path):
    settings.IMPORT_YEARS = ""
    rows = [PATENT_HEADER, patent_row(report, 1, "北京", 2025, as_year=3025)]
    path = tmp_path / "typo.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(CommandError) as refused:
        call_command("import_records", "statistics.regionpatentfigure", str(path), stdout=io.StringIO())
    assert "3025" in str(refused.value) and "第 2 行，第 B 列" in str(refused.value)
    assert not models.RegionPatentFigure.objects.filter(year=3025).exists()


def test_the_year_column_of_every_other_resource_uses_the_same_rule(settings):
    settings.IMPORT_YEARS = "2000-2026"
    widget = ImportYearWidget()
    assert widget.clean("2025") == 2025
    assert widget.clean("") is None
    with pytest.raises(ValueError, match="3025"):
        widget.clean("3025")


# ---------------------------------------------------------------------------------------------------------------
# A table continued without its title
# ---------------------------------------------------------------------------------------------------------------


def test_a_table_continued_on_another_sheet_without_a_title_is_reported_not_dropped(report, no_figures):
    rows = printed_rows(report[7])
    middle = 4 + len(report[7].rows) // 2
    second = [*rows[2:4], *rows[middle:]]  # the header again and the remaining rows, but no "表 7 …（续表）"

    outcome = import_appendix(xlsx_bytes(("第一页", rows[:middle]), ("第二页", second)), "two-sheets.xlsx")

    assert not outcome.ok
    assert [problem.location for problem in outcome.problems if problem.location.sheet == "第二页"] == [
        models_location("第二页", 1, None)
    ], texts(outcome)
    assert not models.RegionTrademarkFigure.objects.exists()


# ---------------------------------------------------------------------------------------------------------------
# Formula cells
# ---------------------------------------------------------------------------------------------------------------


def test_a_formula_cell_in_an_appendix_workbook_is_refused_with_its_address(report, no_figures):
    rows = printed_rows(report[7])
    beijing = next(index for index, row in enumerate(rows) if row[0] == "北京")
    rows[beijing][1] = "=392000+200"  # openpyxl stores text starting with "=" as a formula

    outcome = import_appendix(xlsx_bytes(("表7", rows)), "formula.xlsx")

    assert not outcome.ok
    assert any(f"表7!B{beijing + 1}" in text for text in texts(outcome)), texts(outcome)
    assert not models.RegionTrademarkFigure.objects.exists()


def test_a_formula_cell_in_a_model_import_is_refused_with_its_address(report, tmp_path):
    rows = [PATENT_HEADER, *good_patent_rows(report)]
    rows[2][3] = "=100+1"
    path = tmp_path / "formula.xlsx"
    path.write_bytes(long_xlsx_bytes(rows))
    with pytest.raises(CommandError, match="Sheet!D3"):
        call_command("import_records", "statistics.regionpatentfigure", str(path), stdout=io.StringIO())
    assert not models.RegionPatentFigure.objects.filter(year=rows[1][1]).exists()


def test_a_formula_cell_in_an_admin_upload_is_refused_with_its_address(chief_client, report):  # noqa: F811
    rows = [PATENT_HEADER, *good_patent_rows(report)]
    rows[1][4] = "=SUM(1,2)"
    response = upload(chief_client, models.RegionPatentFigure, long_xlsx_bytes(rows), "formula.xlsx")
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert "Sheet!E2" in " ".join(response.context["form"].errors["import_file"])


# ---------------------------------------------------------------------------------------------------------------
# Damaged workbooks and empty CSV files: problems, never errors
# ---------------------------------------------------------------------------------------------------------------


def test_a_corrupt_sheet_in_an_appendix_workbook_is_a_problem_of_the_file(report, no_figures):
    outcome = import_appendix(damaged(xlsx_bytes(("表7", printed_rows(report[7])))), "broken.xlsx")
    assert not outcome.ok
    assert any("broken.xlsx" in text and "表7" in text for text in texts(outcome)), texts(outcome)
    assert outcome.run.status == models.ImportRun.Status.REFUSED


def test_a_corrupt_sheet_in_an_admin_upload_is_a_form_error(chief_client, report):  # noqa: F811
    content = damaged(long_xlsx_bytes([PATENT_HEADER, *good_patent_rows(report)]))
    response = upload(chief_client, models.RegionPatentFigure, content, "broken.xlsx")
    assert response.status_code == 200
    assert "damaged" in " ".join(response.context["form"].errors["import_file"])


def test_a_corrupt_sheet_in_an_appendix_upload_page_is_listed(chief_client, report):  # noqa: F811
    content = damaged(xlsx_bytes(("表7", printed_rows(report[7]))))
    response = in_english(chief_client).post(APPENDIX_IMPORT, {"file": SimpleUploadedFile("broken.xlsx", content)})
    assert response.status_code == 200
    assert "damaged" in response.content.decode()


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf"], ids=["empty", "bom-only"])
def test_an_empty_csv_is_refused_by_import_records_with_a_message_and_a_run(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    start = models.ImportRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    with pytest.raises(CommandError) as refused:
        call_command("import_records", "statistics.regionpatentfigure", str(path), stdout=io.StringIO())

    assert "empty" in str(refused.value) or "空" in str(refused.value)
    (run,) = models.ImportRun.objects.filter(pk__gt=start)
    assert (run.kind, run.status, run.filename) == ("statistics.regionpatentfigure", "refused", "empty.csv")
    assert (run.host, run.pid) == (host_name(), os.getpid())


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf"], ids=["empty", "bom-only"])
def test_an_empty_csv_is_refused_by_the_admin_import_with_a_message(chief_client, content):  # noqa: F811
    response = upload(chief_client, models.RegionPatentFigure, content, "empty.csv")
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["import_file"])
    assert "empty" in message or "空" in message


# ---------------------------------------------------------------------------------------------------------------
# Confirming a preview: by its run, once, by the user who previewed it
# ---------------------------------------------------------------------------------------------------------------


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_doubled_admin_confirm_imports_once_and_answers_with_a_message(chief_client, report):  # noqa: F811
    preview = upload(
        chief_client, models.RegionPatentFigure, csv_bytes([PATENT_HEADER, *good_patent_rows(report)]), "ok.csv"
    )
    assert "confirm_form" in preview.context
    year = good_patent_rows(report)[0][1]

    first = confirm(chief_client, models.RegionPatentFigure, preview)
    second = confirm(chief_client, models.RegionPatentFigure, preview)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == url(models.RegionPatentFigure, "import/")
    assert any("already confirmed" in message for message in messages_of(second))
    assert models.RegionPatentFigure.objects.filter(year=year).count() == 3
    assert models.ImportRun.objects.filter(kind="statistics.regionpatentfigure", status="succeeded").count() == 1


def test_a_doubled_appendix_confirm_imports_once(chief_client, report, no_figures):  # noqa: F811
    content = xlsx_bytes(("表7", printed_rows(report[7])))
    page = chief_client.post(APPENDIX_IMPORT, {"file": SimpleUploadedFile("t7.xlsx", content)})
    fields = {"run": page.context["outcome"].run.pk, "confirm": "1"}

    first = in_english(chief_client).post(APPENDIX_IMPORT, fields)
    second = in_english(chief_client).post(APPENDIX_IMPORT, fields)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == APPENDIX_IMPORT
    assert any("already confirmed" in message for message in messages_of(second))
    assert models.ImportRun.objects.filter(kind="appendix", status="succeeded").count() == 1


def test_a_confirm_naming_a_file_by_path_reads_nothing(chief_client, report):  # noqa: F811
    """Import-export's own confirm read any file in the temporary folder by the name the form carried."""
    rows = [PATENT_HEADER, *good_patent_rows(report)]
    start = models.ImportRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as planted:
        planted.write(csv_bytes(rows))
    try:
        form = chief_client.get(url(models.RegionPatentFigure, "import/")).context["form"]
        forged = {
            "import_file_name": os.path.basename(planted.name),
            "original_file_name": "planted.csv",
            "format": format_choice(form, "csv"),
            "resource": "0",
        }
        response = in_english(chief_client).post(url(models.RegionPatentFigure, "process_import/"), forged)
    finally:
        os.unlink(planted.name)
    assert response.status_code == 302
    assert not models.RegionPatentFigure.objects.filter(year=rows[1][1]).exists()
    assert not models.ImportRun.objects.filter(pk__gt=start).exists()


def test_a_confirm_of_someone_elses_preview_is_refused(chief_client, report):  # noqa: F811
    preview = upload(
        chief_client, models.RegionPatentFigure, csv_bytes([PATENT_HEADER, *good_patent_rows(report)]), "ok.csv"
    )
    fields = hidden_fields(preview.content.decode(), "process_import/")
    deputy = Client()
    deputy.force_login(UserFactory(username="deputy", is_staff=True, is_superuser=True))

    response = deputy.post(url(models.RegionPatentFigure, "process_import/"), fields)

    assert response.status_code == 302
    assert not models.RegionPatentFigure.objects.filter(year=good_patent_rows(report)[0][1]).exists()
    assert confirm(chief_client, models.RegionPatentFigure, preview).status_code == 302  # still the owner's to use
    assert models.RegionPatentFigure.objects.filter(year=good_patent_rows(report)[0][1]).count() == 3


def test_a_preview_writes_nothing_to_the_temporary_folder(chief_client, report, monkeypatch, tmp_path):  # noqa: F811
    """In a temporary folder of this process's own: the system's is shared with the other test processes, whose
    spreadsheet writers leave their own files there meanwhile."""
    own = tmp_path / "tmp"
    own.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own))
    upload(chief_client, models.RegionPatentFigure, csv_bytes([PATENT_HEADER, *good_patent_rows(report)]), "ok.csv")
    assert os.listdir(tempfile.gettempdir()) == []


# ---------------------------------------------------------------------------------------------------------------
# Runs: append-only, recorded before reading, marked interrupted when their process died
# ---------------------------------------------------------------------------------------------------------------


def dead_pid() -> int:
    """The pid of a process that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def running(**fields) -> models.ImportRun:
    return models.ImportRun.objects.create(kind="statistics.region", filename="x.csv", status="running", **fields)


def test_runs_cannot_be_deleted_in_bulk_from_code():
    run = running()
    with pytest.raises(PermissionDenied):
        models.ImportRun.objects.filter(pk=run.pk).delete()
    assert models.ImportRun.objects.filter(pk=run.pk).exists()


def test_the_startup_hook_marks_runs_whose_process_died_as_interrupted(settings):
    settings.IMPORT_HEARTBEAT_TIMEOUT = 15 * 60
    now, long_ago = timezone.now(), timezone.now() - timedelta(hours=1)
    here = host_name()
    killed = running(host=here, pid=dead_pid(), heartbeat_at=now)
    silent_elsewhere = running(host="other-host", pid=12345, heartbeat_at=long_ago)
    alive_here = running(host=here, pid=os.getpid(), process_started=process_start(os.getpid()), heartbeat_at=now)
    alive_elsewhere = running(host="other-host", pid=12345, heartbeat_at=now)
    finished = models.ImportRun.objects.create(kind="appendix", filename="y.xlsx", status="succeeded", host=here, pid=1)

    on_startup()

    for run in (killed, silent_elsewhere, alive_here, alive_elsewhere, finished):
        run.refresh_from_db()
    assert (killed.status, silent_elsewhere.status) == ("failed", "failed")
    assert INTERRUPTED in killed.problems[0] and killed.finished_at is not None
    assert (alive_here.status, alive_elsewhere.status, finished.status) == ("running", "running", "succeeded")


def test_a_reused_pid_does_not_keep_a_dead_run_running():
    """The pid now belongs to another process (this one), which started after the run's process."""
    started = process_start(os.getpid())
    assert started is not None  # Linux: /proc
    run = running(host=host_name(), pid=os.getpid(), process_started=started - 1, heartbeat_at=timezone.now())
    on_startup()
    run.refresh_from_db()
    assert run.status == "failed"


def test_page_views_no_longer_mark_runs(chief_client, chief):  # noqa: F811
    long_ago = timezone.now() - timedelta(hours=2)
    run = running(user=chief, host="other-host", pid=1, heartbeat_at=long_ago, started_at=long_ago)
    assert chief_client.get(f"/admin/statistics/importrun/{run.pk}/progress.json").json()["status"] == "running"


def test_the_wsgi_module_runs_the_startup_hook(settings):
    """gunicorn loads config.wsgi, and runserver loads it too (WSGI_APPLICATION)."""
    import importlib

    import config.wsgi

    run = running(host=host_name(), pid=dead_pid(), heartbeat_at=timezone.now())
    importlib.reload(config.wsgi)
    run.refresh_from_db()
    assert run.status == "failed"
    assert settings.WSGI_APPLICATION == "config.wsgi.application"


def test_a_command_line_import_records_its_run_before_reading(monkeypatch, tmp_path, report):
    from core import formats

    seen = []
    original = formats.CSV.create_dataset

    def watching(self, in_stream, **kwargs):
        seen.extend(models.ImportRun.objects.filter(status="running", pid=os.getpid(), host=host_name()))
        return original(self, in_stream, **kwargs)

    monkeypatch.setattr(formats.CSV, "create_dataset", watching)
    path = tmp_path / "ok.csv"
    path.write_bytes(csv_bytes([PATENT_HEADER, *good_patent_rows(report)]))

    call_command("import_records", "statistics.regionpatentfigure", str(path), stdout=io.StringIO())

    (run,) = seen
    run.refresh_from_db()
    assert (run.filename, run.status, run.created) == ("ok.csv", "succeeded", 3)


def test_an_appendix_command_that_breaks_leaves_a_failed_run(monkeypatch, tmp_path, report):
    from statistics import imports

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(imports, "read_grids", broken)
    path = tmp_path / "t7.xlsx"
    path.write_bytes(xlsx_bytes(("表7", printed_rows(report[7]))))
    with pytest.raises(KeyboardInterrupt):
        call_command("import_appendix", str(path), stdout=io.StringIO())
    run = models.ImportRun.objects.get(filename="t7.xlsx")
    assert (run.status, run.pid, run.host) == ("failed", os.getpid(), host_name())


def test_the_heartbeat_moves_the_runs_heartbeat_time():
    an_hour_ago = timezone.now() - timedelta(hours=1)
    run = running(heartbeat_at=an_hour_ago)
    Heartbeat(run.pk).beat()
    run.refresh_from_db()
    assert run.heartbeat_at > an_hour_ago
