"""A verdict must not flip between holds and fails when only the seed changes.

The quick tier is run with two experiment seeds (through the shared result cache, so a run that
``geneft reproduce --quick --seed 1`` made is reused) and every row's verdict is compared: a row
may go from holds or fails to inconclusive, never from holds to fails or back.  A flip would mean
the experiment is too small for its statistics or the statistics are wrong.  Slow (two quick
tiers, about 10 minutes on two cores): it runs with ``--full``.

The same holds at the paper's scale for every result that trains networks: its full tier at
seeds 0 and 1 (``geneft reproduce --full --only KEY [--seed 1]``, hours each on a CPU), its rows
Holm-adjusted among themselves as ``--only KEY`` does.  Those runs are read from the cache or the
archive and never trained here: a result whose runs at either seed are in neither is skipped,
with the command that makes them.
"""

import pytest

from verification.archive.layer import DEFAULT_ARCHIVE, ArchiveLayer, MissingFromArchive
from verification.figures.registry import FIGURES, get_figure
from verification.reproduce import evaluate_tier
from verification.runtime.context import RunContext
from verification.runtime.result_cache import ResultCache

SEEDS = (0, 1)

#: the results whose full tiers are compared between the two seeds: every one that trains
FULL_TIER_FIGURES = tuple(key for key, fig in FIGURES.items() if fig.trains)


@pytest.mark.slow
def test_no_quick_verdict_flips_between_seeds(results_cache):
    a, b = (evaluate_tier("quick", seed=s, run=RunContext(cache=results_cache)) for s in SEEDS)
    _assert_no_flip(a, b)


@pytest.mark.slow
@pytest.mark.parametrize("key", FULL_TIER_FIGURES)
def test_no_full_tier_verdict_flips_between_seeds(request, results_cache, key):
    only = request.config.getoption("--only")
    if only and key not in [get_figure(k).key for k in only.split(",")]:
        pytest.skip(f"{key} is not among --only {only}")
    if results_cache is None:
        pytest.skip("the full tiers are read from the result cache or the archive (--results-cache none)")
    # the same cache folder, with an archive that trains nothing
    cache = ResultCache(results_cache.root, layer=ArchiveLayer(DEFAULT_ARCHIVE, missing="error"))
    figures = {key: FIGURES[key]}
    checks = []
    for s in SEEDS:
        try:
            checks.append(
                evaluate_tier("full", seed=s, run=RunContext(device=None, cache=cache), figures=figures)
            )
        except MissingFromArchive:
            pytest.skip(
                f"{key}'s full tier at seed {s} is neither cached nor archived: "
                f"geneft reproduce --full --only {key} --seed {s}, then geneft archive add"
            )
    _assert_no_flip(*checks)


def _assert_no_flip(a, b):
    assert a.keys() == b.keys()
    flips = [
        f"{claim_id}: seed {SEEDS[0]} {a[claim_id].verdict} ({a[claim_id].measured}), "
        f"seed {SEEDS[1]} {b[claim_id].verdict} ({b[claim_id].measured})"
        for claim_id in a
        if {a[claim_id].verdict, b[claim_id].verdict} == {"holds", "fails"}
    ]
    assert not flips, "\n".join(flips)
