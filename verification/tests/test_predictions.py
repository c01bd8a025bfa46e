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

#: (tier, claim id) -> the measured values that contradict the paper (docs/findings.md, by claim id)
FINDINGS = {
    # the quick tier (geneft reproduce --quick, seed 0)
    ("quick", "table2.antisymmetric"): (
        "n(n-1)/2 = 435 bits vs exact log2 C = 719.46 bits (-39.5%): the antisymmetric relations number "
        "3^(n(n-1)/2) 2^n, not 2^(n(n-1)/2); irreflexive ones 3^(n(n-1)/2), 689.46 bits (-36.9%)"
    ),
    ("quick", "table2.tree"): (
        "n log2 <d> = 47.55 bits (<d> = 3) vs 132.13 bits for the rooted labelled trees of average depth 3 "
        "(-64.0%); all labelled trees (Cayley) 137.39 bits (-65.4%), all rooted ones 142.30 bits (-66.6%)"
    ),
    ("quick", "fig2.p-star.greater"): (
        "mean min(p, 1-p) of the exact posterior = 0.2102 at fraction 0.1 (range 0.210-0.330)"
    ),
    ("quick", "fig6.bound.uniform-init"): (
        "sigma_a/sigma_c = 1: ratio 1 generalizes 12/12 against the bound 0.392; ratio 0.1: 12/12 vs "
        "0.732; ratio 10: 6/12 vs 0.140; worst 1 [0.779, 1], p 3.9e-05 raw"
    ),
    ("quick", "fig6.bound-measured-k.uniform-init"): (
        "K measured at initialisation 0.427/0.135/0.0448 at ratios 0.1/1/10 gives bounds "
        "0.257/0.086/0.028, against 12/12, 12/12 and 6/12 generalizing"
    ),
    ("quick", "fig6.bound-measured-widths.uniform-init"): (
        "sigma_a/sigma_c measured on the networks at initialisation (decoder Jacobian RMS over repon RMS)"
        " is 0.05, so the bound is lower still (0.020 at ratio 1) against 12/12 generalizing"
    ),
    ("quick", "fig5.ratio.greater.gradient-descent"): (
        "plain gradient descent: log10 r* read on the curved boundary at eta_enc = 10^-1 is 13.5 "
        "[3.58, inf] against <= 1.5, p 0.00048 raw; every greater-than run of that column generalizes up "
        "to the decoder's stability limit, and the interval's lower end extrapolates the fitted curve "
        "beyond it (docs/findings.md)"
    ),
    ("quick", "fig6b.p-matrix.sgd.normal"): (
        "measured 0.19/0.09/0.03 vs predicted 1.00/1.00/1.00 (sigma_a/sigma_c from the saturated "
        "N(0,1) decoder)"
    ),
    ("quick", "fig6b.p-eq12.sgd.normal"): "measured 0.19/0.09/0.03 vs Eq. 12 0.93/0.78/0.47",
    ("quick", "fig6b.p-matrix.adam.normal"): "measured 0.05/0.03/0.02 vs predicted 1.00/1.00/1.00",
    ("quick", "fig6b.p-eq12.adam.normal"): "measured 0.05/0.03/0.02 vs Eq. 12 0.85/0.68/0.33",
    ("quick", "fig6b.p-matrix.adam.uniform"): "measured 0.26/0.11/0.08 vs predicted 0.94/0.35/0.05",
    ("quick", "fig6b.theorem1"): (
        "generalized & collided 0, generalized only 24, collided only 0, neither 24: runs generalize "
        "(test accuracy > 0.9) with 0.25 of their same-class pairs collided on average"
    ),
    # the full tier (geneft reproduce --full, seed 0; docs/results.md gives each figure's run)
    ("full", "fig8.slope.mod3"): (
        "inconclusive: local slope of the curved boundary at wd_dec = 1e-3 -0.05 [-1.24, 1.04] (detectable "
        "deviation 1.8); it rises to 4.5 [2.1, 11] at wd_dec = 1: a threshold near 0.1 (docs/findings.md)"
    ),
    ("full", "fig8.slope.greater"): (
        "inconclusive: local slope at wd_dec = 1e-3 0.47 [-0.67, 1.81] (detectable deviation 2.0); 3.4 "
        "[0.64, 9.8] at wd_dec = 1"
    ),
    ("full", "fig8.slope.bipartite"): (
        "inconclusive: local slope at wd_dec = 1e-3 0.17 [-0.49, 0.83], at T/4 6.7 (budget not converged); "
        "5.4 [2.4, 9.7] at wd_dec = 1"
    ),
    ("full", "fig3.below-exact-bound.mod3"): (
        "inconclusive: p_hold 0.54 (accuracy and bound both about 1 at large fractions); limiting part "
        "-0.004 [-0.018, 0.010]"
    ),
    ("full", "fig3.rise-near-b.mod3"): (
        "inconclusive: crossing at fraction 0.203 = 4.6 b/n^2, log10 ratio 0.661 [0.585, 0.768] against a"
        " factor-5 margin"
    ),
    ("full", "fig3.below-exact-bound.greater"): (
        "inconclusive: p_hold 0.025 raw, 0.13 Holm (whole tier); limit -0.0055 [-0.0108, -0.0002]"
    ),
    ("full", "fig3.below-eq5.mod3"): (
        "fails: accuracy - f_UB of Eq. (5) 3.46e-05 [3.46e-05, 3.46e-05]: a decoder is perfect in every run "
        "where f_UB is just below 1, less than one pair above it (docs/findings.md)"
    ),
    ("full", "fig3.below-eq5.greater"): (
        "inconclusive: accuracy - f_UB of Eq. (5) 0.00352 [-0.00941, 0.0217] (detectable deviation 0.07)"
    ),
    ("full", "fig5.slope.mod3.gradient-descent"): (
        "inconclusive: plain gradient descent, local slope at eta_enc = 10^-2.25 2.57 [1.53, 4.18]; the "
        "boundary rises and falls (4.32 at 10^-3, 0.829 at 10^-1.5, -2.66 at 1)"
    ),
    ("full", "fig5.ratio.mod3.gradient-descent"): (
        "inconclusive: log10 r* at eta_enc = 10^-1 2.01 [1.4, 2.83] (detectable deviation 0.91)"
    ),
    ("full", "fig5.slope.greater.gradient-descent"): (
        "inconclusive: local slope 3.95 [2.17, 9.39], at T/4 1.19 (budget not converged)"
    ),
    ("full", "fig5.ratio.greater.gradient-descent"): (
        "inconclusive: log10 r* 5.19 [3.4, 12.6], p 2.5e-06, but at T/4 2.54, outside the interval "
        "(budget not converged); its runs at eta_enc = 10^-1 generalize up to ratio 100"
    ),
    ("full", "fig5.slope.bipartite.gradient-descent"): (
        "inconclusive: local slope 0.267 [-0.329, 4.09] (detectable deviation 0.9)"
    ),
    ("full", "fig5.same-ratio.gradient-descent"): (
        "inconclusive: mod3 - greater -3.19 [-10.6, -1.22], at T/4 -0.309 (budget not converged)"
    ),
    ("full", "fig5.ratio.bipartite.gradient-descent"): (
        "plain gradient descent, 164 runs: log10 r* at eta_enc = 10^-1 is 2.15 [2.03, 4.53] against "
        "<= 1.5, p 0.0001; every bipartite run of that column that is not confusion generalizes up to "
        "eta_dec = 10 (ratio 100)"
    ),
    ("full", "fig6.bound"): (
        "every parameter N(0, s^2) (Figure 6's caption), 196 runs: init 0.5 generalizes 20/20 at ratio 1 "
        "(bound 0.392), 10/10 at ratio 10 (0.140), 10/20 at ratio 100 (0.045); worst 1 [0.62, 1], p 2.6e-7"
    ),
    ("full", "fig6.bound-measured-k"): (
        "K measured at initialisation (effective rates of Adam's first update): ratio 1, init 0.5 "
        "generalizes "
        "20/20 against (2/pi) arctan 1.19 = 0.555; worst 1 [0.62, 1], p 2.6e-5"
    ),
    ("full", "fig6.collapse"): (
        "K barely separates the init scales (ratio 1: 1.19/1.64/1.22 at init 0.5/1/2) while P does (1/0/0): "
        "worst cell 0.76 [0.56, 0.90] off the other scales' curve; holds only at margins >= 0.94"
    ),
    ("full", "fig6.bound.gradient-descent"): (
        "full-batch gradient descent, 186 runs: init 0.5 generalizes 20/20 at ratio 1 (bound 0.392) and "
        "10/10 at ratio 10 (0.140); worst 1 [0.62, 1], p 2.6e-7"
    ),
    ("full", "fig6.bound-measured-widths.gradient-descent"): (
        "inconclusive: sigma_a/sigma_c measured 10.3/20.7/39.9 (init 0.5/1/2) lifts the bound to 0.40-1.00"
    ),
    ("full", "fig6.bound-measured-k.gradient-descent"): (
        "ratio 1, init 0.5 generalizes 20/20 against (2/pi) arctan 1.01 = 0.503; worst 1 [0.62, 1], p 3.4e-5"
    ),
    ("full", "fig6.collapse.gradient-descent"): (
        "init 0.5 generalizes at ratios <= 10 and init 1 only at 100, at similar K: worst cell 0.95 "
        "[0.86, 0.99] off the other scales' curve"
    ),
    ("full", "fig6.bound-measured-widths"): (
        "inconclusive: sigma_a/sigma_c measured 10.3/20.7/39.9 (init 0.5/1/2) lifts the bound to 0.40-1.00; "
        "worst 10/20 at ratio 100, init 0.5, against 0.402"
    ),
    ("full", "fig6.bound.uniform-init"): (
        "sigma_a/sigma_c = 1: ratio 1 generalizes 20/20 at init scales 0.5 and 1 against the bound 0.392,"
        " ratio 10 9/10 and 12/20 against 0.140; worst point 1 [0.787, 1], p = 6.5e-7"
    ),
    ("full", "fig6.bound-measured-k.uniform-init"): (
        "K measured at initialisation is small (ratio 1: 0.135/0.134/0.190 at init 0.5/1/2), the bound "
        "lower still; worst point 1 [0.787, 1], p 3.5e-20"
    ),
    ("full", "fig6.collapse.uniform-init"): (
        "at ratio 10 K is 0.042/0.043/0.062 at init 0.5/1/2 while P is 0.9/0.6/0.05: worst cell -0.684 "
        "[-0.773, -0.551] off the other scales' curve; holds only at margins >= 0.773"
    ),
    ("full", "fig6.bound-measured-widths.uniform-init"): (
        "sigma_a/sigma_c measured 0.0087/0.052/0.156 (init 0.5/1/2) gives bounds <= 0.53, against 30/30 "
        "generalizing at ratios 0.01 and 0.1; worst point 1 [0.852, 1], p = 5.4e-56"
    ),
    ("full", "fig5.slope.mod3"): (
        "inconclusive: local slope of the curved boundary at eta_enc = 10^-4.25 (the small-rate half) 1.14 "
        "[1.03, 1.24], at T/4 1.74 (budget not converged); 1.76 [1.67, 1.86] at 10^-3.5, 3.01 at 10^-2"
    ),
    ("full", "fig5.slope.greater"): (
        "inconclusive: local slope at eta_enc = 10^-4.25 1.26 [0.579, 1.84] (detectable deviation 0.87); "
        "1.62 [1.26, 2.14] at 10^-3.5"
    ),
    ("full", "fig5.slope.bipartite"): (
        "inconclusive: local slope at eta_enc = 10^-4.25 1.74 [1.45, 2.02] excludes 1 +- 0.25 (raw p 0.0051),"
        " but at T/4 it was 2.4 (budget not converged)"
    ),
    ("full", "fig5.ratio.greater"): (
        "inconclusive: log10 r* at eta_enc = 1e-3 1.38 [0.929, 1.91] against <= 1.5 (detectable deviation "
        "0.69)"
    ),
    ("full", "fig5.ratio.bipartite"): (
        "fails: log10 r* at eta_enc = 1e-3 1.87 [1.66, 2.18] against <= 1.5, p 0.0028 raw, at T/4 1.76; "
        "every bipartite run of that column that does not diverge generalizes, up to eta_dec/eta_enc = 100 "
        "(Holm among Figure 5's rows; inconclusive in the full tier's family, Holm 0.068 among 63 rows)"
    ),
    ("full", "fig5.same-ratio"): (
        "fails: mod3 - bipartite at eta_enc = 1e-3 -1.08 [-1.41, -0.852] (margin 0.5), at T/4 -1.04, "
        "p 5e-05 raw"
    ),
    ("full", "univ-statics.slope"): (
        "fails: log critical fraction against log p_c across 24 relations has slope 0.38 [0.284, 0.477] "
        "(p 6.2e-07 raw); the measured fraction is 4-9 p_c for small b, 2-3 p_c for b ~ 100 bits"
    ),
    ("full", "univ-statics.beats-baselines"): (
        "inconclusive: b against the best baseline (log2 of the Table II class count) -0.0071 [-0.0165, "
        "0.00179] (detectable deviation 0.086)"
    ),
    ("full", "univ-statics.size-law"): (
        "inconclusive in the full tier's family: slope 1.04 [0.874, 1.2] over 9 points of 3 relations, raw p "
        "0.022 (holds among the figure's 4 rows, Holm 0.045)"
    ),
    ("full", "univ-dynamics.same-ratio"): (
        "inconclusive: bipartite-5-25 - grid-5x6 3.97 [2.79, inf], at T/4 3.97, but five other pairs "
        "outside their interval at T/4 (budget not converged)"
    ),
    ("full", "fig2.eq5.mod3"): (
        "fails: f_UB - Eq. 5 = -0.0739 [-0.0761, -0.0717] at fraction 0.02 (margin 0.05)"
    ),
    ("full", "fig2.eq5.mod5"): (
        "fails: f_UB - Eq. 5 = -0.0659 [-0.0698, -0.0620] at fraction 0.06 (margin 0.05)"
    ),
    ("full", "fig2.eq5.greater"): (
        "inconclusive: f_UB - Eq. 5 = 0.0478 [0.0436, 0.0521] at 0.08 contains the margin 0.05"
    ),
    ("full", "fig2.eq5.bipartite"): (
        "fails: f_UB - Eq. 5 = -0.116 [-0.128, -0.104] at fraction 0.02 (margin 0.05)"
    ),
    ("full", "fig2.p-star.greater"): (
        "mean min(p, 1-p) of the exact posterior = 0.2142 at fraction 0.08 (range 0.214-0.335), 20 "
        "training sets"
    ),
    ("full", "fig6b.p-matrix.sgd.normal"): (
        "fails: 0.19/0.09/0.03 vs 1.00/1.00/0.99 at ratios 0.03/1/30; worst -0.807 [-0.831, -0.784]"
    ),
    ("full", "fig6b.p-eq12.sgd.normal"): (
        "fails: 0.19/0.09/0.03 vs 0.97/0.80/0.32 at ratios 0.03/1/30; worst -0.775 [-0.798, -0.751]"
    ),
    ("full", "fig6b.p-matrix.sgd.uniform"): (
        "inconclusive: 0.75/0.19/0.07 vs 0.58/0.04/0.00 at ratios 0.03/1/30; worst 0.263 [0.177, 0.349], "
        "p 0.013 raw, 0.25 Holm"
    ),
    ("full", "fig6b.p-eq12.sgd.uniform"): (
        "fails: 0.75/0.19/0.07 vs 0.14/0.02/0.00 at ratios 0.03/1/30; worst 0.615 [0.567, 0.662]"
    ),
    ("full", "fig6b.p-matrix.adam.normal"): (
        "fails: 0.07/0.05/0.02 vs 1.00/1.00/0.91 at ratios 0.03/1/30; worst -0.927 [-0.944, -0.911]"
    ),
    ("full", "fig6b.p-eq12.adam.normal"): (
        "fails: 0.07/0.05/0.02 vs 0.83/0.67/0.22 at ratios 0.03/1/30; worst -0.76 [-0.785, -0.735]"
    ),
    ("full", "fig6b.p-matrix.adam.uniform"): (
        "fails: 0.67/0.12/0.04 vs 0.99/0.39/0.03 at ratios 0.03/1/30; worst -0.507 [-0.575, -0.44]"
    ),
    ("full", "fig6b.p-eq12.adam.uniform"): (
        "inconclusive: 0.67/0.12/0.04 vs 0.44/0.10/0.02 at ratios 0.03/1/30; worst 0.229 [0.164, 0.293], "
        "p 0.0079 raw, 0.16 Holm"
    ),
    ("full", "fig6b.theorem1"): (
        "fails: generalized & collided 3, generalized only 358, collided only 0, neither 311; agreement "
        "0.467 [0.435, 0.5] against >= 0.8"
    ),
    ("full", "table2.antisymmetric"): (
        "n(n-1)/2 = 435 bits vs exact log2 C = 719.46 bits (-39.5%): the antisymmetric relations number "
        "3^(n(n-1)/2) 2^n, not 2^(n(n-1)/2); irreflexive ones 3^(n(n-1)/2), 689.46 bits (-36.9%)"
    ),
    ("full", "table2.tree"): (
        "n log2 <d> = 47.55 bits (<d> = 3) vs 132.13 bits for the rooted labelled trees of average depth 3 "
        "(-64.0%); all labelled trees (Cayley) 137.39 bits (-65.4%), all rooted ones 142.30 bits (-66.6%)"
    ),
}


