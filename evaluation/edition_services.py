"""Writes of index editions: create one with the default method, change its method while it is a draft, compute
and store its scores, start a new edition from an old one, set the embargo, and the workflow's hooks.

Publication is the review workflow's (``review.services.transition``): draft → submitted → approved. These
functions add the edition's own rules:

- an edition is submitted only once computed with the method it now holds (``submission_problems``);
- approval publishes it (``published_at``); a published edition is never reopened or changed: recomputing with
  another method makes a new edition (``new_edition``), whose revision log says what changed and where years are
  not comparable;
- the scores are stored with the edition when computed, so the pages read stored numbers, never recompute;
- a service that changes an edition returns the fresh record and leaves the object it was given as it was (as
  ``review.services.guard_edit`` and ``transition`` do): the caller goes on with what is returned.

``run_edition`` is the task-like entry point (compute + Monte Carlo) for a command or a worker.
"""

import math

import numpy as np
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from review import services as review
from review.models import Action

from . import inputs as reading
from .engine import (
    Aggregation,
    Chaining,
    MissingRule,
    NationalMethod,
    Normalisation,
    RegionalMethod,
    compute_national,
    compute_regional,
    group_aggregates,
    rank_uncertainty,
)
from .models import (
    Edition,
    EditionAggregate,
    EditionIndicatorScore,
    EditionNationalScore,
    EditionRevision,
    EditionScore,
    FrameworkGroup,
    FrameworkIndicator,
    IndexKind,
    Membership,
    PublishedResult,
    Scope,
    ScopeKind,
    WeightsSource,
)
from .models.editions import METHOD_FIELDS

DEFAULT_MC_NORMALISATIONS = [Normalisation.MIN_MAX.value, Normalisation.Z_SCORE.value, Normalisation.FRONTIER.value]
# The settings whose values are the engine's names (checked against the engine, not the model's choices).
ENGINE_CHOICES = {
    "normalisation": Normalisation,
    "aggregation": Aggregation,
    "missing_rule": MissingRule,
    "national_chaining": Chaining,
}


# ---------------------------------------------------------------------------------------------------------------
# The default method
# ---------------------------------------------------------------------------------------------------------------


def latest_published_year(up_to: int) -> int | None:
    return (
        PublishedResult.objects.filter(index=IndexKind.REGIONAL, year__lte=up_to)
        .aggregate(year=Max("year"))
        .get("year")
    )


def fitted_weights(year: int) -> tuple[dict, dict]:
    """The regional composite's first-level weights fitted to the published figures of the latest year ≤ ``year``
    (``evaluation.selectors.fitted_first_level_weights``), and the fit as stored for the method page."""
    from .selectors import fitted_first_level_weights, national_scheme_comparison

    fitted_year = latest_published_year(year)
    if fitted_year is None:
        return {}, {}
    regional = fitted_first_level_weights(fitted_year)
    national = national_scheme_comparison(fitted_year)
    best = next((scheme for scheme in national.get("schemes", []) if scheme["name"] == national.get("best")), None)
    fit = {
        "year": fitted_year,
        "regional": {"method": regional.get("method", ""), "residuals": regional.get("residuals", [])},
        "national": {"best": national.get("best"), "schemes": national.get("schemes", [])},
    }
    weights = {"pillars": regional.get("weights", {})}
    if best:
        weights["national_pillars"] = best["weights"]
    return weights, fit


def default_method(year: int) -> dict:
    """The method a new edition starts with: min-max to 60–100, arithmetic, last year's value for a missing one
    (the report's rule, line 2134), the framework's directions, first-level weights fitted to the published
    figures (equal weights when there is nothing to fit), equal weights below."""
    framework = reading.regional_framework()
    weights, fit = fitted_weights(year)
    source = WeightsSource.FITTED if weights.get("pillars") else WeightsSource.EQUAL
    return {
        "weights": weights if source == WeightsSource.FITTED else {},
        "weights_source": source,
        "weight_fit": fit,
        "directions": reading.directions_of(framework.slots),
        "mc_normalisations": list(DEFAULT_MC_NORMALISATIONS),
    }


