"""The seeds-in-rounds designs of Figures 3 and 6: the sequential tests, the rounds, the cache.

Monte Carlo tolerances follow the convention of ``tests/verification/test_statistics.py``: an
error rate estimated from ``N`` simulated designs may exceed its nominal level by at most 3
binomial standard errors (``3 sqrt(a (1 - a) / N)``); coverage of a ``1 - 2a`` interval may fall
short of it by as much.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import verification.designs.seed_rounds as sr
import verification.runs as runs
from verification.designs.seed_rounds import RoundsPlan, row_levels, seed_rounds
from verification.figures.figure3 import Figure3Settings, figure3_data
from verification.figures.figure3 import evaluate as evaluate3
from verification.figures.figure3 import plot as plot3
from verification.figures.figure6 import Figure6Settings, figure6_data
from verification.figures.figure6 import evaluate as evaluate6
from verification.figures.figure6 import plot as plot6
from verification.figures.registry import FIGURES, HOLM_ROWS
from verification.runs import RunResults
from verification.runtime.context import RunContext
from verification.runtime.result_cache import ResultCache
from verification.statistics import (
    binomial_bound_verdict,
    sequential_binomial_pvalues,
    sequential_binomial_verdict,
    sequential_mean_pvalues,
    sequential_mean_verdict,
    stopping_reason,
    t_estimate,
)
from verification.train_config import Schedule, TrainConfig

#: the full tier of Figure 6's looks (seeds after each round)
LOOKS6 = [5, 10, 20, 30, 50, 100]


def _mc_limit(a, n_sim):
    return a + 3 * math.sqrt(a * (1 - a) / n_sim)


def _spent(p, looks):
    """The design's p-values after each look: ``K`` times the smallest p so far (``K = len(looks)``)."""
    return np.minimum(1.0, len(looks) * np.minimum.accumulate(p, axis=1))


def _binomial_p(x, looks, bound, margin=0.0):
    """``(p_hold, p_fail)`` after each look for many designs at once (``x``: designs x trials)."""
    k = np.cumsum(x, axis=1)[:, np.asarray(looks) - 1]
    n = np.asarray(looks)
    return _spent(stats.binom.cdf(k, n, bound + margin), looks), _spent(
        stats.binom.sf(k - 1, n, bound), looks
    )


def _first_decision(p_hold, p_fail, alpha_hold, alpha_fail):
    """Per design: the decision at the first look that decides (``"cap"`` if none) and that look."""
    hold = (p_hold <= alpha_hold) & (p_hold <= p_fail)
    fail = (p_fail <= alpha_fail) & ~hold
    decided = hold | fail
    first = np.where(decided.any(axis=1), decided.argmax(axis=1), p_hold.shape[1] - 1)
    rows = np.arange(p_hold.shape[0])
    what = np.where(hold[rows, first], "holds", np.where(fail[rows, first], "fails", "cap"))
    return what, first


def test_vectorised_p_values_are_the_functions():
    """The Monte Carlo below uses these formulas; they are the functions' values."""
    rng = np.random.default_rng(0)
    x = rng.random((30, 100)) < 0.3
    hold, fail = _binomial_p(x, LOOKS6, 0.25, 0.05)
    for i in range(30):
        j = int(rng.integers(1, 6))
        got = sequential_binomial_pvalues(x[i], LOOKS6[:j], bound=0.25, margin=0.05, max_looks=len(LOOKS6))
        assert got == pytest.approx((hold[i, j - 1], fail[i, j - 1]), rel=1e-12)
    y = rng.normal(0.0, 1.0, (30, 20))
    hold, fail = _t_p(y, [5, 10, 15, 20], 0.1, 0.05)
    for i in range(30):
        j = int(rng.integers(1, 5))
        got = sequential_mean_pvalues(y[i], [5, 10, 15, 20][:j], bound=0.1, margin=0.05, max_looks=4)
        assert got == pytest.approx((hold[i, j - 1], fail[i, j - 1]), rel=1e-9)


