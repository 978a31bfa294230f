"""``fit_index_weights``: the residuals it reports are recomputed here by hand from the report's printed figures.

The printed figures are typed in below from the report (lines 1312–1328 national; 1553–1606 mean; 1610–1641 four
regions; 1690–1813 strategic regions), not read from the database or the fixture.
"""

import io
import json
from decimal import Decimal

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from evaluation import fitting
from evaluation.selectors import fitted_first_level_weights

# composite, protection, market operation, development environment — as printed
REGIONAL_2025 = {
    "平均值": ("81.73", "86.29", "79.53", "81.56"),
    "东部": ("87.30", "90.62", "85.69", "87.18"),
    "中部": ("82.45", "88.37", "79.22", "83.01"),
    "西部": ("77.06", "82.12", "74.62", "76.88"),
    "东北": ("80.39", "84.39", "79.25", "78.68"),
    "京津冀": ("85.35", "87.66", "83.78", "86.16"),
    "长江经济带": ("84.88", "89.12", "83.00", "84.41"),
    "粤港澳大湾区": ("93.02", "95.25", "92.36", "92.11"),
    "长三角": ("90.28", "92.81", "89.63", "89.03"),
    "黄河流域": ("79.19", "84.37", "76.30", "79.78"),
}
# 制度, 保护, 市场运行, 公共服务, 人文社会环境, 参与全球知识产权治理: 2025 scores and their increments
NATIONAL_2025 = (
    Decimal("122.5"),
    Decimal("135.3"),
    Decimal("134.1"),
    Decimal("133.3"),
    Decimal("137.8"),
    Decimal("125.5"),
)
NATIONAL_INCREMENTS = (Decimal("2.1"), Decimal("4.8"), Decimal("11.7"), Decimal("5.9"), Decimal("6.5"), Decimal("1.9"))
COUNTS = (8, 18, 26, 9, 7, 17)


