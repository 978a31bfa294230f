"""The layout of appendix tables 1–12, declared once.

Everything that reads or writes a table in the report's shape (the fixture loader, the exporter, the importer)
works from these declarations: the title, the unit, the year header, the measure columns, which model holds the
rows and which measure they carry.
"""

from dataclasses import dataclass

from . import models

UNIT_LINE = "单位：件"

DOMESTIC_TOTAL = "国内总计"
FOREIGN_TOTAL = "国外在华总计"
GRAND_TOTAL = "合计"
TOTAL_LABELS = (DOMESTIC_TOTAL, FOREIGN_TOTAL, GRAND_TOTAL)


@dataclass(frozen=True)
class Column:
    """One measure column as printed. ``field`` is the model field; a derived column (the row total) has none."""

    code: str
    label: str
    field: str | None

    @property
    def derived(self) -> bool:
        return self.field is None


PATENT_COLUMNS = (
    Column("total", "合计", None),
    Column("invention", "发明", "invention"),
    Column("utility_model", "实用新型", "utility_model"),
    Column("design", "外观设计", "design"),
)
TRADEMARK_COLUMNS = (
    Column("applications", "申请量", "applications"),
    Column("registrations", "注册量", "registrations"),
    Column("in_force", "年末有效注册量", "in_force"),
)


@dataclass(frozen=True)
class AppendixTable:
    number: int
    title: str
    columns: tuple[Column, ...]
    region_model: type[models.Figure] | None = None
    country_model: type[models.Figure] | None = None
    measure: str | None = None
    year_label: str = "{year} 年"
    years_in_title: bool = True
    # Tables 9–12 print the measure over the years; the others print the years over the measures.
    measure_over_years: bool = False

    @property
    def entity_header(self) -> str:
        return "地区" if self.country_model is None else "国家和地区"

    @property
    def has_domestic(self) -> bool:
        return self.region_model is not None

    @property
    def has_foreign(self) -> bool:
        return self.country_model is not None

    @property
    def has_grand_total(self) -> bool:
        return self.has_domestic and self.has_foreign

    @property
    def has_total(self) -> bool:
        """Patent tables print a row total (合计), derived from the stored columns (``Figure.with_total``)."""
        return any(column.derived for column in self.columns)

    @property
    def stored_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if not column.derived)

    @property
    def domestic_number(self) -> int:
        """The table that names this table's measures: itself, or the domestic table before a foreign one (2 → 1)."""
        return self.number if self.has_domestic else self.number - 1

    @property
    def foreign_number(self) -> int:
        """The table holding this table's foreign rows: itself (9–12), or the one after a domestic table (1 → 2)."""
        return self.number if self.has_foreign else self.number + 1

    def column(self, code: str) -> Column:
        return next(column for column in self.columns if column.code == code)

    def heading(self, year: int) -> str:
        """``表 1 分地区国内专利申请年度状况（2024 年、2025 年）`` for the years ``year - 1`` and ``year``."""
        suffix = f"（{year - 1} 年、{year} 年）" if self.years_in_title else ""
        return f"表 {self.number} {self.title}{suffix}"

    def year_heading(self, year: int) -> str:
        return self.year_label.format(year=year)

    def queryset(self, model, years):
        queryset = model.objects.filter(year__in=list(years))
        if self.measure:
            queryset = queryset.filter(measure=self.measure)
        return queryset

    def __str__(self):
        return self.heading_short

    @property
    def heading_short(self) -> str:
        return f"表 {self.number} {self.title}"


def _count_column(measure: str, label: str) -> tuple[Column, ...]:
    return (Column(measure, label, "value"),)


