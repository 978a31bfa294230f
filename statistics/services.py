"""Reading and writing appendix figures: the one path every loader and importer goes through.

``apply_tables`` is the only way tables in the report's shape reach the database: it resolves the labels, runs
every rule in ``rules.py`` and then writes everything in one transaction, or raises ``TableProblems`` and writes
nothing. ``table_from_database`` goes the other way, for the exporter, deriving the totals rows.
"""

import csv
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import locks
from core.caching import statistics_changed
from core.problems import Problem
from core.progress import NoProgress

from . import rules
from .appendix import TABLES, AppendixTable, measure_name
from .figure_writes import row_names, write_figures
from .fixture_loading import Difference, FixtureLoad, fields_differing
from .models import Country, ForeignRowOrder, Region
from .tabledata import ROW_KIND_BY_LABEL, RowKind, TableData, TableRow
from .totals import DOMESTIC, FOREIGN, GRAND, Totals, appendix_totals

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class TableProblems(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other):
        return WriteCounts(self.created + other.created, self.updated + other.updated, self.unchanged + other.unchanged)


# ---------------------------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(model, lookup: dict, values: dict, load: FixtureLoad, entity: str = "") -> tuple[object, bool]:
    """Create a missing row; a stored row that differs from the fixture is kept unless the load is forced.

    Returns (object, written). A replaced row is saved normally, so simple-history records it with the load's reason.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj._change_reason = load.reason
        obj.save()
        load.count(created=1)
        return obj, True
    what = str(model._meta.verbose_name)
    differences = fields_differing(obj, values, what, entity or str(obj))
    if not load.differs(differences):
        load.count(unchanged=not differences)
        return obj, False
    for difference_name in [name for name, value in values.items() if getattr(obj, name) != value]:
        setattr(obj, difference_name, values[difference_name])
    obj._change_reason = load.reason
    obj.save()
    load.count(updated=1)
    return obj, True


@transaction.atomic
def load_reference_data(folder: Path = FIXTURES, load: FixtureLoad | None = None) -> int:
    """Regions, countries and the report's foreign row order. Returns how many rows were written.

    What is missing is created; a stored value that differs (a region renamed by an administrator) is kept and
    reported through ``load`` unless the load is forced.
    """
    load = load or FixtureLoad()
    changed = 0
    regions = {}
    for row in _read_csv(folder / "reference" / "regions.csv"):
        values = {
            "name_zh": row["name_zh"],
            "full_name_zh": row["full_name_zh"],
            "name_en": row["name_en"],
            "level": row["level"],
            "parent": regions.get(row["parent"]),
            "display_order": int(row["display_order"]),
        }
        entity = f"{row['code']} {row['name_zh']}"
        regions[row["code"]], did_change = _upsert(Region, {"code": row["code"]}, values, load, entity)
        changed += did_change
    countries = {}
    for row in _read_csv(folder / "reference" / "countries.csv"):
        values = {
            "alpha2": row["alpha2"] or None,
            "alpha3": row["alpha3"] or None,
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "kind": row["kind"],
        }
        entity = f"{row['code']} {row['name_zh']}"
        countries[row["code"]], did_change = _upsert(Country, {"code": row["code"]}, values, load, entity)
        changed += did_change
    for row in _read_csv(folder / "reference" / "countries.csv"):
        if row["members"]:
            changed += _load_members(
                countries[row["code"]], [countries[code] for code in row["members"].split("+")], load
            )
    changed += _load_foreign_row_order(folder / "appendix.csv", load)
    return changed


def _load_members(joint: Country, members: list[Country], load: FixtureLoad) -> int:
    """A joint holder's member countries: set when it has none, kept (and reported) when someone changed them."""
    stored = set(joint.members.values_list("code", flat=True))
    wanted = {member.code for member in members}
    if stored == wanted:
        return 0
    if stored:
        label = str(Country._meta.get_field("members").verbose_name)
        difference = Difference(
            str(Country._meta.verbose_name), joint.code, None, label, "+".join(sorted(stored)), "+".join(sorted(wanted))
        )
        if not load.differs([difference]):
            return 0
    joint.members.set(members)
    return 1


