"""Missing values: the method's rule fills (or leaves out) each one, and says which it did.

Flags (``ImputeFlag``): 0 observed, 1 filled with the peer group's mean, 2 filled with the province's latest earlier
value, 3 left out (its weight re-spread over its siblings by ``aggregate``). Imputation works on raw values, before
normalisation, so that an imputed value is normalised like any other.
"""

from enum import IntEnum

import numpy as np

from .method import MissingRule


class ImputeFlag(IntEnum):
    OBSERVED = 0
    GROUP_MEAN = 1
    LAST_YEAR = 2
    OMITTED = 3


def last_year(values: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Carry each province's latest earlier value forward along the years (axis 2); none earlier → still missing."""
    years = values.shape[2]
    index = np.where(present, np.arange(years)[None, None, :], -1)
    latest = np.maximum.accumulate(index, axis=2)
    carried = np.take_along_axis(values, np.maximum(latest, 0), axis=2)
    filled = np.where(present, values, np.where(latest >= 0, carried, np.nan))
    return filled, ~present & (latest >= 0)


def group_mean(values: np.ndarray, present: np.ndarray, peer_group: np.ndarray | None):
    """The mean of the indicator that year over the provinces of the same peer group that have a value; a group
    with none → the mean over all provinces; no province with a value → still missing."""
    provinces = values.shape[0]
    peer_group = np.zeros(provinces, dtype=np.intp) if peer_group is None else np.asarray(peer_group, dtype=np.intp)
    one_hot = np.zeros((provinces, peer_group.max() + 1))
    one_hot[np.arange(provinces), peer_group] = 1.0
    filled_zero = np.where(present, values, 0.0)
    # (groups, I, T) sums and counts, then back to each province through its group.
    sums = np.einsum("pg,pit->git", one_hot, filled_zero)
    counts = np.einsum("pg,pit->git", one_hot, present.astype(float))
    all_sum = filled_zero.sum(axis=0, keepdims=True)
    all_count = present.sum(axis=0, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        group = (sums / np.where(counts > 0, counts, 1.0))[peer_group]
        overall = all_sum / np.where(all_count > 0, all_count, 1)
    own_count = counts[peer_group]
    mean = np.where(own_count > 0, group, np.where(all_count > 0, overall, np.nan))
    filled = np.where(present, values, mean)
    return filled, ~present & np.isfinite(mean)


def impute(values: np.ndarray, missing: np.ndarray, rule: MissingRule, peer_group=None):
    """Apply ``rule``; returns the filled values (NaN where left out) and the flags (int8, same shape)."""
    values = np.asarray(values, dtype=float)
    present = ~np.asarray(missing, dtype=bool) & np.isfinite(values)
    flags = np.zeros(values.shape, dtype=np.int8)
    rule = MissingRule(rule)
    if rule == MissingRule.LAST_YEAR:
        filled, imputed = last_year(values, present)
        flags[imputed] = ImputeFlag.LAST_YEAR
    elif rule == MissingRule.GROUP_MEAN:
        filled, imputed = group_mean(values, present, peer_group)
        flags[imputed] = ImputeFlag.GROUP_MEAN
    else:
        filled, imputed = np.where(present, values, np.nan), np.zeros(values.shape, dtype=bool)
    flags[~present & ~imputed] = ImputeFlag.OMITTED
    return filled, flags