def test_binomial_type_one_error_at_the_bound():
    """P exactly at the bound: declaring "fails" (P > bound) is an error; at most alpha of 20,000 designs."""
    rng = np.random.default_rng(1)
    n_sim, alpha = 20_000, 0.05
    hold, fail = _binomial_p(rng.random((n_sim, 100)) < 0.3, LOOKS6, 0.3)
    what, _ = _first_decision(hold, fail, 0.0, alpha)
    assert np.mean(what == "fails") <= _mc_limit(alpha, n_sim)


def test_binomial_type_one_error_of_holds_at_the_margin():
    """P at bound + margin: declaring "holds" (P < bound + margin) is an error, also for uneven looks."""
    rng = np.random.default_rng(2)
    n_sim, alpha = 20_000, 0.05
    looks = [7, 19, 23, 60]  # a budget-trimmed schedule: the union bound does not need equal groups
    hold, fail = _binomial_p(rng.random((n_sim, 60)) < 0.4, looks, 0.3, 0.1)
    what, _ = _first_decision(hold, fail, alpha, 0.0)
    assert np.mean(what == "holds") <= _mc_limit(alpha, n_sim)


def test_binomial_design_stops_early_on_a_large_effect_and_runs_to_the_cap_at_the_boundary():
    rng = np.random.default_rng(3)
    levels = row_levels(0.05, rows=HOLM_ROWS, parts=15)  # the report's levels for Figure 6
    hold, fail = _binomial_p(np.ones((1, 100), bool), LOOKS6, 0.392)
    what, first = _first_decision(hold, fail, *levels)
    assert (what[0], LOOKS6[first[0]]) == ("fails", 20)  # every run generalizes against a bound of 0.39
    hold, fail = _binomial_p(rng.random((2000, 100)) < 0.14, LOOKS6, 0.14)
    what, _ = _first_decision(hold, fail, *levels)
    assert np.mean(what == "cap") >= 0.99  # at the boundary: the cap, and no verdict


def test_binomial_intervals_cover_at_the_stopping_look():
    """The intersection of the looks' intervals covers P in >= 1 - 2 alpha of designs stopped by
    their rule (decided at alpha, or an interval narrower than 0.3)."""
    rng = np.random.default_rng(4)
    n_sim, alpha, p_true, K = 20_000, 0.05, 0.25, len(LOOKS6)
    x = rng.random((n_sim, 100)) < p_true
    k = np.cumsum(x, axis=1)[:, np.asarray(LOOKS6) - 1]
    n = np.asarray(LOOKS6)
    a = alpha / K  # each look's two-sided level 1 - 2 alpha / K
    lo = np.maximum.accumulate(np.where(k > 0, stats.beta.ppf(a, k, n - k + 1), 0.0), axis=1)
    hi = np.minimum.accumulate(np.where(k < n, stats.beta.ppf(1 - a, k + 1, n - k), 1.0), axis=1)
    hold, fail = _binomial_p(x, LOOKS6, 0.2)
    stop = (hold <= alpha) | (fail <= alpha) | (hi - lo < 0.3)
    first = np.where(stop.any(axis=1), stop.argmax(axis=1), K - 1)
    rows = np.arange(n_sim)
    covered = (lo[rows, first] <= p_true) & (p_true <= hi[rows, first])
    assert 1 - covered.mean() <= _mc_limit(2 * alpha, n_sim)
    for i in range(20):  # the verdict's interval is this intersection
        v = sequential_binomial_verdict("P <= 0.2", x[i], LOOKS6[: first[i] + 1], bound=0.2, max_looks=K)
        assert v.interval == pytest.approx((lo[i, first[i]], hi[i, first[i]]), rel=1e-9)


