"""Loads the checked national figures (``fixtures/national/series.csv`` and ``figures.csv``) with the report's data.

Connected to ``report_data_loaded``, so ``load_report_data`` loads them with everything else, in its transaction,
under the same rule as every other loader (``fixture_loading.FixtureLoad``): what is missing is created; a stored
series or figure that differs from the fixture was changed by someone since, so it is kept and listed, unless the
load is forced. A figure whose series the appendix holds gets no value: it is derived from the appendix.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from .fixture_loading import FixtureLoad, fields_differing
from .models import Indicator
from .models.national import NationalFigure, NationalSeries

FOLDER = Path(settings.BASE_DIR) / "fixtures" / "national"


def _rows(name: str) -> list[dict]:
    with open(FOLDER / name, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text not in ("", None) else None


def _save(obj, load: FixtureLoad) -> None:
    obj.full_clean()
    obj._change_reason = load.reason
    obj.save()
    load.count(updated=1)


def _keep_or_replace(obj, values: dict, load: FixtureLoad, what: str, entity: str, year=None) -> None:
    """The one rule: an existing record that differs is kept (and listed) unless the load is forced."""
    if load.differs(fields_differing(obj, values, what, entity, year)):
        for name, value in values.items():
            setattr(obj, name, value)
        _save(obj, load)
    else:
        load.count(unchanged=1)


def load_series(load: FixtureLoad) -> dict[tuple[str, str], NationalSeries]:
    indicators = {indicator.code: indicator for indicator in Indicator.objects.filter(code__startswith="N")}
    existing = {(series.name_zh, series.unit): series for series in NationalSeries.objects.all()}
    what = str(NationalSeries._meta.verbose_name)
    new = []
    for position, row in enumerate(_rows("series.csv")):
        values = {
            "indicator": indicators.get(row["indicator"]) if row["indicator"] else None,
            "appendix_table": int(row["appendix_table"]) if row["appendix_table"] else None,
            "appendix_column": row["appendix_column"],
            "appendix_scope": row["appendix_scope"],
            "appendix_relation": row["appendix_relation"],
            "note": row["note"],
            "position": position,
        }
        key = (row["name_zh"], row["unit"])
        series = existing.get(key)
        if series is None:
            existing[key] = NationalSeries(name_zh=row["name_zh"], unit=row["unit"], **values)
            new.append(existing[key])
        else:
            _keep_or_replace(series, values, load, what, str(series))
    load.create_all(NationalSeries, new)
    return existing


def load_figures(load: FixtureLoad, series_by_key) -> None:
    what = str(NationalFigure._meta.verbose_name)
    new = []
    existing = {
        (figure.series_id, figure.year, figure.document, figure.source_line, figure.printed): figure
        for figure in NationalFigure.objects.filter(national_return__isnull=True)
    }
    for position, row in enumerate(_rows("figures.csv")):
        series = series_by_key[(row["series"], row["unit"])]
        values = {
            "value": None if series.held_by_appendix else _decimal(row["value"]),
            "qualifier": row["qualifier"],
            "bound": row["bound"],
            "change_value": _decimal(row["change_value"]),
            "change_kind": row["change_kind"],
            "change_text": row["change_text"],
            "chapter": row["chapter"],
            "section": row["section"][:120],
            "source_text": row["sentence"],
            "note": row["note"],
            "position": position,
        }
        key = (series.pk, int(row["year"]), row["document"], int(row["line"]), row["printed"])
        figure = existing.get(key)
        if figure is None:
            existing[key] = NationalFigure(
                series=series,
                year=int(row["year"]),
                document=row["document"],
                source_line=int(row["line"]),
                printed=row["printed"],
                **values,
            )
            new.append(existing[key])
        else:
            _keep_or_replace(figure, values, load, what, series.name_zh, figure.year)
    load.create_all(NationalFigure, new)


def load_national_figures(load: FixtureLoad | None = None) -> str:
    """Load both files; returns the line ``load_report_data`` prints."""
    load = load or FixtureLoad()
    before = (load.created, load.updated, load.unchanged)
    load_figures(load, load_series(load))
    created, updated, unchanged = (
        now - then for now, then in zip((load.created, load.updated, load.unchanged), before, strict=True)
    )
    return f"national figures: {created} created, {updated} updated, {unchanged} unchanged"


def on_report_data_loaded(sender, load=None, **kwargs) -> str:
    return load_national_figures(load)


def connect_national_loading() -> None:
    from .signals import report_data_loaded

    report_data_loaded.connect(on_report_data_loaded, dispatch_uid="statistics.load_national_figures")
