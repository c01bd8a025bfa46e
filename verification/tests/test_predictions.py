"""Theory against experiment: one test per prediction of the paper, the rows of ``geneft reproduce``.

Every entry of the registry (:data:`verification.figures.registry.FIGURES`) lists its claims
(``claims(settings)`` of its module) and checks them (``evaluate``); this module makes one test of
each claim, at the quick tier by default and at the paper's scale with ``--full``.  The data come
through the result cache that ``geneft reproduce`` fills (``--results-cache``; default
``geneft-results/.cache``), so after ``geneft reproduce --quick`` this suite recomputes nothing,
and the verdicts are the report's: Holm-adjusted across all statistical rows of the tier
(:func:`verification.report.adjust`).

A claim passes when its verdict is **holds**.  At the quick tier an **inconclusive** verdict also
passes (the quick tier is sized to run in minutes, not to resolve every claim; the report says what
it could have detected).  A claim the experiment contradicts is a finding: it is listed in
:data:`FINDINGS` with the measured values and runs as a strict xfail, so the test fails as soon as
the finding stops reproducing.  The findings are the verdicts of the whole tier, whose statistical
rows are Holm-adjusted together; ``--only`` adjusts fewer rows, so there a finding that the smaller
family decides as the paper says is skipped (with the measured values), not counted as passing.
"""

from __future__ import annotations

import pytest

from verification.figures.registry import FIGURES

#: (tier, figure, prediction) -> the measured values that contradict the paper (docs/findings.md)
FINDINGS = {
    ("quick", "table2", "Table II: n(n-1)/2 approximates the bits of the antisymmetric class (n = 30)"): (
        "n(n-1)/2 = 435 bits vs exact log2 C = 719.46 bits (-39.5%): the antisymmetric relations "
        "number 3^(n(n-1)/2) 2^n, not 2^(n(n-1)/2)"
    ),
    (
        "quick",
        "table2",
        "Table II: n log2 k approximates the bits of the equivalence, 3 classes (equal sizes) class (n = 30)",
    ): "n log2 k = 47.55 bits vs exact 39.75 bits (+19.6%) at n = 30",
    ("quick", "table2", "Table II: n log2 <d> approximates the bits of the tree class (n = 30)"): (
        "n log2 <d> = 47.55 bits vs exact 137.39 bits (-65.4%)"
    ),
    ("quick", "fig2", "p_* = 1/3 for greater-than (un-inferred entries guessed with probability 2/3)"): (
        "mean min(p, 1-p) of the exact posterior = 0.2102 at fraction 0.1 (range 0.210-0.330)"
    ),
    ("quick", "fig6", "probability of generalization <= Eq. 12 bound at every point"): (
        "mod3, eta_enc 1e-3, 3000 steps, 12 seeds, sigma_a/sigma_c = 1: ratio 1 generalizes 12/12 against "
        "the bound 0.392 (exact binomial p = 1.3e-5); ratio 0.1: 12/12 vs 0.732; ratio 10: 6/12 vs 0.140"
    ),
    (
        "quick",
        "fig6",
        "probability of generalization <= Eq. 12 bound with sigma_a/sigma_c measured at initialisation",
    ): (
        "sigma_a/sigma_c measured on the networks at initialisation (decoder Jacobian RMS over repon RMS) "
        "is 0.045 +- 0.012, so the bound is lower still (0.020 at ratio 1) against 12/12 generalizing"
    ),
    # Figure 6b (issue 12): mod3, 4 seeds a point, 1500 steps, ratios 0.1/1/10; measured vs predicted
    (
        "quick",
        "fig6b",
        "collided fraction in networks = F formula P_{m,d} from initial quantities (SGD, normal init)",
    ): (
        "measured 0.19/0.09/0.03 vs predicted 1.00/1.00/1.00 "
        "(sigma_a/sigma_c ~ 20 from the saturated N(0,1) decoder)"
    ),
    (
        "quick",
        "fig6b",
        "collided fraction in networks = Eq. 12 from initial quantities (SGD, normal init)",
    ): ("measured 0.19/0.09/0.03 vs Eq. 12 0.93/0.78/0.47"),
    (
        "quick",
        "fig6b",
        "collided fraction in networks = F formula P_{m,d} from initial quantities (Adam, normal init)",
    ): ("measured 0.05/0.03/0.02 vs predicted 1.00/1.00/1.00"),
    (
        "quick",
        "fig6b",
        "collided fraction in networks = Eq. 12 from initial quantities (Adam, normal init)",
    ): ("measured 0.05/0.03/0.02 vs Eq. 12 0.85/0.68/0.33"),
    (
        "quick",
        "fig6b",
        "collided fraction in networks = F formula P_{m,d} from initial quantities (Adam, uniform init)",
    ): ("measured 0.26/0.11/0.08 vs predicted 0.94/0.35/0.05"),
    ("quick", "fig6b", "Theorem 1: a run generalizes exactly when its same-class embeddings have collided"): (
        "48 runs: generalized & collided 0, generalized only 24, collided only 0, neither 24: runs "
        "generalize (test accuracy > 0.9) with 25% of their same-class pairs collided on average"
    ),
}
# Figure 8 at the paper's scale (session 4: eta_enc = 1e-5, 10^5 steps, 130 runs of a sequential design):
# the fitted boundary rises with the weight decay, but it still moves between T/4 and T
_FIG8_FULL = {
    "mod3": "1.27 [0.60, inf], at T/4 0.30",
    "greater": "1.13 [0.52, 2.18], at T/4 0.18",
    "bipartite": "0.99 [0.63, 1.53], at T/4 1.53",
}
for _rel, _slope in _FIG8_FULL.items():
    FINDINGS[
        ("full", "fig8", f"the boundary log eta_dec* does not depend on log wd_dec (slope 0), {_rel}")
    ] = (
        f"inconclusive: slope {_slope} (budget not converged); for wd_dec <= 1e-2 the runs' phases are "
        "identical seed for seed, at wd_dec >= 0.1 memorization turns into grokking (docs/findings.md)"
    )
