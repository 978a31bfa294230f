"""The rules of one stored cell or row, as ``Model.clean()`` applies them on every save (admin, shell, import).

A leaf module: the figure models import it, and it imports no model (the rows it compares are read through the
figure's own class), so the models never have to reach up to ``rules`` (the table-level checks, which import the
models) from inside a method.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from .chapter_tables import TABLES as CHAPTER_TABLES


def negative_message(cell: str, value) -> str:
    return _("%(cell)s: the value %(value)s is negative; figures cannot be negative.") % {"cell": cell, "value": value}


def of_which_excess(province_values: dict, parts: list[tuple[str, dict]]) -> list[tuple[object, int, int, list]]:
    """(key, parts' sum, province value, part names) wherever a province's "of which" rows exceed it."""
    sums, names = defaultdict(int), defaultdict(list)
    for name, values in parts:
        for key, value in values.items():
            sums[key] += value
            names[key].append(name)
    return [
        (key, total, province_values[key], names[key])
        for key, total in sums.items()
        if key in province_values and total > province_values[key]
    ]


def of_which_message(cell: str, total: int, province_value: int, names: list) -> str:
    return _("%(cell)s: the “of which” rows %(parts)s add up to %(total)s, more than the province's own %(value)s") % {
        "cell": cell,
        "parts": "、".join(str(name) for name in names),
        "total": total,
        "value": province_value,
    }


def province_consistency_errors(figure) -> dict[str, str]:
    """For one region row about to be saved: do the province's "of which" rows still fit inside it?

    The table-level check (``rules._of_which``) covers whole tables; this covers a single row edited in the admin or
    the shell, comparing it with the rows already stored for the same year and measure.
    """
    region = figure.region
    province = region.parent if region.is_part else region
    model = type(figure)
    siblings = model.objects.filter(year=figure.year, region__in=[province, *province.parts.all()])
    if getattr(figure, "measure", None):
        siblings = siblings.filter(measure=figure.measure)
    if figure.pk:
        siblings = siblings.exclude(pk=figure.pk)
    rows = {row.region_id: row for row in siblings.select_related("region")}
    rows[region.pk] = figure
    if province.pk not in rows:
        return {}
    parts = [
        (row.region, {name: getattr(row, name) for name in model.value_fields})
        for pk, row in rows.items()
        if pk != province.pk
    ]
    province_values = {name: getattr(rows[province.pk], name) for name in model.value_fields}
    errors = {}
    for name, total, value, names in of_which_excess(province_values, parts):
        errors[name] = of_which_message(figure.describe(name, entity=province), total, value, names)
    return errors


def chapter_cell_errors(table_code: str, row_code: str, value, cell: str) -> dict[str, str]:
    """For one stored cell (the admin, the shell): a declared stored row, not negative, whole where counted."""
    table = CHAPTER_TABLES.get(table_code)
    if table is None:
        return {}  # the field's choices report it
    row = next((row for row in table.rows if row.code == row_code), None)
    if row is None or row.derived:
        return {
            "row": _("%(cell)s: “%(row)s” is not a stored row of this table (totals are derived from their parts)")
            % {"cell": cell, "row": row_code}
        }
    if value is None:
        return {}
    if value < 0:
        return {"value": negative_message(cell, value)}
    if table.whole_numbers and value != int(value):
        return {"value": _("%(cell)s: %(value)s is not a whole number") % {"cell": cell, "value": value}}
    return {}
