"""The report loaded once per session, users in each role, and small file samples for attachments.

Expected texts come from the report itself (``fixtures/sources/annual_report_2025.txt``), read here without the
extraction script or the loader, so that a mistake in either cannot hide in the expectations.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from review.models import RegionAssignment
from review.roles import GROUP_NAMES, Role
from statistics.models import Region
from statistics.tests.factories import UserFactory

PROJECT = Path(__file__).resolve().parents[2]
REPORT_TEXT = PROJECT / "fixtures" / "sources" / "annual_report_2025.txt"


def report_chapter() -> str:
    """The 地方工作 chapter of the report, as extracted from the PDF."""
    text = REPORT_TEXT.read_text(encoding="utf-8")
    start = text.index("\n# 地方工作\n")
    end = text.index("\n# ", start + 5)
    return text[start:end]


def chapter_paragraphs() -> list[str]:
    """The chapter's text paragraphs (headings and bold heading lines left out)."""
    paragraphs = []
    for line in report_chapter().split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or (stripped.startswith("**") and stripped.endswith("**")):
            continue
        paragraphs.append(stripped)
    return paragraphs


@pytest.fixture(autouse=True)
def default_language():
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Attachments go to a temporary folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_user(role: Role | None, region_name: str | None = None, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    if role is not None:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if region_name:
        RegionAssignment.objects.create(user=user, region=Region.objects.lookup(region_name))
    return user


@pytest.fixture
def officer(db):
    """The provincial officer of 北京."""
    return make_user(Role.OFFICER, "北京")


@pytest.fixture
def other_officer(db):
    """The provincial officer of 广东."""
    return make_user(Role.OFFICER, "广东")


@pytest.fixture
def reviewer(db):
    return make_user(Role.REVIEWER)


@pytest.fixture
def administrator(db):
    return make_user(Role.ADMINISTRATOR)


# ---------------------------------------------------------------------------------------------------------------
# File samples: the smallest bytes each kind starts with, and Office files as the ZIPs they are
# ---------------------------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def office_file(kind: str) -> bytes:
    """A real DOCX or XLSX written by python-docx / openpyxl."""
    buffer = io.BytesIO()
    if kind == "docx":
        from docx import Document

        document = Document()
        document.add_paragraph("附件")
        document.save(buffer)
    else:
        from openpyxl import Workbook

        Workbook().save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not an office file")
    return buffer.getvalue()


def fake_docx() -> bytes:
    """A ZIP with a ``word/`` folder but no declaration in [Content_Types].xml: not a Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()
