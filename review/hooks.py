"""What a kind of reviewed record adds to the workflow, registered by the app that owns it.

The workflow (``review.services.transition``) asks ``Reviewable.submission_problems()`` before a submit and calls
``Reviewable.on_transition()`` after each transition. Those checks need the owning app's services and selectors, which
import its models; a model method importing them back would close an import cycle. So the app registers them here
from its ``AppConfig.ready()`` (``register(NationalReturn, submission_problems=…)``), and the model's default methods
look them up. A leaf module: it imports nothing of the project.
"""

from collections.abc import Callable

_SUBMISSION_CHECKS: dict[type, Callable] = {}
_TRANSITION_HOOKS: dict[type, Callable] = {}


def register(model: type, *, submission_problems: Callable | None = None, on_transition: Callable | None = None):
    """``submission_problems(record) -> list[str]`` (empty: it may be submitted); ``on_transition(record, event)``."""
    if submission_problems is not None:
        _SUBMISSION_CHECKS[model] = submission_problems
    if on_transition is not None:
        _TRANSITION_HOOKS[model] = on_transition


def _registered(table: dict, record):
    for model in type(record).__mro__:  # a proxy or subclass inherits what its model registered
        if model in table:
            return table[model]
    return None


def submission_problems(record) -> list[str]:
    check = _registered(_SUBMISSION_CHECKS, record)
    return list(check(record)) if check is not None else []


def on_transition(record, event) -> None:
    hook = _registered(_TRANSITION_HOOKS, record)
    if hook is not None:
        hook(record, event)