# Figure 3 at the paper's scale (session 4: 1,170 runs of the seeds-in-rounds design, 2 x 10^4 steps)
FINDINGS.update(
    {
        (
            "full",
            "fig3",
            "accuracy stays below the exact Bayes bound f_UB of the same training sets, mod3",
        ): (
            "inconclusive: p_hold 0.54 (accuracy and bound both about 1 at large fractions); limiting part "
            "-0.004 [-0.018, 0.010]"
        ),
        ("full", "fig3", "the inductive-bias decoder's rise happens near b/n^2, mod3"): (
            "inconclusive: crossing at fraction 0.203 = 4.6 b/n^2, log10 ratio 0.661 [0.585, 0.768] against "
            "a factor-5 margin"
        ),
        (
            "full",
            "fig3",
            "accuracy stays below the exact Bayes bound f_UB of the same training sets, greater",
        ): ("inconclusive: p_hold 0.025 raw, 0.13 Holm (whole tier); limit -0.0055 [-0.0108, -0.0002]"),
    }
)
# Figure 6 at the paper's scale (session 5: 374 runs of the seeds-in-rounds design, 10^5 steps)
FINDINGS.update(
    {
        ("full", "fig6", "probability of generalization <= Eq. 12 bound at every point"): (
            "sigma_a/sigma_c = 1: ratio 1 generalizes 20/20 at init scales 0.5 and 1 against the bound "
            "0.392, ratio 10 9/10 and 12/20 against 0.140; worst point 1 [0.787, 1], p = 6.5e-7"
        ),
        (
            "full",
            "fig6",
            "probability of generalization <= Eq. 12 bound with sigma_a/sigma_c measured at initialisation",
        ): (
            "sigma_a/sigma_c measured 0.0087/0.052/0.156 (init 0.5/1/2) gives bounds <= 0.53, against 30/30 "
            "generalizing at ratios 0.01 and 0.1; worst point 1 [0.852, 1], p = 5.4e-56"
        ),
    }
)
# Figure 5 at the paper's scale (session 6: 222 runs of the sequential design, 10^5 steps, seed 0)
_FIG5_FULL_SLOPES = {
    "mod3": "1.60 [1.46, 1.78], at T/4 1.61",
    "greater": "1.67 [1.38, 2.06], at T/4 1.88",
    "bipartite": "2.19 [1.85, 2.59], at T/4 2.00",
}
for _rel, _slope in _FIG5_FULL_SLOPES.items():
    FINDINGS[("full", "fig5", f"boundary is a constant-ratio line (slope 1 in log-log), {_rel}")] = (
        f"slope {_slope} against 1 +- 0.25: the boundary is steeper than a constant ratio (fails; greater "
        "is inconclusive when Holm-adjusted with more figures' rows)"
    )
