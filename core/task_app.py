"""django-tasks-db's app, under a translated name: its admin section ("Task Results", superusers only) otherwise
shows the library's English name on a Chinese page."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
