"""Normalisation: raw values (provinces × indicators × years) to comparable scores.

Every function takes ``values`` with NaN where a value is missing (after imputation: where it is left out) and the
indicators' directions (+1 higher is better, −1 lower is better), and returns an array of the same shape with NaN
in the same places (plus, for the base-year ratio, where the base year's value is missing or zero). Cross-sectional
normalisations work per indicator and year across the provinces (axis 0). None of them changes when an indicator's
unit is rescaled by a positive factor (a property the tests check).
"""

import numpy as np

from .method import Normalisation, RegionalMethod


def _present(values: np.ndarray) -> np.ndarray:
    return np.isfinite(values)


def min_max(values: np.ndarray, directions: np.ndarray, scale: tuple[float, float]) -> np.ndarray:
    """lo + (hi − lo) · (y − min) / (max − min) with y = direction · x; an indicator equal everywhere scores hi
    (every province is at the frontier), so that it moves no rank."""
    lo, hi = scale
    oriented = values * directions[None, :, None]
    present = _present(oriented)
    low = np.where(present, oriented, np.inf).min(axis=0, keepdims=True)
    high = np.where(present, oriented, -np.inf).max(axis=0, keepdims=True)
    spread = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(spread > 0, (oriented - low) / np.where(spread > 0, spread, 1.0), 1.0)
    return np.where(present, lo + (hi - lo) * share, np.nan)


def z_score(values: np.ndarray, directions: np.ndarray, centre: float, spread: float) -> np.ndarray:
    """centre + spread · (y − mean) / sd (population sd over the provinces with a value); sd 0 → centre."""
    oriented = values * directions[None, :, None]
    present = _present(oriented)
    count = present.sum(axis=0, keepdims=True)
    safe_count = np.maximum(count, 1)
    filled = np.where(present, oriented, 0.0)
    mean = filled.sum(axis=0, keepdims=True) / safe_count
    deviation = np.where(present, oriented - mean, 0.0)
    sd = np.sqrt((deviation**2).sum(axis=0, keepdims=True) / safe_count)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(sd > 0, deviation / np.where(sd > 0, sd, 1.0), 0.0)
    return np.where(present, centre + spread * z, np.nan)


def frontier(values: np.ndarray, directions: np.ndarray, top: float) -> np.ndarray:
    """The share of the frontier: top · x / max when higher is better, top · min / x when lower is better.

    Meant for values that cannot be negative (counts, amounts, rates); negative values are treated as 0. A best
    value of 0 (higher is better) or a value of 0 (lower is better) scores the top: nobody does better.
    """
    clipped = np.where(_present(values), np.maximum(values, 0.0), np.nan)
    present = _present(clipped)
    best_high = np.where(present, clipped, -np.inf).max(axis=0, keepdims=True)
    best_low = np.where(present, clipped, np.inf).min(axis=0, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        higher = np.where(best_high > 0, clipped / np.where(best_high > 0, best_high, 1.0), 1.0)
        lower = np.where(clipped > 0, best_low / np.where(clipped > 0, clipped, 1.0), 1.0)
    share = np.where(directions[None, :, None] > 0, higher, lower)
    return np.where(present, top * share, np.nan)


def base_ratio(values: np.ndarray, directions: np.ndarray, years: np.ndarray, base_year: int) -> np.ndarray:
    """100 · x / x(base) per province and indicator (100 · x(base) / x when lower is better).

    A province without a positive base-year value gets no score for the indicator (it is left out, and flagged).
    """
    matches = np.flatnonzero(np.asarray(years) == base_year)
    if not len(matches):
        raise ValueError(f"the base year {base_year} is not among the years {list(years)}")
    base = values[:, :, matches[0]][:, :, None]
    usable = _present(values) & _present(base) & (base > 0) & (values > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(directions[None, :, None] > 0, values / base, base / values)
    return np.where(usable, 100.0 * ratio, np.nan)


def normalise(values: np.ndarray, directions: np.ndarray, years: np.ndarray, method: RegionalMethod, kind=None):
    """Normalise with the method's normalisation (or ``kind``, for the Monte Carlo's switches)."""
    kind = Normalisation(kind or method.normalisation)
    directions = np.asarray(directions, dtype=float)
    if kind == Normalisation.MIN_MAX:
        return min_max(values, directions, method.scale)
    if kind == Normalisation.Z_SCORE:
        return z_score(values, directions, method.zscore_centre, method.zscore_spread)
    if kind == Normalisation.FRONTIER:
        return frontier(values, directions, method.scale[1])
    base_year = method.base_year if method.base_year is not None else int(np.asarray(years)[0])
    return base_ratio(values, directions, years, base_year)
