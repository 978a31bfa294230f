"""The rules of work summaries, written once for the admin, the API, the pages, the loader and the shell.

* Markdown, plain text and search text are in ``text.py`` (pure functions the models use too).
* An attachment is accepted by ``check_attachment`` only when its *content* is a PDF, DOCX, XLSX, PNG or JPEG, its
  name's extension agrees with that content, and it is no larger than ``LOCALWORK_ATTACHMENT_MAX_SIZE``.
* ``add_attachment`` checks the file before anything is written, so a refused file leaves the summary unchanged.
* ``load_report_summaries`` loads the report's 2025 summaries and typical cases, published.
"""

import csv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from review import services as review
from review.models import State
from statistics.fixture_loading import Difference, FixtureLoad, fields_differing
from statistics.models import Region

from .models import Attachment, Origin, TypicalCase, WorkSummary

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "localwork"
DEFAULT_ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024

# ---------------------------------------------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------------------------------------------

EXTENSIONS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "png": "png", "jpg": "jpg", "jpeg": "jpg"}
KIND_LABELS = {"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX", "png": "PNG", "jpg": "JPEG"}
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
OOXML_CONTENT_TYPE = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
MAX_CONTENT_TYPES_SIZE = 1024 * 1024  # [Content_Types].xml is a few kB; a larger one is not a real Office file


class AttachmentRefused(review.Invalid):
    """An attachment that is not accepted; ``messages`` say why, naming the file."""


def attachment_max_size() -> int:
    return int(getattr(settings, "LOCALWORK_ATTACHMENT_MAX_SIZE", DEFAULT_ATTACHMENT_MAX_SIZE))


def _office_kind(head: bytes, upload) -> str | None:
    """ "docx" or "xlsx" when the ZIP holds that Office document's main part and declares it; otherwise None."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if info is None or info.file_size > MAX_CONTENT_TYPES_SIZE:
                return None
            declared = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None
    finally:
        upload.seek(0)
    for kind, part in OOXML_MAIN_PART.items():
        if part in names and OOXML_CONTENT_TYPE[kind] in declared:
            return kind
    return None


def detect_kind(upload) -> str | None:
    """The kind of file ``upload`` holds, read from its bytes: pdf, docx, xlsx, png, jpg; None for anything else."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guessed = filetype.guess(head)
    if guessed is None:
        return None
    if guessed.extension in {"pdf", "png", "jpg"}:
        return guessed.extension
    if guessed.mime in {"application/zip"} or guessed.extension in {"docx", "xlsx", "zip"}:
        return _office_kind(head, upload)
    return None


