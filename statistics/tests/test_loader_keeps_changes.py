"""Loading the report never overwrites what people changed (issue 11, finding 2).

``load_report_data`` on a database that holds data creates only what is missing; a stored value that differs from
the fixtures is kept and listed, and only ``--force`` writes the report's value back, listing it, recording the run
and writing history. ``bin/run`` (migrate, load, demo accounts) can run any number of times without changing a
single stored value.
"""

import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from localwork.models import TypicalCase, WorkSummary
from protection.models import Centre
from review.models import RegionAssignment
from statistics import models
from statistics.appendix import TABLES
from statistics.fixture_loading import RUN_KIND
from statistics.services import Author, apply_tables
from statistics.tabledata import TableData, TableRow

pytestmark = pytest.mark.django_db

BIN_RUN = Path(__file__).resolve().parents[2] / "bin" / "run"


def dump(exclude: set[str] = frozenset()) -> dict[str, list[tuple]]:
    """Every row of every table the project's models (and the libraries' models) hold, with every column."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in exclude:
            continue
        names = [field.attname for field in model._meta.concrete_fields]
        tables[label] = list(model._base_manager.order_by("pk").values_list(*names))
    return tables


def run_outputs() -> list[models.ImportRun]:
    return list(models.ImportRun.objects.filter(kind=RUN_KIND).order_by("pk"))


def import_beijing_2025_filings(invention: int) -> None:
    """北京's 2025 filings (表 1) with another invention count, through the importers' own path (rule engine)."""
    figure = models.RegionPatentFigure.objects.get(region__code="110000", year=2025, measure="filed")
    row = TableRow(
        "北京",
        {
            (2025, "invention"): invention,
            (2025, "utility_model"): figure.utility_model,
            (2025, "design"): figure.design,
        },
    )
    apply_tables([TableData(TABLES[1], [2025], [row], sheet="test")], Author(reason="import test.xlsx"))


@pytest.fixture
def changed(report):
    """What administrators and officers changed after the report was loaded; returns the report's values."""
    printed = report[1].value("北京", 2025, "发明")
    import_beijing_2025_filings(printed + 1000)
    beijing = models.Region.objects.get(code="110000")
    original_name_en = beijing.name_en
    beijing.name_en = "Peking"
    beijing.save()
    indicator = models.Indicator.objects.get(code="R01")
    original_required = indicator.required
    indicator.required = not indicator.required
    indicator.save()
    centre = Centre.objects.get(name="北京知识产权保护中心", region=beijing)
    original_note = centre.note
    centre.note = "由管理员更正"
    centre.save()
    case = TypicalCase.objects.get(batch=4, number=1)
    original_title = case.title
    case.title = "管理员改过的标题"
    case.save()
    summary = WorkSummary.objects.get(region=beijing, year=2025)
    original_narrative = summary.narrative
    WorkSummary.objects.filter(pk=summary.pk).update(narrative="改过的文本")
    return {
        "invention": printed,
        "name_en": original_name_en,
        "required": original_required,
        "note": original_note,
        "title": original_title,
        "narrative": original_narrative,
    }


def beijing_filings_2025():
    return models.RegionPatentFigure.objects.get(region__code="110000", year=2025, measure="filed")