def test_binomial_verdict_is_the_fixed_sample_test_spent_over_the_looks():
    x = [1] * 12 + [0] * 8
    one = sequential_binomial_verdict("P <= 0.3", x, [20], bound=0.3, max_looks=1)
    fixed = binomial_bound_verdict("P <= 0.3", 12, 20, bound=0.3)
    assert (one.p_hold, one.p_fail, *one.interval) == pytest.approx(
        (fixed.p_hold, fixed.p_fail, *fixed.interval)
    )
    two = sequential_binomial_verdict("P <= 0.3", x, [10, 20], bound=0.3, max_looks=4)
    assert two.p_fail == pytest.approx(min(1.0, 4 * min(fixed.p_fail, 1 - binomial_cdf(9, 10, 0.3))))
    assert two.interval[0] >= binomial_bound_verdict("", 12, 20, bound=0.3, alpha=0.05 / 4).interval[0]
    with pytest.raises(ValueError, match="max_looks"):
        sequential_binomial_verdict("P", x, [5, 10, 20], bound=0.3, max_looks=2)
    with pytest.raises(ValueError, match="increasing"):
        sequential_binomial_verdict("P", x, [10, 10], bound=0.3, max_looks=2)


def binomial_cdf(k, n, p):
    return float(stats.binom.cdf(k, n, p))


def _t_p(y, looks, bound, margin=0.0):
    """``(p_hold, p_fail)`` of ``mean <= bound`` after each look for many designs (t tests)."""
    hold, fail = [], []
    for n in looks:
        m = y[:, :n].mean(axis=1)
        se = y[:, :n].std(axis=1, ddof=1) / math.sqrt(n)
        hold.append(stats.t.cdf((m - bound - margin) / se, n - 1))
        fail.append(stats.t.sf((m - bound) / se, n - 1))
    return _spent(np.array(hold).T, looks), _spent(np.array(fail).T, looks)


def test_mean_type_one_error_and_early_stop():
    """Normal seeds, rounds of 5 up to 20: a mean at the bound is declared 'holds' (below it) at most
    alpha of the time, and 'fails' (above it) too; a mean far below stops at the first look."""
    rng = np.random.default_rng(5)
    n_sim, alpha, looks = 20_000, 0.05, [5, 10, 15, 20]
    hold, fail = _t_p(rng.normal(0.0, 1.0, (n_sim, 20)), looks, 0.0)
    what, _ = _first_decision(hold, fail, alpha, 0.0)
    assert np.mean(what == "holds") <= _mc_limit(alpha, n_sim)
    what, _ = _first_decision(hold, fail, 0.0, alpha)
    assert np.mean(what == "fails") <= _mc_limit(alpha, n_sim)
    levels = row_levels(0.05, rows=HOLM_ROWS, parts=50)  # Figure 3's bound row
    x = rng.normal(-0.2, 0.01, 20)  # an accuracy 0.2 below its bound, seed spread 0.01
    v = sequential_mean_verdict("acc <= bound", x, [5], bound=0.0, max_looks=4, margin=1 / 900)
    assert stopping_reason(v, alpha_hold=levels[0], alpha_fail=levels[1]) == "holds"


def test_mean_interval_and_constant_samples():
    v = sequential_mean_verdict("d >= 0", [0.2] * 10, [5, 10], bound=0.0, direction=">=", max_looks=4)
    assert v.verdict == "holds" and v.interval == (0.2, 0.2)
    rng = np.random.default_rng(6)
    x = rng.normal(0.0, 1.0, 20)
    v = sequential_mean_verdict("m <= 0", x, [5, 10, 20], bound=0.0, max_looks=4)
    lo, hi = t_estimate(x).interval(1 - 2 * 0.05 / 4)  # the last look's repeated confidence interval
    assert lo - 1e-12 <= v.interval[0] <= v.interval[1] <= hi + 1e-12
    assert v.estimate == pytest.approx(x.mean()) and "3 of 4 looks" in v.test
    with pytest.raises(ValueError, match="looks"):
        sequential_mean_verdict("m", x, [1, 5], bound=0.0, max_looks=4)  # a t test needs two values


def test_row_levels_decide_the_row_after_holm():
    """A part stopped at row_levels decides its row after the report's Holm adjustment."""
    from verification.statistics import holm

    a_hold, a_fail = row_levels(0.05, rows=HOLM_ROWS, parts=15)
    p = np.full(HOLM_ROWS, 1.0)
    p[0] = min(1.0, 15 * a_fail)  # the row's Bonferroni factor over its parts
    assert holm(p)[0] <= 0.05
    p[0] = a_hold
    assert holm(p)[0] <= 0.05