def _params(tier: str):
    out = []
    for fig in FIGURES.values():
        for claim in fig.claim_list(fig.settings(tier)):
            why = FINDINGS.get((tier, claim.id))
            marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
            if tier == "full":
                marks.append(pytest.mark.slow)
            out.append(pytest.param(fig.key, claim.id, id=f"{tier}-{claim.id}", marks=marks))
    return out


def _check(request, tier_checks, tier, key, claim_id):
    checks = tier_checks(tier, key)
    rows = sorted(i for i in checks if i.startswith(key + "."))
    assert claim_id in checks, f"{key} has no row for claim {claim_id!r}; rows: {rows}"
    c = checks[claim_id]
    allowed = ("holds",) if tier == "full" else ("holds", "inconclusive")
    smaller = request.config.getoption("--only") or (
        tier == "full" and request.config.getoption("--archive-only")
    )
    if c.verdict in allowed and (tier, claim_id) in FINDINGS and smaller:
        # The findings are the verdicts of the whole tier's Holm family (the report, plain pytest).
        # A smaller family (--only, or --archive-only's archived results) adjusts less, so it can
        # decide a row that the whole family leaves inconclusive (never the reverse, and never a
        # decided row the other way).
        pytest.skip(
            f"{c.verdict} among --only's rows ({c.measured}; p {c.p_text}), which adjust less than the "
            f"whole {tier} tier, where the finding stands: {FINDINGS[(tier, claim_id)]}"
        )
    assert c.verdict in allowed, f"{c.verdict}: {c.measured} (theory {c.theory}; {c.tolerance}; p {c.p_text})"


