"""The return as a sheet: every indicator of the regional catalogue, grouped as printed, with the stored value,
the computed ratios, last year's approved value, the change in %, reviewers' comments, and whether the value
changed since the reviewer's last action.

The data-entry screen, the reviewer's screen, the submission checks and the API all read this one structure, built
with a fixed number of queries.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from review.models import Action, State
from statistics.formulas import evaluate_all
from statistics.models import Framework, Indicator, Source

from .models import AnnualReturn, IndicatorValue, ValueComment

PREFILLED_SOURCES = (Source.NATIONAL_STATISTICS, Source.REGISTRY)


@dataclass
class Row:
    indicator: Indicator
    stored: IndicatorValue | None = None
    value: Decimal | None = None
    last_year: Decimal | None = None
    comments: list = field(default_factory=list)
    changed_since_review: bool = False

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def text(self) -> str:
        """What the officer typed, when it is not a number."""
        return self.stored.text if self.stored else ""

    @property
    def note(self) -> str:
        return self.stored.note if self.stored else ""

    @property
    def entered(self) -> bool:
        return self.indicator.source == Source.ENTERED

    @property
    def computed(self) -> bool:
        return self.indicator.source == Source.COMPUTED

    @property
    def prefilled(self) -> bool:
        return self.indicator.source in PREFILLED_SOURCES

    @property
    def threshold(self) -> Decimal:
        threshold = self.indicator.change_threshold
        return Decimal(settings.RETURN_CHANGE_THRESHOLD if threshold is None else threshold)

    @property
    def change(self) -> Decimal | None:
        """The change against last year's approved value, in %; None when either is missing or last year was 0."""
        if self.value is None or self.last_year in (None, 0):
            return None
        return (self.value - self.last_year) / self.last_year * 100

    @property
    def beyond_threshold(self) -> bool:
        if self.value is None or self.last_year is None:
            return False
        if self.last_year == 0:
            return self.value != 0
        return abs(self.change) > self.threshold


@dataclass
class Group:
    name: str
    rows: list


@dataclass
class Sheet:
    annual_return: AnnualReturn
    groups: list
    last_review: object = None

    @property
    def rows(self):
        return [row for group in self.groups for row in group.rows]

    def row(self, code: str) -> Row:
        return next(row for row in self.rows if row.code == code)


def catalogue():
    return list(
        Indicator.objects.filter(framework=Framework.REGIONAL)
        .select_related("group", "group__parent")
        .order_by("position", "pk")
    )


def approved_values(region, year) -> dict:
    """Indicator code → value of the region's approved return for ``year`` (empty when not approved)."""
    rows = IndicatorValue.objects.filter(
        annual_return__region=region, annual_return__year=year, annual_return__state=State.APPROVED
    ).values_list("indicator__code", "value")
    return {code: value for code, value in rows}


def computed_values(indicators, values: dict) -> dict:
    """Code → value for every computed indicator, evaluated over ``values`` (code → value), ratios of ratios too."""
    formulas = {indicator.code: indicator.formula for indicator in indicators if indicator.source == Source.COMPUTED}
    return evaluate_all(formulas, values)  # in dependency order (graphlib); a circle is refused when saved


def build_sheet(annual_return: AnnualReturn, typed: dict | None = None) -> Sheet:
    """``typed`` (indicator id → an unsaved ``IndicatorValue``) stands in for the stored values it names: the sheet
    as it would be with what the officer has typed but not saved, for the checks made while typing."""
    indicators = catalogue()
    stored = {value.indicator_id: value for value in annual_return.values.all()}
    stored.update(typed or {})
    last_year = approved_values(annual_return.region_id, annual_return.year - 1)
    if last_year:
        last_year.update(computed_values(indicators, last_year))
    comments = defaultdict(list)
    for comment in ValueComment.objects.filter(annual_return=annual_return).select_related("author"):
        comments[comment.indicator_id].append(comment)
    last_review = (
        annual_return.review_events.filter(action__in=[Action.RETURN, Action.APPROVE]).order_by("-at", "-pk").first()
    )
    changed = set()
    if last_review is not None:
        changed = set(
            IndicatorValue.history.filter(annual_return_id=annual_return.pk, history_date__gt=last_review.at)
            .values_list("indicator_id", flat=True)
            .distinct()
        )
    values = {indicator.code: stored[indicator.pk].value for indicator in indicators if indicator.pk in stored}
    values.update(computed_values(indicators, values))
    groups = {}
    for indicator in indicators:
        group = indicator.group
        name = f"{group.parent.name_zh} · {group.name_zh}" if group.parent_id else group.name_zh
        row = Row(
            indicator=indicator,
            stored=stored.get(indicator.pk),
            value=values.get(indicator.code),
            last_year=last_year.get(indicator.code),
            comments=comments.get(indicator.pk, []),
            changed_since_review=indicator.pk in changed,
        )
        groups.setdefault(name, Group(name, [])).rows.append(row)
    return Sheet(annual_return, list(groups.values()), last_review)