# ---------------------------------------------------------------------------------------------------------------
# Creating and changing editions
# ---------------------------------------------------------------------------------------------------------------


def _next_number(year: int) -> int:
    return (Edition.objects.filter(year=year).aggregate(number=Max("number"))["number"] or 0) + 1


# Settings the engine divides by or counts with: zero or less is refused (a Dirichlet needs a positive concentration).
ABOVE_ZERO = ("mc_concentration", "zscore_spread", "unstable_width")


def _setting_problem(name: str, value, problem) -> str:
    return _("%(field)s: “%(value)s” is refused: %(problem)s") % {"field": name, "value": value, "problem": problem}


def _clean_scalars(fields: dict) -> tuple[dict, list]:
    """Each scalar setting as its model field reads it (type, limits, length), and the problems, naming the setting
    and the value, for those it cannot read. The settings arrive from a form, the API or a command's ``--set`` (JSON
    or plain text), so a word where a number belongs must be refused here, not fail in the engine or the database."""
    cleaned, problems = dict(fields), []
    for name, value in fields.items():
        field = Edition._meta.get_field(name)
        if isinstance(field, models.JSONField) or name in ENGINE_CHOICES:
            continue  # checked below, with the engine's own names
        numeric = isinstance(field, models.IntegerField | models.FloatField)
        if numeric and isinstance(value, bool):
            problems.append(_setting_problem(name, value, _("a number is needed.")))
            continue
        if isinstance(field, models.IntegerField) and isinstance(value, float) and not value.is_integer():
            problems.append(_setting_problem(name, value, _("a whole number is needed.")))  # int() would cut it
            continue
        try:
            value = field.clean(value, None)
        except ValidationError as error:
            problems.append(_setting_problem(name, fields[name], " ".join(error.messages)))
            continue
        if isinstance(field, models.FloatField) and value is not None and not math.isfinite(value):
            problems.append(_setting_problem(name, fields[name], _("a finite number is needed.")))
        elif name in ABOVE_ZERO and value is not None and value <= 0:
            problems.append(_setting_problem(name, fields[name], _("it must be more than 0.")))
        elif isinstance(field, models.DateTimeField) and value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        cleaned[name] = value
    return cleaned, problems