# --------------------------------------------------------------------------- the rounds


#: the stand-in trainer's rule (a test may replace it)
fake_training_rule = {}


@pytest.fixture
def fake_training(monkeypatch):
    """train_runs replaced by a deterministic stand-in: seed s generalizes iff ``generalizes(s)``
    (default: s even), after 10 steps; the others run the whole budget.  Records every call as the
    number of configs of each point (consecutive configs of one ``eta_dec``)."""
    calls = []
    fake_training_rule["generalizes"] = lambda s: s % 2 == 0

    def fake(configs, schedule, run=None, *, desc="training"):
        sizes = []
        for k, cfg in enumerate(configs):
            if k and cfg.eta_dec == configs[k - 1].eta_dec:
                sizes[-1] += 1
            else:
                sizes.append(1)
        calls.append(sizes)
        rule = fake_training_rule["generalizes"]
        phases = ["generalization" if rule(cfg.seed) else "memorization" for cfg in configs]
        won = np.array([ph == "generalization" for ph in phases])
        ones = np.ones(len(configs))
        return RunResults(
            configs=list(configs),
            steps_to_train=np.full(len(configs), 10),
            steps_to_test=np.where(won, 10, -1),
            train_acc=ones,
            test_acc=np.where(won, 1.0, 0.5),
            full_acc=ones,
            steps_run=np.where(won, 10, schedule.steps),
            final_loss=ones,
            phases=phases,
        )

    monkeypatch.setattr(sr, "train_runs", fake)
    return calls


def _configs(point, indices):
    return [TrainConfig(n=6, eta_dec=10.0**point, seed=i) for i in indices]


def test_trimmed_rounds_serve_the_points_short_of_a_look_then_the_cheap_ones(fake_training):
    """Point -3 always generalizes (cheap), -2 and -1 never; 5 runs of budget in the second round."""
    fake_training_rule["generalizes"] = lambda s: s < 100  # seeds below 100: point -3's (see _configs3)
    d = seed_rounds([-3, -2, -1], _configs3, lambda s: {}, RoundsPlan([2, 6], max_runs=11), STEPS100)
    assert [r["runs"] for r in d.rounds] == [6, 5]
    assert [len(r) for r in d.results] == [6, 3, 2]  # -3 first, then the fewest seeds
    assert d.looks == [[2, 6], [2, 3], [2]]


#: the stand-in trainer's schedule: a run that does not generalize uses 100 steps
STEPS100 = Schedule(steps=100)


def _configs3(point, indices):
    offset = {-3: 0, -2: 100, -1: 200}[point]
    return [TrainConfig(n=6, eta_dec=10.0**point, seed=offset + i) for i in indices]


def test_round_bookkeeping_and_stopping(fake_training):
    seen = []

    def update(state):
        seen.append({p: list(state.looks[p]) for p in state.open_points})
        return {-2: "holds"} if len(seen) == 2 else {}

    d = seed_rounds([-3, -2, -1], _configs, update, RoundsPlan([2, 4, 8]), STEPS100)
    assert d.stopped == ["cap", "holds", "cap"]
    assert [len(r) for r in d.results] == [8, 4, 8]
    assert d.looks == [[2, 4, 8], [2, 4], [2, 4, 8]]
    assert [r["runs"] for r in d.rounds] == [6, 6, 8] and d.runs == 20
    assert [r["open_points"] for r in d.rounds] == [3, 3, 2]
    # seeds 0..n-1 in order, each round continuing where the last stopped (the dense design's seeds)
    assert fake_training == [[2, 2, 2], [2, 2, 2], [4, 4]]
    assert [[c.seed for c in r.configs] for r in d.results] == [
        list(range(8)),
        list(range(4)),
        list(range(8)),
    ]
    assert (
        d.model_steps
        == sum(r["model_steps"] for r in d.rounds)
        == sum(int(r.steps_run.sum()) for r in d.results)
    )
    assert d.model_steps == 10 * 10 + 10 * 100  # half the seeds (even) stop at step 10


