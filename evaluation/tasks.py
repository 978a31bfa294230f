"""Background work of the index: an edition's computation with its Monte Carlo run, on Django's task framework.

The admin's *compute* button and ``compute_index_edition --queue`` hand it to a worker; the worker calls the same
service (``edition_services.run_edition``), which checks permission, state and version and writes everything in one
transaction, so a refused or failed computation leaves the edition as it was.
"""

from django_tasks import task


@task()
def compute_edition(edition_id: int, user_id: int, expected_version: int) -> dict:
    from .edition_services import run_edition

    return run_edition(edition_id, user_id, expected_version)