def _load_foreign_row_order(path: Path, load: FixtureLoad) -> int:
    """The order in which the report prints each table's foreign rows, read from the appendix fixture."""
    references = rules.References()
    positions: dict[tuple[int, int], int] = {}
    for table_number, rows in _fixture_rows(path).items():
        for label, position in rows:
            country = references.country(label)
            if country is not None and TABLES[table_number].has_foreign:
                positions.setdefault((table_number, country), position)
    stored = set(ForeignRowOrder.objects.values_list("table", "country_id"))
    new = [
        ForeignRowOrder(table=table_number, country=country, position=position)
        for (table_number, country), position in positions.items()
        if (table_number, country.pk) not in stored
    ]
    load.create_all(ForeignRowOrder, new)
    changed = len(new)
    for (table_number, country), position in positions.items():
        if (table_number, country.pk) not in stored:
            continue
        _obj, did_change = _upsert(
            ForeignRowOrder,
            {"table": table_number, "country_id": country.pk},
            {"position": position},
            load,
            f"表 {table_number} {country.name_zh}",
        )
        changed += did_change
    return changed


def _fixture_rows(path: Path) -> dict[int, list[tuple[str, int]]]:
    rows = defaultdict(dict)
    for cell in _read_csv(path):
        rows[int(cell["table"])].setdefault(cell["label"], int(cell["row"]))
    return {table: list(labels.items()) for table, labels in rows.items()}


# ---------------------------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------------------------


def read_fixture_tables(path: Path) -> list[TableData]:
    """The long-format appendix fixture (one printed cell per line) as tables in the report's shape."""
    tables: dict[int, TableData] = {}
    rows: dict[tuple[int, int], TableRow] = {}
    for cell in _read_csv(path):
        number, row_number, year = int(cell["table"]), int(cell["row"]), int(cell["year"])
        data = tables.setdefault(number, TableData(TABLES[number], [], sheet=f"{path.name} 表{number}"))
        if year not in data.years:
            data.years.append(year)
        row = rows.get((number, row_number))
        if row is None:
            row = rows[(number, row_number)] = TableRow(cell["label"], row=row_number)
            data.rows.append(row)
        row.values[(year, cell["measure"])] = int(cell["value"])
    return [tables[number] for number in sorted(tables)]


def table_lock_keys(datas: list[TableData]) -> list[str]:
    return [f"statistics:table:{data.table.number}:{year}" for data in datas for year in data.years]


def check_tables(datas: list[TableData]) -> list[Problem]:
    """Resolve and check every table; an empty list means they may be written.

    Inside a transaction, it first locks each (table, year) until the transaction ends (``core.locks``), so a
    concurrent import of the same figures waits rather than slipping between this check and the write."""
    if transaction.get_connection().in_atomic_block:
        locks.hold(*table_lock_keys(datas))
    references = rules.References()
    problems = []
    for data in datas:
        problems += rules.resolve(data, references)
    for data, stored in zip(datas, stored_values_of(datas), strict=True):
        problems += rules.check(data, stored)
    return problems


def stored_values(data: TableData) -> dict[str, dict[int, tuple[object, dict[tuple[int, str], int]]]]:
    """What the database holds for this table's years: {"Region"|"Country": {pk: (entity, {(year, code): value})}}."""
    return stored_values_of([data])[0]


def _tables_models(table: AppendixTable) -> list:
    return [model for model in (table.region_model, table.country_model) if model is not None]


def stored_values_of(datas: list[TableData]) -> list[dict]:
    """``stored_values`` of each table of ``datas``, read with one query per figures model (not one per table and
    year: an import of a long file holds hundreds of them)."""
    wanted = defaultdict(set)  # model → {(measure, year)}
    for data in datas:
        for model in _tables_models(data.table):
            wanted[model] |= {(data.table.measure, year) for year in data.years}
    found = {model: _stored_rows(model, pieces) for model, pieces in wanted.items()}
    result = []
    for data in datas:
        table, stored = data.table, {}
        for model in _tables_models(table) if data.years else []:
            entries = stored.setdefault(model._meta.get_field(model.entity_field).related_model.__name__, {})
            for year in data.years:
                for entity, values in found[model].get((table.measure, year), ()):
                    entries.setdefault(entity.pk, (entity, {}))[1].update(_row_values(table, model, year, values))
        result.append(stored)
    return result


def _stored_rows(model, pieces: set[tuple[str | None, int]]) -> dict[tuple[str | None, int], list[tuple]]:
    """The stored rows of ``model`` for the ``pieces``: {(measure, year): [(entity, {field: value})]}."""
    entity_id = f"{model.entity_field}_id"
    has_measure = model.has_measure()
    queryset = model.objects.order_by().filter(year__in={year for _measure, year in pieces})
    if has_measure:
        queryset = queryset.filter(measure__in={measure for measure, _year in pieces})
    names = [entity_id, "year", *(["measure"] if has_measure else []), *model.value_fields]
    rows = [dict(zip(names, row, strict=True)) for row in queryset.values_list(*names)]
    entity_model = model._meta.get_field(model.entity_field).related_model
    entities = entity_model.objects.in_bulk({row[entity_id] for row in rows}) if rows else {}
    found = defaultdict(list)
    for row in rows:
        piece = (row.get("measure"), row["year"])
        if piece in pieces:
            found[piece].append((entities[row[entity_id]], row))
    return found


