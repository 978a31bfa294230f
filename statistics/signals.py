"""Signals that let the other apps join in without ``statistics`` importing them (it is the base app)."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from core.caching import statistics_changed

# Bookkeeping of imports, not published data: writing them must not empty the public caches.
NOT_PUBLISHED = {"ImportRun", "ImportUpload"}

# Sent by ``load_report_data`` after the appendix figures are loaded; receivers load their own fixtures and may
# return a one-line summary to print.
report_data_loaded = Signal()


def connect_published_version() -> None:
    """Every write to a published statistics model gives a new published version (``core.caching``)."""
    for model in apps.get_app_config("statistics").get_models():
        if model.__name__.startswith("Historical") or model.__name__ in NOT_PUBLISHED:
            continue
        uid = f"statistics-caching-{model._meta.label}"
        post_save.connect(statistics_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(statistics_changed, sender=model, dispatch_uid=f"{uid}-delete")
    for model in apps.get_app_config("statistics").get_models():
        for field in model._meta.many_to_many:
            m2m_changed.connect(statistics_changed, sender=field.remote_field.through, dispatch_uid=f"m2m-{field}")
