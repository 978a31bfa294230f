"""Fit the composite's first-level weights to the sub-index and composite figures the report publishes.

Pure functions of numbers (numpy only; no database), so that they can be tested by hand.

Regional index. The report prints, for the provinces' mean, the four regions and the five strategic regions, the
composite and all three sub-indices. If the composite is an arithmetic weighted sum of the sub-indices (the weights
the same for every province), the averages over any group of provinces obey the same sum, so the ten rows
over-determine the three weights. We fit them by least squares under the constraints that make them weights:
they sum to 1 and none is negative. The problem is small, so it is solved exactly: for every set of weights
allowed to be non-zero, the equality-constrained least squares has a closed form (the KKT system with one Lagrange
multiplier for the sum); the best solution that is non-negative is the answer. Medians are left out: the median
of a weighted sum is not the weighted sum of the medians.

National index. One composite and six sub-indices per year cannot determine six weights; instead named candidate
schemes are compared by their residuals against the printed composite.
"""

from dataclasses import dataclass
from itertools import combinations

import numpy as np


@dataclass(frozen=True)
class Fit:
    weights: np.ndarray  # one per column, non-negative, summing to 1
    residuals: np.ndarray  # fitted − published, one per row


def fit_simplex_least_squares(subindices, composites) -> Fit:
    """Weights w ≥ 0 with Σw = 1 that minimise ‖S·w − c‖², by exhausting the supports (k ≤ 10 columns)."""
    matrix = np.asarray(subindices, dtype=float)
    target = np.asarray(composites, dtype=float)
    rows, columns = matrix.shape
    if rows != target.shape[0]:
        raise ValueError("one composite per row of sub-indices")
    if columns > 10:
        raise ValueError("the exhaustive search is meant for a handful of weights")
    best = None
    for size in range(1, columns + 1):
        for support in combinations(range(columns), size):
            weights = _equality_constrained(matrix[:, support], target)
            if weights is None or (weights < -1e-12).any():
                continue
            full = np.zeros(columns)
            full[list(support)] = np.clip(weights, 0.0, None)
            full /= full.sum()
            error = float(np.sum((matrix @ full - target) ** 2))
            if best is None or error < best[0] - 1e-15:
                best = (error, full)
    weights = best[1]
    return Fit(weights=weights, residuals=matrix @ weights - target)


def _equality_constrained(matrix, target):
    """argmin ‖A·w − b‖² subject to Σw = 1: solve [[2AᵀA, 1], [1ᵀ, 0]]·[w, λ] = [2Aᵀb, 1]."""
    size = matrix.shape[1]
    system = np.zeros((size + 1, size + 1))
    system[:size, :size] = 2 * matrix.T @ matrix
    system[:size, size] = 1.0
    system[size, :size] = 1.0
    right = np.concatenate([2 * matrix.T @ target, [1.0]])
    try:
        solution = np.linalg.solve(system, right)
    except np.linalg.LinAlgError:
        solution = np.linalg.lstsq(system, right, rcond=None)[0]
    return solution[:size]


def scheme_residuals(weights, subindices, composites) -> np.ndarray:
    """Composite computed with ``weights`` from each row of sub-indices, minus the published composite."""
    weights = np.asarray(weights, dtype=float)
    return np.asarray(subindices, dtype=float) @ weights - np.asarray(composites, dtype=float)


def equal_weights(count: int) -> np.ndarray:
    return np.full(count, 1.0 / count)


def proportional_weights(sizes) -> np.ndarray:
    sizes = np.asarray(sizes, dtype=float)
    return sizes / sizes.sum()


def nearest_to_equal_weights(subindices_row, composite) -> np.ndarray:
    """The weights closest to equal (Euclidean) that sum to 1 and reproduce one published composite exactly.

    w = e + λ·(s − s̄·1), λ = (c − e·s) / ‖s − s̄·1‖², with e the equal weights; may be negative in principle.
    """
    scores = np.asarray(subindices_row, dtype=float)
    equal = equal_weights(scores.size)
    centred = scores - scores.mean()
    denominator = float(centred @ centred)
    if denominator == 0:
        return equal
    return equal + (float(composite) - float(equal @ scores)) / denominator * centred
