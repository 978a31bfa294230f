"""A bad ``--set`` of ``compute_index_edition`` ends in a ``CommandError`` in the user's language that names the
setting and its value, never a traceback, and writes nothing.

The settings are checked once, by ``edition_services`` (the admin, the demo and the command all go through it), so
the same answers hold for the service called directly.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from evaluation import edition_services
from evaluation.models import Edition
from review import services as review
from review.roles import Role

from .test_edition_tasks import person


@pytest.fixture
def preparer(db):
    return person(Role.REVIEWER)


@pytest.fixture
def draft(preparer):
    return edition_services.create_edition(preparer, 2025, mc_draws=200)


def refusal(preparer, *settings, **which) -> str:
    """The command's error message for ``settings``; ``which`` is ``edition=…``, ``year=…`` or ``from_edition=…``."""
    with pytest.raises(CommandError) as error:
        call_command("compute_index_edition", user=preparer.username, set=list(settings), **which)
    return str(error.value)


def snapshot() -> list:
    return list(Edition.objects.order_by("pk").values_list("pk", "version", "mc_draws", "unstable_width"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ("mc_draws=abc", ["mc_draws", "abc"]),
        ("mc_draws=0", ["mc_draws", "0"]),
        ("mc_draws=-5", ["mc_draws", "-5"]),
        ("mc_draws=50", ["mc_draws", "50"]),
        ("mc_draws=true", ["mc_draws", "True"]),
        ("unstable_width=0", ["unstable_width", "0"]),
        ("mc_concentration=-1", ["mc_concentration", "-1"]),
        ("scale_low=low", ["scale_low", "low"]),
        ("mc_seed=1.5", ["mc_seed", "1.5"]),
        ("speed=3", ["speed"]),
        ("mc_draws", ["mc_draws"]),
        ("=300", ["=300"]),
    ],
)
def test_a_bad_setting_is_a_command_error_naming_it_in_english(preparer, draft, setting, named):
    before = snapshot()
    for which in ({"edition": draft.pk}, {"year": 2026}, {"from_edition": draft.pk}):
        with translation.override("en"):
            message = refusal(preparer, setting, **which)
        assert all(part in message for part in named), message
        assert "Traceback" not in message
    assert snapshot() == before  # nothing written, by any of the three ways


@pytest.mark.django_db
def test_the_refusal_is_in_chinese_by_default(preparer, draft):
    with translation.override("zh-hans"):
        not_a_number = refusal(preparer, "mc_draws=abc", edition=draft.pk)
        too_few = refusal(preparer, "mc_draws=0", edition=draft.pk)
        unknown = refusal(preparer, "speed=3", edition=draft.pk)
        no_equals = refusal(preparer, "mc_draws", edition=draft.pk)
    assert "mc_draws：“abc”不予接受" in not_a_number
    assert "mc_draws：“0”不在 100 至 20,000 次抽样之间" in too_few
    assert unknown == "以下不是版次的设置项：speed。"
    assert "须写成 名称=值" in no_equals and "mc_draws" in no_equals


@pytest.mark.django_db
def test_a_good_setting_given_as_text_is_stored_as_a_number(preparer, draft):
    """A form or the API may hand over "300"; the service stores what the model's field reads, not the text."""
    changed = edition_services.update_method(draft, preparer, draft.version, mc_draws="300", scale_low="10")
    assert (changed.mc_draws, changed.scale_low) == (300, 10.0)
    assert Edition.objects.get(pk=draft.pk).mc_draws == 300


@pytest.mark.django_db
def test_the_service_lists_every_bad_setting_at_once(preparer, draft):
    with translation.override("en"), pytest.raises(review.Invalid) as error:
        edition_services.update_method(draft, preparer, draft.version, mc_draws="abc", unstable_width=-2)
    assert len(error.value.messages) == 2
    assert "mc_draws" in error.value.messages[0] and "unstable_width" in error.value.messages[1]
