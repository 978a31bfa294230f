"""The national index: a growth index of the national indicator values, base year = 100 (2021 in the report).

The report calls each year's score a "weighted aggregation of indicator growth rates" against the base year
(footnote 11). Two readings are settings of the method:

- fixed base: each indicator's growth ratio against the base year (x_t / x_base, or x_base / x_t when lower is better)
  is averaged with the weights; ×100;
- chain-linked: each year's *link* is the weighted mean of the indicators' ratios to the year before; the index is
  the product of the links from the base year (divided back for earlier years).

Both results keep their link factors (index_t / index_{t-1}); moving the base (``rebased``) rescales the index by
those links and does not recompute them, so a series published on one base can be restated on another without
changing a single year-on-year movement. An indicator without a value in a year (or, fixed-base, in the base year;
chain-linked, in the year before) is left out of that year with its weight re-spread within its first-level group,
and flagged in ``omitted``.
"""

from dataclasses import dataclass, replace

import numpy as np

from .method import Chaining, NationalMethod, within_siblings


@dataclass
class NationalResult:
    years: np.ndarray
    base_year: int
    chaining: str
    composite: np.ndarray  # (T,)
    pillars: np.ndarray  # (K, T)
    composite_links: np.ndarray  # (T,) index_t / index_{t-1}; NaN for the first year
    pillar_links: np.ndarray  # (K, T)
    indicator_ratios: np.ndarray  # (I, T) growth ratio used per indicator (fixed: against base; chain: year before)
    omitted: np.ndarray  # (I, T) bool

    def rebased(self, base_year: int) -> "NationalResult":
        """The same series on another base year: index / index(new base) × 100, links unchanged."""
        position = _position(self.years, base_year)
        with np.errstate(invalid="ignore", divide="ignore"):
            composite = self.composite / self.composite[position] * 100.0
            pillars = self.pillars / self.pillars[:, [position]] * 100.0
        return replace(self, base_year=base_year, composite=composite, pillars=pillars)


def _position(years: np.ndarray, year: int) -> int:
    matches = np.flatnonzero(np.asarray(years) == year)
    if not len(matches):
        raise ValueError(f"the base year {year} is not among the years {list(years)}")
    return int(matches[0])


def _weighted_mean(ratios: np.ndarray, usable: np.ndarray, weights: np.ndarray, one_hot: np.ndarray):
    """Per parent and year: Σ w·r / Σ w over the usable children. ``ratios`` (C, T), ``one_hot`` (C, Q)."""
    mixing = weights[:, None] * one_hot  # (C, Q)
    numerator = mixing.T @ np.where(usable, ratios, 0.0)
    denominator = mixing.T @ usable.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan)


def _chain(links: np.ndarray, base: int) -> np.ndarray:
    """Index from links (..., T): 100 at ``base``, multiplied forward and divided backward."""
    filled = np.where(np.isfinite(links), links, np.nan)
    filled[..., 0] = 1.0
    cumulative = np.cumprod(filled, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100.0 * cumulative / cumulative[..., [base]]


def compute_national(values, missing, years, directions, pillar_of_indicator, method: NationalMethod, n_pillars=None):
    """``values`` (I, T) national indicator values; ``pillar_of_indicator`` (I,) first-level positions; ``n_pillars``
    the number of first-level groups (default: as many as the indicators name), so that a group without indicators
    still has its place (its sub-index is NaN and its weight is re-spread)."""
    values = np.asarray(values, dtype=float)
    years = np.asarray(years)
    missing = np.zeros(values.shape, dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    present = ~missing & np.isfinite(values) & (values > 0)
    directions = np.asarray(directions, dtype=float)[:, None]
    pillar_of_indicator = np.asarray(pillar_of_indicator, dtype=np.intp)
    n_pillars = int(n_pillars or pillar_of_indicator.max() + 1)
    wi = within_siblings(method.indicator_weights, pillar_of_indicator, n_pillars)
    wk = within_siblings(method.pillar_weights, np.zeros(n_pillars, dtype=np.intp), 1)
    one_hot = np.zeros((len(wi), n_pillars))
    one_hot[np.arange(len(wi)), pillar_of_indicator] = 1.0
    base = _position(years, method.base_year)

    with np.errstate(invalid="ignore", divide="ignore"):
        if Chaining(method.chaining) == Chaining.FIXED_BASE:
            reference = values[:, [base]]
            usable = present & present[:, [base]]
        else:
            reference = np.concatenate([np.full((len(values), 1), np.nan), values[:, :-1]], axis=1)
            usable = present & np.concatenate([np.zeros((len(values), 1), dtype=bool), present[:, :-1]], axis=1)
        ratios = np.where(usable, np.where(directions > 0, values / reference, reference / values), np.nan)

    pillar_means = _weighted_mean(ratios, usable, wi, one_hot)  # (K, T)
    # The composite weighs every indicator by its effective weight (indicator within group × group in composite).
    effective = wi * wk[pillar_of_indicator]
    composite_mean = _weighted_mean(ratios, usable, effective, np.ones((len(wi), 1)))[0]

    if Chaining(method.chaining) == Chaining.FIXED_BASE:
        pillars = 100.0 * pillar_means
        composite = 100.0 * composite_mean
        with np.errstate(invalid="ignore", divide="ignore"):
            pillar_links = np.concatenate([np.full((n_pillars, 1), np.nan), pillars[:, 1:] / pillars[:, :-1]], axis=1)
            composite_links = np.concatenate([[np.nan], composite[1:] / composite[:-1]])
    else:
        pillar_links, composite_links = pillar_means, composite_mean
        pillars, composite = _chain(pillar_links, base), _chain(composite_links, base)
    return NationalResult(
        years=years,
        base_year=int(method.base_year),
        chaining=Chaining(method.chaining).value,
        composite=composite,
        pillars=pillars,
        composite_links=composite_links,
        pillar_links=pillar_links,
        indicator_ratios=ratios,
        omitted=~usable,
    )
