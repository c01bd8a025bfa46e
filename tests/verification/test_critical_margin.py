"""Critical margins: the margins at which a row's verdict changes, in closed form and at the boundary.

Each kind of row is decided again at its critical margins nudged by a relative 1e-9 either way:
the verdict must change exactly there (TOST, conjunctions with their within-row Bonferroni,
one-sided slacks, sequential designs, the bootstrap of Figure 3's rise, Table II's relative
errors), and the report must print the margins beside the test.
"""

import json
import math

import numpy as np
import pytest
from scipy import stats

from verification.figures import figure3, table2
from verification.report import Check, TaskOutput, write_report
from verification.statistics import (
    CriticalMargin,
    all_of,
    equivalence_verdict,
    normal_estimate,
    one_sided_verdict,
    sequential_mean_verdict,
    t_estimate,
)
from verification.verdicts import AFTER_DATA, MARGINS, SET_AFTER_DATA, exact_row, row, slope_row

UP, DOWN = 1 + 1e-9, 1 - 1e-9


def test_tost_closed_form():
    # interval 1.4 +- 1.645 * 0.1 = [1.2355, 1.5645] around the target 1: holds from 0.5645 on,
    # fails below 0.2355 (the interval then lies outside the region)
    v = equivalence_verdict("slope 1", normal_estimate(1.4, 0.1), target=1.0, margin=0.25)
    z = stats.norm.ppf(0.95)
    cm = v.critical_margin
    assert cm.holds_at_or_above == pytest.approx(0.4 + z * 0.1, rel=1e-12)
    assert cm.fails_below == pytest.approx(0.4 - z * 0.1, rel=1e-12)
    assert (cm.name, cm.basis, cm.level) == ("margin", "interval", pytest.approx(0.9))
    # an interval that contains the target fails at no margin
    inside = equivalence_verdict("slope 1", normal_estimate(1.1, 0.1), target=1.0, margin=0.25)
    assert inside.critical_margin.fails_below is None


@pytest.mark.parametrize("value", [1.4, 0.6, 1.05, 1.9])
def test_tost_verdict_flips_at_the_critical_margins(value):
    est = normal_estimate(value, 0.1)
    cm = equivalence_verdict("c", est, target=1.0, margin=0.25).critical_margin
    h = cm.holds_at_or_above
    assert equivalence_verdict("c", est, target=1.0, margin=h * UP).verdict == "holds"
    assert equivalence_verdict("c", est, target=1.0, margin=h * DOWN).verdict != "holds"
    if cm.fails_below is not None:
        f = cm.fails_below
        assert equivalence_verdict("c", est, target=1.0, margin=f * DOWN).verdict == "fails"
        assert equivalence_verdict("c", est, target=1.0, margin=f * UP).verdict != "fails"


def _conjunction(margin, ests):
    return all_of(
        "all", [equivalence_verdict(f"p{i}", e, target=0.0, margin=margin) for i, e in enumerate(ests)]
    )


def test_conjunction_flips_with_its_bonferroni_fail_side():
    rng = np.random.default_rng(3)
    ests = [t_estimate(rng.normal(mu, 0.05, 6)) for mu in (0.02, -0.04, 0.12)]
    cm = _conjunction(0.05, ests).critical_margin
    h, f = cm.holds_at_or_above, cm.fails_below
    # holding needs every part's 90 % interval inside; failing, some part's 1 - 2 alpha / 3 interval
    # outside the region
    assert h == pytest.approx(max(max(-e.interval(0.9)[0], e.interval(0.9)[1]) for e in ests))
    assert f == pytest.approx(max(max(e.interval(1 - 0.1 / 3)[0], -e.interval(1 - 0.1 / 3)[1]) for e in ests))
    assert _conjunction(h * UP, ests).verdict == "holds"
    assert _conjunction(h * DOWN, ests).verdict != "holds"
    assert _conjunction(f * DOWN, ests).verdict == "fails"
    assert _conjunction(f * UP, ests).verdict != "fails"