def _row_values(table: AppendixTable, model, year: int, row: dict) -> dict[tuple[int, str], int]:
    """{(year, column code): value} of one stored row (a dict of its fields), with its derived row total."""
    return {
        (year, column.code): row[column.field] if column.field else sum(row[name] for name in model.value_fields)
        for column in table.columns
    }


@dataclass(frozen=True)
class Author:
    """Who a write is recorded against in each changed record's history, and why."""

    user: object = None
    reason: str = ""


@transaction.atomic
def apply_tables(datas: list[TableData], author: Author = Author()) -> WriteCounts:
    """Check all tables, then write all of them, or nothing. Changed rows get a history record; unchanged don't."""
    problems = check_tables(datas)
    if problems:
        raise TableProblems(problems)
    return write_tables(datas, author)


@transaction.atomic
def write_tables(
    datas: list[TableData], author: Author = Author(), outcomes: dict | None = None, progress=None
) -> WriteCounts:
    """Write tables that ``check_tables`` has passed (and resolved).

    ``outcomes``, when given, receives "new", "update" or "skip" for each (entity, table, year) written.
    """
    progress = progress or NoProgress()
    progress.phase("writing", sum(len(data.rows) for data in datas))
    counts = _write_all(datas, author, outcomes)
    progress.finish()
    statistics_changed()
    return counts


def outcome_key(entity, table: AppendixTable, year: int) -> tuple:
    return (type(entity).__name__, entity.pk, table.number, year)


def _model_for(table: AppendixTable, entity):
    return table.region_model if isinstance(entity, Region) else table.country_model


def _write_all(datas: list[TableData], author: Author, outcomes: dict | None) -> WriteCounts:
    """Upsert one (entity, year[, measure]) row per entity and year of every table; rows that already match are
    left alone. One read and one write per figures model for the whole import, whatever its tables and years."""
    targets: dict[type, dict[tuple, tuple[int, dict[str, int]]]] = defaultdict(dict)
    for data in datas:
        table = data.table
        cells_by_year = [
            (year, [(column.field, (year, column.code)) for column in table.stored_columns]) for year in data.years
        ]
        for row in data.entity_rows():
            model_targets, pk, cells = targets[_model_for(table, row.entity)], row.entity.pk, row.values
            for year, keys in cells_by_year:
                values = {field: cells[key] for field, key in keys if key in cells}
                if values:  # a later table of the same (entity, year, measure) wins, as when written in turn
                    model_targets[(pk, year, table.measure)] = (table.number, values)
    counts = WriteCounts()
    for model, model_targets in targets.items():
        counts += _upsert_figures(model, model_targets, author, outcomes)
    return counts


def _upsert_figures(model, targets: dict[tuple, tuple[int, dict[str, int]]], author, outcomes: dict | None):
    """Write ``targets`` ({(entity pk, year, measure): (table number, {field: value})}) of one figures model."""
    entity_id = f"{model.entity_field}_id"
    entity_name = model._meta.get_field(model.entity_field).related_model.__name__
    has_measure = model.has_measure()
    outcomes = {} if outcomes is None else outcomes
    names = row_names(model)
    queryset = model.objects.order_by().filter(
        year__in={year for _pk, year, _measure in targets}, **{f"{entity_id}__in": {pk for pk, _y, _m in targets}}
    )
    if has_measure:
        queryset = queryset.filter(measure__in={measure for _pk, _year, measure in targets})
    existing = {
        (row[entity_id], row["year"], row.get("measure")): row for row in queryset.values("pk", *names).iterator()
    }
    to_create, to_update, unchanged = [], [], 0
    for (entity_pk, year, measure), (table_number, values) in targets.items():
        stored = existing.get((entity_pk, year, measure))
        key = (entity_name, entity_pk, table_number, year)
        if stored is None:
            values[entity_id], values["year"] = entity_pk, year  # ``values`` becomes the row to write
            if has_measure:
                values["measure"] = measure
            to_create.append(values)
            outcomes[key] = "new"
        elif any(stored[name] != value for name, value in values.items()):
            to_update.append({**stored, **values})
            outcomes[key] = "update"
        else:
            unchanged += 1
            outcomes[key] = "skip"
    # PostgreSQL: COPY into a staging table and one merge; elsewhere bulk statements (figure_writes.py).
    write_figures(model, to_create, to_update, list(model.value_fields), author.user, author.reason)
    return WriteCounts(len(to_create), len(to_update), unchanged)