@pytest.fixture
def report(db):
    out = io.StringIO()
    call_command("fit_index_weights", "--year", "2025", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_json_has_the_issue_s_shape(report):
    assert set(report) == {"regional", "national"}
    assert set(report["regional"]) == {"weights", "residuals"}
    assert list(report["regional"]["weights"]) == ["知识产权保护", "市场运行", "发展环境"]
    assert set(report["national"]) == {"schemes", "best"}
    for scheme in report["national"]["schemes"]:
        assert {"name", "weights", "max_residual"} <= set(scheme)
        assert list(scheme["weights"]) == [
            "知识产权制度",
            "知识产权保护",
            "知识产权市场运行",
            "知识产权公共服务",
            "知识产权人文社会环境",
            "参与全球知识产权治理",
        ]


def test_regional_weights_are_weights(report):
    weights = report["regional"]["weights"].values()
    assert sum(weights) == pytest.approx(1, abs=1e-5)
    assert all(w >= 0 for w in weights)


def test_regional_residuals_recomputed_by_hand(report):
    """residual = w₁·protection + w₂·market + w₃·environment − composite, with the printed figures of each scope."""
    w1, w2, w3 = report["regional"]["weights"].values()
    residuals = {row["scope"]: row["residual"] for row in report["regional"]["residuals"]}
    assert set(residuals) == set(REGIONAL_2025)  # the mean, four regions, five strategic regions; no median
    for scope, (composite, protection, market, environment) in REGIONAL_2025.items():
        by_hand = w1 * float(protection) + w2 * float(market) + w3 * float(environment) - float(composite)
        assert residuals[scope] == pytest.approx(by_hand, abs=1e-4), scope


def test_regional_fit_is_no_worse_than_a_quarter_half_quarter(report):
    """By hand with w = (¼, ½, ¼): the mean gives 21.5725 + 39.765 + 20.39 − 81.73 = −0.0025, and so on; the least
    squares fit may not do worse in total than these weights, which reproduce every printed composite to ±0.006."""
    quarter_half = {
        scope: (Decimal(p) / 4 + Decimal(m) / 2 + Decimal(e) / 4 - Decimal(c))
        for scope, (c, p, m, e) in REGIONAL_2025.items()
    }
    assert quarter_half["平均值"] == Decimal("-0.0025")
    assert max(abs(r) for r in quarter_half.values()) <= Decimal("0.006")
    fitted = sum(row["residual"] ** 2 for row in report["regional"]["residuals"])
    assert fitted <= float(sum(r * r for r in quarter_half.values())) + 1e-6
    for weight, expected in zip(report["regional"]["weights"].values(), (0.25, 0.5, 0.25), strict=True):
        assert weight == pytest.approx(expected, abs=0.01)


def test_national_schemes_residuals_recomputed_by_hand(report):
    """Equal weights: (122.5 + 135.3 + 134.1 + 133.3 + 137.8 + 125.5) / 6 = 788.5 / 6 = 131.41667, residual −0.38333.
    Last year's sub-indices are the printed ones minus their increments (120.4, 130.5, 122.4, 127.4, 131.3, 123.6);
    755.6 / 6 = 125.93333 against 131.8 − 6.3 = 125.5: +0.43333.
    By indicator count (8, 18, 26, 9, 7, 17 of 85): 980 + 2435.4 + 3486.6 + 1199.7 + 964.6 + 2133.5 = 11199.8,
    / 85 = 131.76235, residual −0.03765; last year 963.2 + 2349 + 3182.4 + 1146.6 + 919.1 + 2101.2 = 10661.5,
    / 85 = 125.42941, residual −0.07059."""
    schemes = {scheme["name"]: scheme for scheme in report["national"]["schemes"]}

    def residual(scheme, year):
        return next(row["residual"] for row in schemes[scheme]["residuals"] if row["year"] == year)

    assert residual("equal", 2025) == pytest.approx(788.5 / 6 - 131.8, abs=1e-4)
    assert residual("equal", 2024) == pytest.approx(755.6 / 6 - 125.5, abs=1e-4)
    assert residual("indicator_count", 2025) == pytest.approx(11199.8 / 85 - 131.8, abs=1e-4)
    assert residual("indicator_count", 2024) == pytest.approx(10661.5 / 85 - 125.5, abs=1e-4)
    assert schemes["equal"]["max_residual"] == pytest.approx(755.6 / 6 - 125.5, abs=1e-4)
    assert schemes["indicator_count"]["max_residual"] == pytest.approx(125.5 - 10661.5 / 85, abs=1e-4)
    assert report["national"]["best"] == "indicator_count"
    # the hand sums above, from the printed numbers
    assert sum(NATIONAL_2025) == Decimal("788.5")
    assert sum(s - i for s, i in zip(NATIONAL_2025, NATIONAL_INCREMENTS, strict=True)) == Decimal("755.6")
    assert sum(c * s for c, s in zip(COUNTS, NATIONAL_2025, strict=True)) == Decimal("11199.8")


def test_the_nearest_to_equal_scheme_reproduces_the_year_exactly(report):
    scheme = next(s for s in report["national"]["schemes"] if s["name"].startswith("nearest_to_equal"))
    assert sum(scheme["weights"].values()) == pytest.approx(1, abs=1e-5)
    weights = list(scheme["weights"].values())
    assert sum(w * float(s) for w, s in zip(weights, NATIONAL_2025, strict=True)) == pytest.approx(131.8, abs=1e-3)


def test_the_text_output_prints_weights_and_residuals(db):
    out = io.StringIO()
    call_command("fit_index_weights", "--year", "2025", stdout=out)
    text = out.getvalue()
    assert "市场运行" in text and "黄河流域" in text and "indicator_count" in text


def test_a_year_without_figures_is_refused(db):
    with pytest.raises(CommandError):
        call_command("fit_index_weights", "--year", "2019", stdout=io.StringIO())


def test_the_engine_reads_the_fitted_weights(db):
    regional = fitted_first_level_weights(2025)
    assert list(regional["weights"]) == ["知识产权保护", "市场运行", "发展环境"]
    assert len(regional["residuals"]) == 10
    national = fitted_first_level_weights(2025, "national")
    assert national["weights"]["知识产权市场运行"] == pytest.approx(26 / 85, abs=1e-6)


def test_constrained_least_squares_by_hand():
    """Two weights, three rows. Rows (1, 0) → 0.3, (0, 1) → 0.7, (1, 1) → 1: w = (0.3, 0.7) fits exactly."""
    fit = fitting.fit_simplex_least_squares([[1, 0], [0, 1], [1, 1]], [0.3, 0.7, 1.0])
    assert fit.weights == pytest.approx([0.3, 0.7])
    assert fit.residuals == pytest.approx([0, 0, 0], abs=1e-12)


def test_a_negative_unconstrained_weight_is_clipped_to_the_boundary():
    """Rows (1, 0) → −1 and (0, 1) → 2 pull w₁ below 0; under w ≥ 0, Σw = 1 the best is (0, 1):
    residuals 0 − (−1) = 1 and 1 − 2 = −1 (the optimum without the sign constraint, (−1, 2), is refused)."""
    fit = fitting.fit_simplex_least_squares([[1, 0], [0, 1]], [-1.0, 2.0])
    assert fit.weights == pytest.approx([0, 1])
    assert fit.residuals == pytest.approx([1, -1])


def test_scheme_helpers():
    assert fitting.equal_weights(4) == pytest.approx([0.25] * 4)
    assert fitting.proportional_weights([1, 3]) == pytest.approx([0.25, 0.75])
    weights = fitting.nearest_to_equal_weights([1.0, 3.0], 2.5)
    # equal gives 2; centred scores (−1, 1), λ = 0.5 / 2 = 0.25: w = (0.25, 0.75)
    assert weights == pytest.approx([0.25, 0.75])
    assert np.isclose(weights.sum(), 1)
