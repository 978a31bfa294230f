"""Hierarchical aggregation, batched over weight draws: indicators → second-level groups → first-level groups →
composite, arithmetic or geometric, with missing values left out and their weight re-spread over their siblings.

The sums are matrix products (provinces·years × indicators) @ (indicators × groups), so one call aggregates a whole
batch of Monte Carlo weight draws without a Python loop over provinces, indicators or draws.
"""

import numpy as np

from .method import Tree

#: Geometric aggregation takes logarithms; normalised values are floored here so that a 0 does not zero a composite.
GEOMETRIC_FLOOR = 1e-6


def _level(values: np.ndarray, present: np.ndarray, weights: np.ndarray, one_hot: np.ndarray):
    """One level: (B, R, C) values of children → (B, R, Q) weighted means per parent over the present children.

    ``weights`` (B, C), ``one_hot`` (C, Q). Returns the means (NaN where no child is present), the presence of the
    parents and the denominators (the present children's weight total per parent), which give effective weights.
    """
    mixing = weights[:, :, None] * one_hot[None, :, :]  # (B, C, Q)
    numerator = np.matmul(np.where(present, values, 0.0), mixing)
    denominator = np.matmul(present.astype(float), mixing)
    parent_present = denominator > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(parent_present, numerator / np.where(parent_present, denominator, 1.0), np.nan)
    return means, parent_present, denominator


def aggregate(normalised: np.ndarray, tree: Tree, wi, wg, wk, geometric: bool = False, with_weights: bool = False):
    """Aggregate normalised values (P, I, T; NaN = left out) with weight batches wi (B, I), wg (B, G), wk (B, K).

    Returns a dict with ``groups`` (B, P, G, T), ``pillars`` (B, P, K, T) and ``composite`` (B, P, T); with
    ``with_weights`` (for B = 1) also ``effective`` (P, I, T), each indicator's weight in the composite after the
    re-spreading, and ``effective_in_pillar`` (P, I, T), its weight in its first-level group's sub-index.
    """
    provinces, indicators, years = normalised.shape
    wi, wg, wk = (np.atleast_2d(np.asarray(w, dtype=float)) for w in (wi, wg, wk))
    present = np.isfinite(normalised)
    values = np.log(np.maximum(normalised, GEOMETRIC_FLOOR)) if geometric else normalised
    # Rows are (province, year) pairs; columns the children of the level.
    rows = np.where(present, values, 0.0).transpose(0, 2, 1).reshape(1, provinces * years, indicators)
    rows_present = present.transpose(0, 2, 1).reshape(1, provinces * years, indicators)

    groups, groups_present, den_groups = _level(rows, rows_present, wi, tree.indicator_matrix)
    pillars, pillars_present, den_pillars = _level(groups, groups_present, wg, tree.group_matrix)
    composite, composite_present, den_composite = _level(pillars, pillars_present, wk, np.ones((tree.n_pillars, 1)))

    def reshape(array, width):
        out = array.reshape(array.shape[0], provinces, years, width).transpose(0, 1, 3, 2)
        return np.exp(out) if geometric else out

    result = {
        "groups": reshape(groups, tree.n_groups),
        "pillars": reshape(pillars, tree.n_pillars),
        "composite": reshape(composite, 1)[:, :, 0, :],
    }
    if with_weights:
        group_of = tree.group_of_indicator
        pillar_of = tree.pillar_of_indicator
        with np.errstate(invalid="ignore", divide="ignore"):
            in_group = np.where(rows_present[0], wi[0][None, :] / den_groups[0][:, group_of], 0.0)
            group_in_pillar = np.where(groups_present[0], wg[0][None, :] / den_pillars[0][:, tree.pillar_of_group], 0.0)
            pillar_in_composite = np.where(pillars_present[0], wk[0][None, :] / den_composite[0][:, [0]], 0.0)
        in_pillar = in_group * group_in_pillar[:, group_of]
        effective = in_pillar * pillar_in_composite[:, pillar_of]
        effective = np.where(composite_present[0][:, [0]], effective, 0.0)

        def back(array):
            return array.reshape(provinces, years, indicators).transpose(0, 2, 1)

        result["effective"] = back(np.nan_to_num(effective))
        result["effective_in_pillar"] = back(np.nan_to_num(in_pillar))
    return result


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks along axis −2 (provinces), 1 = highest; ties share the better rank ("1, 2, 2, 4"); no score → 0.

    ``scores`` (..., P, T). Sorts each column once (argsort), gives every sorted position the position of the first
    equal value, and scatters the ranks back: O(P log P) per column and draw.
    """
    present = np.isfinite(scores)
    # Provinces on the last (contiguous) axis while sorting.
    filled = np.ascontiguousarray(np.swapaxes(np.where(present, scores, -np.inf), -1, -2))
    order = np.argsort(-filled, axis=-1, kind="stable")
    ordered = np.take_along_axis(filled, order, axis=-1)
    new_value = np.ones(ordered.shape, dtype=bool)
    new_value[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    first = np.maximum.accumulate(np.where(new_value, np.arange(ordered.shape[-1]), 0), axis=-1)
    ranks = np.empty(ordered.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, first + 1, axis=-1)
    return np.where(present, np.swapaxes(ranks, -1, -2), 0)
