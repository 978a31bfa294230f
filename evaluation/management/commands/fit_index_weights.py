"""``manage.py fit_index_weights --year 2025 [--json]``: the composite's first-level weights fitted to the report.

Regional index: constrained least squares (weights ≥ 0, Σ = 1) over the mean, the four regions and the five
strategic regions. National index: named schemes (equal, proportional to each group's indicator count, and the
nearest-to-equal weights that reproduce the year's composite exactly) compared by their residuals on the year's
printed figures and the previous year's derived ones. The math is in ``evaluation/fitting.py``; the figures come
from ``evaluation.selectors``.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evaluation.selectors import weight_fit_report


class Command(BaseCommand):
    help = _("Fit the index composites' first-level weights to the sub-index and composite figures the report prints.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=_("evaluation year, e.g. 2025"))
        parser.add_argument("--json", action="store_true", help=_("print the result as JSON"))

    def handle(self, *args, year, json=False, **options):
        report = weight_fit_report(year)
        if not report["regional"]["weights"] and not report["national"]["schemes"]:
            raise CommandError(
                _("No published index figures for %(year)s: run load_report_data first.") % {"year": year}
            )
        if json:
            self.stdout.write(_dumps(report))
            return
        self.write_text(report)

    def write_text(self, report):
        regional = report["regional"]
        self.stdout.write(_("Regional index: constrained least squares (weights ≥ 0, sum 1)"))
        for name, weight in regional["weights"].items():
            self.stdout.write(f"  {name}: {weight:.4f}")
        for row in regional["residuals"]:
            self.stdout.write(
                f"  {row['year']} {row['scope']}: {_('published')} {row['published']:.2f}, "
                f"{_('fitted')} {row['fitted']:.2f}, {_('residual')} {row['residual']:+.4f}"
            )
        national = report["national"]
        self.stdout.write(_("National index: named schemes"))
        for scheme in national["schemes"]:
            weights = ", ".join(f"{name} {weight:.4f}" for name, weight in scheme["weights"].items())
            self.stdout.write(f"  {scheme['name']}: {weights}")
            for row in scheme["residuals"]:
                self.stdout.write(
                    f"    {row['year']} {row['scope']} ({row['status']}): {_('published')} {row['published']:.1f}, "
                    f"{_('residual')} {row['residual']:+.4f}"
                )
            self.stdout.write(f"    {_('largest residual')}: {scheme['max_residual']:.4f}")
        self.stdout.write(_("Best national scheme: %(name)s") % {"name": national["best"]})


def _dumps(report) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)
