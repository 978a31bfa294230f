"""Deployment settings: with DEBUG off and nothing else set, ``check --deploy`` is clean."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


def test_check_deploy_is_clean_with_debug_off():
    """``manage.py check --deploy`` with DEBUG=0 (no other security variable) exits 0 without any warning."""
    env = {"PATH": os.environ.get("PATH", ""), "DEBUG": "0"}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output.upper()


def test_default_language_is_simplified_chinese():
    """The interface defaults to zh-hans, with English offered."""
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]


@pytest.mark.django_db
def test_demo_accounts_are_refused_with_debug_off(settings):
    """``create_demo_accounts`` never runs with DEBUG off."""
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("create_demo_accounts", stdout=StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_demo_accounts_with_debug_on_create_a_staff_superuser(settings, monkeypatch):
    """With DEBUG on, the demo administrator is created (and running it again keeps one account). The index's demo
    data, which the command also makes, has its own test (``evaluation/tests/test_demo_index.py``)."""
    monkeypatch.setattr("evaluation.demo.create_demo_index_data", lambda stdout: {"returns": 0, "edition": None})
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=StringIO())
    call_command("create_demo_accounts", stdout=StringIO())
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