def test_a_second_load_keeps_every_change_and_lists_it(changed):
    before = dump(exclude={"statistics.ImportRun"})
    out = io.StringIO()
    call_command("load_report_data", stdout=out)  # exits normally: bin/run must stay usable
    assert dump(exclude={"statistics.ImportRun"}) == before

    output = out.getvalue()
    invention = str(models.RegionPatentFigure._meta.get_field("invention").verbose_name)
    assert beijing_filings_2025().invention == changed["invention"] + 1000
    kept_lines = [line for line in output.splitlines() if "→" in line]
    # entity, year, measure, stored value → fixture value
    assert any(
        f"表 1 北京 2025 发明: {changed['invention'] + 1000} → {changed['invention']}" in line for line in kept_lines
    ), output
    assert invention  # the measure is named as printed (发明), not by the field
    assert any("110000" in line and f"Peking → {changed['name_en']}" in line for line in kept_lines), output
    required = str(models.Indicator._meta.get_field("required").verbose_name)
    assert any("R01" in line and required in line for line in kept_lines), output
    assert any("北京知识产权保护中心" in line and f"由管理员更正 → {changed['note']}" in line for line in kept_lines)
    assert any(f"管理员改过的标题 → {changed['title']}" in line for line in kept_lines), output
    assert any("北京" in line and "改过的文本 →" in line for line in kept_lines), output
    assert "6 stored values differ from the report and were kept; use --force" in output

    (run,) = run_outputs()[-1:]
    assert run.status == models.ImportRun.Status.SUCCEEDED
    assert run.origin.startswith("command (")
    assert (run.created, run.updated) == (0, 0)
    assert len(run.problems) == 6 and all("→" in problem for problem in run.problems)


def test_force_replaces_lists_records_the_run_and_writes_history(changed):
    summary_version = WorkSummary.objects.get(region__code="110000", year=2025).version
    out = io.StringIO()
    call_command("load_report_data", "--force", stdout=out)
    output = out.getvalue()
    run = run_outputs()[-1]
    assert run.status == models.ImportRun.Status.SUCCEEDED and run.origin.startswith("command (")
    assert run.updated == 6
    assert "6 stored values replaced with the report's values." in output
    assert f"表 1 北京 2025 发明: {changed['invention'] + 1000} → {changed['invention']}" in output

    figure = beijing_filings_2025()
    beijing = models.Region.objects.get(code="110000")
    centre = Centre.objects.get(name="北京知识产权保护中心", region=beijing)
    case = TypicalCase.objects.get(batch=4, number=1)
    summary = WorkSummary.objects.get(region=beijing, year=2025)
    indicator = models.Indicator.objects.get(code="R01")
    assert figure.invention == changed["invention"]
    assert beijing.name_en == changed["name_en"]
    assert indicator.required == changed["required"]
    assert centre.note == changed["note"]
    assert case.title == changed["title"]
    assert summary.narrative == changed["narrative"]
    assert summary.version == summary_version + 1  # an editor holding the old version gets a conflict

    for record in (figure, beijing, indicator, centre, case, summary):
        latest = record.history.order_by("-history_id").first()
        assert latest.history_type == "~", record
        assert f"import run {run.pk}" in latest.history_change_reason, record
    assert len(run.problems) == 6


def test_missing_rows_are_created_and_nothing_else_is_written(report):
    """A deleted figure and a deleted typical case come back; every other table stays as it was."""
    beijing_filings_2025().delete()
    TypicalCase.objects.filter(batch=4, number=1).delete()
    untouched = {
        "statistics.RegionPatentFigure",
        "statistics.HistoricalRegionPatentFigure",
        "localwork.TypicalCase",
        "localwork.HistoricalTypicalCase",
        "statistics.ImportRun",
        "core.PublishedVersion",  # new figures are published: the anonymous caches' version changes, rightly
    }
    before = dump(exclude=untouched)
    out = io.StringIO()
    call_command("load_report_data", stdout=out)
    assert dump(exclude=untouched) == before
    assert beijing_filings_2025().invention == report[1].value("北京", 2025, "发明")
    assert TypicalCase.objects.filter(batch=4, number=1).exists()
    assert "appendix figures: 1 created, 0 updated" in out.getvalue()
    run = run_outputs()[-1]
    assert (run.created, run.updated, run.problems) == (2, 0, [])


def bin_run_commands() -> list[list[str]]:
    """The manage.py commands bin/run runs before it starts the worker and the server, with their arguments, read
    from the script (the worker and the server run until stopped; they write no records of their own)."""
    commands = []
    for line in BIN_RUN.read_text().splitlines():
        match = re.match(r"^(?:exec )?\.venv/bin/python manage\.py (\S+)(.*)$", line.strip())
        if match and match.group(1) not in ("runserver", "run_worker"):
            commands.append([match.group(1), *match.group(2).split()])
    return commands


