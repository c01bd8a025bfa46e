"""The universality studies: the statics (Eq. 4 across relations and sizes) and the dynamics (Eq. 12's
critical ratio across relations): their rows on synthetic data whose answer is known, and tiny real runs
(shapes, seeds, the cache)."""

import csv
import json
import math

import numpy as np
import pytest

from effective_theory import relation_label, relation_size, relation_statics
from effective_theory.statics.relation_catalogue import CATALOGUE
from verification.figures import universality_dynamics as ud
from verification.figures import universality_statics as us
from verification.figures.registry import FIGURES
from verification.figures.relation_study import MEASURES, guess_accuracy
from verification.runtime.context import RunContext
from verification.runtime.result_cache import ResultCache

RELATIONS = ["bipartite-5-25", "bipartite", "mod3", "mod5", "grid-5x6", "greater"]
SIZE_LAW = ["mod3", "greater", "bipartite"]


def _entry(relation, n, fraction, *, censored=None, half_width=0.05):
    """A relation's result as the study stores it, with every measure's critical fraction set."""
    st = relation_statics(relation, None if relation_size(relation) is not None else n)
    lo, hi = fraction * 10**-half_width, fraction * 10**half_width
    if censored == "above":
        hi = math.inf
    fit = {"fraction": fraction, "interval": [lo, hi], "censored": censored, "reached": 3, "runs": 6}
    return {
        "relation": relation_label(relation),
        "spec": relation,
        "n": st.n,
        "statics": st.to_dict(),
        "q": guess_accuracy(st),
        "baselines": us.relation_baselines(relation, None if relation_size(relation) is not None else n),
        "measured": {m: dict(fit, what=m) for m in MEASURES},
        "runs": {
            "fraction": [fraction] * 6,
            "full_acc": [0.9] * 6,
            "test_acc": [0.9] * 6,
            "steps_run": [10] * 6,
        },
        "rounds": [],
        "model_steps": 60,
        "finished": "precise",
    }


def _study(measured, relations=RELATIONS, sizes=(30, 60, 120), censored=()):
    """Synthetic study data: ``measured(p_c, relation, n)`` is each entry's critical fraction."""
    params = {**FIGURES["univ-statics"].settings("quick"), "relations": list(relations)}
    params.update(size_relations=SIZE_LAW, sizes=list(sizes))
    main = []
    for r in relations:
        p_c = relation_statics(r, None if relation_size(r) is not None else 30).p_c
        main.append(_entry(r, 30, measured(p_c, r, 30), censored="above" if r in censored else None))
    extra = [
        _entry(r, m, measured(relation_statics(r, m).p_c, r, m))
        for r in SIZE_LAW
        for m in sizes
        if not (m == 30 and r in relations)
    ]
    return {"params": params, "relations": main, "sizes": extra, "cost": {}}


def _verdicts(data) -> dict:
    ids = {c.text: c.id.split(".", 1)[1] for c in us.claims(data["params"])}
    return {ids[claim]: row for claim, row in us.evaluate(data)}


def test_every_row_holds_when_the_critical_fraction_is_a_constant_times_p_c():
    rows = _verdicts(_study(lambda p_c, r, n: 3.0 * p_c))
    assert set(rows) == {"slope", "scatter", "beats-baselines", "size-law"}
    assert {k: r["verdict"] for k, r in rows.items()} == dict.fromkeys(rows, "holds")
    assert rows["slope"]["statistics"]["estimate"] == pytest.approx(1.0)
    assert rows["size-law"]["statistics"]["estimate"] == pytest.approx(1.0)


def test_slope_and_size_law_fail_when_the_fraction_ignores_p_c():
    rows = _verdicts(_study(lambda p_c, r, n: 0.4 + 0.01 * (len(r) % 3)))
    assert rows["slope"]["verdict"] == "fails"
    assert rows["size-law"]["verdict"] == "fails"
    assert abs(rows["slope"]["statistics"]["estimate"]) < 0.2


def test_scatter_fails_and_baselines_lose_when_the_fraction_is_far_off_one_line():
    offsets = dict(zip(RELATIONS, [0.6, -0.6, 0.6, -0.6, 0.6, -0.6]))
    rows = _verdicts(_study(lambda p_c, r, n: 3.0 * p_c * 10 ** offsets.get(r, 0.0)))
    assert rows["scatter"]["verdict"] == "fails"
    assert rows["scatter"]["statistics"]["interval"][0] > us.SCATTER_MAX
    # the related pairs predict these fractions: b's residuals are the offsets, larger
    pairs = {r: us.relation_baselines(r, 30)["pairs"] for r in RELATIONS}
    rows = _verdicts(_study(lambda p_c, r, n: 5.0 * pairs.get(r, 300) / 900))
    assert rows["beats-baselines"]["verdict"] == "fails"


