"""The ``statistics`` app: reference dimensions and the national statistics of the report's appendix.

The user's design card names this app ``statistics``, which shadows Python's standard-library module of the same
name whenever the project root is on ``sys.path`` (``manage.py`` and pytest both put it there). Django's own SQLite
backend does ``from statistics import stdev, variance``, and other libraries may too. So that they keep working,
any name this package does not define is looked up in the real standard-library module (PEP 562). See
``docs/decisions.md``.
"""

import importlib.util
import sysconfig
from pathlib import Path

_stdlib = None


def _standard_library_module():
    global _stdlib
    if _stdlib is None:
        path = Path(sysconfig.get_paths()["stdlib"]) / "statistics.py"
        spec = importlib.util.spec_from_file_location("_stdlib_statistics", path)
        _stdlib = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_stdlib)
    return _stdlib


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_standard_library_module(), name)
