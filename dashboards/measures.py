"""Names for the figure keys of ``services`` and the measures the province map can show.

Labels reuse the statistics app's own names (measure choices and field verbose names), so that a measure reads the
same on the dashboards as in the admin and the appendix.
"""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from statistics.models import CountMeasure, PatentMeasure, RegionPatentFigure, RegionTrademarkFigure

from .services import PATENT_COLUMNS, TRADEMARK_FIELDS, patent_key, trademark_key


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


def label(key: str) -> str:
    """The reader's name of a figure key, e.g. "专利申请（发明）" for ``filed.invention``."""
    family, _dot, column = key.partition(".")
    if family in PatentMeasure.values:
        return patent_label(family, column)
    if family == "trademarks":
        return trademark_label(column)
    return CountMeasure(family).label


@dataclass(frozen=True)
class MapMeasure:
    """A measure of tables 1, 3, 5 or 7 that the province map can colour by."""

    code: str  # in the URL: "<table>.<column>", as the indicator catalogue names national statistics (e.g. 7.in_force)
    table: int
    key: str  # the figure key in ``services``

    @property
    def label(self) -> str:
        return label(self.key)


def _map_measures() -> dict[str, MapMeasure]:
    measures = []
    for table, measure in ((1, PatentMeasure.FILED), (3, PatentMeasure.GRANTED), (5, PatentMeasure.IN_FORCE)):
        measures += [MapMeasure(f"{table}.{column}", table, patent_key(measure, column)) for column in PATENT_COLUMNS]
    measures += [MapMeasure(f"7.{field}", 7, trademark_key(field)) for field in TRADEMARK_FIELDS]
    return {measure.code: measure for measure in measures}


MAP_MEASURES = _map_measures()
DEFAULT_MAP_MEASURE = "1.total"

GROUP_LABELS = {
    1: _("Patent applications (table 1)"),
    3: _("Patent grants (table 3)"),
    5: _("Patents in force (table 5)"),
    7: _("Trademarks (table 7)"),
}