TABLES: dict[int, AppendixTable] = {
    table.number: table
    for table in (
        AppendixTable(1, "分地区国内专利申请年度状况", PATENT_COLUMNS, models.RegionPatentFigure, measure="filed"),
        AppendixTable(
            2,
            "分国别（地区）国外在华专利申请年度状况",
            PATENT_COLUMNS,
            country_model=models.CountryPatentFigure,
            measure="filed",
        ),
        AppendixTable(3, "分地区国内专利授权年度状况", PATENT_COLUMNS, models.RegionPatentFigure, measure="granted"),
        AppendixTable(
            4,
            "分国别（地区）国外在华专利授权年度状况",
            PATENT_COLUMNS,
            country_model=models.CountryPatentFigure,
            measure="granted",
        ),
        AppendixTable(
            5,
            "分地区国内有效专利状况",
            PATENT_COLUMNS,
            models.RegionPatentFigure,
            measure="in_force",
            year_label="截至 {year} 年年底",
            years_in_title=False,
        ),
        AppendixTable(
            6,
            "分国别（地区）国外在华有效专利状况",
            PATENT_COLUMNS,
            country_model=models.CountryPatentFigure,
            measure="in_force",
            year_label="截至 {year} 年年底",
            years_in_title=False,
        ),
        AppendixTable(7, "分地区国内商标申请、注册及有效注册年度状况", TRADEMARK_COLUMNS, models.RegionTrademarkFigure),
        AppendixTable(
            8,
            "分国别（地区）国外在华商标申请、注册及有效注册年度状况",
            TRADEMARK_COLUMNS,
            country_model=models.CountryTrademarkFigure,
        ),
        AppendixTable(
            9,
            "地理标志产品累计批准状况",
            _count_column("gi_products", "年末累计批准数量"),
            models.RegionCountFigure,
            models.CountryCountFigure,
            "gi_products",
            measure_over_years=True,
        ),
        AppendixTable(
            10,
            "地理标志作为集体商标、证明商标累计注册状况",
            _count_column("gi_marks", "年末累计注册数量"),
            models.RegionCountFigure,
            models.CountryCountFigure,
            "gi_marks",
            measure_over_years=True,
        ),
        AppendixTable(
            11,
            "集成电路布图设计登记申请状况",
            _count_column("ic_applications", "申请数量"),
            models.RegionCountFigure,
            models.CountryCountFigure,
            "ic_applications",
            measure_over_years=True,
        ),
        AppendixTable(
            12,
            "集成电路布图设计登记发证状况",
            _count_column("ic_certificates", "发证数量"),
            models.RegionCountFigure,
            models.CountryCountFigure,
            "ic_certificates",
            measure_over_years=True,
        ),
    )
}


# ---------------------------------------------------------------------------------------------------------------
# Measure names
# ---------------------------------------------------------------------------------------------------------------


def measure_name(table: int | AppendixTable, column_code: str) -> str:
    """The one name of a measure: ``"<domestic table>.<column code>"``, e.g. ``1.total``, ``7.in_force``,
    ``9.gi_products``.

    Domestic and foreign figures of a measure share its name (table 2's filings are ``1.total`` too; the scope says
    which block). The indicator catalogue (``source_detail``), the dashboards, the province map and the national
    totals all use it.
    """
    number = table.domestic_number if isinstance(table, AppendixTable) else TABLES[table].domestic_number
    TABLES[number].column(column_code)  # StopIteration for a column the table does not print
    return f"{number}.{column_code}"


def measure_of(name: str) -> tuple[AppendixTable, Column]:
    """The domestic table and column a measure name stands for; ``ValueError`` for anything else.

    ``"1.filed"`` (a patent table's own measure) is read as its total, as older catalogues wrote it.
    """
    number, _dot, code = name.partition(".")
    table = TABLES.get(int(number)) if number.isdigit() else None
    if table is None:
        raise ValueError(f"no appendix table in measure name {name!r}")
    table = TABLES[table.domestic_number]
    if code == table.measure and table.has_total:
        code = "total"
    column = next((column for column in table.columns if column.code == code), None)
    if column is None:
        raise ValueError(f"table {table.number} has no column {code!r}")
    return table, column


MEASURE_NAMES: tuple[str, ...] = tuple(
    measure_name(table, column.code) for table in TABLES.values() if table.has_domestic for column in table.columns
)
