"""The regional index: impute → normalise → aggregate → rank, with every indicator's path kept.

``compute_regional`` is a pure function: the same arrays and method give the same result. Inputs are positional
(provinces × indicators × years); the service maps codes to positions and back.
"""

from dataclasses import dataclass

import numpy as np

from .aggregate import GEOMETRIC_FLOOR, aggregate, competition_ranks
from .impute import ImputeFlag, impute
from .method import Aggregation, RegionalMethod, Tree
from .normalise import normalise

__all__ = ["ImputeFlag", "RegionalResult", "compute_regional", "group_aggregates"]


@dataclass
class RegionalResult:
    """Scores (P = provinces, I = indicators, G = second-level, K = first-level groups, T = years).

    ``points`` add up to the composite for each province and year (arithmetic: effective weight × normalised value;
    geometric: the composite shared out in proportion to effective weight × log of the normalised value).
    ``points_vs_mean`` is what each indicator adds to (or takes from) the province's composite against a province
    with the mean normalised value: effective weight × (normalised − mean normalised). Its largest entries are the
    strengths, its smallest the weaknesses.
    """

    years: np.ndarray
    raw: np.ndarray  # (P, I, T) values used, after imputation; NaN where left out
    flags: np.ndarray  # (P, I, T) ImputeFlag
    normalised: np.ndarray  # (P, I, T)
    effective_weight: np.ndarray  # (P, I, T) weight in the composite
    effective_weight_in_pillar: np.ndarray  # (P, I, T) weight in its first-level sub-index
    points: np.ndarray  # (P, I, T)
    points_vs_mean: np.ndarray  # (P, I, T)
    groups: np.ndarray  # (P, G, T)
    pillars: np.ndarray  # (P, K, T)
    composite: np.ndarray  # (P, T)
    rank: np.ndarray  # (P, T) 1 = best, 0 = no score
    pillar_rank: np.ndarray  # (P, K, T)


def compute_regional(
    values: np.ndarray,
    missing: np.ndarray | None,
    years,
    directions,
    tree: Tree,
    method: RegionalMethod,
    peer_group=None,
) -> RegionalResult:
    """Score every province in every year.

    ``values`` (P, I, T) raw values; ``missing`` (P, I, T) True where no value was returned (NaN counts as missing
    too); ``directions`` (I,) +1/−1; ``peer_group`` (P,) integer labels for the group-mean rule (the four regions).
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 3 or values.shape[1] != tree.n_indicators:
        raise ValueError(f"values must be provinces × {tree.n_indicators} indicators × years, got {values.shape}")
    years = np.asarray(years)
    if len(years) != values.shape[2]:
        raise ValueError("one year label per slice of values")
    missing = np.zeros(values.shape, dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    directions = np.asarray(directions, dtype=float)

    filled, flags = impute(values, missing, method.missing_rule, peer_group)
    normalised = normalise(filled, directions, years, method)
    # A value the normalisation cannot use (a base-year ratio without a base) is left out as well, and flagged.
    flags = np.where(np.isfinite(filled) & ~np.isfinite(normalised), np.int8(ImputeFlag.OMITTED), flags)

    wi, wg, wk = method.weights(tree)
    geometric = method.aggregation == Aggregation.GEOMETRIC
    aggregated = aggregate(normalised, tree, wi, wg, wk, geometric=geometric, with_weights=True)
    composite = aggregated["composite"][0]
    pillars = aggregated["pillars"][0]
    effective = aggregated["effective"]

    used = np.isfinite(normalised)
    if geometric:
        logs = np.where(used, np.log(np.maximum(normalised, GEOMETRIC_FLOOR)), 0.0)
        log_composite = (effective * logs).sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(log_composite != 0, effective * logs / log_composite, effective)
        points = share * composite[:, None, :]
    else:
        points = effective * np.where(used, normalised, 0.0)
    count = used.sum(axis=0, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_normalised = np.where(used, normalised, 0.0).sum(axis=0, keepdims=True) / np.maximum(count, 1)
    points_vs_mean = np.where(used, effective * (normalised - mean_normalised), 0.0)

    return RegionalResult(
        years=years,
        raw=np.where(flags == ImputeFlag.OMITTED, np.nan, filled),
        flags=flags,
        normalised=normalised,
        effective_weight=effective,
        effective_weight_in_pillar=aggregated["effective_in_pillar"],
        points=np.where(used, points, 0.0),
        points_vs_mean=points_vs_mean,
        groups=aggregated["groups"][0],
        pillars=pillars,
        composite=composite,
        rank=competition_ranks(composite),
        pillar_rank=competition_ranks(pillars.transpose(1, 0, 2)).transpose(1, 0, 2),
    )


def group_aggregates(scores: np.ndarray, memberships: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    """Mean and median of ``scores`` (P, ..., T) over each group of provinces, the way the report presents them
    (plain, unweighted averages of the members' scores).

    ``memberships`` maps a group's name to a boolean (P,) mask (or a list of province positions). Returns
    ``{name: {"mean": (..., T), "median": (..., T), "count": n}}``; a group with no scored member gets NaN.
    """
    scores = np.asarray(scores, dtype=float)
    provinces = scores.shape[0]
    out = {}
    names = list(memberships)
    if not names:
        return out
    masks = np.zeros((len(names), provinces), dtype=bool)
    for row, name in enumerate(names):
        member = np.asarray(memberships[name])
        if member.dtype == bool:
            masks[row] = member
        else:
            masks[row, member.astype(np.intp)] = True
    shape = (len(names), provinces) + (1,) * (scores.ndim - 1)
    member_scores = np.where(masks.reshape(shape) & np.isfinite(scores)[None], scores[None], np.nan)
    counts = np.isfinite(member_scores).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, np.nansum(member_scores, axis=1) / np.maximum(counts, 1), np.nan)
    # The median of the members, computed by sorting (NaN sort last) so that empty groups raise no warning.
    ordered = np.sort(member_scores, axis=1)
    low = np.maximum((counts - 1) // 2, 0)
    high = np.maximum(counts // 2, 0)
    pick_low = np.take_along_axis(ordered, low[:, None], axis=1)[:, 0]
    pick_high = np.take_along_axis(ordered, high[:, None], axis=1)[:, 0]
    medians = np.where(counts > 0, (pick_low + pick_high) / 2, np.nan)
    for row, name in enumerate(names):
        out[name] = {"mean": means[row], "median": medians[row], "count": int(masks[row].sum())}
    return out