FINDINGS.update(
    {
        ("full", "fig5", "critical ratio eta_dec/eta_enc <~ 10, mod3"): (
            "inconclusive in the whole full tier: log10 r* 0.77 [0.45, 1.16] against <= 1.5, raw p 0.005, "
            "Holm 0.059 over the 39 statistical rows (holds among Figure 5's own 7 rows)"
        ),
        ("full", "fig5", "critical ratio eta_dec/eta_enc <~ 10, greater"): (
            "inconclusive: log10 r* 1.23 [0.88, 1.64] against <= 1.5, detectable deviation 0.53"
        ),
        ("full", "fig5", "critical ratio eta_dec/eta_enc <~ 10, bipartite"): (
            "inconclusive: log10 r* 2.61 [1.8, 5.2], at T/4 1.15 (budget not converged)"
        ),
        ("full", "fig5", "critical ratio is the same for all relations"): (
            "inconclusive: mod3 - bipartite -1.83 [-4.45, -0.94], at T/4 -0.60 (budget not converged)"
        ),
    }
)
# Figure 2 at the paper's scale (session 7: 20 training sets a fraction, exact bounds; no training)
_FIG2_FULL = {
    "mod3": "fails: f_UB - Eq. 5 = -0.0739 [-0.0761, -0.0717] at fraction 0.02 (margin 0.05)",
    "mod5": "fails: f_UB - Eq. 5 = -0.0659 [-0.0698, -0.0620] at fraction 0.06 (margin 0.05)",
    "greater": "inconclusive: f_UB - Eq. 5 = 0.0478 [0.0436, 0.0521] at 0.08 contains the margin 0.05",
    "bipartite": "fails: f_UB - Eq. 5 = -0.116 [-0.128, -0.104] at fraction 0.02 (margin 0.05)",
}
for _rel, _why in _FIG2_FULL.items():
    FINDINGS[
        (
            "full",
            "fig2",
            f"Eq. (5) roughly agrees with the exact Bayes bound f_UB of the same training sets ({_rel})",
        )
    ] = _why
