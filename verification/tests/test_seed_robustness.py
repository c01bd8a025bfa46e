"""A verdict must not flip between holds and fails when only the seed changes (issue 15).

The quick tier is run with two experiment seeds (through the shared result cache, so a run that
``geneft reproduce --quick --seed 1`` made is reused) and every row's verdict is compared: a row
may go from holds or fails to inconclusive, never from holds to fails or back.  A flip would mean
the experiment is too small for its statistics or the statistics are wrong.  Slow (two quick
tiers, about 10 minutes on two cores): it runs with ``--full``.
"""

import pytest

from verification.reproduce import evaluate_tier

SEEDS = (0, 1)


@pytest.mark.slow
def test_no_quick_verdict_flips_between_seeds(results_cache):
    a, b = (evaluate_tier("quick", seed=s, device="cpu", cache=results_cache) for s in SEEDS)
    assert a.keys() == b.keys()
    flips = [
        f"{key}: {pred}: seed {SEEDS[0]} {a[(key, pred)].verdict} ({a[(key, pred)].measured}), "
        f"seed {SEEDS[1]} {b[(key, pred)].verdict} ({b[(key, pred)].measured})"
        for key, pred in a
        if {a[(key, pred)].verdict, b[(key, pred)].verdict} == {"holds", "fails"}
    ]
    assert not flips, "\n".join(flips)
