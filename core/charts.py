"""A chart and the table of its figures, built once and shown three ways: drawn by ECharts, as an HTML table, and
as a CSV or XLSX download. Building all three from one object keeps the picture, the table and the file in step.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    """A table column. ``kind`` says how a cell is shown: text, number, delta (signed) or percent (signed, 1 dp)."""

    label: str
    kind: str = "number"


@dataclass(frozen=True)
class Link:
    """A table cell that links somewhere (a province's page); downloads keep only the text."""

    text: str
    url: str

    def __str__(self):
        return self.text


@dataclass
class Chart:
    slug: str  # unique on its page: the ?chart= of its downloads and (unless given) the element id chart-<slug>
    title: str
    kind: str  # "bar", "stacked" (bars stacked by series), "hbar" (horizontal) or "map"
    categories: list = field(default_factory=list)
    series: list[dict] = field(default_factory=list)  # {"name": ..., "data": [...]}
    columns: list[Column] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    options: dict = field(default_factory=dict)  # passed to the drawing code as is (the map's name, value range …)
    element_id: str = ""
    note: str = ""

    @property
    def dom_id(self) -> str:
        return self.element_id or f"chart-{self.slug}"

    @property
    def spec_id(self) -> str:
        return f"{self.dom_id}-spec"

    @property
    def table_rows(self) -> list[list[tuple[object, Column]]]:
        """Each row's cells paired with their column, for the template."""
        return [list(zip(row, self.columns, strict=True)) for row in self.rows]

    def spec(self) -> dict:
        """What ``static/dashboards/charts.js`` draws; lazy translations are made plain strings for JSON."""
        return {
            "kind": self.kind,
            "title": str(self.title),
            "categories": [str(category) for category in self.categories],
            "series": [{**series, "name": str(series["name"])} for series in self.series],
            **self.options,
        }


def change_columns(year: int, first: Column) -> list[Column]:
    """The usual columns of a figure compared with the year before."""
    return [
        first,
        Column(str(year - 1)),
        Column(str(year)),
        Column(_("change"), "delta"),
        Column(_("change (%)"), "percent"),
    ]


def change_cells(change) -> list:
    """A ``Change`` (the dashboards' figure beside the year before) as the cells of ``change_columns``."""
    return [change.previous, change.current, change.delta, change.percent]