@pytest.mark.parametrize("value, direction", [(0.01, "<="), (0.2, "<="), (-0.2, ">="), (0.05, ">=")])
def test_one_sided_slack_flips(value, direction):
    est = normal_estimate(value, 0.05)
    cm = one_sided_verdict("d", est, bound=0.0, direction=direction, margin=0.01).critical_margin
    assert cm.name == "slack"
    h = cm.holds_at_or_above
    assert one_sided_verdict("d", est, bound=0.0, direction=direction, margin=h * UP).verdict == "holds"
    assert one_sided_verdict("d", est, bound=0.0, direction=direction, margin=h * DOWN).verdict != "holds"
    # the bound itself is excluded when the estimate is far on the wrong side: it then fails for every
    # slack below the one at which "holds" takes over (p_hold <= p_fail)
    if cm.fails_below is not None:
        assert cm.fails_below == pytest.approx(h)
        assert one_sided_verdict("d", est, bound=0.0, direction=direction, margin=h * DOWN).verdict == "fails"
    # a claim without a slack has no critical margin
    assert one_sided_verdict("d", est, bound=0.0, direction=direction).critical_margin is None


def test_slack_conjunction_and_sequential_design_flip():
    rng = np.random.default_rng(5)
    samples = [rng.normal(mu, 0.01, 10) for mu in (-0.01, 0.004, 0.0)]

    def conj(s):
        return all_of("all", [one_sided_verdict("p", t_estimate(x), bound=0.0, margin=s) for x in samples])

    h = conj(0.001).critical_margin.holds_at_or_above
    assert conj(h * UP).verdict == "holds" and conj(h * DOWN).verdict != "holds"

    def seq(s):
        return sequential_mean_verdict("d <= 0", samples[1], [5, 10], bound=0.0, max_looks=4, margin=s)

    cm = seq(0.001).critical_margin
    assert cm is not None and cm.name == "slack"
    h = cm.holds_at_or_above
    assert seq(h * UP).verdict == "holds" and seq(h * DOWN).verdict != "holds"


def _rise_panel(seed=0, seeds=6):
    # inductive-bias accuracy curves whose 0.9-crossings scatter around b/n^2 = 0.05
    rng = np.random.default_rng(seed)
    fractions = np.linspace(0.01, 0.3, 30)
    centres = 0.05 * 10 ** rng.normal(0.3, 0.15, seeds)
    acc = 1 / (1 + np.exp(-(fractions[:, None] - centres[None, :]) / 0.01))
    variant = dict(figure3.INDUCTIVE_BIAS_VARIANTS["mod3"])
    variant["full_acc"] = acc.tolist()
    variant["crossing"] = figure3.crossing_fraction(fractions, acc.mean(axis=1), 0.9)
    return {
        "relation": "mod3",
        "fractions": fractions.tolist(),
        "b_over_n2": 0.05,
        "alpha": 0.9,
        "variants": [variant],
    }


def test_bootstrap_rise_flips(monkeypatch):
    panel = _rise_panel()
    cm = figure3.rise_verdict(panel, n_boot=400).critical_margin
    h, f = cm.holds_at_or_above, cm.fails_below
    assert h is not None and f is not None and f <= h

    def at(half):
        monkeypatch.setattr(figure3, "SCALE", 10.0**half)
        return figure3.rise_verdict(panel, n_boot=400).verdict

    assert at(h * UP) == "holds" and at(h * DOWN) != "holds"
    assert at(f * DOWN) == "fails" and at(f * UP) != "fails"


def test_exact_rows_and_table_ii_flip_at_their_relative_error(monkeypatch):
    r = exact_row(1.25, 1.0, 0.3)
    assert r["critical_margin"]["holds_at_or_above"] == r["critical_margin"]["fails_below"] == 0.25
    data = table2.table2_data(table2.Table2Settings(n=30))
    rows = dict(table2.evaluate(data))
    assert len(rows) == 5
    for words, r in rows.items():
        cm = CriticalMargin.from_dict(r["critical_margin"])
        assert cm.relative and cm.basis == "exact"
        x = cm.holds_at_or_above
        monkeypatch.setattr(table2, "RELATIVE_TOLERANCE", x * UP)
        assert dict(table2.evaluate(data))[words]["verdict"] == "holds"
        monkeypatch.setattr(table2, "RELATIVE_TOLERANCE", x * DOWN)
        assert dict(table2.evaluate(data))[words]["verdict"] == "fails"


