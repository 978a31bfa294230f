"""Names of regions, countries and registry entries in the reader's language.

The reference tables keep a Chinese and an English name side by side (``name_zh``/``full_name_zh``/``name_en``);
``__str__`` is Chinese because the records are Chinese. In English mode a page shows the English name where there
is one, so that an English page does not show Chinese names. Templates use the ``display_name`` filter
(``{% load names %}{{ region|display_name }}``, ``{{ region|display_name:"full" }}``); Python uses ``name_of``.
"""

from django.utils import translation


def english_active() -> bool:
    return (translation.get_language() or "").split("-")[0] == "en"


def name_of(entry, form: str = "") -> str:
    """The entry's name in the active language: ``name_en`` in English when it has one, else the Chinese name
    (``full_name_zh`` with ``form="full"``, else ``name_zh``, else ``str(entry)``)."""
    if entry is None or entry == "":
        return ""
    if english_active():
        english = getattr(entry, "name_en", "")
        if english:
            return english
    if form == "full":
        full = getattr(entry, "full_name_zh", "")
        if full:
            return full
    return getattr(entry, "name_zh", "") or str(entry)


def record_label(record) -> str:
    """A reviewed record in the active language: its region's name and its year (``北京 2025``, ``Beijing 2025``);
    a record without both is named by its ``__str__``."""
    region, year = getattr(record, "review_region", None), getattr(record, "year", None)
    if region is not None and year is not None:
        return f"{name_of(region)} {year}"
    return str(record)