@transaction.atomic
def load_report_figures(path: Path = FIXTURES / "appendix.csv", load: FixtureLoad | None = None) -> WriteCounts:
    """The report's figures: missing rows are created; a stored figure that differs is kept unless forced.

    The fixture is checked on its own (its printed totals against its rows), not against the stored figures: those
    that people changed since were checked when they were written, and the report's totals need not match them.
    """
    load = load or FixtureLoad()
    datas = read_fixture_tables(path)
    references = rules.References()
    problems = []
    for data in datas:
        problems += rules.resolve(data, references)
        problems += rules.check(data)
    if problems:
        raise TableProblems(problems)
    for data in datas:
        _drop_kept_changes(data, load)
    counts = _write_all(datas, Author(reason=load.reason), None)
    if counts.created or counts.updated:  # a load that wrote nothing must not change the published version either
        statistics_changed()
    load.count(counts.created, counts.updated, counts.unchanged)
    return counts


def _drop_kept_changes(data: TableData, load: FixtureLoad) -> None:
    """Report every stored figure that differs from the fixture's ``data``; unless forced, drop it from the write."""
    table = data.table
    stored = stored_values(data)
    for row in data.entity_rows():
        _entity, values = stored.get(type(row.entity).__name__, {}).get(row.entity.pk, (None, {}))
        for year in data.years:
            differences = [
                Difference(
                    f"表 {table.number}",
                    row.entity.name_zh,
                    year,
                    column.label,
                    values[(year, column.code)],
                    row.values[(year, column.code)],
                )
                for column in table.stored_columns
                if (year, column.code) in values
                and (year, column.code) in row.values
                and values[(year, column.code)] != row.values[(year, column.code)]
            ]
            if differences and not load.differs(differences):
                for key in [key for key in row.values if key[0] == year]:
                    del row.values[key]


# ---------------------------------------------------------------------------------------------------------------
# Reading back, for the exporter
# ---------------------------------------------------------------------------------------------------------------


def _figure_values(table: AppendixTable, figure, year: int) -> dict[tuple[int, str], int]:
    """{(year, column code): value} of one stored row, with its derived row total (``Figure.total``)."""
    return {(year, column.code): getattr(figure, column.field or column.code) for column in table.columns}


def table_from_database(table: AppendixTable, year: int) -> TableData:
    """Table ``table`` for the years ``year - 1`` and ``year``, in the report's row order, with derived totals."""
    years = [year - 1, year]
    data = TableData(table, years, sheet=f"表{table.number}")
    domestic, foreign = [], []
    if table.has_domestic:
        domestic = _entity_rows(table, table.region_model, years, "region", _region_order)
    if table.has_foreign:
        foreign = _entity_rows(table, table.country_model, years, "country", _country_order(table))
    found = appendix_totals(years, tables={table.number})
    totals = {
        role: TableRow(label, _block_totals(table, found, years, role), role=role)
        for label, role in ROW_KIND_BY_LABEL.items()
    }
    if table.has_grand_total:
        data.rows.append(totals[RowKind.GRAND_TOTAL])
    if table.has_domestic:
        data.rows += [totals[RowKind.DOMESTIC_TOTAL], *domestic]
    if table.has_foreign:
        data.rows += [totals[RowKind.FOREIGN_TOTAL], *foreign]
    return data


SCOPE_OF_ROW_KIND = {RowKind.DOMESTIC_TOTAL: DOMESTIC, RowKind.FOREIGN_TOTAL: FOREIGN, RowKind.GRAND_TOTAL: GRAND}


def _block_totals(table: AppendixTable, found: Totals, years: list[int], role: str) -> dict[tuple[int, str], int]:
    """The printed total row of ``role`` from the national totals (``totals.py``), keyed as the table keys cells."""
    cells = {
        (year, column.code): found.value(measure_name(table, column.code), SCOPE_OF_ROW_KIND[role], year)
        for year in years
        for column in table.columns
    }
    return {key: value for key, value in cells.items() if value is not None}


def _region_order(region: Region):
    return (region.is_part, region.display_order)


def _country_order(table: AppendixTable):
    positions = dict(ForeignRowOrder.objects.filter(table=table.number).values_list("country_id", "position"))
    return lambda country: (country.pk not in positions, positions.get(country.pk, 0), country.code)


