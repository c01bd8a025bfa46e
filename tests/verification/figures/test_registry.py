"""The figure registry: one declaration per result, read by the CLI, ``geneft reproduce`` and pytest."""

import dataclasses

import pytest

import verification.figures.figure7 as f7
from verification.cli import main
from verification.figures.registry import FIGURES, FULL_CPU_CHUNK, TIERS, get_figure
from verification.runtime.context import RunContext
from verification.runtime.result_cache import ResultCache


def test_every_entry_declares_both_tiers_and_its_functions():
    for fig in FIGURES.values():
        assert set(fig.tiers) == set(TIERS)
        assert set(fig.tiers["quick"]) == set(fig.tiers["full"]), fig.key
        for role in ("data", "settings_type", "plot", "checks", "claims"):
            assert callable(fig.function(role)), (fig.key, role)
        for role in ("tables", "cost"):
            assert getattr(fig, role) is None or callable(fig.function(role)), (fig.key, role)
        assert fig.note is None or isinstance(fig.function("note"), str), fig.key
        # the settings class takes exactly the tier's settings
        fig.function("settings_type")(**fig.settings("quick"))
        for tier in TIERS:
            assert fig.settings(tier, seed=5)["seed"] == fig.tiers[tier].get("seed", 0) + 5
    assert FIGURES["fig6"].settings("full")["steps"] == 100_000


def test_settings_are_copies_and_overrides_are_checked():
    fig = FIGURES["fig5"]
    s = fig.settings("quick")
    s["relations"].append("mod7")
    assert "mod7" not in fig.settings("quick")["relations"]
    assert fig.settings("quick", steps=10)["steps"] == 10
    with pytest.raises(ValueError, match="no setting"):
        fig.settings("quick", nosuch=1)
    with pytest.raises(ValueError, match="tier"):
        fig.settings("paper")


@pytest.fixture
def fake_fig7(monkeypatch):
    """Replace the Figure 7 data function by a recorder (the registry looks it up at call time)."""
    calls = []

    def fake(settings, run):
        calls.append((settings, run))
        return {"steps": settings.steps, "chunk_size": run.chunk_size}

    monkeypatch.setattr(f7, "goldilocks_data", fake)
    return calls


def test_full_tier_on_cpu_trains_in_cached_chunks_and_resumes(tmp_path, fake_fig7):
    fig, cache = FIGURES["fig7"], ResultCache(tmp_path)
    run = RunContext(cache=cache, tier="full")
    a = fig.compute(fig.settings("full"), run)
    assert a == {"steps": 100_000, "chunk_size": FULL_CPU_CHUNK}
    assert fake_fig7[0][1].cache is cache and fake_fig7[0][1].device == "cpu"
    b = fig.compute(fig.settings("full"), run)  # cached: no call
    assert b == a and len(fake_fig7) == 1
    fig.compute(fig.settings("full", seed=1), run)  # another entry
    assert len(fake_fig7) == 2


def test_quick_tier_and_uncached_runs_train_in_one_ensemble(tmp_path, fake_fig7):
    fig = FIGURES["fig7"]
    fig.compute(fig.settings("quick"), RunContext(cache=ResultCache(tmp_path), tier="quick"))
    fig.compute(fig.settings("full"), RunContext(tier="full"))
    assert all(run.chunk_size is None and run.cache is None for _, run in fake_fig7)
    fig.compute(fig.settings("quick"), RunContext(cache=ResultCache(tmp_path), chunk_size=8))
    assert fake_fig7[-1][1].chunk_size == 8 and not fake_fig7[-1][1].progress


