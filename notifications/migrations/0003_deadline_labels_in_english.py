"""Deadline reminders stored before they carried an English label get one: their label is "<region's Chinese
name> <year>" (``notifications.reminders``), so the region's English name is looked up by that Chinese name.
A label that names no region stays as it is (the Chinese label is then shown in English too)."""

from django.db import migrations


def label_deadlines_in_english(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Region = apps.get_model("statistics", "Region")
    english = dict(Region.objects.values_list("name_zh", "name_en"))
    for notification in Notification.objects.filter(kind="deadline", label_en="").only("pk", "label"):
        name, _space, year = notification.label.rpartition(" ")
        if english.get(name) and year.isdigit():
            Notification.objects.filter(pk=notification.pk).update(label_en=f"{english[name]} {year}")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_notification_label_en"),
        ("statistics", "0001_initial"),
    ]

    operations = [migrations.RunPython(label_deadlines_in_english, migrations.RunPython.noop)]
