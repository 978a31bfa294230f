"""Rank uncertainty: a Monte Carlo run that perturbs the weights around the method's and switches normalisation.

Each draw takes, at every level of the tree, Dirichlet weights centred on the method's weights within each set of
siblings, with concentration ``c · n`` for a set of n siblings: each weight then varies by about 1/√c of itself
(c = 50: about ±14 %), whatever the size of its group. Each draw also picks one of the method's allowed
normalisations at random (equally likely). The draws are aggregated in batches by matrix products (see
``aggregate``); the only Python loops are over chunks of draws and over the few normalisations.

*Unstable* (documented on the method page): a province is unstable in a year when its 5th–95th percentile rank
interval spans at least ``method.unstable_width`` ranks (default 5: the province could plausibly sit four or more
places higher or lower than it does), so that its printed rank says little on its own.
"""

from dataclasses import dataclass

import numpy as np

from .aggregate import aggregate, competition_ranks
from .impute import impute
from .method import Aggregation, Normalisation, RegionalMethod, Tree
from .normalise import normalise

CHUNK = 250


@dataclass
class RankUncertainty:
    draws: int
    normalisations: tuple
    low: np.ndarray  # (P, T) 5th percentile of the composite rank
    high: np.ndarray  # (P, T) 95th percentile
    median: np.ndarray  # (P, T)
    unstable: np.ndarray  # (P, T) bool
    pillar_low: np.ndarray  # (P, K, T)
    pillar_high: np.ndarray  # (P, K, T)
    pillar_unstable: np.ndarray  # (P, K, T)
    unstable_width: int


def dirichlet_around(rng, weights: np.ndarray, parent_of: np.ndarray, concentration: float, draws: int):
    """(draws, C) weights, each set of siblings summing to 1, centred on ``weights`` (already normalised within
    siblings). Zero weights stay zero."""
    n_parents = int(parent_of.max()) + 1
    one_hot = np.zeros((len(parent_of), n_parents))
    one_hot[np.arange(len(parent_of)), parent_of] = 1.0
    siblings = one_hot.sum(axis=0)[parent_of]
    alpha = concentration * siblings * weights
    gammas = np.where(alpha > 0, rng.standard_gamma(np.where(alpha > 0, alpha, 1.0), size=(draws, len(weights))), 0.0)
    totals = (gammas @ one_hot) @ one_hot.T
    return gammas / np.where(totals > 0, totals, 1.0)


def rank_uncertainty(
    values: np.ndarray,
    missing: np.ndarray | None,
    years,
    directions,
    tree: Tree,
    method: RegionalMethod,
    peer_group=None,
    draws: int | None = None,
) -> RankUncertainty:
    """Run the Monte Carlo (``method.mc_draws`` draws, at least 1 000 by default) and summarise the ranks."""
    draws = int(draws or method.mc_draws)
    rng = np.random.default_rng(method.mc_seed)
    values = np.asarray(values, dtype=float)
    missing = np.zeros(values.shape, dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    directions = np.asarray(directions, dtype=float)
    filled, _ = impute(values, missing, method.missing_rule, peer_group)
    kinds = method.allowed_normalisations
    normalised = {kind: normalise(filled, directions, np.asarray(years), method, kind) for kind in kinds}
    wi, wg, wk = method.weights(tree)
    geometric = method.aggregation == Aggregation.GEOMETRIC
    provinces, _, n_years = values.shape

    composite = np.empty((draws, provinces, n_years))
    pillars = np.empty((draws, provinces, tree.n_pillars, n_years))
    for start in range(0, draws, CHUNK):
        size = min(CHUNK, draws - start)
        draw_wi = dirichlet_around(rng, wi, tree.group_of_indicator, method.mc_concentration, size)
        draw_wg = dirichlet_around(rng, wg, tree.pillar_of_group, method.mc_concentration, size)
        draw_wk = dirichlet_around(rng, wk, np.zeros(tree.n_pillars, dtype=np.intp), method.mc_concentration, size)
        choice = rng.integers(len(kinds), size=size)
        for position, kind in enumerate(kinds):
            chosen = np.flatnonzero(choice == position)
            if not len(chosen):
                continue
            result = aggregate(
                normalised[kind], tree, draw_wi[chosen], draw_wg[chosen], draw_wk[chosen], geometric=geometric
            )
            composite[start + chosen] = result["composite"]
            pillars[start + chosen] = result["pillars"]

    ranks = competition_ranks(composite)  # (D, P, T)
    pillar_ranks = competition_ranks(pillars.transpose(0, 2, 1, 3)).transpose(0, 2, 1, 3)  # (D, P, K, T)
    low, median, high = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0, method="nearest")
    pillar_low, pillar_high = np.quantile(pillar_ranks, [0.05, 0.95], axis=0, method="nearest")
    width = method.unstable_width
    return RankUncertainty(
        draws=draws,
        normalisations=tuple(Normalisation(kind).value for kind in kinds),
        low=low.astype(int),
        high=high.astype(int),
        median=median.astype(int),
        unstable=(high - low) >= width,
        pillar_low=pillar_low.astype(int),
        pillar_high=pillar_high.astype(int),
        pillar_unstable=(pillar_high - pillar_low) >= width,
        unstable_width=width,
    )