def test_one_full_tier_everywhere(tmp_path, fake_fig7, monkeypatch):
    """``geneft figure 7 --full`` runs the same experiment as the registry's full tier (the settings
    and the seed the data function receives are the registry's)."""
    monkeypatch.setattr(f7, "plot", lambda data, out: [])
    monkeypatch.setattr(f7, "evaluate", lambda data: [])
    monkeypatch.setattr(f7, "cost", lambda data: None)  # the fake data have no runs to count
    assert main(["figure", "7", "--full", "--out", str(tmp_path), "--no-progress"]) == 0
    expected = FIGURES["fig7"].settings("full")
    assert fake_fig7[-1][0] == f7.Figure7Settings(**expected)


def test_chunked_figure_data_equals_one_ensemble(tmp_path):
    """A real (tiny) Figure 7 run: chunks of 3 through the cache give the same numbers."""
    settings = f7.Figure7Settings(depths=[0, 1], seeds=10, steps=40)
    whole = f7.goldilocks_data(settings, RunContext())
    chunked = f7.goldilocks_data(settings, RunContext(cache=ResultCache(tmp_path), chunk_size=3))
    assert chunked["test_acc"] == whole["test_acc"] and chunked["phases"] == whole["phases"]
    # the report's cost line of this dense design: every run trains all its steps
    assert f7.cost(whole) == {
        "runs": 20,
        "model_steps": 800,
        "dense_runs": 20,
        "dense_model_steps_bound": 800,
    }


def test_figures_by_number_or_key():
    assert get_figure("5") is get_figure("fig5") is FIGURES["fig5"]
    with pytest.raises(ValueError, match="unknown figure"):
        get_figure("9")


def test_pytest_only_option_names_registry_results():
    """``pytest verification/ --only fig3,8``: keys or numbers; an unknown one is a usage error."""
    import conftest

    class Config:
        def __init__(self, value):
            self.value = value

        def getoption(self, name):
            assert name == "--only"
            return self.value

    assert conftest._only(Config(None)) is None
    assert conftest._only(Config("fig3, 8,table2")) == ["fig3", "fig8", "table2"]
    with pytest.raises(pytest.UsageError, match="unknown figure 'fig9'"):
        conftest._only(Config("fig3,fig9"))


def test_arms_name_their_claims_and_conditions():
    """An arm's claim ids and words name the arm; every trained figure says which of its conditions
    are the paper's stated setting and which are assumptions."""
    main_ids = [c.id for c in FIGURES["fig6"].claim_list(FIGURES["fig6"].settings("quick"))]
    for key, arm in (("fig6-uniform", "uniform-init"), ("fig6-gd", "gradient-descent")):
        fig = FIGURES[key]
        claims = fig.claim_list(fig.settings("quick"))
        assert [c.id for c in claims] == [f"{i}.{arm}" for i in main_ids]
        assert all(c.text.endswith(f"[{arm} arm]") for c in claims)
        by_words = fig.claims_by_words(fig.settings("quick"))
        assert sorted(c.id for c in by_words.values()) == sorted(c.id for c in claims)
        assert fig.conditions.startswith("Assumption arm")
    assert FIGURES["fig6"].settings("full")["init"] == "normal"  # Figure 6's caption
    assert FIGURES["fig6-uniform"].settings("full")["init"] == "uniform"
    assert FIGURES["fig6-gd"].settings("full")["optimizer"] == "sgd"
    assert FIGURES["fig6"].conditions.startswith("The paper's stated setting")
    for fig in FIGURES.values():
        if fig.trains:
            assert fig.conditions, fig.key
    for tier in TIERS:
        ids = [c.id for f in FIGURES.values() for c in f.claim_list(f.settings(tier))]
        assert len(set(ids)) == len(ids), tier  # a claim id names one row of a tier


def test_evidence_kinds():
    assert {f.key for f in FIGURES.values() if f.evidence == "derivation"} == {"fig4"}
    assert {f.key for f in FIGURES.values() if f.evidence == "computation"} == {"table2", "fig2"}
    with pytest.raises(ValueError, match="evidence must be one of"):
        dataclasses.replace(FIGURES["fig4"], evidence="proof")
