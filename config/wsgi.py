"""WSGI entry point, for gunicorn or any WSGI server (``runserver`` loads it too, through ``WSGI_APPLICATION``).

Before serving, each server process marks as interrupted the import runs whose process died
(``core.liveness.on_startup``), so that a killed import never shows "running" for ever.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from core.liveness import on_startup  # noqa: E402  (needs the apps that get_wsgi_application set up)

on_startup()
