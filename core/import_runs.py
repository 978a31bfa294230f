"""The bookkeeping models of imports (``ImportRun``, ``ImportUpload``), looked up in the app registry.

Any app's import (the admin's ``RecordsAdmin``, the commands, the background worker) records its run there. The
models stay in ``statistics`` (their tables hold every import made so far; moving them is a migration of its own),
so the machinery here finds them through Django's app registry when it runs, never by importing ``statistics``: the
base app imports ``core``, and ``core`` must not import it back.
"""

from django.apps import apps


def import_run_model():
    """``statistics.ImportRun``: one row per import, preview or command run, with its status and problems."""
    return apps.get_model("statistics", "ImportRun")


def import_upload_model():
    """``statistics.ImportUpload``: the file a preview read, kept with its run until it is confirmed."""
    return apps.get_model("statistics", "ImportUpload")
