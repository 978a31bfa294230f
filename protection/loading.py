"""Load the registry fixtures (``fixtures/protection/*.csv``) when ``load_report_data`` runs.

The files go through the same resources as an administrator's import, so every row passes the models' rules; a
file with a bad row is refused whole and the command fails with the problems. Unchanged rows are skipped, so a
second run writes nothing (no rows, no history). A row whose stored entry differs from the fixture (an entry an
administrator corrected, or a change request approved since) is kept and reported through the ``FixtureLoad``
unless the load is forced. The command records the whole load as one ``ImportRun`` (``statistics.fixture_loading``).
"""

from pathlib import Path

import tablib
from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from import_export import resources as ie_resources
from import_export.results import RowResult

from statistics.fixture_loading import Difference, FixtureLoad

from .resources import FIXTURE_RESOURCES

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "protection"


def read_fixture(path: Path) -> tablib.Dataset:
    return tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")


def problems_of(result) -> list[str]:
    problems = [str(error.error) for error in result.base_errors]
    for number, errors in result.row_errors():
        problems += [f"row {number}: {error.error}" for error in errors]
    for row in result.invalid_rows:
        for field, messages in row.error_dict.items():
            problems += [f"row {row.number}, {field}: {message}" for message in messages]
    return problems


class _FixtureRows:
    """Mixed in front of a registry resource: an existing row that differs is kept unless the load is forced."""

    fixture_load: FixtureLoad
    kept_rows = 0

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or original is None or original.pk is None:
            return super().skip_row(instance, original, row, import_validation_errors)
        if super().skip_row(instance, original, row, import_validation_errors):
            return True  # unchanged
        what = str(self._meta.model._meta.verbose_name)
        entity = str(original)
        year = getattr(original, "year", None)
        differences = [
            Difference(what, entity, year, field.column_name, field.export(original), field.export(instance))
            for field in self.get_import_fields()
            if not field.readonly and field.get_value(instance) != field.get_value(original)
        ] or [Difference(what, entity, year, "", str(original), str(instance))]  # a difference no field shows
        if self.fixture_load.differs(differences):
            return False
        self.kept_rows += 1
        return True

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance._change_reason = self.fixture_load.reason[:100]


def _fixture_resource(resource_class, load: FixtureLoad):
    resource = type(f"Fixture{resource_class.__name__}", (_FixtureRows, resource_class), {})()
    resource.fixture_load = load
    return resource


@transaction.atomic
def load_registry(folder: Path = FIXTURES, load: FixtureLoad | None = None) -> dict[str, int]:
    """Load every fixture file, all or nothing. Returns the count of created and changed rows."""
    load = load or FixtureLoad()
    counts = {RowResult.IMPORT_TYPE_NEW: 0, RowResult.IMPORT_TYPE_UPDATE: 0, RowResult.IMPORT_TYPE_SKIP: 0}
    for name, resource_class in FIXTURE_RESOURCES:
        resource = _fixture_resource(resource_class, load)
        dataset = read_fixture(folder / name)
        # The plain ModelResource import: the same rows, fields and validation, without an ImportRun per file.
        result = ie_resources.ModelResource.import_data(
            resource,
            dataset,
            dry_run=False,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            file_name=f"fixtures/protection/{name}",
        )
        problems = problems_of(result)
        if problems:
            raise CommandError(f"fixtures/protection/{name}:\n" + "\n".join(problems))
        for key in counts:
            counts[key] += result.totals.get(key, 0)
        counts[RowResult.IMPORT_TYPE_SKIP] -= resource.kept_rows  # kept rows are listed by the load, not unchanged
    load.count(
        counts[RowResult.IMPORT_TYPE_NEW], counts[RowResult.IMPORT_TYPE_UPDATE], counts[RowResult.IMPORT_TYPE_SKIP]
    )
    return counts


def load_on_report_data(sender, stdout=None, load: FixtureLoad | None = None, **kwargs) -> str:
    """Receiver of ``statistics.signals.report_data_loaded``."""
    counts = load_registry(load=load)
    return (
        f"protection registries: {counts[RowResult.IMPORT_TYPE_NEW]} created, "
        f"{counts[RowResult.IMPORT_TYPE_UPDATE]} updated, {counts[RowResult.IMPORT_TYPE_SKIP]} unchanged"
    )
