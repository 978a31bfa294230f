"""What loading the report's fixtures does with values that people have changed since: keep them, unless forced.

``load_report_data`` creates whatever the fixtures hold and the database does not. A stored value that differs from
the fixture was imported or edited by someone after the report was loaded, so it is kept and listed; only
``--force`` writes the fixture's value back, and then every replaced value is listed, stamped into the record's
history with the run's reason, and the run is recorded as an ``ImportRun``. Every app's loader (reference data,
figures, the indicator catalogue, the registries, the work summaries and typical cases) reports through one
``FixtureLoad``, so that the command lists all differences the same way.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.caching import statistics_changed

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
RUN_KIND = "report fixtures"


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@dataclass(frozen=True)
class Difference:
    """A stored value that is not the fixture's: where it is (what, entity, year, measure or field), both values."""

    what: str
    entity: str
    year: int | None
    measure: str
    stored: object
    fixture: object

    def __str__(self):
        where = " ".join(
            str(part) for part in (self.what, self.entity, self.year, self.measure) if part not in (None, "")
        )
        return f"{where}: {_shown(self.stored)} → {_shown(self.fixture)}"


@dataclass
class FixtureLoad:
    """One run of the loaders: whether to replace changed values, and what was kept or replaced.

    A loader calls ``differs`` for every stored value that differs from its fixture and writes the fixture's
    value only when it returns True (``--force``). ``reason`` goes into the history of every record written.
    """

    force: bool = False
    reason: str = "load_report_data"
    kept: list[Difference] = field(default_factory=list)
    replaced: list[Difference] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def differs(self, differences: list[Difference]) -> bool:
        """Record the differences of one record; True when the record is to be overwritten with the fixture."""
        if not differences:
            return False
        (self.replaced if self.force else self.kept).extend(differences)
        return self.force

    def count(self, created: int = 0, updated: int = 0, unchanged: int = 0) -> None:
        self.created += created
        self.updated += updated
        self.unchanged += unchanged

    def create_all(self, model, objects: list) -> None:
        """Create fixture records that are not stored yet in one statement, with their history rows (the load's
        ``reason``), instead of a save each: a first load creates every record.

        Each is validated as a form would (``full_clean``) but for uniqueness and constraints, which the database
        itself enforces on the insert; the caches learn of the change once (``statistics_changed``), as the
        ``post_save`` signal that ``bulk_create`` does not send would have told them."""
        if not objects:
            return
        for obj in objects:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        bulk_create_with_history(objects, model, batch_size=500, default_change_reason=self.reason)
        statistics_changed()
        self.count(created=len(objects))

    def lines(self) -> list[str]:
        """The kept and replaced values, one line each, for the command's output and the run's record."""
        kept = [
            _("kept (differs from the report; use --force to replace): %(value)s") % {"value": d} for d in self.kept
        ]
        replaced = [_("replaced with the report's value: %(value)s") % {"value": d} for d in self.replaced]
        return kept + replaced


def fields_differing(obj, values: dict, what: str, entity: str, year=None, labels: dict | None = None):
    """The Differences between a stored object's attributes and the fixture's ``values`` (field name → value)."""
    labels = labels or {}
    differences = []
    for name, wanted in values.items():
        stored = getattr(obj, name)
        if stored != wanted:
            label = labels.get(name) or str(obj._meta.get_field(name).verbose_name)
            differences.append(Difference(what, entity, year, label, stored, wanted))
    return differences


def fixtures_sha256(folder: Path = FIXTURES) -> str:
    """One digest over every fixture file, so that a run records which version of the fixtures it loaded."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