def _check_method(fields: dict, allowed=METHOD_FIELDS) -> dict:
    """Refuse a method the engine cannot run, saying which setting is wrong and why; return the settings as the
    model's fields read them (``"300"`` → 300). The one check of every way in (admin, command, demo, API)."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise review.Invalid(_("These are not settings of an edition: %(fields)s.") % {"fields": ", ".join(unknown)})
    fields, problems = _clean_scalars(fields)
    for name, kind in ENGINE_CHOICES.items():
        if name in fields and fields[name] not in {each.value for each in kind}:
            problems.append(_("%(field)s: “%(value)s” is not a choice.") % {"field": name, "value": fields[name]})
    low, high = fields.get("scale_low"), fields.get("scale_high")
    if isinstance(low, float) and isinstance(high, float) and not low < high:
        problems.append(_("scale_high: the range must run from a lower to a higher score."))
    normalisations = fields.get("mc_normalisations") or []
    if not isinstance(normalisations, list):  # a form or a command may hand over any JSON value
        problems.append(
            _("mc_normalisations: must be a list of normalisations, not “%(value)s”.") % {"value": normalisations}
        )
        normalisations = []
    for name in normalisations:
        if name not in {each.value for each in Normalisation}:
            problems.append(_("mc_normalisations: “%(value)s” is not a normalisation.") % {"value": name})
    draws = fields.get("mc_draws")
    if isinstance(draws, int) and not 100 <= draws <= 20000:
        problems.append(_("mc_draws: “%(value)s” is not between 100 and 20,000 draws.") % {"value": draws})
    weights = fields.get("weights") or {}
    if not isinstance(weights, dict):
        problems.append(_("weights: must map each level to its weights, not “%(value)s”.") % {"value": weights})
        weights = {}
    for level, entries in weights.items():
        if not isinstance(entries, dict):
            problems.append(_("weights: “%(level)s” must map names to weights.") % {"level": level})
            continue
        for name, value in entries.items():
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0 or not math.isfinite(value):
                problems.append(
                    _("weights: %(level)s “%(name)s” must be a number of at least 0, not “%(value)s”.")
                    % {"level": level, "name": name, "value": value}
                )
    if problems:
        raise review.Invalid(problems)
    return fields


@transaction.atomic
def create_edition(user, year: int, title: str = "", **method) -> Edition:
    """A new draft edition for evaluation ``year`` with the default method, overridden by ``method``."""
    review.check_can_create(user, None, Edition)
    fields = _check_method({**default_method(year), **method}, allowed=(*METHOD_FIELDS, "weight_fit"))
    if method.get("weights") is not None and "weights_source" not in method:
        fields["weights_source"] = WeightsSource.CUSTOM
    edition = Edition.objects.create(
        year=year, number=_next_number(year), title=title, modified_by=user, modified_at=timezone.now(), **fields
    )
    EditionRevision.objects.create(edition=edition, previous=None, by=user, changes=[], warnings=[])
    return edition


@transaction.atomic
def update_method(edition: Edition, user, expected_version, **fields) -> Edition:
    """Change a draft's method (or title, notes, embargo); its stored scores then no longer count until recomputed.

    Returns the fresh edition (new version); ``edition`` itself is left as it was."""
    fields = _check_method(fields, allowed=(*METHOD_FIELDS, "title", "notes", "embargo_until"))
    locked = review.guard_edit(edition, user, expected_version)
    for name, value in fields.items():
        setattr(locked, name, value)
    if "weights" in fields and "weights_source" not in fields:
        locked.weights_source = WeightsSource.CUSTOM
    locked.save(update_fields=[*fields, *(["weights_source"] if "weights" in fields else [])])
    return locked


@transaction.atomic
def new_edition(source: Edition, user, title: str = "", **changes) -> Edition:
    """A new draft for the same year that starts from ``source``'s method with ``changes``; the revision log
    records every changed setting and warns that scores of the two editions are not comparable."""
    review.check_can_create(user, None, Edition)
    fields = {name: getattr(source, name) for name in METHOD_FIELDS}
    fields["weight_fit"] = source.weight_fit
    changes = _check_method(changes)
    fields.update(changes)
    if "weights" in changes and "weights_source" not in changes:
        fields["weights_source"] = WeightsSource.CUSTOM
    edition = Edition.objects.create(
        year=source.year,
        number=_next_number(source.year),
        title=title or source.title,
        previous=source,
        modified_by=user,
        modified_at=timezone.now(),
        **fields,
    )
    diffs = [
        {"field": name, "label": str(Edition._meta.get_field(name).verbose_name), "before": fields_before, "after": v}
        for name in METHOD_FIELDS
        if (fields_before := getattr(source, name)) != (v := getattr(edition, name))
    ]
    warnings = [{"kind": "method_changed", "new": str(edition), "old": str(source)}] if diffs else []
    EditionRevision.objects.create(edition=edition, previous=source, by=user, changes=diffs, warnings=warnings)
    return edition


# ---------------------------------------------------------------------------------------------------------------
# Computing
# ---------------------------------------------------------------------------------------------------------------


def regional_method(edition: Edition, framework: reading.RegionalFramework) -> RegionalMethod:
    weights = edition.weights or {}
    pillar_weights = weights.get("pillars", {})
    group_weights = weights.get("groups", {})
    indicator_weights = weights.get("indicators", {})
    tree = framework.tree
    pillars = {str(group.pk): group for group in framework.pillars}
    groups = {str(group.pk): group for group in framework.groups}
    return RegionalMethod(
        normalisation=Normalisation(edition.normalisation),
        scale=(edition.scale_low, edition.scale_high),
        zscore_centre=edition.zscore_centre,
        zscore_spread=edition.zscore_spread,
        base_year=edition.ratio_base_year,
        indicator_weights=np.array([float(indicator_weights.get(code, 1.0)) for code in tree.indicator_codes]),
        group_weights=np.array(
            [float(group_weights.get(framework.group_key(groups[code]), 1.0)) for code in tree.group_codes]
        ),
        pillar_weights=np.array([float(pillar_weights.get(pillars[code].name_zh, 1.0)) for code in tree.pillar_codes]),
        aggregation=Aggregation(edition.aggregation),
        missing_rule=MissingRule(edition.missing_rule),
        mc_draws=edition.mc_draws,
        mc_concentration=edition.mc_concentration,
        mc_normalisations=tuple(Normalisation(name) for name in (edition.mc_normalisations or [])),
        mc_seed=edition.mc_seed,
        unstable_width=edition.unstable_width,
    )


def _peer_groups(provinces) -> np.ndarray:
    """Each province's four-region group (for the group-mean rule), from the memberships held as data."""
    member_of = dict(
        Membership.objects.filter(group__kind=ScopeKind.FOUR_REGION).values_list("province_id", "group_id")
    )
    labels = {}
    return np.array([labels.setdefault(member_of.get(region.pk), len(labels)) for region in provinces])


