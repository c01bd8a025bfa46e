"""The phase diagrams of [1]: Figure 5 (eta_enc, eta_dec) and Figure 8 (wd_dec, eta_dec).

Figure 5. Prediction (Theorem 3, Eq. (12); Section IV, Figure 5)
    P1. The boundary is a constant-ratio line: in the axes (x = log10 eta_enc, y = log10 eta_dec)
        its slope is 1 (the paper's "slope -1" refers to its figure's axis orientation).
    P2. "Generalization requires eta_dec / eta_enc <~ 10".
    P3. The critical ratio is the same for mod 3, greater-than and complete bipartite.

Measured quantity
    One model per grid point and seed, classified by Table IV; generalization and grokking count
    as generalizing, memorization not, confusion runs are left out.  The boundary line is fitted to
    every run by maximum likelihood (:func:`verification.statistics.fit_boundary`), columns in
    which all or no runs generalize included as the bounds they are.

Verdicts
    In ``verification/tests/test_predictions.py`` with the report's statistics
    (:func:`verification.figures.figure5.evaluate`, margins in :mod:`verification.verdicts`):
    the boundary fitted allowing curvature; P1 its local slope a quarter of the encoder range
    from the low end (``SLOPE_AT``: the mean slope over the small-rate half) is 1 within 0.25
    (TOST on the profile likelihood), P2 one-sided ``log10 r* <= 1.5`` with ``r*`` read at
    Table III's ``eta_enc = 1e-3`` (``RATIO_AT_LOG_ETA_ENC``), P3 every pair of relations within
    half a decade there; each also at a quarter of the budget (a row whose estimate moves outside
    its interval is inconclusive).  This module checks the data.

Figure 8. Prediction (Eq. (12)): the probability of generalization depends on the learning rates and
the initialisation only, so in the plane (x = log10 wd_dec, y = log10 eta_dec) at fixed eta_enc the
generalization/memorization boundary is horizontal: slope 0.

Measured quantity
    As for Figure 5: every run of the diagram enters a maximum-likelihood fit of the boundary line
    (:func:`verification.statistics.fit_boundary`); a weight decay at which every run generalizes
    bounds the line instead of being dropped.

Verdict
    In ``verification/tests/test_predictions.py`` (:func:`verification.figures.figure8.evaluate`):
    the local slope of the curvature-allowing boundary a quarter of the weight-decay range from
    the low end (the weak-decay half) is 0 within 0.25 (TOST), also at a quarter of the budget.
    This module checks the data.

[1] D. D. Baek, Z. Liu, M. Tegmark, GenEFT (2025).
"""

from pathlib import Path

import numpy as np
import pytest

from verification.figures.phase_diagram import boundary_runs
from verification.figures.registry import FIGURES
from verification.phases import classify_phase
from verification.reproduce import evaluate_runs_csv
from verification.runtime.context import RunContext
from verification.tests.test_predictions import FINDINGS

#: figure -> its column axis
COLUMNS = {"fig5": "log_eta_enc", "fig8": "log_wd_dec"}


@pytest.fixture(scope="module", params=sorted(COLUMNS))
def quick(request, results_cache):
    key = request.param
    run = RunContext(device="cpu", cache=results_cache, tier="quick")
    data = FIGURES[key].compute(FIGURES[key].settings("quick"), run)
    return key, data


def test_every_run_is_in_the_diagram(quick):
    key, data = quick
    d, s = data["diagram"], FIGURES[key].settings("quick")
    per_rel = len(s[COLUMNS[key]]) * len(s["log_eta_dec"]) * s["seeds"]
    assert len(d["phase"]) == len(s["relations"]) * per_rel == data["cost"]["runs"]
    assert set(d["phase"]) <= {"generalization", "grokking", "memorization", "confusion"}
    assert all(0 <= r <= s["steps"] for r in d["steps_run"])


def test_phases_at_the_full_budget_are_the_stored_ones(quick):
    """Re-classifying every run from its first-reached steps at its own budget gives its phase, so
    the quarter-budget boundary of the verdicts is read off the same runs consistently."""
    _, data = quick
    d = data["diagram"]
    again = [
        classify_phase(a, b, budget=d["steps"], gap=d["gap"])
        for a, b in zip(d["steps_to_train"], d["steps_to_test"])
    ]
    assert again == d["phase"]


def test_boundary_uses_every_column(quick):
    """Censored columns (all or none generalize) enter the fit as bounds, never dropped."""
    key, data = quick
    for rel in data["params"]["relations"]:
        b = data["boundary"][rel]
        x, _, _ = boundary_runs(data["diagram"], rel, x_key=COLUMNS[key])
        assert len(b["columns"]) == np.unique(x).size
        assert sum(c["runs"] for c in b["columns"]) == x.size
        lo, hi = b["slope_interval"]
        assert lo <= b["slope"] <= hi


@pytest.mark.parametrize("key", sorted(COLUMNS))
def test_full_tier_findings_from_the_committed_runs(key):
    """The committed full-tier runs (``docs/img/figureN-full.csv``), re-checked by today's statistics
    without training (:func:`verification.reproduce.evaluate_runs_csv`; Holm among the figure's own
    rows, as ``--only``), give the verdicts the full tier's recorded findings state: a claim holds
    exactly when no finding is recorded for it, and a finding names the verdict it records.  (The
    whole full tier adjusts more rows together, which can only make a decided row inconclusive:
    Figure 5's rows that hold have raw p below 0.05 / HOLM_ROWS, and its fails are recorded as the
    figure's own family decides them, their findings saying so.)"""
    path = Path(__file__).resolve().parents[2] / "docs" / "img" / f"figure{key[3:]}-full.csv"
    checks = evaluate_runs_csv(key, path)
    assert set(checks) == {c.id for c in FIGURES[key].claim_list(FIGURES[key].settings("full"))}
    for claim_id, c in checks.items():
        finding = FINDINGS.get(("full", claim_id))
        assert (c.verdict != "holds") == (finding is not None), (claim_id, c.verdict, c.measured)
        if finding is not None:
            assert finding.startswith(c.verdict + ":"), (claim_id, c.verdict, c.measured)
