"""No admin change form saves over a change made after it was opened (``core.stale_forms``, and the version checks
of the records that have one): of two people editing the same record, the second is told, and the first's change
stays."""

import re
from datetime import date

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.stale_forms import fingerprint
from protection.models import Centre
from returns.models import ReturnPeriod
from statistics.models import Region

pytestmark = pytest.mark.django_db

HIDDEN_GUARDS = ("loaded_state", "version", "expected_version")
LOADED = re.compile(r'name="loaded_state" value="([0-9a-f]+)"')
STALE = "已被他人修改"  # "… was changed by someone else after you opened it", in Chinese


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_every_change_form_that_saves_carries_a_guard(admin_user):
    """Every registered admin whose change page a superuser may save sends a fingerprint or a version with it."""
    ReturnPeriod.objects.create(year=2031, deadline=date(2032, 3, 31))  # the loaded report holds no period
    client, checked = admin_client(admin_user), []
    for model in admin.site._registry:
        obj = model._default_manager.first()
        if obj is None:
            continue
        page = client.get(change_url(obj))
        if page.status_code != 200 or 'name="_save"' not in page.content.decode():
            continue  # read-only for everybody
        text = page.content.decode()
        assert any(f'name="{name}"' in text for name in HIDDEN_GUARDS), f"{model._meta.label} saves unguarded"
        checked.append(model._meta.label)
    assert {"statistics.region", "returns.returnperiod", "auth.user", "auth.group"} <= {
        label.lower() for label in checked
    }
    assert len(checked) >= 25, checked


def posted_back(page) -> dict:
    """The change page's form as the browser would send it unchanged: its fields and its inlines' (as shown)."""
    form, data = page.context["adminform"].form, {"_continue": "1"}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if hasattr(field.widget, "decompress"):  # a split date and time
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        else:
            data[name] = "on" if value is True else value if isinstance(value, list) else str(value)
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {f"{inline.formset.prefix}-{name}": management[name].value() for name in management.fields}
        for inline_form in inline.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None and value is not False:
                    data[inline_form.add_prefix(name)] = "on" if value is True else value
    return data


def test_every_guarded_form_saves_unchanged_when_nobody_else_saved(admin_user):
    """The fingerprint a page shows is the one a save checks: a form opened and saved as it is is never stale."""
    client, saved = admin_client(admin_user), []
    for model in admin.site._registry:
        obj = model._default_manager.order_by("pk").first()
        page = client.get(change_url(obj)) if obj is not None else None
        if page is None or page.status_code != 200 or not LOADED.search(page.content.decode()):
            continue
        assert LOADED.search(client.get(change_url(obj)).content.decode()).group(1) == opened(client, obj)
        response = client.post(change_url(obj), posted_back(page))
        assert response.status_code == 302, (model._meta.label, STALE in response.content.decode())
        saved.append(model._meta.label)
    assert len(saved) >= 20, saved


def opened(client, obj) -> str:
    """What the change page was opened at (its hidden fingerprint)."""
    return LOADED.search(client.get(change_url(obj)).content.decode()).group(1)


def region_form(region, loaded: str, **changes) -> dict:
    data = {
        "code": region.code,
        "name_zh": region.name_zh,
        "full_name_zh": region.full_name_zh,
        "name_en": region.name_en,
        "level": region.level,
        "parent": region.parent_id or "",
        "display_order": region.display_order,
        "loaded_state": loaded,
        "_save": "1",
    }
    return data | changes


def test_the_second_of_two_editors_is_refused_and_the_first_change_stays(admin_user, django_user_model):
    first, second = admin_client(admin_user), admin_client(django_user_model.objects.create_superuser("second"))
    region = Region.objects.get(code="110000")
    order = region.display_order
    first_opened, second_opened = opened(first, region), opened(second, region)
    saved = first.post(change_url(region), region_form(region, first_opened, name_en="Beijing Municipality"))
    assert saved.status_code == 302
    refused = second.post(change_url(region), region_form(region, second_opened, display_order=999))
    assert refused.status_code == 200 and STALE in refused.content.decode()
    region.refresh_from_db()
    assert (region.name_en, region.display_order) == ("Beijing Municipality", order)


def test_a_form_posted_without_its_fingerprint_saves_nothing(admin_user):
    region = Region.objects.get(code="110000")
    response = admin_client(admin_user).post(change_url(region), region_form(region, "", name_en="Changed"))
    assert response.status_code == 200 and STALE in response.content.decode()
    region.refresh_from_db()
    assert region.name_en != "Changed"


def test_a_reopened_form_saves(admin_user):
    client = admin_client(admin_user)
    region = Region.objects.get(code="110000")
    client.post(change_url(region), region_form(region, opened(client, region), name_en="Beijing (1)"))
    region.refresh_from_db()
    response = client.post(change_url(region), region_form(region, opened(client, region), name_en="Beijing (2)"))
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.name_en == "Beijing (2)"


