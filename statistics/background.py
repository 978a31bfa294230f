"""Running long imports off the request, so the admin's page stays responsive while a progress bar moves.

A small thread pool inside the web process does the work: no separate worker or broker has to be started, so
the default setup needs nothing more. Each job runs in its own database connection and transaction; if the
process stops mid-import, the transaction is rolled back and nothing is half-written; the run's page then shows it
as interrupted once it has published no progress for ``progress.STALE_AFTER``. ``IMPORT_IN_BACKGROUND = False``
runs jobs inline, which the tests use.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None


def submit(function, *args) -> None:
    global _executor
    if not getattr(settings, "IMPORT_IN_BACKGROUND", True):
        function(*args)
        return
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=getattr(settings, "IMPORT_WORKERS", 2), thread_name_prefix="import")
    _executor.submit(_run, function, *args)


def _run(function, *args) -> None:
    try:
        function(*args)
    except Exception:
        logger.exception("background import %s%r failed", function.__name__, args)
    finally:
        connections.close_all()
