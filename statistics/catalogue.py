"""Loads the indicator catalogue: ``fixtures/indicator_groups.csv`` and ``fixtures/indicator_details.csv``.

``indicator_details.csv`` repeats each printed row of ``indicators.csv`` (checked verbatim against the second report)
and adds what the report does not print: the code, the English name, how the value arises, and the denominators
that the computed ratios need. Administrators may add indicators later in the admin or by import; loading again
creates only the rows these files hold that are missing, and keeps what administrators changed (unless forced).
"""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .fixture_loading import FixtureLoad, fields_differing
from .models import Indicator, IndicatorGroup

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def _rows(name: str) -> list[dict]:
    with open(FIXTURES / name, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


@transaction.atomic
def load_indicator_catalogue(load: FixtureLoad | None = None) -> int:
    """Create the groups and indicators of the fixture files that are missing. Returns the number of rows written.

    A group or indicator that an administrator changed since (an indicator's ``required`` flag, say) is kept and
    reported through ``load``, unless the load is forced; then the fixture's values are written, with history.
    """
    load = load or FixtureLoad()
    changed = 0
    groups = {}
    for position, row in enumerate(_rows("indicator_groups.csv")):
        parent = groups[(row["framework"], row["group"], "")] if row["subgroup"] else None
        name = row["subgroup"] or row["group"]
        values = {"name_en": row["name_en"], "position": position}
        group = IndicatorGroup.objects.filter(framework=row["framework"], parent=parent, name_zh=name).first()
        if group is None:
            group = IndicatorGroup(framework=row["framework"], parent=parent, name_zh=name, **values)
            changed += _save(group, load, created=True)
        else:
            what = str(IndicatorGroup._meta.verbose_name)
            if load.differs(fields_differing(group, values, what, f"{row['framework']} {name}")):
                for field, value in values.items():
                    setattr(group, field, value)
                changed += _save(group, load, created=False)
            else:
                load.count(unchanged=1)
        groups[(row["framework"], row["group"], row["subgroup"])] = group
    existing = {indicator.code: indicator for indicator in Indicator.objects.all()}
    for position, row in enumerate(_rows("indicator_details.csv")):
        fields = {
            "framework": row["framework"],
            "number": int(row["number"]) if row["number"] else None,
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "unit": row["unit"],
            "group": groups[(row["framework"], row["group"], row["subgroup"])],
            "source": row["source"],
            "source_detail": row["source_detail"],
            "formula": row["formula"],
            "required": row["required"] == "true",
            "position": position,
        }
        indicator = existing.get(row["code"])
        if indicator is None:
            changed += _save(Indicator(code=row["code"], **fields), load, created=True)
            continue
        what = str(Indicator._meta.verbose_name)
        if not load.differs(fields_differing(indicator, fields, what, row["code"])):
            load.count(unchanged=1)
            continue
        for name, value in fields.items():
            setattr(indicator, name, value)
        changed += _save(indicator, load, created=False)
    return changed


def _save(obj, load: FixtureLoad, created: bool) -> int:
    obj.full_clean()
    obj._change_reason = load.reason
    obj.save()
    load.count(created=int(created), updated=int(not created))
    return 1
