"""The scoring engine: pure, vectorised numpy functions of their inputs and a *method*.

Nothing here imports Django. The services (``evaluation/services.py``) read the approved returns and the national
values through selectors, turn them into arrays, call the engine and store what it returns with an edition.

- ``method``: the settings (normalisation, weights, aggregation, missing-value rule, chaining) and the framework tree.
- ``normalise``, ``impute``, ``aggregate``: the steps of the regional index, each a small function.
- ``regional``: the regional index with each indicator's path raw → normalised → effective weight → points.
- ``uncertainty``: Monte Carlo rank intervals (weights drawn around the method's, normalisation switched).
- ``national``: the national growth index, fixed-base or chain-linked, with its link factors.
"""

from .method import Aggregation, Chaining, MissingRule, NationalMethod, Normalisation, RegionalMethod, Tree
from .national import NationalResult, compute_national
from .regional import ImputeFlag, RegionalResult, compute_regional, group_aggregates
from .uncertainty import RankUncertainty, rank_uncertainty

__all__ = [
    "Aggregation",
    "Chaining",
    "ImputeFlag",
    "MissingRule",
    "NationalMethod",
    "NationalResult",
    "Normalisation",
    "RankUncertainty",
    "RegionalMethod",
    "RegionalResult",
    "Tree",
    "compute_national",
    "compute_regional",
    "group_aggregates",
    "rank_uncertainty",
]