def test_unbounded_relations_are_left_out_and_named():
    data = _study(lambda p_c, r, n: 3.0 * p_c, censored=("mod5",))
    rows = _verdicts(data)
    assert "1 left out, unbounded: mod5 (n = 30)" in rows["slope"]["measured"]
    assert "5 relations" in rows["slope"]["measured"]
    table = us.study_table(data["relations"])
    assert [r["bounded"] for r in table] == [r != "mod5" for r in RELATIONS]


def test_claims_follow_the_settings():
    quick = FIGURES["univ-statics"].settings("quick")
    assert [c.id for c in us.claims(quick)] == [
        "univ-statics.slope",
        "univ-statics.scatter",
        "univ-statics.beats-baselines",
        "univ-statics.size-law",
    ]
    assert [c.id for c in us.claims({**quick, "size_relations": []})][-1] == "univ-statics.beats-baselines"
    assert us.claims({**quick, "relations": ["mod3", "greater"], "size_relations": []}) == []
    dyn = FIGURES["univ-dynamics"].settings("quick")
    assert [c.id for c in ud.claims(dyn)] == ["univ-dynamics.same-ratio"]
    assert ud.claims({**dyn, "relations": ["mod3"]}) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"relations": ["mod3", "mod3", "greater"]}, "relations must have distinct names"),
        ({"relations": ["nope"]}, "nope"),
        ({"size_relations": ["karate"], "sizes": [30, 60]}, "size_relations must be given by a rule"),
        ({"size_relations": ["mod3"], "sizes": [30]}, "sizes must hold at least two sizes"),
        ({"max_runs": 2}, "max_runs (2) must allow"),
        ({"sizes": [2, 30], "size_relations": ["mod3"]}, "sizes must be >= 3"),
    ],
)
def test_settings_refuse_bad_studies(changes, message):
    with pytest.raises((TypeError, ValueError), match=message.replace("(", r"\(").replace(")", r"\)")):
        us.StaticsUniversalitySettings(**changes)


def test_the_full_tiers():
    """The statics study's full tier names every catalogue relation, the size law three relations at
    three sizes; the dynamics study's at least eight relations at Table III's eta_enc."""
    s = FIGURES["univ-statics"].settings("full")
    assert sorted(s["relations"]) == sorted(CATALOGUE)
    assert len(s["size_relations"]) >= 3 and sorted(s["sizes"]) == [30, 60, 120]
    d = FIGURES["univ-dynamics"].settings("full")
    assert len(d["relations"]) >= 8 and d["log_eta_enc"] == -3.0 and d["design"] == "adaptive"
    for rel in d["relations"]:  # a test accuracy above 0.9 must say more than the majority label
        assert guess_accuracy(relation_statics(rel, 30)) <= 0.8
    # the adaptive designs cost at most 1/8 (statics) and 1/2 (dynamics, one short column a relation)
    # of the dense designs they replace, even if no run stops early
    extra = [
        (r, m) for r in s["size_relations"] for m in s["sizes"] if not (m == s["n"] and r in s["relations"])
    ]
    searches = len(s["relations"]) + len(extra)
    assert searches * s["max_runs"] <= searches * s["dense_runs_per_relation"] / 8
    assert d["adaptive"]["max_runs"] <= len(d["relations"]) * d["adaptive"]["dense_runs_per_relation"] / 2


def test_baselines():
    base = us.relation_baselines("greater", 30)
    assert base["class"] == pytest.approx(math.log2(math.factorial(30)))
    assert base["pairs"] == 435
    rho = 435 / 900
    assert base["entropy"] == pytest.approx(-900 * (rho * math.log2(rho) + (1 - rho) * math.log2(1 - rho)))
    assert us.relation_baselines("bipartite-5-25")["class"] == pytest.approx(math.log2(2**29 - 1))
    assert us.relation_baselines("karate")["class"] is None


TINY = {
    "relations": ("mod2", "mod3", "greater"),
    "size_relations": ("mod3",),
    "sizes": (5, 6),
    "n": 6,
    "steps": 60,
    "seeds": 2,
    "initial_points": 2,
    "max_rounds": 2,
    "max_runs": 4,
}


def test_tiny_statics_study_shapes_seeds_and_files(tmp_path):
    settings = us.StaticsUniversalitySettings(**TINY)
    data = us.statics_universality_data(settings)
    json.dumps(data)
    assert [e["relation"] for e in data["relations"]] == ["mod2", "mod3", "greater"]
    assert [(e["relation"], e["n"]) for e in data["sizes"]] == [("mod3", 5)]  # mod3 at n = 6 is not rerun
    runs = 0
    for e in data["relations"] + data["sizes"]:
        k = len(e["runs"]["fraction"])
        assert 4 >= k >= 2 and all(len(v) == k for v in e["runs"].values())
        assert set(e["measured"]) == set(MEASURES) and e["search"] == "inferable"
        level = e["q"] + 0.9 * (1 - e["q"])
        assert e["measured"]["inferable"]["reached"] == sum(a > level for a in e["runs"]["full_acc"])
        runs += k
    assert data["cost"]["runs"] == runs
    assert data["cost"]["dense_runs"] == 4 * 200 and data["cost"]["dense_model_steps_bound"] == 4 * 200 * 60
    assert us.statics_universality_data(settings) == data  # same seed, same runs
    other = us.statics_universality_data(us.StaticsUniversalitySettings(**{**TINY, "seed": 1}))
    assert other["relations"][0]["runs"] != data["relations"][0]["runs"]
    paths = us.plot(data, tmp_path)
    assert [p.rsplit("/", 1)[1] for p in paths] == [
        "universality_statics.png",
        "universality_statics.csv",
        "universality_statics_runs.csv",
    ]
    with open(paths[1]) as fh:
        assert [r["relation"] for r in csv.DictReader(fh)] == ["mod2", "mod3", "greater", "mod3"]
    with open(paths[2]) as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == runs
    titles = [t for t, _, _ in us.tables(data)]
    assert titles == [
        "Critical training fractions, relations at n = 6",
        "Critical training fractions of the size law",
    ]


