"""``/healthz/``: whether this application server can serve, for a load balancer.

It checks each database (the primary and every replica, one ``SELECT 1`` each), the cache (a write and a read of
a short-lived key) and the background workers (a heartbeat younger than ``WORKER_HEARTBEAT_TIMEOUT`` seconds, when
the task backend needs a worker). It answers 200 when all pass and 503 otherwise, with one line per check as JSON.
A small view of our own rather than django-health-check: four checks, no dependency, and the worker check is ours.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .workers import worker_problem


def database_problem(alias: str) -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure of the database is a failed check, not a server error
        return f"{type(error).__name__}: {error}".strip()
    return None


def cache_problem() -> str | None:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, 10)
        seen = cache.get(key)
        cache.delete(key)
    except Exception as error:  # an unreachable Redis raises its own connection errors
        return f"{type(error).__name__}: {error}".strip()
    return None if seen == value else "the value written was not read back"


def checks() -> dict[str, str | None]:
    results = {f"database:{alias}": database_problem(alias) for alias in settings.DATABASES}
    results["cache"] = cache_problem()
    results["worker"] = worker_problem()
    return results


@never_cache
@require_safe
def healthz(request):
    results = checks()
    healthy = all(problem is None for problem in results.values())
    body = {
        "status": "ok" if healthy else "failing",
        "checks": {name: problem or "ok" for name, problem in results.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