@pytest.mark.parametrize(
    "limits", [{"max_runs": 11}, {"max_model_steps": 1_150}, {"max_runs": 13, "max_model_steps": 2_000}]
)
def test_budget_is_never_exceeded_even_if_no_run_stops_early(fake_training, limits):
    fake_training_rule["generalizes"] = lambda s: False  # every run uses its whole budget
    d = seed_rounds([-3, -2, -1], _configs, lambda s: {}, RoundsPlan([2, 4, 8], **limits), STEPS100)
    assert d.runs <= limits.get("max_runs", math.inf)
    assert d.model_steps <= limits.get("max_model_steps", math.inf)
    # each round was sized for the worst case: every one of its runs using all 100 steps
    spent = np.cumsum([0] + [r["model_steps"] for r in d.rounds])
    for r, before in zip(d.rounds, spent):
        assert before + 100 * r["runs"] <= limits.get("max_model_steps", math.inf)
    assert "budget" in d.stopped
    n = [len(r) for r in d.results]
    assert max(n) - min(n) <= 1  # equal costs: a trimmed round serves the fewest seeds first
    assert d.model_steps == 100 * d.runs
    for looks, k in zip(d.looks, n):
        # the looks are the schedule's, plus the seeds so far where the budget ended the point
        assert looks[-1] == k and all(lk in (2, 4, 8) for lk in looks[:-1]) and len(looks) <= 3


# --------------------------------------------------------------------------- the figures, end to end

TINY6 = {
    "ratios": [0.1, 100.0],
    "init_scales": [1.0],
    "seeds": 6,
    "steps": 150,
    "eta_enc": 1e-2,
    "design": "sequential",
    "sequential": {"schedule": [2, 4, 6], "precision": 0.2, "rows": HOLM_ROWS, "max_runs": 100},
}

TINY3 = {
    "relations": ["mod3", "greater"],
    "fractions": [0.1, 0.3, 0.6],
    "variant_set": "quick",
    "seeds": 6,
    "steps": 80,
    "n": 9,
    "design": "sequential",
    "sequential": {"schedule": [3, 6], "precision": 0.05, "rows": HOLM_ROWS, "max_runs": 200},
}


@pytest.fixture
def count_training(monkeypatch):
    """Count the configs the trainer is asked to train (the real trainer)."""
    trained = []
    real = runs.train_ensemble

    def counting(configs, *args, **kw):
        trained.append(len(configs))
        return real(configs, *args, **kw)

    monkeypatch.setattr(runs, "train_ensemble", counting)
    return trained


def test_figure6_sequential_end_to_end_and_resume(tmp_path, count_training):
    run = RunContext(cache=ResultCache(tmp_path / "cache"), chunk_size=4)
    first = figure6_data(
        Figure6Settings(**{**TINY6, "sequential": {**TINY6["sequential"], "max_runs": 4}}), run
    )
    assert first["cost"]["runs"] == 4 and {p["stopped"] for p in first["points"]} == {"budget"}
    trained_first = sum(count_training)
    d = figure6_data(Figure6Settings(**TINY6), run)  # the same first round, then the rest
    assert sum(count_training) - trained_first == d["cost"]["runs"] - 4  # round 1 came from the cache
    assert sum(r["runs"] for r in d["rounds"]) == d["cost"]["runs"] == sum(p["trials"] for p in d["points"])
    assert d["cost"]["model_steps"] == sum(r["model_steps"] for r in d["rounds"]) <= d["cost"]["runs"] * 150
    assert d["cost"]["dense_runs"] == 12 and d["cost"]["dense_model_steps_bound"] == 12 * 150
    for p in d["points"]:
        assert p["looks"][-1] == p["trials"] == len(p["outcomes"]) and sum(p["outcomes"]) == p["generalized"]
    before = sum(count_training)
    again = figure6_data(Figure6Settings(**TINY6), run)
    assert sum(count_training) == before and again == d  # a second call trains nothing
    rows = dict(evaluate6(d))
    assert set(rows) == {
        "probability of generalization <= Eq. 12 bound at every point",
        "probability of generalization <= Eq. 12 bound with sigma_a/sigma_c measured at initialisation",
        "probability of generalization <= (2/pi) arctan K with K measured at initialisation",
    }
    assert all("group-sequential" in r["tolerance"] for r in rows.values())
    assert {p.rsplit(".", 1)[-1] for p in map(str, plot6(d, tmp_path))} == {"png", "csv"}