def test_tiny_statics_study_resumes_from_the_cache(tmp_path):
    """An interrupted study resumes: the rounds already trained come from the cache's chunks."""
    first = us.StaticsUniversalitySettings(**{**TINY, "max_rounds": 1})
    cache = ResultCache(tmp_path)
    us.statics_universality_data(first, RunContext(cache=cache, chunk_size=4))
    trained_first = cache.misses
    assert trained_first > 0
    full = us.statics_universality_data(us.StaticsUniversalitySettings(**TINY))  # no cache
    cache2 = ResultCache(tmp_path)
    resumed = us.statics_universality_data(
        us.StaticsUniversalitySettings(**TINY), RunContext(cache=cache2, chunk_size=4)
    )
    assert resumed == full
    assert cache2.hits >= trained_first  # the first round's chunks were not trained again
    cache3 = ResultCache(tmp_path)
    again = us.statics_universality_data(
        us.StaticsUniversalitySettings(**TINY), RunContext(cache=cache3, chunk_size=4)
    )
    assert again == full and cache3.misses == 0


# --------------------------------------------------------------------------- dynamics


def _diagram(boundaries: dict, steps=1000) -> dict:
    """A single-column diagram per relation: rows every 0.125 decade, 3 seeds, generalizing below
    the relation's boundary and memorizing above it."""
    keys = ("relation", "log_eta_enc", "log_eta_dec", "seed", "phase", "steps_to_train", "steps_to_test")
    keys += ("train_acc", "test_acc", "steps_run")
    out = {k: [] for k in keys}
    for rel, y0 in boundaries.items():
        for y in np.arange(-4.0, -0.99, 0.125):
            for s in range(3):
                g = y < y0
                for k, v in zip(
                    keys,
                    (rel, -3.0, float(y), s, "generalization" if g else "memorization", 10, 10 if g else -1),
                ):
                    out[k].append(v)
                out["train_acc"].append(1.0)
                out["test_acc"].append(0.95 if g else 0.5)
                out["steps_run"].append(10 if g else steps)
    out.update(steps=steps, gap=1000, model_steps=int(sum(out["steps_run"])))
    return out


def _dynamics(boundaries) -> dict:
    params = {**FIGURES["univ-dynamics"].settings("quick"), "relations": list(boundaries)}
    params["log_eta_enc"] = [-3.0]
    return {"params": params, "diagram": _diagram(boundaries)}


def test_same_ratio_row_holds_for_equal_boundaries_and_fails_for_distant_ones():
    ((claim, row),) = ud.evaluate(_dynamics({"mod3": -2.0, "greater": -1.95, "bipartite": -2.05}))
    assert row["verdict"] == "holds"
    assert claim == ud.claims({"relations": ["a", "b"], "log_eta_enc": -3.0})[0].text
    ratios = ud.critical_ratios(_dynamics({"mod3": -2.0, "greater": -1.95}))
    assert ratios["mod3"][0] == pytest.approx(1.0, abs=0.1)  # log10 r* = y0 + 3
    ((_, row),) = ud.evaluate(_dynamics({"mod3": -3.5, "greater": -1.5}))
    assert row["verdict"] == "fails"


def test_tiny_dynamics_study(tmp_path):
    settings = ud.DynamicsUniversalitySettings(
        relations=("mod3", "greater"), log_eta_dec=(-3.0, -1.5), n=6, steps=60, seeds=2, design="grid"
    )
    data = ud.dynamics_universality_data(settings)
    assert len(data["diagram"]["phase"]) == 2 * 2 * 2
    assert set(data["diagram"]["log_eta_enc"]) == {-3.0}
    assert ud.dynamics_universality_data(settings)["diagram"] == data["diagram"]
    declared = {c.text for c in ud.claims(data["params"] | {"log_eta_enc": -3.0})}
    assert {claim for claim, _ in ud.evaluate(data)} <= declared
    ((title, header, rows),) = ud.tables(data)
    assert [r[0] for r in rows] == ["mod3", "greater"] and rows[0][2] == 4
    paths = ud.plot(data, tmp_path)
    assert paths[0].endswith("universality_dynamics.png")
    with open(paths[2]) as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == 8