def test_table_ii_rows_under_every_reading():
    data = table2.table2_data(table2.Table2Settings(n=30))
    claims = {c.id: c.text for c in table2.claims({"n": 30})}
    assert sorted(claims) == sorted(
        [
            "table2.antisymmetric",
            "table2.equivalence-3-classes",
            "table2.total-order",
            "table2.complete-bipartite",
            "table2.tree",
        ]
    )
    rows = {words: r for words, r in table2.evaluate(data)}
    by_id = {cid: rows[text] for cid, text in claims.items()}
    eq = by_id["table2.equivalence-3-classes"]
    assert eq["verdict"] == "holds"
    assert eq["measured"] == (
        "exact log2 C, exactly 3 classes, any sizes: 44.96 bits (+5.7%); 3 equal classes: 39.75 bits "
        "(+19.6%); at most 3 classes: 44.96 bits (+5.7%)"
    )
    tree = by_id["table2.tree"]
    assert tree["verdict"] == "fails"
    assert tree["measured"].startswith("exact log2 C, rooted, average depth 3: 132.13 bits (-64.0%)")
    assert "all labelled trees (Cayley): 137.39 bits (-65.4%)" in tree["measured"]
    anti = by_id["table2.antisymmetric"]
    assert anti["verdict"] == "fails" and "irreflexive (asymmetric): 689.46 bits (-36.9%)" in anti["measured"]
    assert all(AFTER_DATA in r["tolerance"] for r in rows.values())
    # the tree shapes, each at its own average depth: a path is a total order (+7.5 %)
    shapes = {t["shape"]: t for t in data["tree_shapes"]}
    path = shapes["path, rooted at an end"]
    assert path["mean_depth"] == 14.5 and path["bits"] == pytest.approx(math.log2(math.factorial(30)))


def test_margins_set_after_the_data_are_labelled():
    assert SET_AFTER_DATA == {"slope"} and set(SET_AFTER_DATA) <= set(MARGINS)

    class Fit:
        def estimate(self, quantity, level):
            return normal_estimate(1.3, 0.2)

    r = slope_row("fig5.slope", Fit(), expected=1.0)
    assert r["tolerance"] == f"± {MARGINS['slope']} (TOST; {AFTER_DATA})"
    assert r["critical_margin"]["holds_at_or_above"] == pytest.approx(0.3 + stats.norm.ppf(0.95) * 0.2)


def test_the_report_prints_the_critical_margins(tmp_path):
    v = equivalence_verdict("slope 1", normal_estimate(1.4, 0.1), target=1.0, margin=0.25)
    r = row(v, theory="slope 1", tolerance="± 0.25 (TOST)")
    c = Check(
        "slope 1",
        "Fig. 5",
        r["theory"],
        r["measured"],
        r["tolerance"],
        r["verdict"],
        "geneft x",
        statistics=r["statistics"],
        critical_margin=r["critical_margin"],
        claim_id="fig5.slope.x",
    )
    exact = Check(
        "b", "Table II", "1", "2", "relative error <= 10%", "fails", "geneft y", claim_id="table2.x"
    )
    assert c.test_text == (
        "± 0.25 (TOST); holds for margins >= 0.564, fails below 0.236 (from the unadjusted 90% interval, "
        "before Holm)"
    )
    assert exact.test_text == "relative error <= 10%"
    write_report(tmp_path, {"t": TaskOutput("T", checks=[c, exact])}, scale="quick", pending=[])
    assert "holds for margins >= 0.564, fails below 0.236" in (tmp_path / "report.md").read_text()
    assert "before Holm" in (tmp_path / "report.html").read_text()
    rows = json.loads((tmp_path / "report.json").read_text())["rows"]
    assert rows[0]["critical_margin"]["fails_below"] == pytest.approx(0.4 - stats.norm.ppf(0.95) * 0.1)
    assert rows[1]["critical_margin"] is None


def test_infinite_margins_are_written_as_json():
    cm = CriticalMargin(None, math.inf, name="slack")
    d = cm.to_dict()
    assert json.loads(json.dumps(d, allow_nan=False))["fails_below"] == "inf"
    assert CriticalMargin.from_dict(d) == cm
    assert cm.text() == "holds at no slack, fails at every slack (from the unadjusted interval, before Holm)"