def test_figure6_sequential_points_are_the_dense_runs():
    """A point's seeds are the dense design's seeds in order: same configs, same outcomes."""
    seq = figure6_data(Figure6Settings(**TINY6))
    dense = figure6_data(Figure6Settings(**{**TINY6, "design": "dense", "sequential": {}}))
    for s, d in zip(seq["points"], dense["points"]):
        assert s["test_acc"] == d["test_acc"][: s["trials"]]
        assert s["bound_measured"] == d["bound_measured"]  # sigma_a/sigma_c over the cap's seeds


def test_figure3_sequential_end_to_end(tmp_path, count_training):
    cache = ResultCache(tmp_path / "cache")
    run = RunContext(cache=cache, chunk_size=8)
    d = figure3_data(Figure3Settings(**TINY3), run)
    assert d["design"] == "sequential" and d["cost"]["dense_runs"] == 2 * 2 * 3 * 6
    assert sum(r["runs"] for r in d["rounds"]) == d["cost"]["runs"] <= 200
    assert d["cost"]["model_steps"] == d["cost"]["runs"] * 80  # no early stopping in Figure 3
    for panel in d["relations"]:
        biased = panel["variants"][1]
        assert all(len(a) == 6 for a in biased["full_acc"])  # the rise row's curve runs to the cap
        for v in panel["variants"]:
            assert [lk[-1] for lk in v["looks"]] == [len(a) for a in v["full_acc"]]
    before = sum(count_training)
    assert before == d["cost"]["runs"]  # every run trained once, none from an empty cache
    assert figure3_data(Figure3Settings(**TINY3), run) == d and sum(count_training) == before
    rows = evaluate3(d)
    assert len(rows) == 8 and all(r["verdict"] in ("holds", "fails", "inconclusive") for _, r in rows)
    assert "group-sequential" in rows[0][1]["tolerance"]
    assert len(plot3(d, tmp_path)) == 2


def test_registry_designs():
    """Quick tiers stay dense; full tiers are sequential, capped at the dense seeds, within budget."""
    for key in ("fig3", "fig6"):
        fig = FIGURES[key]
        assert fig.settings("quick")["design"] == "dense"
        full = fig.settings("full")
        assert full["design"] == "sequential"
        assert full["sequential"]["schedule"][-1] == full["seeds"]
    claims = sum(
        len(f.load().claims(f.settings("full"))) for f in FIGURES.values() if hasattr(f.load(), "claims")
    )
    # exact computations enter no Holm family: Table II's counts, Figure 2's exact-posterior row
    exact = len(FIGURES["table2"].load().claims(FIGURES["table2"].settings("full"))) + 1
    assert HOLM_ROWS >= claims - exact  # stopping at ALPHA / HOLM_ROWS is conservative
    s6 = FIGURES["fig6"].settings("full")
    dense_bound = len(s6["ratios"]) * len(s6["init_scales"]) * s6["seeds"] * s6["steps"]
    worst = s6["sequential"]["max_model_steps"]
    assert worst <= dense_bound / 8  # at most 1/8 of the dense design's model-steps
    assert worst / 1_800 <= 2 * 3600  # 2 hours at 1,800 model-steps/s even if no run stops early
    s3 = FIGURES["fig3"].settings("full")
    assert s3["sequential"]["max_runs"] <= 2 * 10 * 5 * s3["seeds"]
