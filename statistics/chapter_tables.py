"""The small tables printed inside the annual report's chapters, declared once, like the appendix tables.

The 2025 report prints five of them in its chapter 创造 (第四章: 专利 (六) 专利复审和无效, 商标 (五)/(六)): patent
re-examination and invalidation requests and decisions by patent kind, trademark review requests and rulings by
case type, and the trademark examination cycles. The PDF extract prints no caption above the first four, so their
titles here name what the section heading and the first row say; the fifth prints its own title in its header.

Each table declares its rows as printed (label, and the rows whose sum it is) so that the rule engine
(``rules.check_chapter_table``), the fixture loader, the importer and the exporter all work from one declaration.
Only rows without parts are stored (``models.ChapterFigure``); a total row is derived from its parts, never stored.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from core.problems import Location

TYPE_HEADER = "类型"


@dataclass(frozen=True)
class ChapterRow:
    """One printed row. ``parts`` are the codes of the rows it totals; a row with parts is derived, not stored."""

    code: str
    label: str
    parts: tuple[str, ...] = ()

    @property
    def derived(self) -> bool:
        return bool(self.parts)


@dataclass(frozen=True)
class ChapterTable:
    code: str
    title: str
    chapter: str
    unit: str
    rows: tuple[ChapterRow, ...]
    # The header over the row labels and, for a table of one column, that column's printed header; a table with
    # ``value_header`` prints the report year alone and no year headings.
    row_header: str = TYPE_HEADER
    value_header: str = ""
    whole_numbers: bool = True
    source_line: int = 0  # where the table starts in fixtures/sources/annual_report_2025.txt

    @property
    def unit_line(self) -> str:
        return f"单位：{self.unit}"

    @property
    def single_year(self) -> bool:
        return bool(self.value_header)

    def heading(self, year: int) -> str:
        """The title line an export writes; it carries the years, which the cycle table prints nowhere else."""
        if self.single_year:
            return f"{self.title}（{year} 年）"
        return f"{self.title}（{year - 1} 年、{year} 年）"

    def header(self, years: list[int]) -> list[str]:
        if self.single_year:
            return [self.row_header, self.value_header]
        return [self.row_header, *(f"{year}年" for year in years)]

    def years(self, year: int) -> list[int]:
        return [year] if self.single_year else [year - 1, year]

    def row(self, code: str) -> ChapterRow:
        return next(row for row in self.rows if row.code == code)

    @property
    def stored_rows(self) -> tuple[ChapterRow, ...]:
        return tuple(row for row in self.rows if not row.derived)

    def leaves(self, code: str) -> list[str]:
        """The stored rows a row adds up to (itself, when it is stored)."""
        row = self.row(code)
        if not row.derived:
            return [code]
        return [leaf for part in row.parts for leaf in self.leaves(part)]

    def descendants(self, code: str) -> set[str]:
        row = self.row(code)
        return {part for part in row.parts} | {leaf for part in row.parts for leaf in self.descendants(part)}

    def rows_for_label(self, label: str) -> list[ChapterRow]:
        wanted = normalize_row_label(label)
        return [row for row in self.rows if normalize_row_label(row.label) == wanted]

    def resolve_rows(self, labels: list[str]) -> list[ChapterRow | None]:
        """The declared row of each printed label, in printed order.

        A label can name several rows (“(1) 发明专利” under 复审请求 and under 复审结案): it is the part of the
        nearest total printed above it, as in the report; failing that, the first such row not yet taken.
        """
        resolved: list[ChapterRow | None] = []
        taken: set[str] = set()
        for label in labels:
            candidates = [row for row in self.rows_for_label(label) if row.code not in taken]
            choice = candidates[0] if len(candidates) == 1 else None
            if len(candidates) > 1:
                for above in reversed([row for row in resolved if row is not None and row.derived]):
                    inside = [row for row in candidates if row.code in self.descendants(above.code)]
                    if inside:
                        choice = inside[0]
                        break
                choice = choice or candidates[0]
            if choice is None and not candidates:
                choice = next(iter(self.rows_for_label(label)), None)  # a repeated row: reported as a duplicate
            resolved.append(choice)
            if choice is not None:
                taken.add(choice.code)
        return resolved

    def __str__(self):
        return self.title


def normalize_row_label(label: str) -> str:
    """“<b>复审请求</b>”, “（1）发明专利” and “(1) 发明专利” name the same rows as the declaration."""
    text = re.sub(r"<[^>]+>", "", str(label or ""))
    text = text.replace("（", "(").replace("）", ")").replace("\u3000", " ")
    return re.sub(r"\s+", "", text)


def _kinds(prefix: str, total_label: str) -> tuple[ChapterRow, ...]:
    kinds = (("invention", "(1) 发明专利"), ("utility_model", "(2) 实用新型专利"), ("design", "(3) 外观设计专利"))
    return (
        ChapterRow(prefix, total_label, tuple(f"{prefix}_{code}" for code, _label in kinds)),
        *(ChapterRow(f"{prefix}_{code}", label) for code, label in kinds),
    )


def _review(prefix: str, total_label: str) -> tuple[ChapterRow, ...]:
    complex_kinds = (
        ("invalidation", "(1) 无效宣告"),
        ("cancellation_review", "(2) 撤销注册复审"),
        ("non_registration_review", "(3) 不予注册复审"),
        ("other", "(4) 其他"),
    )
    return (
        ChapterRow(prefix, total_label, (f"{prefix}_refusal_review", f"{prefix}_complex")),
        ChapterRow(f"{prefix}_refusal_review", "驳回复审"),
        ChapterRow(f"{prefix}_complex", "复杂案件", tuple(f"{prefix}_{code}" for code, _label in complex_kinds)),
        *(ChapterRow(f"{prefix}_{code}", label) for code, label in complex_kinds),
    )


TABLES: dict[str, ChapterTable] = {
    table.code: table
    for table in (
        ChapterTable(
            "patent_reexamination",
            "专利复审请求和结案情况",
            "创造 一、专利 （六）专利复审和无效",
            "件",
            _kinds("requests", "复审请求") + _kinds("decisions", "复审结案"),
            source_line=806,
        ),
        ChapterTable(
            "patent_invalidation",
            "无效宣告请求和结案情况",
            "创造 一、专利 （六）专利复审和无效",
            "件",
            _kinds("requests", "无效宣告请求") + _kinds("decisions", "无效宣告结案"),
            source_line=818,
        ),
        ChapterTable(
            "trademark_review_requests",
            "商标评审请求情况",
            "创造 二、商标 （六）商标评审",
            "件",
            _review("requests", "商标评审请求"),
            source_line=874,
        ),
        ChapterTable(
            "trademark_review_rulings",
            "商标评审裁定情况",
            "创造 二、商标 （六）商标评审",
            "件",
            _review("rulings", "商标评审裁定"),
            source_line=885,
        ),
        ChapterTable(
            "trademark_cycles",
            "商标审查审理周期",
            "创造 二、商标 （五）商标异议、（六）商标评审",
            "月",
            (
                ChapterRow("registration_examination", "商标注册申请平均审查周期"),
                ChapterRow("general_registration", "一般情形商标注册周期"),
                ChapterRow("opposition_examination", "商标异议平均审查周期"),
                ChapterRow("refusal_review", "商标驳回复审平均审理周期"),
                ChapterRow("complex_review", "商标评审复杂案件平均审理周期"),
            ),
            row_header="商标审查审理周期",
            value_header="周期 / 月",
            whole_numbers=False,
            source_line=894,
        ),
    )
}

TITLES = sorted(TABLES.values(), key=lambda table: -len(table.title))


def find_chapter_title(row: list) -> ChapterTable | None:
    """The chapter table whose title a spreadsheet row holds (in any cell), if any."""
    for value in row:
        if isinstance(value, str):
            text = normalize_row_label(value)
            for table in TITLES:
                if normalize_row_label(table.title) in text:
                    return table
    return None


@dataclass
class ChapterRowData:
    """A printed row read from a source: its label, its values by year, and where each was found."""

    label: str
    values: dict[int, Decimal] = field(default_factory=dict)
    row: int | None = None
    columns: dict[int, str] = field(default_factory=dict)
    declared: ChapterRow | None = None
    unreadable: set[int] = field(default_factory=set)

    def location(self, sheet: str, year: int | None = None) -> Location:
        return Location(sheet, self.row, self.columns.get(year) if year is not None else "A")


@dataclass
class ChapterTableData:
    table: ChapterTable
    years: list[int]
    rows: list[ChapterRowData] = field(default_factory=list)
    sheet: str = ""

    def values(self) -> dict[tuple[str, int], Decimal]:
        """(row code, year) → value for every resolved row."""
        return {
            (row.declared.code, year): value
            for row in self.rows
            if row.declared is not None
            for year, value in row.values.items()
        }
