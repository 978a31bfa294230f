"""Index speed: the regional index with its Monte Carlo rank intervals, against a plain-Python loop, and a page.

In one run:

1. makes a synthetic panel of 31 provinces × 86 indicators × 5 years (log-normal values, 3 % missing, the regional
   framework's shape: 3 first-level groups, 9 second-level groups);
2. times ``compute_regional`` and ``rank_uncertainty`` (1,000 draws) with the default method — target: ≤ 1 s for
   both together, best of ``--repeat`` runs;
3. times a plain-Python loop doing the same Monte Carlo (same draws and normalisations, lists and dicts, no numpy in
   the loop) and prints the ratio; ``--baseline-draws`` runs the baseline on fewer draws and scales its time
   linearly (it says so when it does);
4. with ``--page``, builds a throwaway SQLite database with the demo returns and the published demo edition
   (``create_demo_accounts``, which takes a while: every return goes through the real workflow) and times
   ``/index/regions/`` through Django's test client — target: ≤ 50 ms (median of 4 × ``--repeat`` requests after
   one warm-up).

Usage: .venv/bin/python benchmarks/index_bench.py [--repeat 5] [--baseline-draws 1000] [--page]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from evaluation.engine import RegionalMethod, Tree, compute_regional, rank_uncertainty  # noqa: E402
from evaluation.engine.impute import impute  # noqa: E402
from evaluation.engine.normalise import normalise  # noqa: E402
from evaluation.engine.uncertainty import CHUNK, dirichlet_around  # noqa: E402

PROVINCES, INDICATORS, YEARS = 31, 86, 5
GROUP_SIZES = [11, 5, 1, 24, 17, 4, 10, 8, 6]  # 86 indicators over 9 second-level groups
PILLAR_OF_GROUP = [0, 0, 0, 1, 1, 1, 2, 2, 2]


def synthetic_panel(seed: int = 13):
    rng = np.random.default_rng(seed)
    groups = [(f"G{g}", f"K{PILLAR_OF_GROUP[g]}") for g in range(len(GROUP_SIZES))]
    indicators = [(f"I{n}", f"G{g}") for g, size in enumerate(GROUP_SIZES) for n in range(size)]
    indicators = [(f"I{n}", group) for n, (_, group) in enumerate(indicators)]
    tree = Tree.build(indicators, groups)
    values = rng.lognormal(mean=4.0, sigma=1.2, size=(PROVINCES, INDICATORS, YEARS))
    values *= np.linspace(1.0, 1.2, YEARS)[None, None, :]
    missing = rng.random(values.shape) < 0.03
    directions = np.where(rng.random(INDICATORS) < 0.1, -1.0, 1.0)
    return tree, values, missing, np.arange(2021, 2021 + YEARS), directions


def time_engine(repeat: int):
    tree, values, missing, years, directions = synthetic_panel()
    method = RegionalMethod(mc_draws=1000)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        compute_regional(values, missing, years, directions, tree, method)
        uncertainty = rank_uncertainty(values, missing, years, directions, tree, method)
        best = min(best, time.perf_counter() - start)
    return best, uncertainty


def python_baseline(draws: int) -> float:
    """The same Monte Carlo in plain Python: normalised values and drawn weights as nested lists, loops over draws,
    years, provinces and indicators; ranks by sorting; percentiles by sorting the draws."""
    tree, values, missing, years, directions = synthetic_panel()
    method = RegionalMethod(mc_draws=draws)
    rng = np.random.default_rng(method.mc_seed)
    filled, _ = impute(values, missing, method.missing_rule)
    kinds = method.allowed_normalisations
    wi, wg, wk = method.weights(tree)
    # Preparation outside the timed loop: the numpy draws and normalised values become plain lists.
    normalised = {kind: normalise(filled, directions, years, method, kind).tolist() for kind in kinds}
    draw_wi, draw_wg, draw_wk, choices = [], [], [], []
    for start in range(0, draws, CHUNK):
        size = min(CHUNK, draws - start)
        draw_wi += dirichlet_around(rng, wi, tree.group_of_indicator, method.mc_concentration, size).tolist()
        draw_wg += dirichlet_around(rng, wg, tree.pillar_of_group, method.mc_concentration, size).tolist()
        draw_wk += dirichlet_around(
            rng, wk, np.zeros(tree.n_pillars, dtype=np.intp), method.mc_concentration, size
        ).tolist()
        choices += rng.integers(len(kinds), size=size).tolist()
    group_of = tree.group_of_indicator.tolist()
    pillar_of = tree.pillar_of_group.tolist()

    start = time.perf_counter()
    ranks = [[[0] * YEARS for _ in range(PROVINCES)] for _ in range(draws)]
    for d in range(draws):
        table = normalised[kinds[choices[d]]]
        for t in range(YEARS):
            composite = []
            for p in range(PROVINCES):
                group_sum = [0.0] * tree.n_groups
                group_weight = [0.0] * tree.n_groups
                for i in range(INDICATORS):
                    x = table[p][i][t]
                    if x == x:  # not NaN
                        group_sum[group_of[i]] += draw_wi[d][i] * x
                        group_weight[group_of[i]] += draw_wi[d][i]
                pillar_sum = [0.0] * tree.n_pillars
                pillar_weight = [0.0] * tree.n_pillars
                for g in range(tree.n_groups):
                    if group_weight[g] > 0:
                        pillar_sum[pillar_of[g]] += draw_wg[d][g] * group_sum[g] / group_weight[g]
                        pillar_weight[pillar_of[g]] += draw_wg[d][g]
                total = weight = 0.0
                for k in range(tree.n_pillars):
                    if pillar_weight[k] > 0:
                        total += draw_wk[d][k] * pillar_sum[k] / pillar_weight[k]
                        weight += draw_wk[d][k]
                composite.append(total / weight)
            order = sorted(range(PROVINCES), key=lambda p: -composite[p])
            for position, p in enumerate(order):
                ranks[d][p][t] = position + 1
    for p in range(PROVINCES):
        for t in range(YEARS):
            column = sorted(ranks[d][p][t] for d in range(draws))
            _low, _high = column[int(0.05 * (draws - 1))], column[int(0.95 * (draws - 1))]
    return time.perf_counter() - start


def time_page(repeat: int) -> float:
    """Median time of ``/index/regions/`` on a throwaway SQLite database holding the demo returns and one edition."""
    directory = tempfile.mkdtemp(prefix="index-bench-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3",
            "CACHE_LOCATION": f"{directory}/cache",
            "DEBUG": "1",
            "ALLOWED_HOSTS": "testserver,localhost",
            "SECURE_SSL_REDIRECT": "0",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    # What the index needs of the report (regions, catalogue, frameworks and published results), as the tests load it.
    from evaluation.services import load_report_data
    from statistics.catalogue import load_indicator_catalogue
    from statistics.services import load_reference_data

    load_reference_data()
    load_indicator_catalogue()
    load_report_data()
    from evaluation.demo import bench_edition

    edition = bench_edition()
    client = Client()
    path = f"/index/regions/?year={edition.year}"
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"index_bench: {path} answered {response.status_code}")
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path)
        timings.append(time.perf_counter() - start)
    timings.sort()
    return timings[len(timings) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline-draws", type=int, default=1000)
    parser.add_argument("--page", action="store_true")
    options = parser.parse_args()

    engine, uncertainty = time_engine(options.repeat)
    verdict = "OK" if engine <= 1.0 else "TOO SLOW"
    print(
        f"regional index, {PROVINCES} provinces × {INDICATORS} indicators × {YEARS} years, "
        f"{uncertainty.draws} Monte Carlo draws: {engine * 1000:.0f} ms (target ≤ 1000 ms) {verdict}"
    )
    print(f"  unstable province-years: {int(uncertainty.unstable.sum())} of {PROVINCES * YEARS}")
    baseline = python_baseline(options.baseline_draws)
    scaled = baseline * 1000 / options.baseline_draws
    note = "" if options.baseline_draws == 1000 else f" (run on {options.baseline_draws} draws, scaled to 1000)"
    print(f"plain-Python loop, same Monte Carlo: {scaled * 1000:.0f} ms{note}")
    print(f"ratio plain Python / numpy: {scaled / engine:.1f}×")
    if options.page:
        page = time_page(options.repeat * 4)
        verdict = "OK" if page <= 0.05 else "TOO SLOW"
        print(f"/index/regions/ (median of {options.repeat * 4}): {page * 1000:.1f} ms (target ≤ 50 ms) {verdict}")


if __name__ == "__main__":
    main()
