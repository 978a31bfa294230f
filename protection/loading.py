"""Load the registry fixtures (``fixtures/protection/*.csv``) when ``load_report_data`` runs.

The files go through the same resources as an administrator's import, so every row passes the models' rules; a
file with a bad row is refused whole and the command fails with the problems. Unchanged rows are skipped, so a
second run writes nothing (no rows, no history). Fixture loads are not recorded as import runs: they are the
report, loaded by the setup command, not someone's upload.
"""

from pathlib import Path

import tablib
from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from import_export import resources as ie_resources
from import_export.results import RowResult

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


@transaction.atomic
def load_registry(folder: Path = FIXTURES) -> dict[str, int]:
    """Load every fixture file, all or nothing. Returns the count of created and changed rows."""
    counts = {RowResult.IMPORT_TYPE_NEW: 0, RowResult.IMPORT_TYPE_UPDATE: 0, RowResult.IMPORT_TYPE_SKIP: 0}
    for name, resource_class in FIXTURE_RESOURCES:
        resource = resource_class()
        dataset = read_fixture(folder / name)
        # The plain ModelResource import: the same rows, fields and validation, without an ImportRun record.
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
    return counts


def load_on_report_data(sender, stdout=None, **kwargs) -> str:
    counts = load_registry()
    return (
        f"protection registries: {counts[RowResult.IMPORT_TYPE_NEW]} created, "
        f"{counts[RowResult.IMPORT_TYPE_UPDATE]} updated, {counts[RowResult.IMPORT_TYPE_SKIP]} unchanged"
    )