FINDINGS[
    ("full", "fig2", "p_* = 1/3 for greater-than (un-inferred entries guessed with probability 2/3)")
] = "mean min(p, 1-p) of the exact posterior = 0.2142 at fraction 0.08 (range 0.214-0.335), 20 training sets"
# Figure 6b at the paper's scale (session 7: 672 runs, 2 x 10^4 steps, 24 seeds at each of 7 ratios;
# measured collided fraction vs predicted at ratios 0.03 / 1 / 30, and the row's worst difference)
_FIG6B_FULL = {
    (
        "F formula P_{m,d}",
        "SGD",
        "normal",
    ): "fails: 0.17/0.09/0.03 vs 1.00/1.00/0.99; worst -0.83 [-0.847, -0.813]",
    ("Eq. 12", "SGD", "normal"): "fails: 0.17/0.09/0.03 vs 0.97/0.80/0.32; worst -0.798 [-0.815, -0.78]",
    ("F formula P_{m,d}", "SGD", "uniform"): (
        "inconclusive: 0.78/0.18/0.07 vs 0.58/0.04/0.00; worst 0.267 [0.19, 0.344], p 0.0039 raw, 0.051 Holm"
    ),
    ("Eq. 12", "SGD", "uniform"): "fails: 0.78/0.18/0.07 vs 0.14/0.02/0.00; worst 0.636 [0.585, 0.686]",
    (
        "F formula P_{m,d}",
        "Adam",
        "normal",
    ): "fails: 0.07/0.05/0.02 vs 1.00/1.00/0.91; worst -0.928 [-0.944, -0.912]",
    ("Eq. 12", "Adam", "normal"): "fails: 0.07/0.05/0.02 vs 0.83/0.67/0.22; worst -0.76 [-0.785, -0.735]",
    (
        "F formula P_{m,d}",
        "Adam",
        "uniform",
    ): "fails: 0.67/0.12/0.04 vs 0.99/0.39/0.03; worst -0.507 [-0.575, -0.44]",
    ("Eq. 12", "Adam", "uniform"): (
        "inconclusive: 0.67/0.12/0.04 vs 0.44/0.10/0.02; worst 0.229 [0.164, 0.293], p 0.0079 raw, 0.071 Holm"
    ),
}
for (_formula, _opt, _init), _why in _FIG6B_FULL.items():
    FINDINGS[
        (
            "full",
            "fig6b",
            f"collided fraction in networks = {_formula} from initial quantities ({_opt}, {_init} init)",
        )
    ] = _why
FINDINGS[
    ("full", "fig6b", "Theorem 1: a run generalizes exactly when its same-class embeddings have collided")
] = (
    "672 runs: generalized & collided 3, generalized only 357, collided only 0, neither 312; agreement 0.469 "
    "[0.436, 0.501] against >= 0.8 (mean collided fraction 0.28 in generalized runs, 0.05 in the others)"
)
for (_t, _f, _p), _why in list(FINDINGS.items()):
    if _f in ("table2",):  # exact counts: the same at every tier
        FINDINGS[("full", _f, _p)] = _why


def _params(tier: str):
    out = []
    for fig in FIGURES.values():
        for claim in fig.claim_list(fig.settings(tier)):
            why = FINDINGS.get((tier, fig.key, claim))
            marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
            if tier == "full":
                marks.append(pytest.mark.slow)
            out.append(pytest.param(fig.key, claim, id=f"{tier}-{fig.key}-{claim}", marks=marks))
    return out


def _check(request, tier_checks, tier, key, claim):
    checks = tier_checks(tier, key)
    assert (key, claim) in checks, (
        f"{key} has no row {claim!r}; rows: {sorted(p for k, p in checks if k == key)}"
    )
    c = checks[(key, claim)]
    allowed = ("holds",) if tier == "full" else ("holds", "inconclusive")
    if c.verdict in allowed and (tier, key, claim) in FINDINGS and request.config.getoption("--only"):
        # The findings are the verdicts of the whole tier's Holm family (the report, plain pytest).
        # A smaller family (--only) adjusts less, so it can decide a row that the whole family
        # leaves inconclusive (never the reverse, and never a decided row the other way).
        pytest.skip(
            f"{c.verdict} among --only's rows ({c.measured}; p {c.p_text}), which adjust less than the "
            f"whole {tier} tier, where the finding stands: {FINDINGS[(tier, key, claim)]}"
        )
    assert c.verdict in allowed, f"{c.verdict}: {c.measured} (theory {c.theory}; {c.tolerance}; p {c.p_text})"


@pytest.mark.parametrize("key, claim", _params("quick"))
def test_quick(request, tier_checks, key, claim):
    _check(request, tier_checks, "quick", key, claim)


@pytest.mark.parametrize("key, claim", _params("full"))
def test_full(request, tier_checks, key, claim):
    _check(request, tier_checks, "full", key, claim)