def check_attachment(upload) -> str:
    """The kind of an acceptable upload, or ``AttachmentRefused`` naming the file and the reason."""
    name = getattr(upload, "name", "") or ""
    limit = attachment_max_size()
    if upload.size > limit:
        raise AttachmentRefused(
            _("The file “%(name)s” is %(size)s; attachments may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise AttachmentRefused(_("The file “%(name)s” is empty.") % {"name": name})
    kind = detect_kind(upload)
    allowed = ", ".join(KIND_LABELS.values())
    if kind is None:
        raise AttachmentRefused(
            _(
                "The file “%(name)s” is not a PDF, DOCX, XLSX, PNG or JPEG file (read from its content); only "
                "%(allowed)s may be attached."
            )
            % {"name": name, "allowed": allowed}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if EXTENSIONS.get(extension) != kind:
        raise AttachmentRefused(
            _("The file “%(name)s” holds a %(kind)s file but is named .%(extension)s; rename it to .%(expected)s.")
            % {"name": name, "kind": KIND_LABELS[kind], "extension": extension or "?", "expected": kind}
        )
    return kind


def add_attachment(summary, upload, user, expected_version=None) -> Attachment:
    """Attach ``upload`` to ``summary`` as ``user``: the file is checked first, then the edit is guarded (own region,
    editable state, current version) and the attachment written, all in one transaction."""
    kind = check_attachment(upload)
    with transaction.atomic():
        locked = review.guard_edit(summary, user, expected_version)
        return _store(locked, upload, kind, user)


@transaction.atomic
def add_attachment_with_edit(summary, upload, user) -> Attachment:
    """Attach ``upload`` as part of an edit of the summary's form that was guarded in this transaction
    (``review.guard_edit`` with the form's version, which moved the version on): the admin's attachment rows. The
    file and the user's right to edit the summary are checked as in ``add_attachment``."""
    kind = check_attachment(upload)
    problem = review.edit_refusal(user, summary)
    if problem:
        raise review.NotAllowed(problem)
    return _store(summary, upload, kind, user)


def _store(summary, upload, kind: str, user) -> Attachment:
    attachment = Attachment(summary=summary, name=Path(upload.name).name[:200], kind=kind, size=upload.size)
    attachment.uploaded_by = user
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


# ---------------------------------------------------------------------------------------------------------------
# The report's summaries and cases
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class LoadCounts:
    created: int = 0
    unchanged: int = 0
    kept: int = 0
    replaced: int = 0

    def __str__(self):
        text = f"{self.created} created, {self.unchanged} unchanged, {self.kept} changed since and kept"
        return text + (f", {self.replaced} replaced" if self.replaced else "")


def _rows(name: str) -> list[dict]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _excerpt(text: str, length: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + "…"


@transaction.atomic
def load_report_summaries(load: FixtureLoad | None = None) -> tuple[LoadCounts, LoadCounts]:
    """Load the report's work summaries and typical cases that are missing.

    A summary from the report is created *approved* (it is published) with ``origin = report``; no ReviewEvent is
    written, because nobody reviewed it in this system. One already present is not overwritten: if it differs
    from the report, it was changed through the workflow (reopened and edited), so it is kept and reported through
    ``load`` (a ``statistics.fixture_loading.FixtureLoad``). A forced load writes the report's narrative back and
    raises the version (so an editor with the old version open gets a conflict), leaving the state as it is. The
    same goes for typical cases, which administrators maintain.
    """
    load = load or FixtureLoad()
    regions = {region.code: region for region in Region.objects.all()}
    summaries = LoadCounts()
    existing = {(s.region_id, s.year): s for s in WorkSummary.objects.all()}
    what = str(WorkSummary._meta.verbose_name)
    for row in _rows("summaries.csv"):
        region, year = regions[row["region_code"]], int(row["year"])
        current = existing.get((region.pk, year))
        if current is None:
            summary = WorkSummary(
                region=region, year=year, narrative=row["narrative"], state=State.APPROVED, origin=Origin.REPORT
            )
            summary._change_reason = "loaded from the 2025 annual report"
            summary.full_clean()
            summary.save()
            summaries.created += 1
        elif current.narrative == row["narrative"]:
            summaries.unchanged += 1
        else:
            label = str(WorkSummary._meta.get_field("narrative").verbose_name)
            difference = Difference(
                what, region.name_zh, year, label, _excerpt(current.narrative), _excerpt(row["narrative"])
            )
            if load.differs([difference]):
                current.narrative = row["narrative"]
                current.version += 1
                current._change_reason = load.reason[:100]
                current.save()
                summaries.replaced += 1
            else:
                summaries.kept += 1
    cases = LoadCounts()
    existing_cases = {(case.batch, case.number): case for case in TypicalCase.objects.all()}
    what = str(TypicalCase._meta.verbose_name)
    for row in _rows("typical_cases.csv"):
        fields = {"year": int(row["year"]), "title": row["title"], "region": regions[row["region_code"]]}
        current = existing_cases.get((int(row["batch"]), int(row["number"])))
        if current is None:
            case = TypicalCase(batch=int(row["batch"]), number=int(row["number"]), **fields)
            case._change_reason = "loaded from the 2025 annual report"
            case.full_clean()
            case.save()
            cases.created += 1
            continue
        entity = f"{row['batch']}-{row['number']}"
        differences = fields_differing(current, fields, what, entity, year=None)
        if not differences:
            cases.unchanged += 1
        elif load.differs(differences):
            for name, value in fields.items():
                setattr(current, name, value)
            current._change_reason = load.reason[:100]
            current.full_clean()
            current.save()
            cases.replaced += 1
        else:
            cases.kept += 1
    for counts in (summaries, cases):
        load.count(counts.created, counts.replaced, counts.unchanged)
    return summaries, cases


def report_data_loaded(sender, load: FixtureLoad | None = None, **kwargs) -> str:
    """Receiver of ``statistics.signals.report_data_loaded``."""
    summaries, cases = load_report_summaries(load)
    return f"work summaries: {summaries}; typical cases: {cases}"
