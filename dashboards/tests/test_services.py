"""Small rules of the figure services: change and ranking."""

from dashboards.services import Change, Ranked, rank


def test_change_needs_both_years():
    assert Change(120, 100).delta == 20 and Change(120, 100).percent == 20.0
    assert Change(120, None).delta is None and Change(120, None).percent is None
    assert Change(None, 100).delta is None
    assert Change(5, 0).delta == 5 and Change(5, 0).percent is None  # no percentage of nothing


def test_equal_values_share_a_rank_and_missing_values_come_last():
    entries = [
        Ranked(name, Change(value, None)) for name, value in [("a", 5), ("b", None), ("c", 9), ("d", 5), ("e", 1)]
    ]
    ordered = rank(entries)
    assert [(entry.entity, entry.rank) for entry in ordered] == [("c", 1), ("a", 2), ("d", 2), ("e", 4), ("b", None)]
