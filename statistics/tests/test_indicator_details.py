"""The hand-written indicator details (``fixtures/indicator_details.csv``, ``fixtures/indicator_groups.csv``).

The details say how each indicator's value arises: entered by the province, taken from the national statistics
tables, counted in the protection registry, or computed by a formula over other indicators and the added
denominators (``D_…``). These tests read the CSV files directly, apart from the application's loader, so that a
mistake in the fixture cannot hide behind the code that reads it. The units are checked by dimensional analysis:
each formula is evaluated on exact fractions and compared with the ratio the indicator's printed name describes.
"""

import ast
import csv
import re
from fractions import Fraction
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SHARED = ("framework", "number", "group", "subgroup", "name_zh", "unit")
SOURCES = {"entered", "national_statistics", "computed", "registry"}
DENOMINATOR_GROUP = "计算基数"


def read(name: str) -> list[dict]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


INDICATORS = read("indicators.csv")
DETAILS = read("indicator_details.csv")
GROUPS = read("indicator_groups.csv")
BY_CODE = {row["code"]: row for row in DETAILS}
COMPUTED = [row for row in DETAILS if row["source"] == "computed"]


def names_in(formula: str) -> list[str]:
    """The codes a formula reads, in order, after checking it holds only numbers, names, + - * / and brackets."""
    tree = ast.parse(formula, mode="eval")
    allowed = (ast.Expression, ast.BinOp, ast.Name, ast.Load, ast.Add, ast.Sub, ast.Mult, ast.Div)
    for node in ast.walk(tree):
        number = isinstance(node, ast.Constant) and type(node.value) in (int, float)
        assert number or isinstance(node, allowed), f"{formula!r}: {type(node).__name__} is not allowed"
    names = sorted((node.col_offset, node.id) for node in ast.walk(tree) if isinstance(node, ast.Name))
    return list(dict.fromkeys(name for _, name in names))


def evaluate(formula: str, values: dict[str, Fraction]) -> Fraction:
    operators = {
        ast.Add: Fraction.__add__,
        ast.Sub: Fraction.__sub__,
        ast.Mult: Fraction.__mul__,
        ast.Div: Fraction.__truediv__,
    }

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return Fraction(node.value)
        if isinstance(node, ast.Name):
            return values[node.id]
        return operators[type(node.op)](walk(node.left), walk(node.right))

    return walk(ast.parse(formula, mode="eval"))


# ---------------------------------------------------------------------------------------------------------------
# Agreement with indicators.csv, codes, names
# ---------------------------------------------------------------------------------------------------------------


def test_every_printed_indicator_is_there_with_identical_fields():
    numbered = {(row["framework"], row["number"]): row for row in DETAILS if row["number"]}
    assert len(numbered) == len([row for row in DETAILS if row["number"]]), "a printed number appears twice"
    assert set(numbered) == {(row["framework"], row["number"]) for row in INDICATORS}
    for row in INDICATORS:
        detail = numbered[(row["framework"], row["number"])]
        assert tuple(detail[key] for key in SHARED) == tuple(row[key] for key in SHARED), detail["code"]


def test_codes_are_unique_and_follow_the_printed_numbers():
    assert len(BY_CODE) == len(DETAILS)
    for row in DETAILS:
        if not row["number"]:
            expected = r"D_[A-Z_]+"
        elif row["framework"] == "regional":
            expected = f"R{int(row['number']):02d}"
        else:
            expected = f"N{int(row['number'])}"
        assert re.fullmatch(expected, row["code"]), (row["code"], row["number"])


def test_every_indicator_and_group_has_an_english_name():
    assert all(row["name_en"].strip() for row in DETAILS)
    assert all(row["name_en"].strip() for row in GROUPS)


def test_examples_of_english_names():
    assert BY_CODE["R19"]["name_en"] == "High-value invention patents held per 10,000 population"
    assert BY_CODE["N27"]["name_en"] == BY_CODE["R19"]["name_en"]
    assert BY_CODE["D_POPULATION"]["name_zh"] == "常住人口"


# ---------------------------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------------------------


def test_sources_formulas_and_required_flags_agree():
    for row in DETAILS:
        code = row["code"]
        assert row["source"] in SOURCES, code
        assert bool(row["formula"]) == (row["source"] == "computed"), code
        assert bool(row["source_detail"]) == (row["source"] in ("national_statistics", "registry")), code
        # Only what a province types in is required of it; national rows are not part of a provincial return.
        assert row["required"] == ("true" if row["framework"] == "regional" and row["source"] == "entered" else "false")
        if row["framework"] == "national":
            assert row["source"] == "entered", code


@pytest.mark.parametrize(
    ("code", "source", "detail"),
    [
        ("R24", "national_statistics", "7.in_force"),
        ("R36", "national_statistics", "10.gi_marks"),
        ("R38", "national_statistics", "9.gi_products"),
        ("R40", "national_statistics", "12.ic_certificates"),
        ("D_PATENTS_IN_FORCE", "national_statistics", "5.total"),
        ("R13", "registry", "centres"),
        ("R14", "registry", "platforms"),
    ],
)
def test_values_headquarters_already_holds(code, source, detail):
    assert (BY_CODE[code]["source"], BY_CODE[code]["source_detail"]) == (source, detail)
    assert BY_CODE[code]["required"] == "false"


def test_national_statistics_name_a_table_and_measure_of_the_appendix():
    printed = {(row["table"], row["measure"]) for row in read("appendix.csv")}
    for row in DETAILS:
        if row["source"] == "national_statistics":
            assert tuple(row["source_detail"].split(".")) in printed, (row["code"], row["source_detail"])


