"""Background work of the returns app, on Django's task framework (``django-tasks``)."""

from django_tasks import task


@task()
def send_deadline_reminders(days: int) -> int:
    """E-mail the officers whose return is not with headquarters ``days`` days or fewer before the deadline."""
    from .reminders import send_reminders

    return send_reminders(days)
