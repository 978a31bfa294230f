"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_asgi_application()

from core.liveness import on_startup  # noqa: E402  (needs the apps that get_asgi_application set up)

on_startup()  # mark the import runs whose process died as interrupted, as config/wsgi.py does