def test_registry_details_are_the_two_registries():
    assert {row["source_detail"] for row in DETAILS if row["source"] == "registry"} == {"centres", "platforms"}


# ---------------------------------------------------------------------------------------------------------------
# Formulas
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", COMPUTED, ids=[row["code"] for row in COMPUTED])
def test_formula_holds_only_arithmetic_over_codes_of_the_file(row):
    for name in names_in(row["formula"]):
        assert name in BY_CODE, (row["code"], name)
        assert name != row["code"]


def test_formula_rejects_anything_else():
    for bad in ("R18 ** 2", "abs(R18)", "R18.real", "R18 // 2", "R18 if R19 else 0", "'R18'"):
        with pytest.raises(AssertionError):
            names_in(bad)


def test_computed_inputs_are_never_missing():
    """Every input is a regional row that is entered, looked up or itself computable (no cycle, no national row)."""
    known = {row["code"] for row in DETAILS if row["framework"] == "regional" and row["source"] != "computed"}
    pending = {row["code"]: set(names_in(row["formula"])) for row in COMPUTED}
    while pending:
        ready = {code for code, inputs in pending.items() if inputs <= known}
        assert ready, f"inputs never available: {pending}"
        known |= ready
        for code in ready:
            del pending[code]
    assert all(row["framework"] == "regional" for row in COMPUTED)


def test_exactly_the_ratios_are_computed():
    """A regional indicator is computed when its printed name is a ratio: 每…, …占…比重, …占比, …活跃度."""
    ratio = re.compile(r"^每|占.*比重$|占比$|活跃度$")
    regional = [row for row in DETAILS if row["framework"] == "regional" and row["number"]]
    assert {row["code"] for row in regional if ratio.search(row["name_zh"])} == {row["code"] for row in COMPUTED}


def test_every_denominator_is_used_and_sits_in_its_own_group():
    used = {name for row in COMPUTED for name in names_in(row["formula"])}
    denominators = [row for row in DETAILS if not row["number"]]
    assert {row["code"] for row in denominators} <= used
    for row in denominators:
        assert (row["framework"], row["group"], row["subgroup"]) == ("regional", DENOMINATOR_GROUP, ""), row["code"]


# Each unit as (kind, size in the kind's base unit).
UNITS = {
    "件": ("count", 1),
    "个": ("count", 1),
    "家": ("count", 1),
    "万人": ("people", 10**4),
    "万户": ("entities", 10**4),
    "万元": ("yuan", 10**4),
    "亿元": ("yuan", 10**8),
    "%": ("ratio", Fraction(1, 100)),
}
# "per …" in a printed name: the size it divides by and the kind of the denominator.
PER = [
    ("每百亿元", 10**10, "yuan"),
    ("每亿元", 10**8, "yuan"),
    ("每万人口", 10**4, "people"),
    ("每万户", 10**4, "entities"),
]


@pytest.mark.parametrize("row", COMPUTED, ids=[row["code"] for row in COMPUTED])
def test_formula_scales_its_units_as_the_name_says(row):
    """Give the two inputs true sizes, express them in their units, and compare the formula with the named ratio."""
    numerator, denominator = names_in(row["formula"])
    top_kind, top_size = UNITS[BY_CODE[numerator]["unit"]]
    bottom_kind, bottom_size = UNITS[BY_CODE[denominator]["unit"]]
    per = [(size, kind) for prefix, size, kind in PER if row["name_zh"].startswith(prefix)]
    if per:
        basis, kind = per[0]
        assert bottom_kind == kind, row["code"]
    else:
        basis = 1
        assert row["unit"] == "%" and top_kind == bottom_kind, row["code"]
    true_top, true_bottom = Fraction(123_457 * 10**8), Fraction(98_765_431 * 10**6)
    value = evaluate(row["formula"], {numerator: true_top / top_size, denominator: true_bottom / bottom_size})
    expected = true_top / true_bottom * basis / UNITS[row["unit"]][1]
    assert value == expected, (row["code"], row["formula"], float(value / expected))


def test_units_check_would_catch_a_missing_scale():
    """The check above is not vacuous: R48 without the 亿元 → 万元 factor gives a value 10,000 times too small."""
    row = dict(BY_CODE["R48"], formula="R47 / D_GDP")
    with pytest.raises(AssertionError):
        test_formula_scales_its_units_as_the_name_says(row)


# ---------------------------------------------------------------------------------------------------------------
# Groups
# ---------------------------------------------------------------------------------------------------------------


def test_groups_of_the_details_are_exactly_the_listed_groups():
    listed = [(row["framework"], row["group"], row["subgroup"]) for row in GROUPS]
    assert len(set(listed)) == len(listed)
    used = set()
    for row in DETAILS:
        used.add((row["framework"], row["group"], ""))
        if row["subgroup"]:
            used.add((row["framework"], row["group"], row["subgroup"]))
    assert used == set(listed)


def test_group_names():
    names = {(row["framework"], row["group"], row["subgroup"]): row["name_en"] for row in GROUPS}
    assert names[("regional", DENOMINATOR_GROUP, "")] == "Denominators"
    # 表 3's first group is not printed in the extract (marked ``inferred`` in indicators.csv) but is listed.
    assert names[("national", "知识产权保护", "")] == "IP protection"
    assert names[("regional", "知识产权保护", "司法保护")] == "Judicial protection"