def _entity_rows(table, model, years, entity_field, order) -> list[TableRow]:
    rows: dict[int, TableRow] = {}
    for figure in table.queryset(model, years).select_related(entity_field):
        entity = getattr(figure, entity_field)
        row = rows.get(entity.pk)
        if row is None:
            label = f"({entity.name_zh})" if getattr(entity, "is_part", False) else entity.name_zh
            row = rows[entity.pk] = TableRow(label, entity=entity)
        row.values.update(_figure_values(table, figure, figure.year))
    return sorted(rows.values(), key=lambda row: order(row.entity))


# ---------------------------------------------------------------------------------------------------------------
# One figure (the admin's change form): the same rules, locks and history as an import
# ---------------------------------------------------------------------------------------------------------------


class FigureRefused(Exception):
    """A single-figure write refused, with every reason for the user; nothing has been written.

    ``status`` is the HTTP status an API would answer: 403 not allowed, 409 stale, 400 a broken rule."""

    def __init__(self, messages: list[str], status: int = 400):
        self.messages = [str(message) for message in messages]
        self.status = status
        super().__init__("\n".join(self.messages))


def figure_version(figure) -> str:
    """What an edit is made against: a fingerprint of the stored row (entity, year, measure and values).

    Figures carry no version column (an import writes thousands of rows in bulk); any write that changes the row,
    by whatever path, changes its fingerprint, so an edit opened before it is refused."""
    model = type(figure)
    parts = [model._meta.label, figure.pk, getattr(figure, f"{model.entity_field}_id"), figure.year]
    parts += [getattr(figure, "measure", None), *(getattr(figure, name) for name in model.value_fields)]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def table_of(figure) -> AppendixTable:
    """The appendix table that prints ``figure``'s row (by its model and measure)."""
    model, measure = type(figure), getattr(figure, "measure", None)
    return next(
        table
        for table in TABLES.values()
        if model in (table.region_model, table.country_model) and table.measure == measure
    )


def _as_table(figure) -> TableData:
    """``figure`` as a one-row table in the report's shape, checked exactly as an imported table is."""
    table, entity = table_of(figure), figure.entity
    label = f"({entity.name_zh})" if getattr(entity, "is_part", False) else entity.name_zh
    values = {(figure.year, column.code): getattr(figure, column.field) for column in table.stored_columns}
    row = TableRow(label, {key: value for key, value in values.items() if value is not None})
    return TableData(table, [figure.year], [row], sheet=str(table.heading_short))


def figure_problems(figure) -> list[str]:
    """Why ``figure`` (changed, not yet written) may not be saved: a duplicate row, or a rule of ``rules.py``
    (negative values, "of which" rows larger than their province) against the rows already stored."""
    try:
        figure.validate_unique()
    except ValidationError as error:
        return list(error.messages)
    return [str(problem.message) for problem in check_tables([_as_table(figure)])]


def stale_refusal(figure, expected_version: str | None, lock: bool = False) -> str | None:
    """Why an edit of ``figure`` made against ``expected_version`` comes too late, or None: the row was deleted or
    changed since (``lock`` holds the row until the transaction ends, for the write)."""
    model = type(figure)
    rows = model.objects.select_related(model.entity_field).filter(pk=figure.pk)
    current = (rows.select_for_update() if lock else rows).first()
    if current is None:
        return _("This figure was deleted after you opened it; nothing was saved.")
    if expected_version != figure_version(current):
        return _(
            "%(cell)s was changed by someone else after you opened it. Nothing of yours was saved: reload the page "
            "to see the change, then make yours again."
        ) % {"cell": current.describe()}
    return None


@transaction.atomic
def save_figure(figure, user, expected_version: str | None, reason: str = ""):
    """Write one figure row for ``user``: permission, version, the import's rules and locks, history, or nothing.

    ``expected_version`` is ``figure_version`` of the row as the user opened it (not needed for a new row). A
    refused write raises ``FigureRefused`` and leaves the database as it was."""
    model = type(figure)
    action = "change" if figure.pk else "add"
    if not user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}"):
        raise FigureRefused([_("You may not change %(things)s.") % {"things": model._meta.verbose_name_plural}], 403)
    stale = stale_refusal(figure, expected_version, lock=True) if figure.pk else None
    if stale:
        raise FigureRefused([stale], 409)
    problems = figure_problems(figure)
    if problems:
        raise FigureRefused(problems)
    figure._history_user = user
    figure._change_reason = reason
    figure.save()  # the history row; the published version moves with the save (``signals.py``)
    return figure
