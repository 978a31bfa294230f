"""Create (or take) an index edition and compute it: regional index, Monte Carlo rank intervals, national index.

    manage.py compute_index_edition --year 2026 --user admin            # a new draft with the default method
    manage.py compute_index_edition --edition 3 --user admin            # recompute a draft
    manage.py compute_index_edition --edition 3 --user admin --queue    # ... in a background worker
    manage.py compute_index_edition --from-edition 3 --user admin --set normalisation=z_score
                                                                        # a new edition from a published one

Submission and approval are the review workflow's (the admin's review panel, or the API of the review app); this
command only prepares the draft. Every write is ``evaluation.edition_services``'.
"""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from review.services import WorkflowError

from ... import edition_services, tasks
from ...models import Edition


def parse_setting(text: str) -> tuple[str, object]:
    """``name=value`` with the value read as JSON (``300``, ``[...]``) or else as text; whether the value suits the
    setting is ``edition_services``' check, the one every way in shares."""
    name, _equals, raw = text.partition("=")
    if not name.strip() or not raw:
        raise CommandError(_("--set needs name=value, not “%(text)s”.") % {"text": text})
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return name.strip(), value


class Command(BaseCommand):
    help = "Create or take an index edition and compute it (DEBUG not needed). Submit and approve it in the admin."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="The headquarters user who prepares the edition.")
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--year", type=int, help="A new draft edition for this evaluation year.")
        what.add_argument("--edition", type=int, help="Recompute this draft edition (its id).")
        what.add_argument("--from-edition", type=int, help="A new edition starting from this one's method.")
        parser.add_argument("--set", action="append", default=[], help="A method setting, name=value (JSON).")
        parser.add_argument("--title", default="")
        parser.add_argument(
            "--queue", action="store_true", help="Hand the computation to a background worker instead of waiting."
        )

    def handle(self, *args, user, year=None, edition=None, from_edition=None, title="", queue=False, **options):
        person = get_user_model().objects.filter(username=user).first()
        if person is None:
            raise CommandError(_("There is no user “%(user)s”.") % {"user": user})
        settings = dict(parse_setting(text) for text in options["set"])
        try:
            if year is not None:
                target = edition_services.create_edition(person, year, title=title, **settings)
            elif from_edition is not None:
                target = edition_services.new_edition(self._edition(from_edition), person, title=title, **settings)
            else:
                target = self._edition(edition)
                if settings:
                    target = edition_services.update_method(target, person, target.version, **settings)
            if queue:
                tasks.queue_computation(target, person, target.version)
                self.stdout.write(f"edition {target} (id {target.pk}): computation queued for a background worker")
                return
            outcome = edition_services.run_edition(target.pk, person.pk, target.version)
        except WorkflowError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            f"edition {outcome['edition']} (id {target.pk}, version {outcome['version']}) computed: "
            f"{outcome['scores']} scores for {outcome['evaluation_years']}, {outcome['unstable']} unstable ranks"
            + (" — 演示数据 (demonstration data)" if outcome["demo"] else "")
        )

    def _edition(self, pk: int) -> Edition:
        found = Edition.objects.filter(pk=pk).first()
        if found is None:
            raise CommandError(_("There is no edition %(edition)s.") % {"edition": pk})
        return found
