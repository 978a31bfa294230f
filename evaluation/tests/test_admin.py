"""The admin of the evaluation app: changelists in Chinese with bounded queries, read-only published results,
completing a placeholder in the admin and by import."""

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.stale_forms import fingerprint
from evaluation.models import FrameworkGroup, FrameworkIndicator, Membership, PublishedResult, Scope
from evaluation.resources import FrameworkIndicatorResource
from statistics.models import Framework, Indicator, IndicatorGroup
from statistics.tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

MODELS = [FrameworkGroup, FrameworkIndicator, Scope, Membership, PublishedResult]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    return client


def url(model, suffix=""):
    return f"/admin/evaluation/{model._meta.model_name}/{suffix}"


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelists_answer_with_few_queries(admin_client, model):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url(model) + "?all=")
    assert response.status_code == 200
    assert len(queries) <= 15, [q["sql"] for q in queries]


def test_published_results_are_read_only(admin_client):
    result = PublishedResult.objects.get(key="national/2025/全国/composite/score")
    assert admin_client.get(url(PublishedResult, "add/")).status_code == 403
    page = admin_client.get(url(PublishedResult, f"{result.pk}/change/"))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin_client.post(url(PublishedResult, f"{result.pk}/change/"), {"value": "1"}).status_code == 403
    assert admin_client.post(url(PublishedResult, f"{result.pk}/delete/"), {"post": "yes"}).status_code == 403
    assert admin_client.get(url(PublishedResult, "import/")).status_code == 403
    assert PublishedResult.objects.get(pk=result.pk).value == result.value


def slot_form(slot, **changes):
    data = {
        "framework": slot.framework,
        "number": slot.number,
        "group": slot.group_id or "",
        "catalogue_indicator": slot.catalogue_indicator_id or "",
        "direction": slot.direction,
        "value_kind": slot.value_kind,
        "note": slot.note,
        "loaded_state": fingerprint(FrameworkIndicator, slot.pk),
    }
    data.update(changes)
    return data


def test_completing_a_placeholder_in_the_admin(admin_client):
    slot = FrameworkIndicator.objects.get(framework="regional", number=80)
    talent = FrameworkGroup.objects.get(framework="regional", name_zh="人才发展")
    response = admin_client.post(
        url(FrameworkIndicator, f"{slot.pk}/change/"),
        slot_form(slot, group=talent.pk, direction="lower", value_kind="count"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    slot.refresh_from_db()
    assert (slot.group, slot.direction, slot.value_kind) == (talent, "lower", "count")


def test_a_wrong_group_is_refused_in_the_admin_with_a_message(admin_client):
    slot = FrameworkIndicator.objects.get(framework="regional", number=80)
    top = FrameworkGroup.objects.get(framework="regional", name_zh="发展环境")
    response = admin_client.post(url(FrameworkIndicator, f"{slot.pk}/change/"), slot_form(slot, group=top.pk))
    assert response.status_code == 200
    assert "二级" in response.content.decode()  # "A regional indicator belongs to a second-level group", in Chinese
    slot.refresh_from_db()
    assert slot.group is None


def import_slots(rows, dry_run=False):
    headers = ["体系", "编号", "分组", "目录代码", "方向", "取值类型", "备注"]
    dataset = tablib.Dataset(*rows, headers=headers)
    return FrameworkIndicatorResource().import_data(dataset, dry_run=dry_run, file_name="slots.csv")


def test_completing_a_placeholder_by_import():
    group = IndicatorGroup.objects.get(framework=Framework.REGIONAL, name_zh="市场运营")
    Indicator.objects.create(
        framework=Framework.REGIONAL, code="R63", number=63, name_zh="测试指标", name_en="test", unit="件", group=group
    )
    result = import_slots([["regional", 63, "市场运行 / 市场运营", "R63", "higher", "count", "补全"]])
    assert not result.has_errors() and not result.has_validation_errors()
    slot = FrameworkIndicator.objects.get(framework="regional", number=63)
    assert slot.catalogue_indicator.code == "R63" and slot.group.name_zh == "市场运营" and slot.note == "补全"


def test_a_bad_import_row_is_refused_whole():
    result = import_slots(
        [
            ["regional", 64, "发展环境 / 人才发展", "", "higher", "count", ""],
            ["regional", 65, "发展环境 / 人才发展", "", "sideways", "count", ""],
        ]
    )
    assert result.has_errors() or result.has_validation_errors()
    assert FrameworkIndicator.objects.get(framework="regional", number=64).group is None


def test_administrators_may_complete_the_frameworks_but_not_edit_results():
    from django.contrib.auth.models import Group

    from review.roles import GROUP_NAMES, Role, ensure_role_groups

    ensure_role_groups()
    codenames = set(
        Group.objects.get(name=GROUP_NAMES[Role.ADMINISTRATOR])
        .permissions.filter(content_type__app_label="evaluation")
        .values_list("codename", flat=True)
    )
    assert {"change_frameworkindicator", "import_frameworkindicator", "view_publishedresult"} <= codenames
    assert not {"change_publishedresult", "add_publishedresult", "import_publishedresult"} & codenames