def run_bin_run_sequence() -> None:
    for name, *arguments in bin_run_commands():
        call_command(name, *arguments, stdout=io.StringIO(), stderr=io.StringIO())


def test_bin_run_runs_migrate_load_and_demo_accounts():
    assert bin_run_commands() == [["migrate", "--noinput"], ["load_report_data", "--seed"], ["create_demo_accounts"]]


def test_bin_run_twice_leaves_every_table_identical(settings):
    """A start on a database that holds the report, then (after people changed things) another: nothing changes."""
    settings.DEBUG = True
    run_bin_run_sequence()
    # What people do between two starts: a corrected figure, a new password, an officer moved to another region.
    import_beijing_2025_filings(1)
    officer = get_user_model().objects.get(username="officer-beijing")
    officer.set_password("changed-by-its-owner")
    officer.save()
    RegionAssignment.objects.filter(user=officer).update(region=models.Region.objects.get(code="120000"))
    before = dump()
    run_bin_run_sequence()
    assert dump() == before
    officer.refresh_from_db()
    assert officer.check_password("changed-by-its-owner")
    assert beijing_filings_2025().invention == 1


KEPT_BY_MIGRATE = {"contenttypes.ContentType", "auth.Permission", "auth.Group", "auth.Group_permissions"}


@pytest.fixture
def migrated_only(db):
    """A database as ``migrate`` leaves it: content types, permissions and role groups, nothing else (the import
    runs excepted: they are never deleted). Rows are removed without signals or cascades; the foreign keys are
    deferred and the test's transaction is rolled back, so the order does not matter."""
    models.ImportRun.objects.update(user=None)  # its users go, too
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label not in KEPT_BY_MIGRATE and model is not models.ImportRun and model._meta.managed:
            model._base_manager.all()._raw_delete(model._base_manager.db)
    assert not models.Region.objects.exists()


def test_seed_loads_an_empty_database_and_leaves_any_other_alone(migrated_only):
    first = io.StringIO()
    call_command("load_report_data", "--seed", "--reference-only", stdout=first)
    assert models.Region.objects.count() == 50
    assert "reference data: 900 rows created or changed" in first.getvalue()
    models.Region.objects.filter(code="110000").update(name_en="Peking")
    before = dump()
    second = io.StringIO()
    call_command("load_report_data", "--seed", stdout=second)
    assert dump() == before  # not even an import run
    assert "left alone" in second.getvalue()


def test_loading_by_hand_twice_changes_nothing_but_the_run_record():
    before = dump(exclude={"statistics.ImportRun"})
    runs = len(run_outputs())
    call_command("load_report_data", stdout=io.StringIO())
    call_command("load_report_data", stdout=io.StringIO())
    assert dump(exclude={"statistics.ImportRun"}) == before
    added = run_outputs()[runs:]
    assert [(run.created, run.updated, run.problems) for run in added] == [(0, 0, [])] * 2


def test_a_refused_load_writes_nothing_and_records_the_refusal(monkeypatch, changed):
    """The whole load is one transaction: a problem in one app's fixture leaves the others unwritten too."""
    from django.core.management.base import CommandError

    from protection import loading

    def refuse(*args, **kwargs):
        raise CommandError("fixtures/protection/centres.csv:\nrow 2: refused for the test")

    monkeypatch.setattr(loading, "load_registry", refuse)
    beijing_filings_2025().delete()
    before = dump(exclude={"statistics.ImportRun"})
    with pytest.raises(CommandError):
        call_command("load_report_data", "--force", stdout=io.StringIO())
    assert dump(exclude={"statistics.ImportRun"}) == before
    run = run_outputs()[-1]
    assert run.status == models.ImportRun.Status.REFUSED
    assert (run.created, run.updated) == (0, 0)
    assert "refused for the test" in run.problems[0]
