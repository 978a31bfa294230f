"""The workflow's ``transitioned`` signal turned into notifications of the people concerned."""

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from core.names import record_label

from . import services
from .selectors import recipients


def record_link(target) -> str:
    """Where the record is worked on: its admin page (the return's sheet for a return)."""
    try:
        return reverse(f"admin:{target._meta.app_label}_{target._meta.model_name}_change", args=[target.pk])
    except NoReverseMatch:
        return ""


def english_label(target) -> str:
    with translation.override("en"):
        return record_label(target)


def on_transition(sender, event, target, **kwargs):
    people = recipients(event, target)
    if people:
        services.notify(
            people,
            event.action,
            label=str(target),
            label_en=english_label(target),
            content_type=ContentType.objects.get_for_model(target),
            event=event,
            link=record_link(target),
        )
