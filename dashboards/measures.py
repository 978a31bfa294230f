"""Labels for the measure names of ``statistics.appendix.measure_name`` and the measures the province map can show.

Labels reuse the statistics app's own names (measure choices and field verbose names), so that a measure reads the
same on the dashboards as in the admin and the appendix.
"""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from statistics.appendix import measure_name, measure_of
from statistics.models import CountMeasure, PatentMeasure, RegionPatentFigure, RegionTrademarkFigure

from .services import PATENT_COLUMNS, PATENT_TABLES, TRADEMARK_FIELDS


def _kind_label(kind: str) -> str:
    if kind == "total":
        return gettext("all kinds")
    return str(RegionPatentFigure._meta.get_field(kind).verbose_name)


def _patent_label(measure: str, kind: str) -> str:
    return gettext("%(measure)s (%(kind)s)") % {"measure": PatentMeasure(measure).label, "kind": _kind_label(kind)}


def _trademark_label(field: str) -> str:
    return gettext("trademark %(field)s") % {"field": RegionTrademarkFigure._meta.get_field(field).verbose_name}


patent_label = lazy(_patent_label, str)
trademark_label = lazy(_trademark_label, str)
kind_label = lazy(_kind_label, str)


def label(name: str) -> str:
    """The reader's name of a measure, e.g. "专利申请（发明）" for ``1.invention``."""
    table, column = measure_of(name)
    if table.has_total:
        return patent_label(table.measure, column.code)
    if table.measure is None:
        return trademark_label(column.code)
    return CountMeasure(table.measure).label


@dataclass(frozen=True)
class MapMeasure:
    """A measure of tables 1, 3, 5 or 7 that the province map can colour by; its code in the URL is its name."""

    table: int
    column: str

    @property
    def code(self) -> str:
        return measure_name(self.table, self.column)

    key = code

    @property
    def label(self) -> str:
        return label(self.code)


def _map_measures() -> dict[str, MapMeasure]:
    measures = [MapMeasure(table, column) for table in PATENT_TABLES.values() for column in PATENT_COLUMNS]
    measures += [MapMeasure(7, field) for field in TRADEMARK_FIELDS]
    return {measure.code: measure for measure in measures}


MAP_MEASURES = _map_measures()
DEFAULT_MAP_MEASURE = measure_name(1, "total")

GROUP_LABELS = {
    1: _("Patent applications (table 1)"),
    3: _("Patent grants (table 3)"),
    5: _("Patents in force (table 5)"),
    7: _("Trademarks (table 7)"),
}