def _memberships(provinces) -> tuple[dict, dict]:
    """Scope → boolean mask over ``provinces`` for the mean (all), the median (all), each four-region group and
    each strategic region; and scope → "mean" or "median"."""
    position = {region.pk: n for n, region in enumerate(provinces)}
    scopes = list(
        Scope.objects.filter(
            kind__in=[ScopeKind.MEAN, ScopeKind.MEDIAN, ScopeKind.FOUR_REGION, ScopeKind.STRATEGIC_REGION]
        ).order_by("position")
    )
    masks, statistic = {}, {}
    for scope in scopes:
        masks[scope] = np.zeros(len(provinces), dtype=bool)
        statistic[scope] = "median" if scope.kind == ScopeKind.MEDIAN else "mean"
        if scope.kind in (ScopeKind.MEAN, ScopeKind.MEDIAN):
            masks[scope][:] = True
    for group_id, province_id in Membership.objects.values_list("group_id", "province_id"):
        for scope in masks:
            if scope.pk == group_id and province_id in position:
                masks[scope][position[province_id]] = True
    return masks, statistic


def _finite(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def comparability_warnings(framework, values: np.ndarray, evaluation_years: list[int], edition: Edition) -> list[dict]:
    """Where two consecutive years of one edition cannot be compared: a different set of indicators or provinces
    with data, and (for the cross-sectional normalisations) the relative nature of year-on-year changes.

    Warnings are stored as data (``kind`` and its parameters) and worded in the reader's language when shown
    (``describe_warning``)."""
    warnings = []
    has_data = np.isfinite(values)  # (P, I, T)
    codes = framework.codes
    for t in range(1, len(evaluation_years)):
        before, after = has_data[:, :, t - 1].any(axis=0), has_data[:, :, t].any(axis=0)
        changed = [codes[i] for i in np.flatnonzero(before != after)]
        pair = {"a": evaluation_years[t - 1], "b": evaluation_years[t]}
        if changed:
            warnings.append({"kind": "indicators_differ", **pair, "codes": changed})
        if (has_data[:, :, t - 1].any(axis=1) != has_data[:, :, t].any(axis=1)).any():
            warnings.append({"kind": "provinces_differ", **pair})
    if len(evaluation_years) > 1 and edition.normalisation != Normalisation.BASE_RATIO:
        warnings.append({"kind": "relative_scores"})
    return warnings


def describe_national(national: dict) -> str:
    """Why an edition holds no national index (stored as data, worded in the reader's language)."""
    reason = national.get("reason")
    if reason == "not_installed":
        return _("the national return is not installed.")
    if reason == "no_base_year":
        return _("there are no national values for the base year %(year)s.") % {"year": national.get("base_year")}
    if reason == "no_values":
        return _("there are no national values.")
    return ""


def describe_warning(warning: dict) -> str:
    """A stored warning in the reader's language."""
    if not isinstance(warning, dict):
        return str(warning)
    kind = warning.get("kind")
    if kind == "indicators_differ":
        return _("%(a)s and %(b)s are not comparable: the indicators with data differ (%(codes)s).") % {
            **warning,
            "codes": ", ".join(warning.get("codes", [])),
        }
    if kind == "provinces_differ":
        return _("%(a)s and %(b)s are not comparable: the provinces with approved returns differ.") % warning
    if kind == "method_changed":
        return _("The method changed: scores of edition %(new)s are not comparable with those of %(old)s.") % warning
    if kind == "relative_scores":
        return _(
            "Scores are normalised across the provinces year by year: a change from one year to the next measures a "
            "province's position among the others, not its growth."
        )
    return str(warning)


def _store_regional(edition, framework, data, result, uncertainty, evaluation_years) -> None:
    provinces = data.provinces
    tree = framework.tree
    pillars = {str(group.pk): group for group in framework.pillars}
    pillar_objects = [pillars[code] for code in tree.pillar_codes]
    scores, indicator_rows = [], []
    for t, year in enumerate(evaluation_years):
        for p, region in enumerate(provinces):
            if not np.isfinite(result.composite[p, t]):
                continue
            scores.append(
                EditionScore(
                    edition=edition,
                    region=region,
                    year=year,
                    component=None,
                    value=_finite(result.composite[p, t]),
                    rank=int(result.rank[p, t]),
                    rank_low=int(uncertainty.low[p, t]),
                    rank_high=int(uncertainty.high[p, t]),
                    unstable=bool(uncertainty.unstable[p, t]),
                )
            )
            for k, pillar in enumerate(pillar_objects):
                present = np.isfinite(result.pillars[p, k, t])
                scores.append(
                    EditionScore(
                        edition=edition,
                        region=region,
                        year=year,
                        component=pillar,
                        value=_finite(result.pillars[p, k, t]) if present else None,
                        rank=int(result.pillar_rank[p, k, t]) if present else None,
                        rank_low=int(uncertainty.pillar_low[p, k, t]) if present else None,
                        rank_high=int(uncertainty.pillar_high[p, k, t]) if present else None,
                        unstable=bool(uncertainty.pillar_unstable[p, k, t]) if present else False,
                    )
                )
            for i, slot in enumerate(framework.slots):
                raw, normalised = result.raw[p, i, t], result.normalised[p, i, t]
                indicator_rows.append(
                    EditionIndicatorScore(
                        edition=edition,
                        region=region,
                        year=year,
                        indicator=slot,
                        raw=_finite(raw) if np.isfinite(raw) else None,
                        flag=int(result.flags[p, i, t]),
                        normalised=_finite(normalised) if np.isfinite(normalised) else None,
                        weight=float(result.effective_weight[p, i, t]),
                        weight_in_subindex=float(result.effective_weight_in_pillar[p, i, t]),
                        points=float(result.points[p, i, t]),
                        points_vs_mean=float(result.points_vs_mean[p, i, t]),
                    )
                )
    EditionScore.objects.bulk_create(scores, batch_size=1000)
    EditionIndicatorScore.objects.bulk_create(indicator_rows, batch_size=2000)

    masks, statistic = _memberships(provinces)
    scored = np.isfinite(result.composite)
    composite = group_aggregates(result.composite, masks)
    by_pillar = group_aggregates(result.pillars, masks)
    aggregates = []
    for scope, mask in masks.items():
        kind = statistic[scope]
        for t, year in enumerate(evaluation_years):
            members = int((mask & scored[:, t]).sum())
            if not members:
                continue
            aggregates.append(
                EditionAggregate(
                    edition=edition,
                    scope=scope,
                    year=year,
                    component=None,
                    value=_finite(composite[scope][kind][t]),
                    members=members,
                )
            )
            for k, pillar in enumerate(pillar_objects):
                value = by_pillar[scope][kind][k, t]
                aggregates.append(
                    EditionAggregate(
                        edition=edition,
                        scope=scope,
                        year=year,
                        component=pillar,
                        value=_finite(value) if np.isfinite(value) else None,
                        members=members,
                    )
                )
    EditionAggregate.objects.bulk_create(aggregates, batch_size=1000)


def _compute_national(edition: Edition) -> dict:
    """The national index from headquarters' approved national values, base year and chaining as the method says."""
    slots = list(
        FrameworkIndicator.objects.filter(framework="national", catalogue_indicator__isnull=False)
        .select_related("group", "catalogue_indicator")
        .order_by("number")
    )
    pillars = list(FrameworkGroup.objects.filter(framework="national", parent=None).order_by("position", "pk"))
    years = list(range(edition.national_base_year, edition.year + 1))
    found, note = reading.national_values(years)
    if not slots or not found:
        return {"years": [], "reason": "not_installed" if note else "no_values"}
    if edition.national_chaining == Chaining.FIXED_BASE and edition.national_base_year not in found:
        return {"years": [], "reason": "no_base_year", "base_year": edition.national_base_year}
    codes = [slot.catalogue_indicator.code for slot in slots]
    values = np.array([[float(found.get(year, {}).get(code, np.nan) or np.nan) for year in years] for code in codes])
    pillar_position = {group.pk: n for n, group in enumerate(pillars)}
    top = [slot.group.parent_id or slot.group_id for slot in slots]
    directions = reading.direction_signs(codes, edition.directions or reading.directions_of(slots))
    pillar_weights = (edition.weights or {}).get("national_pillars", {})
    method = NationalMethod(
        base_year=edition.national_base_year,
        chaining=Chaining(edition.national_chaining),
        pillar_weights=np.array([float(pillar_weights.get(group.name_zh, 1.0)) for group in pillars]),
    )
    result = compute_national(
        values,
        ~np.isfinite(values),
        np.array(years),
        directions,
        [pillar_position[g] for g in top],
        method,
        n_pillars=len(pillars),
    )
    rows = []
    for t, year in enumerate(years):
        if not np.isfinite(result.composite[t]):
            continue
        link = result.composite_links[t]
        rows.append(
            EditionNationalScore(
                edition=edition,
                year=year,
                component=None,
                value=float(result.composite[t]),
                link=float(link) if np.isfinite(link) else None,
            )
        )
        for k, pillar in enumerate(pillars):
            value, link = result.pillars[k, t], result.pillar_links[k, t]
            rows.append(
                EditionNationalScore(
                    edition=edition,
                    year=year,
                    component=pillar,
                    value=float(value) if np.isfinite(value) else None,
                    link=float(link) if np.isfinite(link) else None,
                )
            )
    EditionNationalScore.objects.bulk_create(rows)
    return {"years": sorted({row.year for row in rows}), "indicators": len(codes)}


def _clear_scores(edition: Edition) -> None:
    for model in (EditionScore, EditionIndicatorScore, EditionAggregate, EditionNationalScore):
        model.objects.filter(edition=edition).delete()


@transaction.atomic
def compute_edition(edition: Edition, user, expected_version) -> Edition:
    """Compute the regional index (with its Monte Carlo rank intervals) and the national index with the edition's
    method, and store every number with the edition. Only a draft (or a returned edition) may be computed.

    Returns the fresh edition (new version, inputs, computed_at); ``edition`` itself is left as it was."""
    locked = review.guard_edit(edition, user, expected_version)
    framework = reading.regional_framework()
    if not framework.slots:
        raise review.Invalid(
            _("The regional framework has no indicator linked to the catalogue; load the report data.")
        )
    data_years = [year for year in reading.approved_data_years(locked.year - locked.data_lag)]
    if not data_years:
        raise review.Invalid(
            _("No province has an approved annual return for %(year)s or earlier; nothing to compute.")
            % {"year": locked.year - locked.data_lag}
        )
    data = reading.regional_inputs(framework.codes, data_years)
    evaluation_years = [year + locked.data_lag for year in data_years]
    method = regional_method(locked, framework)
    directions = reading.direction_signs(framework.codes, locked.directions or reading.directions_of(framework.slots))
    peer = _peer_groups(data.provinces)
    years = np.array(evaluation_years)
    result = compute_regional(data.values, data.missing, years, directions, framework.tree, method, peer)
    uncertainty = rank_uncertainty(data.values, data.missing, years, directions, framework.tree, method, peer)

    _clear_scores(locked)
    _store_regional(locked, framework, data, result, uncertainty, evaluation_years)
    national = _compute_national(locked)
    flags = result.flags
    locked.inputs = {
        "returns": data.returns,
        "provinces": len(data.provinces),
        "data_years": data_years,
        "evaluation_years": evaluation_years,
        "indicators_used": framework.codes,
        "placeholders": [slot.number for slot in framework.placeholders],
        "imputed": {
            "last_year": int((flags == 2).sum()),
            "group_mean": int((flags == 1).sum()),
            "omitted": int((flags == 3).sum()),
        },
        "demo_returns": data.demo_returns,
        "unstable": int(uncertainty.unstable.sum()),
        "mc_draws": uncertainty.draws,
        "mc_normalisations": list(uncertainty.normalisations),
        "national": national,
        "warnings": comparability_warnings(framework, data.values, evaluation_years, locked),
    }
    locked.uses_demo_data = data.demo_returns > 0
    locked.computed_at = timezone.now()
    locked.computed_by = user
    locked.computed_fingerprint = locked.method_fingerprint()
    locked.save(update_fields=["inputs", "uses_demo_data", "computed_at", "computed_by", "computed_fingerprint"])
    _log_inputs(locked, user)
    return locked


def _log_inputs(edition: Edition, user) -> None:
    """Bring the edition's revision-log entry up to date: input changes against the previous edition, and the
    comparability warnings of its years."""
    entry = edition.revision_log.order_by("-at", "-pk").first() or EditionRevision(
        edition=edition, previous=edition.previous, by=user
    )
    method_changes = [change for change in entry.changes if change.get("field") != "returns"]
    method_warnings = [w for w in entry.warnings if w.get("kind") == "method_changed"]
    changes = list(method_changes)
    if edition.previous is not None and edition.previous.inputs:
        before, after = edition.previous.inputs.get("returns", {}), edition.inputs.get("returns", {})
        added = sorted(set(after) - set(before))
        removed = sorted(set(before) - set(after))
        revised = sorted(key for key in set(before) & set(after) if before[key] != after[key])
        if added or removed or revised:
            changes.append({"field": "returns", "added": added, "removed": removed, "revised": revised})
    entry.changes = changes
    entry.warnings = method_warnings + list(edition.inputs.get("warnings", []))
    entry.save()


def run_edition(edition_id: int, user_id: int, expected_version) -> dict:
    """Task-like: compute an edition (regional index, Monte Carlo, national index) and say what came out.

    Plain arguments, so a command, the admin or a worker queue can call it; everything it writes is in one
    transaction (``compute_edition``), so a failure leaves the edition as it was."""
    edition = Edition.objects.get(pk=edition_id)
    user = get_user_model().objects.get(pk=user_id)
    computed = compute_edition(edition, user, expected_version)
    return {
        "edition": str(computed),
        "version": computed.version,
        "scores": computed.scores.count(),
        "evaluation_years": computed.inputs["evaluation_years"],
        "unstable": computed.inputs["unstable"],
        "demo": computed.uses_demo_data,
    }


@transaction.atomic
def set_embargo(edition: Edition, user, expected_version, until) -> Edition:
    return update_method(edition, user, expected_version, embargo_until=until)


# ---------------------------------------------------------------------------------------------------------------
# Workflow hooks (called by review.services through the model)
# ---------------------------------------------------------------------------------------------------------------


def submission_problems(edition: Edition) -> list[str]:
    if not edition.computed_at:
        return [_("Edition %(edition)s has not been computed yet: compute it first.") % {"edition": edition}]
    if edition.computed_fingerprint != edition.method_fingerprint():
        return [
            _("The method of edition %(edition)s changed after it was computed: compute it again.")
            % {"edition": edition}
        ]
    if not edition.scores.exists():
        return [_("Edition %(edition)s has no scores.") % {"edition": edition}]
    return []


def on_transition(edition: Edition, event) -> None:
    if event.action == Action.REOPEN:
        raise review.Invalid(
            _("A published edition never changes. Make a new edition from it to compute with another method.")
        )
    if event.action == Action.APPROVE and edition.published_at is None:
        # The record the transition hands back (``event.target``) carries exactly what was stored.
        edition.published_at = timezone.now()
        Edition.objects.filter(pk=edition.pk).update(published_at=edition.published_at)
