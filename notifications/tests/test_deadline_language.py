"""A deadline reminder in the app names the region in the reader's language, as the workflow's notifications do:
the English name on the English interface, the Chinese name on the Chinese one (the e-mail stays Chinese)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification
from returns.reminders import send_reminders
from returns.tests.conftest import person
from review.roles import Role

pytestmark = pytest.mark.django_db


def test_a_deadline_reminder_names_the_region_in_the_readers_language(client, open_period, guangdong):
    assert guangdong.name_en and guangdong.name_zh  # the report's reference data has both
    officer = person(Role.OFFICER, guangdong, username="gd-reader", email="")
    send_reminders(7, open_period.deadline - timedelta(days=3))
    notification = Notification.objects.select_related("content_type").get(recipient=officer)
    year = open_period.year

    with translation.override("en"):
        english_text = notification.text()
    with translation.override("zh-hans"):
        chinese_text = notification.text()
    assert f"{guangdong.name_en} {year}" in english_text and guangdong.name_zh not in english_text
    assert f"{guangdong.name_zh} {year}" in chinese_text and guangdong.name_en not in chinese_text

    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_page = client.get(reverse("notifications:list")).content.decode()
    assert f"{guangdong.name_en} {year}" in english_page and guangdong.name_zh not in english_page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert f"{guangdong.name_zh} {year}" in client.get(reverse("notifications:list")).content.decode()


def test_reminders_stored_before_get_their_english_label_from_the_migration(open_period, guangdong):
    """``0003_deadline_labels_in_english`` fills ``label_en`` of the reminders stored with a Chinese label only."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from notifications.models import Kind
    from notifications.services import notify
    from returns.models import AnnualReturn

    officer = person(Role.OFFICER, guangdong, username="gd-old", email="")
    content_type = ContentType.objects.get_for_model(AnnualReturn)
    (old,) = notify([officer], Kind.DEADLINE, label=f"{guangdong.name_zh} 2024", content_type=content_type, email=False)
    (odd,) = notify([officer], Kind.DEADLINE, label="某地 2024", content_type=content_type, email=False)
    migration = importlib.import_module("notifications.migrations.0003_deadline_labels_in_english")
    migration.label_deadlines_in_english(apps, None)
    old.refresh_from_db(), odd.refresh_from_db()
    assert (old.label_en, odd.label_en) == (f"{guangdong.name_en} 2024", "")
