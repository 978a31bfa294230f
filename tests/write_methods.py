"""Which write methods the write-path inventory sends to a view: one per way the view can tell them apart.

A view treats a request by its method only where code looks at the method. Django's admin views compare it with
``"POST"`` (and with ``GET``/``HEAD``/``OPTIONS``/``TRACE``) and nothing else, so PUT, PATCH and DELETE take one and
the same path there; DRF dispatches by the method's name to a handler, and every method without one gets the same 405
after the same authentication and permission checks. Sending each of those alike methods once instead of three times
is most of the inventory's time saved, and nothing it checks is lost, *as long as nothing else tells them apart*:

``methods_told_apart()`` reads (with ``ast``) the project's own code and the code every admin request runs through
(Django's admin and auth, the middleware of ``settings.MIDDLEWARE``, django-import-export, django-simple-history,
django-axes) for a comparison of a request's method with some but not all of PUT, PATCH and DELETE, or a dispatch by
the method's name. If it finds one, every view gets all four methods again, so a new ``if request.method == "PATCH"``
anywhere cannot go untested. Class-based Django views (which dispatch by name) and anything else always get all four.
"""

import ast
import functools
import importlib
import inspect
import textwrap
from pathlib import Path

from django.conf import settings

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ALIKE = frozenset({"PUT", "PATCH", "DELETE"})  # what Django's admin treats as a GET
PROJECT_PACKAGES = (
    "config",
    "core",
    "dashboards",
    "evaluation",
    "localwork",
    "notifications",
    "protection",
    "returns",
    "review",
    "statistics",
    "workspace",
)
LIBRARY_PACKAGES = ("django.contrib.admin", "django.contrib.auth", "import_export", "simple_history", "axes")


def _reads_the_method(node) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "method":
        return True
    return isinstance(node, ast.Constant) and node.value == "REQUEST_METHOD"


def _texts(node) -> set:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _dispatches_by_name(node) -> bool:
    """``request.method.lower()`` and the like: a handler looked up by the method's name."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    return node.func.attr in ("lower", "upper") and _reads_the_method(node.func.value)


def tells_apart(source: str, filename: str = "<source>") -> list[str]:
    """The places in ``source`` that can treat PUT, PATCH and DELETE differently, as ``file:line: code``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            reads = any(_reads_the_method(inner) for side in sides for inner in ast.walk(side))
            named = ALIKE & set().union(*(_texts(side) for side in sides))
            if reads and named and named != ALIKE:  # some of them, not all: they part ways here
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
        elif _dispatches_by_name(node):
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


def _package_files(dotted: str) -> list[Path]:
    module = importlib.import_module(dotted)
    if not hasattr(module, "__path__"):
        return [Path(module.__file__)]
    files = []
    for root in module.__path__:
        files += [
            path
            for path in Path(root).rglob("*.py")
            if not {"tests", "migrations", "management"} & set(path.relative_to(root).parts[:-1])
            and not path.name.startswith("test")
        ]
    return files


def scanned_files() -> list[Path]:
    middleware = {dotted.rsplit(".", 1)[0] for dotted in settings.MIDDLEWARE}
    files = set()
    for dotted in (*PROJECT_PACKAGES, *LIBRARY_PACKAGES, *sorted(middleware)):
        files.update(_package_files(dotted))
    return sorted(files)


@functools.cache
def methods_told_apart() -> tuple[str, ...]:
    return tuple(place for path in scanned_files() for place in tells_apart(path.read_text(), str(path)))


@functools.cache
def _class_calls_class_views(cls) -> bool:
    """Whether one class's own methods call ``as_view`` (read once per class: admins share most of their bases, and
    ``inspect.getsource`` parses the class's whole module each time)."""
    body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body
    # ``get_urls`` makes URLs of class-based views (Django's redirect): those are views of their own here.
    methods = [node for node in body if isinstance(node, ast.FunctionDef) and node.name != "get_urls"]
    return any(isinstance(n, ast.Attribute) and n.attr == "as_view" for m in methods for n in ast.walk(m))


@functools.cache
def hands_on_to_class_views(admin_class) -> bool:
    """Whether a ModelAdmin class (or a class it inherits from) calls a class-based view, which dispatches by the
    method's name: such an admin gets all four methods."""
    return any(_class_calls_class_views(cls) for cls in admin_class.__mro__[:-1])  # not ``object``


def methods_to_send(callback, model_admin=None) -> tuple[str, ...]:
    """The write methods to try on a view: one of each kind the view can tell apart (see the module's docstring).
    ``model_admin``: the ModelAdmin whose method the view is, if it is one."""
    if methods_told_apart():
        return WRITE_METHODS
    view_class = getattr(callback, "cls", None)  # any DRF view
    if view_class is not None:
        actions = getattr(callback, "actions", None) or {}  # a viewset's method → action
        handled = [m for m in WRITE_METHODS if m.lower() in actions or hasattr(view_class, m.lower())]
        unhandled = [m for m in WRITE_METHODS if m not in handled]
        return tuple(handled + unhandled[:1])
    is_admin_method = model_admin is not None and getattr(callback, "view_class", None) is None
    if is_admin_method and not hands_on_to_class_views(type(model_admin)):
        return ("POST", "PUT")
    return WRITE_METHODS
