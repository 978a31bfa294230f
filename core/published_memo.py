"""Values derived from published data, worked out once per published version in each process.

Some public lists show values that are derived from many rows: the national figures' values, appendix totals and
changes against the year before take a dozen milliseconds to derive for one page, and they change only when the
published data does. ``PublishedMemo`` keeps such a derived value under the published version (``core.published``):
a request reads the version (one primary-key lookup) and uses what the first request of that version derived.
Filters, ordering and pages still run in SQL on every request; only the derivation is kept.

The version is read on the primary and moves with every published write (``core.caching.statistics_changed``); the
value is derived from the primary too (``core.replicas.primary_reads``: a lagging replica could otherwise leave old
data under the new version until the next publication), so a kept value is never older than the version it is
keyed on. A request inside a transaction that has written published data (its new version not yet committed)
derives afresh and keeps nothing: a rolled-back transaction's number comes again later. One value is kept per
language (a value may hold translated text). ``forget_all`` empties every memo (the tests do, before each test, as
with the cache).
"""

from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import get_language

from . import published
from .caching import bump_pending
from .replicas import primary_reads

T = TypeVar("T")
_memos: list["PublishedMemo"] = []


class PublishedMemo(Generic[T]):
    """``build()`` kept per language under the published version until the version moves."""

    def __init__(self, build: Callable[[], T]):
        self._build = build
        self._entries: dict[str | None, tuple[int, T]] = {}  # language → (version, value); one assignment each
        _memos.append(self)

    def _derive(self) -> T:
        with primary_reads():
            return self._build()

    def get(self) -> T:
        if bump_pending(connections[DEFAULT_DB_ALIAS]):
            return self._derive()
        version, language = published.current(), get_language()
        entry = self._entries.get(language)
        if entry is not None and entry[0] == version:
            return entry[1]
        value = self._derive()
        self._entries[language] = (version, value)
        return value

    def kept(self) -> bool:
        """Whether a value is kept (for any language)."""
        return bool(self._entries)

    def forget(self) -> None:
        self._entries = {}


def forget_all() -> None:
    for memo in _memos:
        memo.forget()
