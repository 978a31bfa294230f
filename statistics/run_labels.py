"""How an import run's ``kind`` and ``source_format`` read in the interface.

Both are stored as codes (``ImportRun.kind`` is "appendix", "report fixtures" or the label of the model a records
import wrote, e.g. "statistics.regionpatentfigure"; ``source_format`` is the index of the upload's format in
``core.formats.FORMATS``). The admin showed them raw ("类型: appendix", "格式: 0"); these functions give the words a
reader understands, in the reader's language.
"""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.formats import FORMATS

from .fixture_loading import RUN_KIND

APPENDIX_KIND = "appendix"


def kind_label(kind: str) -> str:
    if kind == APPENDIX_KIND:
        return _("Appendix workbook (tables 1–12)")
    if kind == RUN_KIND:
        return _("The report's data (fixtures)")
    try:
        model = apps.get_model(kind)
    except (LookupError, ValueError):
        return kind
    return capfirst(str(model._meta.verbose_name_plural))


def format_label(run) -> str:
    """The upload's format for an import of records (the only kind that chooses one), else a dash."""
    if run.kind in (APPENDIX_KIND, RUN_KIND) or not 0 <= run.source_format < len(FORMATS):
        return "XLSX" if run.kind == APPENDIX_KIND else "—"
    return FORMATS[run.source_format]().get_title().upper()


def origin_label(origin: str) -> str:
    """``command (<OS account>)`` (``imports.command_origin``) in the reader's language; the account is a name."""
    if origin.startswith("command (") and origin.endswith(")"):
        return _("command line (account %(account)s)") % {"account": origin[len("command (") : -1]}
    return origin or "—"
