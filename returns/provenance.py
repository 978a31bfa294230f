"""Whether a return holds made-up demonstration data (演示数据), so that every page and API answer showing it says so.

The returns app never makes such data; the app that does (``evaluation.demo``) registers a test here from its
``AppConfig.ready()``, so the returns app needs no import of it. A test takes a queryset (or list) of return ids and
gives the set of those that are demonstration returns, in one query.
"""

from collections.abc import Callable, Iterable

DEMONSTRATION_LABEL = "演示数据"

_tests: list[Callable[[Iterable[int]], set[int]]] = []


def register(test: Callable[[Iterable[int]], set[int]]) -> None:
    if test not in _tests:
        _tests.append(test)


def demonstration_ids(return_ids) -> set[int]:
    found: set[int] = set()
    for test in _tests:
        found |= test(return_ids)
    return found


def is_demonstration(annual_return) -> bool:
    return annual_return.pk in demonstration_ids([annual_return.pk])


class LazyDemonstrationIds:
    """The demonstration returns among a queryset's, looked up once, on first use (a serializer's context).

    ``return_ids`` may be a callable that gives them: a view's filtered queryset is then built only when a record
    is shown. The browsable API builds a serializer for its empty form even when the filters were refused (400);
    filtering there again would raise the refusal while the page renders (a server error)."""

    def __init__(self, return_ids):
        self.return_ids, self._found = return_ids, None

    def __contains__(self, pk) -> bool:
        if self._found is None:
            ids = self.return_ids() if callable(self.return_ids) else self.return_ids
            self._found = demonstration_ids(ids)
        return pk in self._found
