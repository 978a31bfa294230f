"""Loads the indicator catalogue: ``fixtures/indicator_groups.csv`` and ``fixtures/indicator_details.csv``.

``indicator_details.csv`` repeats each printed row of ``indicators.csv`` (checked verbatim against the second report)
and adds what the report does not print: the code, the English name, how the value arises, and the denominators
that the computed ratios need. Administrators may add indicators later in the admin or by import; loading again
updates only the rows these files hold.
"""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Indicator, IndicatorGroup

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def _rows(name: str) -> list[dict]:
    with open(FIXTURES / name, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


@transaction.atomic
def load_indicator_catalogue() -> int:
    """Create or update the groups and indicators of the fixture files. Returns the number of rows changed."""
    changed = 0
    groups = {}
    for position, row in enumerate(_rows("indicator_groups.csv")):
        parent = groups[(row["framework"], row["group"], "")] if row["subgroup"] else None
        name = row["subgroup"] or row["group"]
        group, created = IndicatorGroup.objects.get_or_create(
            framework=row["framework"],
            parent=parent,
            name_zh=name,
            defaults={"name_en": row["name_en"], "position": position},
        )
        if not created and (group.name_en, group.position) != (row["name_en"], position):
            group.name_en, group.position = row["name_en"], position
            group.save()
            changed += 1
        changed += created
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
        indicator = existing.get(row["code"]) or Indicator(code=row["code"])
        if indicator.pk and all(getattr(indicator, name) == value for name, value in fields.items()):
            continue
        for name, value in fields.items():
            setattr(indicator, name, value)
        indicator.full_clean()
        indicator.save()
        changed += 1
    return changed
