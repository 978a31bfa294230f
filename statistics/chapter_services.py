"""Reading and writing the chapter tables' figures: the one path the fixture loader and the importer go through.

``check_chapter_tables`` resolves each row's label and runs the rules of ``rules.check_chapter_table``;
``write_chapter_tables`` then writes the stored (non-total) cells, in the caller's transaction, with a history
record for each created or changed cell. ``load_chapter_figures`` is the fixture loader ``load_report_data`` calls:
it creates what is missing and keeps a stored value that differs from the report unless the load is forced.
``chapter_table_from_database`` reads a table back with its totals derived, for the exporter and the pages.
"""

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from core.caching import statistics_changed
from core.history import CHANGED, CREATED, record_bulk_history
from core.problems import Problem

from . import rules
from .chapter_tables import TABLES, ChapterRowData, ChapterTable, ChapterTableData
from .fixture_loading import FIXTURES, Difference, FixtureLoad
from .models import ChapterFigure
from .services import Author, TableProblems, WriteCounts

FIXTURE = FIXTURES / "chapter_tables.csv"


def read_fixture(path: Path = FIXTURE) -> list[ChapterTableData]:
    """The fixture (one printed cell per line, totals included, in printed order) as tables."""
    tables: dict[str, ChapterTableData] = {}
    rows: dict[tuple[str, str], ChapterRowData] = {}
    problems = []
    with path.open(encoding="utf-8", newline="") as handle:
        for cell in csv.DictReader(handle):
            table = TABLES.get(cell["table"])
            if table is None:
                problems.append(Problem(_("unknown chapter table “%(code)s”") % {"code": cell["table"]}))
                continue
            data = tables.setdefault(table.code, ChapterTableData(table, [], sheet=path.name))
            year = int(cell["year"])
            if year not in data.years:
                data.years.append(year)
            key = (table.code, cell["line"])  # a label can repeat ("(1) 发明专利" under requests and decisions)
            row = rows.get(key)
            if row is None:
                row = rows[key] = ChapterRowData(cell["label"], row=int(cell["line"]))
                data.rows.append(row)
            row.values[year] = Decimal(cell["value"])
    if problems:
        raise TableProblems(problems)
    return list(tables.values())


def check_chapter_tables(datas: list[ChapterTableData]) -> list[Problem]:
    """Resolve and check every table; an empty list means they may be written."""
    problems = []
    for data in datas:
        problems += rules.resolve_chapter(data)
        problems += rules.check_chapter_table(data)
    return problems


def parse_value(value) -> tuple[Decimal | None, str | None]:
    """A cell as a number (decimals allowed; whole numbers are checked by the rules), or why it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, _("“%(value)s” is not a number") % {"value": value}
    try:
        text = str(value).replace(",", "").replace("，", "").strip()
        number = Decimal(text)
    except InvalidOperation:
        return None, _("“%(value)s” is text, not a number") % {"value": value}
    if not number.is_finite():
        return None, _("“%(value)s” is text, not a number") % {"value": value}
    return number, None


def _wanted(datas: list[ChapterTableData]) -> dict[tuple[str, str, int], Decimal]:
    wanted = {}
    for data in datas:
        for (code, year), value in data.values().items():
            if not data.table.row(code).derived:
                wanted[(data.table.code, code, year)] = value
    return wanted


def write_chapter_tables(datas: list[ChapterTableData], author: Author | None = None) -> WriteCounts:
    """Write tables that ``check_chapter_tables`` passed: the stored cells only; unchanged cells are left alone."""
    author = author or Author()
    wanted = _wanted(datas)
    if not wanted:
        return WriteCounts()
    existing = {
        (figure.table, figure.row, figure.year): figure
        for figure in ChapterFigure.objects.filter(table__in={table for table, _row, _year in wanted})
    }
    to_create, to_update, unchanged = [], [], 0
    for (table, row, year), value in wanted.items():
        figure = existing.get((table, row, year))
        if figure is None:
            to_create.append(ChapterFigure(table=table, row=row, year=year, value=value))
        elif figure.value != value:
            figure.value = value
            to_update.append(figure)
        else:
            unchanged += 1
    with transaction.atomic():
        if to_create:
            ChapterFigure.objects.bulk_create(to_create)
            record_bulk_history(ChapterFigure, [figure.pk for figure in to_create], CREATED, author.user, author.reason)
        if to_update:
            ChapterFigure.objects.bulk_update(to_update, ["value"])
            record_bulk_history(ChapterFigure, [figure.pk for figure in to_update], CHANGED, author.user, author.reason)
    if to_create or to_update:
        statistics_changed()
    return WriteCounts(len(to_create), len(to_update), unchanged)


def apply_chapter_tables(datas: list[ChapterTableData], author: Author | None = None) -> WriteCounts:
    """Check, then write all tables or nothing."""
    problems = check_chapter_tables(datas)
    if problems:
        raise TableProblems(problems)
    return write_chapter_tables(datas, author or Author())


@transaction.atomic
def load_chapter_figures(path: Path = FIXTURE, load: FixtureLoad | None = None) -> WriteCounts:
    """The report's chapter tables: missing cells are created; a stored value that differs is kept unless forced.

    The fixture is checked on its own (its printed totals against its rows) before anything is written.
    """
    load = load or FixtureLoad()
    datas = read_fixture(path)
    problems = check_chapter_tables(datas)
    if problems:
        raise TableProblems(problems)
    stored = {(figure.table, figure.row, figure.year): figure for figure in ChapterFigure.objects.all()}
    for data in datas:
        for row in data.rows:
            if row.declared.derived:
                continue
            for year in list(row.values):
                figure = stored.get((data.table.code, row.declared.code, year))
                if figure is None or figure.value == row.values[year]:
                    continue
                difference = Difference(
                    data.table.title, row.declared.label, year, str(_("value")), figure.value, row.values[year]
                )
                if not load.differs([difference]):
                    del row.values[year]
    counts = write_chapter_tables(datas, Author(reason=load.reason))
    load.count(counts.created, counts.updated, counts.unchanged)
    return counts


def on_report_data_loaded(sender, load=None, **kwargs) -> str:
    counts = load_chapter_figures(load=load)
    return f"chapter tables: {counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged"


def connect_chapter_loading() -> None:
    from .signals import report_data_loaded

    report_data_loaded.connect(on_report_data_loaded, dispatch_uid="statistics.load_chapter_figures")


def chapter_table_from_database(table: ChapterTable, year: int) -> ChapterTableData:
    """``table`` for the report year ``year`` (and ``year - 1`` where it prints two), every printed row, totals
    derived from the stored cells. A total is left empty for a year where one of its parts is missing."""
    years = table.years(year)
    stored = {
        (figure.row, figure.year): figure.value
        for figure in ChapterFigure.objects.filter(table=table.code, year__in=years)
    }
    data = ChapterTableData(table, years, sheet=table.title)
    for declared in table.rows:
        row = ChapterRowData(declared.label, declared=declared)
        for each_year in years:
            leaves = [stored.get((leaf, each_year)) for leaf in table.leaves(declared.code)]
            if all(value is not None for value in leaves):
                row.values[each_year] = sum(leaves, Decimal(0))
        data.rows.append(row)
    return data
