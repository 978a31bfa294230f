"""``manage.py send_deadline_reminders [--days 7] [--now]``: for a scheduler (cron, a systemd timer), once a day."""

from django.core.management.base import BaseCommand

from ...reminders import send_reminders
from ...tasks import send_deadline_reminders


class Command(BaseCommand):
    help = "Remind officers by e-mail of returns not yet submitted within DAYS days of the deadline."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Remind this many days or fewer before (7).")
        parser.add_argument("--now", action="store_true", help="Send here instead of queueing for a worker.")

    def handle(self, *args, days=7, now=False, **options):
        if now:
            self.stdout.write(f"{send_reminders(days)} reminder(s) sent")
        else:
            send_deadline_reminders.enqueue(days)
            self.stdout.write("reminders queued for a background worker")