def test_closing_a_period_over_a_changed_deadline_is_refused(admin_user):
    """Reporting periods, edited in the admin's own form, are guarded too."""
    period = ReturnPeriod.objects.create(year=2031, deadline=date(2032, 3, 31))
    client = admin_client(admin_user)
    loaded = opened(client, period)
    ReturnPeriod.objects.filter(pk=period.pk).update(deadline=date(2032, 4, 30))  # someone else's save
    form = {"year": 2031, "deadline": "2032-03-31", "closed": "on", "loaded_state": loaded, "_save": "1"}
    response = client.post(change_url(period), form)
    assert response.status_code == 200 and STALE in response.content.decode()
    period.refresh_from_db()
    assert (period.deadline, period.closed) == (date(2032, 4, 30), False)


def test_a_view_only_page_does_not_show_the_fingerprint(client):
    """Officers may view regions; the hidden fingerprint is for forms that save (no stray field on their page)."""
    from review.roles import Role
    from tests.contracts.factories import person

    client.force_login(person(Role.OFFICER, Region.objects.get(code="440000")))
    page = client.get(change_url(Region.objects.get(code="110000")))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert "loaded_state" not in page.content.decode() and "Loaded state" not in page.content.decode()


def test_a_page_built_from_values_read_before_a_save_is_stale(admin_user):
    """The fingerprint comes from the values the form shows, not from a second read after them."""
    region = Region.objects.get(code="110000")
    Region.objects.filter(pk=region.pk).update(name_en="Saved meanwhile")  # commits between the read and the page
    request = RequestFactory().get("/")
    request.user = admin_user
    form_class = admin.site._registry[Region].get_form(request, region, change=True)
    assert form_class(instance=region)["loaded_state"].value() != fingerprint(Region, region.pk)


def test_the_check_locks_the_record_alone():
    """An entry's default ordering goes through its region: the locked read must not join (and lock) the region."""
    centre = Centre.objects.order_by("pk").first()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        fingerprint(Centre, centre.pk, lock=True)
    locked = queries.captured_queries[0]["sql"]
    assert "JOIN" not in locked.upper() and "statistics_region" not in locked


def test_a_role_group_is_named_by_its_translated_role_on_its_pages_and_in_a_refusal(admin_user):
    """Group names are stable English data; a Chinese page shows the role's label (``review.roles``)."""
    from django.contrib.auth.models import Group

    from review.roles import GROUP_NAMES, Role, ensure_role_groups

    ensure_role_groups()
    group = Group.objects.get(name=GROUP_NAMES[Role.OFFICER])
    client = admin_client(admin_user)
    listing = client.get(reverse("admin:auth_group_changelist")).content.decode()
    page = client.get(change_url(group)).content.decode()
    loaded = LOADED.search(page).group(1)
    group.permissions.remove(group.permissions.first())  # someone else's save
    form = {"name": "renamed", "permissions": [], "loaded_state": loaded, "_save": "1"}
    refused = client.post(change_url(group), form).content.decode()
    form["loaded_state"] = LOADED.search(client.get(change_url(group)).content.decode()).group(1)
    assert client.post(change_url(group), form).status_code == 302
    group.refresh_from_db()
    assert (group.name, group.permissions.count()) == (GROUP_NAMES[Role.OFFICER], 0)  # a role's name is fixed
    breadcrumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S).group(1)
    assert "省级填报员" in listing and "provincial officer" not in listing
    assert "省级填报员" in breadcrumbs and "provincial officer" not in breadcrumbs
    assert page.count('class="form-row field-role_label"') == 1  # the role once, in place of the name field
    assert STALE in refused and "“省级填报员”" in refused and "provincial officer" not in refused


def test_saving_a_user_keeps_when_the_account_was_made(admin_user, django_user_model):
    """``date_joined`` is read-only: the admin's split date and time widget would cut it to whole seconds."""
    from review.assignment_admin import UserWithRegionAdmin

    account = django_user_model.objects.create_user("joined")
    joined = account.date_joined
    form = {"username": "joined", "first_name": "Changed", "is_active": "on", "_save": "1"}
    form |= {f"region_assignment-{key}": 0 for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")}
    form["loaded_state"] = fingerprint(type(account), account.pk, UserWithRegionAdmin.stale_exclude)
    response = admin_client(admin_user).post(change_url(account), form)
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.first_name, account.date_joined) == ("Changed", joined)


def test_a_role_group_cannot_be_deleted_and_its_history_names_the_role(admin_user):
    from django.contrib.auth.models import Group

    from review.roles import GROUP_NAMES, Role, ensure_role_groups

    ensure_role_groups()
    group = Group.objects.get(name=GROUP_NAMES[Role.REVIEWER])
    client = admin_client(admin_user)
    url = reverse("admin:auth_group_delete", args=[group.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Group.objects.filter(pk=group.pk).exists()
    history = client.get(reverse("admin:auth_group_history", args=[group.pk])).content.decode()
    assert "总部审核员" in history
    assert "headquarters reviewer" not in history
