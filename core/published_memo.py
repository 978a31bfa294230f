"""Values derived from published data, worked out once per published version in each process.

Some public lists show values that are derived from many rows: the national figures' values, appendix totals and
changes against the year before take a dozen milliseconds to derive for one page, and they change only when the
published data does. ``PublishedMemo`` keeps such a derived value under the published version (``core.published``):
a request reads the version (one primary-key lookup) and uses what the first request of that version derived.
Filters, ordering and pages still run in SQL on every request; only the derivation is kept.

The version is read on the primary and moves with every published write (``core.caching.statistics_changed``), so a
kept value is never older than the version it is keyed on. A request inside a transaction that has written
published data (its new version not yet committed) derives afresh and keeps nothing: a rolled-back transaction's
number comes again later. ``forget_all`` empties every memo (the tests do, before each test, as with the cache).
"""

from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import get_language

from . import published
from .caching import bump_pending

T = TypeVar("T")
_memos: list["PublishedMemo"] = []


class PublishedMemo(Generic[T]):
    """``build()`` kept under the published version and the active language until the version moves."""

    def __init__(self, build: Callable[[], T]):
        self._build = build
        self._entry: tuple[tuple, T] | None = None  # one assignment: safe for a threaded server too
        _memos.append(self)

    def get(self) -> T:
        if bump_pending(connections[DEFAULT_DB_ALIAS]):
            return self._build()
        key = (published.current(), get_language())
        entry = self._entry
        if entry is not None and entry[0] == key:
            return entry[1]
        value = self._build()
        self._entry = (key, value)
        return value

    def forget(self) -> None:
        self._entry = None


def forget_all() -> None:
    for memo in _memos:
        memo.forget()