def test_findings_name_declared_claims():
    """Every recorded finding names a claim the registry declares at its tier."""
    declared = {
        (tier, claim.id)
        for tier in ("quick", "full")
        for fig in FIGURES.values()
        for claim in fig.claim_list(fig.settings(tier))
    }
    assert set(FINDINGS) <= declared, sorted(set(FINDINGS) - declared)


def test_quick_findings_quote_the_committed_report():
    """Every number in a quick-tier finding is one the committed quick report prints for that row
    (``docs/img/report-quick.json``, from ``geneft reproduce --quick``), so no finding's value is
    typed apart from the results it describes."""
    import json
    import re
    from pathlib import Path

    report = Path(__file__).resolve().parents[2] / "docs" / "img" / "report-quick.json"
    rows = {r["claim_id"]: r for r in json.loads(report.read_text())["rows"]}
    number = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
    for (tier, claim_id), why in FINDINGS.items():
        if tier != "quick":
            continue
        r = rows[claim_id]
        assert r["verdict"] == "fails", claim_id
        printed = " ".join(str(r[k]) for k in ("prediction", "theory", "measured", "test", "p"))
        assert [n for n in number.findall(why) if n not in printed] == [], claim_id


#: the full-tier findings whose every number is the committed archive-only report's
_ARCHIVE_QUOTED = ("fig6b.", "fig3.below-eq5.")


