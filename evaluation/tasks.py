"""Background work of the index: an edition's computation with its Monte Carlo run, on Django's task framework.

The admin's *compute* button and ``compute_index_edition --queue`` call ``queue_computation``, which checks now what
the worker would refuse and hands the work to a worker; the worker calls the same service
(``edition_services.run_edition``), which checks permission, state and version again and writes everything in one
transaction, so a refused or failed computation leaves the edition as it was. (The queueing lives here, beside the
task, so that the services never import their own background side.)
"""

from django_tasks import task

from review import services as review

from .edition_services import run_edition
from .models import Edition


@task()
def compute_edition(edition_id: int, user_id: int, expected_version: int) -> dict:
    return run_edition(edition_id, user_id, expected_version)


def queue_computation(edition: Edition, user, expected_version) -> None:
    """Hand the computation to a background worker after checking, here and now, what the worker would refuse: the
    version, who may change the edition, and its state."""
    problem = review.edit_refusal(user, edition)
    if problem:
        raise review.NotAllowed(problem)
    version = review.check_current(edition, expected_version)
    compute_edition.enqueue(edition.pk, user.pk, version)
