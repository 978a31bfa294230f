"""A method is data: the settings that, with the inputs, fix every number the engine returns.

The report prints neither its normalisation nor its weights (issue 13), so every choice is an explicit setting here,
stored with an edition and shown on the method page. Weights are given per level and normalised *within their
siblings* (an indicator's weight within its second-level group, a group's within its first-level group, a
first-level group's within the composite); ``None`` means equal weights among the siblings.
"""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class Normalisation(StrEnum):
    """How raw values become comparable scores (each computed per indicator and year across the provinces)."""

    MIN_MAX = "min_max"  # lo + (hi - lo) · (x − min) / (max − min)
    Z_SCORE = "z_score"  # centre + spread · (x − mean) / sd
    FRONTIER = "frontier"  # hi · x / best (or hi · best / x when lower is better): the share of the frontier
    BASE_RATIO = "base_ratio"  # 100 · x / x(base year), per province: a growth index


class Aggregation(StrEnum):
    ARITHMETIC = "arithmetic"
    GEOMETRIC = "geometric"


class MissingRule(StrEnum):
    """What happens to a missing value; every value the rule touches is flagged (``regional.ImputeFlag``)."""

    GROUP_MEAN = (
        "group_mean"  # the mean of the indicator over the province's peer group (its four-region group) that year
    )
    LAST_YEAR = "last_year"  # the province's latest earlier value (the report's own rule); none earlier → left out
    OMIT = "omit"  # left out, its weight re-spread over its siblings that have values


class Chaining(StrEnum):
    FIXED_BASE = "fixed_base"  # every year against the base year's values
    CHAIN_LINKED = "chain_linked"  # each year against the year before; the links are multiplied from the base


@dataclass(frozen=True)
class Tree:
    """The framework as index arrays: indicator → second-level group → first-level group → composite.

    ``group_of_indicator[i]`` is the position of indicator i's second-level group, ``pillar_of_group[g]`` the
    position of group g's first-level group. Codes/names are carried for the results; the engine uses positions.
    """

    indicator_codes: tuple
    group_codes: tuple
    pillar_codes: tuple
    group_of_indicator: np.ndarray
    pillar_of_group: np.ndarray

    @classmethod
    def build(cls, indicators: list[tuple[str, str]], groups: list[tuple[str, str]]) -> "Tree":
        """From ``[(indicator code, group code), …]`` and ``[(group code, first-level code), …]``, in display order."""
        group_codes = tuple(code for code, _ in groups)
        pillar_codes = tuple(dict.fromkeys(pillar for _, pillar in groups))
        group_position = {code: n for n, code in enumerate(group_codes)}
        pillar_position = {code: n for n, code in enumerate(pillar_codes)}
        unknown = [group for _, group in indicators if group not in group_position]
        if unknown:
            raise ValueError(f"indicators name groups the tree does not have: {sorted(set(unknown))}")
        return cls(
            indicator_codes=tuple(code for code, _ in indicators),
            group_codes=group_codes,
            pillar_codes=pillar_codes,
            group_of_indicator=np.array([group_position[group] for _, group in indicators], dtype=np.intp),
            pillar_of_group=np.array([pillar_position[pillar] for _, pillar in groups], dtype=np.intp),
        )

    @property
    def n_indicators(self) -> int:
        return len(self.indicator_codes)

    @property
    def n_groups(self) -> int:
        return len(self.group_codes)

    @property
    def n_pillars(self) -> int:
        return len(self.pillar_codes)

    @property
    def pillar_of_indicator(self) -> np.ndarray:
        return self.pillar_of_group[self.group_of_indicator]

    @property
    def indicator_matrix(self) -> np.ndarray:
        """(I, G) one-hot: which group each indicator belongs to."""
        matrix = np.zeros((self.n_indicators, self.n_groups))
        matrix[np.arange(self.n_indicators), self.group_of_indicator] = 1.0
        return matrix

    @property
    def group_matrix(self) -> np.ndarray:
        """(G, K) one-hot: which first-level group each second-level group belongs to."""
        matrix = np.zeros((self.n_groups, self.n_pillars))
        matrix[np.arange(self.n_groups), self.pillar_of_group] = 1.0
        return matrix


def within_siblings(weights, parent_of: np.ndarray, n_parents: int) -> np.ndarray:
    """Weights normalised to sum to 1 among the children of each parent; ``None`` → equal weights.

    Works on a batch: ``weights`` may be (..., n_children).
    """
    if weights is None:
        weights = np.ones(len(parent_of))
    weights = np.asarray(weights, dtype=float)
    if np.any(weights < 0) or not np.all(np.isfinite(weights)):
        raise ValueError("weights must be finite and not negative")
    one_hot = np.zeros((len(parent_of), n_parents))
    one_hot[np.arange(len(parent_of)), parent_of] = 1.0
    totals = (weights @ one_hot) @ one_hot.T  # each child's sibling total
    if np.any(totals == 0):
        raise ValueError("every group needs a positive weight on at least one member")
    return weights / totals


@dataclass(frozen=True)
class RegionalMethod:
    """The settings of the regional index (and of its Monte Carlo rank intervals)."""

    normalisation: Normalisation = Normalisation.MIN_MAX
    scale: tuple[float, float] = (60.0, 100.0)  # min-max range; frontier scores run up to scale[1]
    zscore_centre: float = 80.0
    zscore_spread: float = 10.0
    base_year: int | None = None  # for BASE_RATIO: the year whose values are 100
    indicator_weights: np.ndarray | None = None  # (I,) within each second-level group
    group_weights: np.ndarray | None = None  # (G,) within each first-level group
    pillar_weights: np.ndarray | None = None  # (K,) within the composite
    aggregation: Aggregation = Aggregation.ARITHMETIC
    missing_rule: MissingRule = MissingRule.LAST_YEAR
    # Monte Carlo: Dirichlet draws around the weights (larger concentration → smaller perturbation), and the
    # normalisations a draw may switch to (the method's own is always among them).
    mc_draws: int = 1000
    mc_concentration: float = 50.0
    mc_normalisations: tuple = (Normalisation.MIN_MAX, Normalisation.Z_SCORE, Normalisation.FRONTIER)
    mc_seed: int = 20250
    # A province is *unstable* in a year when its 5th–95th percentile rank interval spans at least this many ranks.
    unstable_width: int = 5

    def weights(self, tree: Tree) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The three levels' weights, each normalised within its siblings."""
        return (
            within_siblings(self.indicator_weights, tree.group_of_indicator, tree.n_groups),
            within_siblings(self.group_weights, tree.pillar_of_group, tree.n_pillars),
            within_siblings(self.pillar_weights, np.zeros(tree.n_pillars, dtype=np.intp), 1),
        )

    @property
    def allowed_normalisations(self) -> tuple:
        return tuple(dict.fromkeys((self.normalisation, *self.mc_normalisations)))


@dataclass(frozen=True)
class NationalMethod:
    """The settings of the national growth index (base year 2021 = 100 in the report, footnote 11)."""

    base_year: int = 2021
    chaining: Chaining = Chaining.FIXED_BASE
    indicator_weights: np.ndarray | None = None  # (I,) within each first-level group
    pillar_weights: np.ndarray | None = None  # (K,) within the composite
