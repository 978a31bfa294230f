"""The role groups: each holds what the apps' ``role_permissions`` ask for, nothing is lost on a second run, and a
label that names no permission is refused instead of silently leaving the role without it."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from review.roles import GROUP_NAMES, Role, ensure_role_groups


def granted(role) -> set[str]:
    group = Group.objects.get(name=GROUP_NAMES[role])
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.mark.django_db
def test_each_group_holds_exactly_what_the_apps_ask_for():
    ensure_role_groups()
    for role in Role:
        asked = set()
        for config in apps.get_app_configs():
            asked.update(getattr(config, "role_permissions", {}).get(role.value, ()))
        assert granted(role) == asked, role
    # two the review app asks for, spelled out
    assert "auth.add_user" in granted(Role.ADMINISTRATOR)
    assert "review.view_regionassignment" in granted(Role.REVIEWER)


@pytest.mark.django_db
def test_a_permission_taken_away_by_hand_comes_back_and_an_extra_one_goes():
    group = Group.objects.get(name=GROUP_NAMES[Role.REVIEWER])
    group.permissions.remove(Permission.objects.get(content_type__app_label="review", codename="view_regionassignment"))
    group.permissions.add(Permission.objects.get(content_type__app_label="auth", codename="delete_user"))
    ensure_role_groups()
    assert "review.view_regionassignment" in granted(Role.REVIEWER)
    assert "auth.delete_user" not in granted(Role.REVIEWER)


@pytest.mark.django_db
def test_a_label_without_a_permission_is_refused(monkeypatch):
    config = apps.get_app_config("review")
    monkeypatch.setattr(config, "role_permissions", {"reviewer": ["review.fly_to_the_moon"]}, raising=False)
    with pytest.raises(Permission.DoesNotExist, match=r"review\.fly_to_the_moon"):
        ensure_role_groups()


@pytest.mark.django_db
def test_the_permissions_are_read_in_one_query_whatever_their_number():
    """It runs after every migration and flush and in many fixtures: one query for every permission (it was one per
    permission), then each group's own."""
    with CaptureQueriesContext(connection) as queries:
        ensure_role_groups()
    conditions = [q["sql"].partition("WHERE")[2].partition("ORDER BY")[0] for q in queries]
    by_codename = [where for where in conditions if '"auth_permission"."codename"' in where]
    assert len(by_codename) == 1
    assert len(queries) <= 4 * len(Role) + 1
