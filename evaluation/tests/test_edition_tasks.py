"""An edition's computation is background work: the admin's button and ``--queue`` hand it to a worker after
checking, at once, what the worker would refuse."""

import pytest
from django_tasks_db.models import DBTaskResult

from evaluation import edition_services, tasks
from review import services as review
from review.models import RegionAssignment
from review.roles import Role, ensure_role_groups
from statistics.models import Region
from statistics.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TASK = "evaluation.tasks.compute_edition"


def person(role, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(ensure_role_groups()[role])
    return user


@pytest.fixture
def draft():
    return edition_services.create_edition(person(Role.REVIEWER), 2026)


def queued() -> int:
    return DBTaskResult.objects.filter(task_path=TASK).count()


def test_the_computation_waits_in_the_database_for_a_worker(draft, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    before = queued()
    tasks.queue_computation(draft, person(Role.REVIEWER), draft.version)
    assert queued() == before + 1
    draft.refresh_from_db()
    assert draft.computed_at is None  # nothing computed in the request


def test_what_the_worker_would_refuse_is_refused_at_once(draft, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    officer = person(Role.OFFICER)
    RegionAssignment.objects.create(user=officer, region=Region.objects.get(code="110000"))
    before = queued()
    with pytest.raises(review.NotAllowed):
        tasks.queue_computation(draft, officer, draft.version)
    with pytest.raises(review.Stale):
        tasks.queue_computation(draft, person(Role.REVIEWER), draft.version + 1)
    with pytest.raises(review.WorkflowError):
        tasks.queue_computation(draft, person(Role.REVIEWER), None)
    assert queued() == before


def test_a_computation_the_worker_refuses_leaves_the_edition_as_it_was(draft, settings):
    """No approved return exists here: the service refuses inside the task, and nothing is written."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    version = draft.version
    tasks.queue_computation(draft, person(Role.REVIEWER), version)
    draft.refresh_from_db()
    assert (draft.version, draft.computed_at) == (version, None)