def test_archived_full_findings_quote_the_committed_archive_report():
    """Every number in the full-tier findings of Figure 6b and of Figure 3's Eq. (5) rows is one the
    committed archive-only full report prints for that row (``docs/img/report-full-archive.json``,
    from ``geneft reproduce --full --archive-only``), and the verdict it names is the report's."""
    import json
    import re
    from pathlib import Path

    report = Path(__file__).resolve().parents[2] / "docs" / "img" / "report-full-archive.json"
    rows = {r["claim_id"]: r for r in json.loads(report.read_text())["rows"]}
    number = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
    quoted = [(c, why) for (t, c), why in FINDINGS.items() if t == "full" and c.startswith(_ARCHIVE_QUOTED)]
    assert len(quoted) == 11
    for claim_id, why in quoted:
        r = rows[claim_id]
        assert why.startswith(r["verdict"] + ": "), claim_id
        printed = " ".join(str(r[k]) for k in ("prediction", "theory", "measured", "test", "p"))
        assert [n for n in number.findall(why) if n not in printed] == [], claim_id


@pytest.mark.parametrize("key, claim_id", _params("quick"))
def test_quick(request, tier_checks, key, claim_id):
    _check(request, tier_checks, "quick", key, claim_id)


@pytest.mark.parametrize("key, claim_id", _params("full"))
def test_full(request, tier_checks, key, claim_id):
    _check(request, tier_checks, "full", key, claim_id)
