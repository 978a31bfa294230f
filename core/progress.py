"""Progress of long imports, for the command's progress bar and the admin's.

An import counts its rows through its phases (reading, writing). The latest counts are kept here and written to
the run (``ImportRun.progress``) by the run's heartbeat thread, from a database connection of its own, because the
import itself runs inside one transaction that other connections cannot see into until it commits. Any application
server's progress page reads them from the run; the command prints them.
"""

import time

from django.utils.translation import gettext_lazy as _

from .import_runs import import_run_model

PHASES = {"reading": _("reading and checking"), "writing": _("writing"), "done": _("done")}
LARGE_IMPORT = 10_000  # rows; imports above this show a progress bar (and run in the background in the admin)


class Progress:
    """Rows done of the current phase, with a rate; publishes at most every ``interval`` seconds."""

    def __init__(self, run_id=None, printer=None, interval: float = 0.5):
        self.run_id, self.printer, self.interval = run_id, printer, interval
        self.name, self.done, self.total = "reading", 0, 0
        self.started = self.last = time.monotonic()
        self.latest: dict | None = None  # what the run's heartbeat thread writes to the run next

    def phase(self, name: str, total: int) -> None:
        self.name, self.done, self.total = name, 0, total
        self.started = time.monotonic()
        self.publish(force=True)

    def advance(self, rows: int = 1) -> None:
        self.done += rows
        if time.monotonic() - self.last >= self.interval:
            self.publish()

    def finish(self) -> None:
        self.done = self.total
        self.publish(force=True)

    def state(self) -> dict:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return {
            "phase": self.name,
            "phase_label": str(PHASES.get(self.name, self.name)),
            "done": self.done,
            "total": self.total,
            "percent": round(100 * self.done / self.total) if self.total else 100,
            "rate": round(self.done / elapsed),
            "at": time.time(),
        }

    def publish(self, force: bool = False) -> None:
        self.last = time.monotonic()
        state = self.state()
        self.latest = state
        if self.printer is not None:
            self.printer(state)


class NoProgress(Progress):
    """For callers that do not watch: counts nothing, publishes nothing."""

    def phase(self, name: str, total: int) -> None:
        pass

    def advance(self, rows: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


def published(run_id) -> dict | None:
    """The progress last written to the run, as any application server reads it; None before the first write."""
    return import_run_model().objects.filter(pk=run_id).values_list("progress", flat=True).first() or None


def bar(state: dict, width: int = 30) -> str:
    """``writing [#########.....] 45,000/100,000 rows (45%) 9,800 rows/s``."""
    filled = width * state["percent"] // 100
    return (
        f"{state['phase_label']} [{'#' * filled}{'.' * (width - filled)}] "
        f"{state['done']:,}/{state['total']:,} rows ({state['percent']}%) {state['rate']:,} rows/s"
    )
