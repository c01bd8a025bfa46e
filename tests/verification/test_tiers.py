"""The quick/full tiers of the verification figures: settings, cache keys, resumable chunks."""

import pytest

import verification.figures.figure7 as f7
from verification.runtime.result_cache import ResultCache
from verification.tiers import FIGURES, FULL_CPU_CHUNK, figure_data, tier_settings


def test_every_figure_module_declares_its_tiers():
    for fig in FIGURES:
        for scale in ("quick", "full"):
            settings = tier_settings(fig, scale, seed=5)
            assert settings["seed"] >= 5
    assert tier_settings("fig6", "full")["steps"] == 100_000
    assert tier_settings("fig5", "full")["tier"] == "full"


@pytest.fixture
def fake_fig7(monkeypatch):
    """Replace the Figure 7 data function by a recorder (the tiers module looks it up at call time)."""
    calls = []

    def fake(**kw):
        calls.append(kw)
        return {"steps": kw["steps"], "chunk_size": kw.get("chunk_size")}

    monkeypatch.setattr(f7, "goldilocks_data", fake)
    return calls


def test_full_tier_on_cpu_trains_in_cached_chunks_and_resumes(tmp_path, fake_fig7):
    cache = ResultCache(tmp_path)
    a = figure_data("fig7", "full", device="cpu", cache=cache)
    assert a == {"steps": 100_000, "chunk_size": FULL_CPU_CHUNK}
    assert fake_fig7[0]["cache"] is cache and fake_fig7[0]["device"] == "cpu"
    b = figure_data("fig7", "full", device="cpu", cache=cache)  # from the cache: no second call
    assert b == a and len(fake_fig7) == 1
    figure_data("fig7", "full", device="cpu", cache=cache, seed=1)  # another seed: another entry
    assert len(fake_fig7) == 2


def test_quick_tier_and_uncached_runs_train_in_one_ensemble(tmp_path, fake_fig7):
    figure_data("fig7", "quick", device="cpu", cache=ResultCache(tmp_path))
    figure_data("fig7", "full", device="cpu")
    assert all("chunk_size" not in kw and "cache" not in kw for kw in fake_fig7)
    figure_data("fig7", "quick", device="cpu", cache=ResultCache(tmp_path), chunk_size=8)
    assert fake_fig7[-1]["chunk_size"] == 8


def test_chunked_figure_data_equals_one_ensemble(tmp_path):
    """A real (tiny) Figure 7 run: chunks of 3 through the cache give the same numbers."""
    kw = {"depths": [0, 1], "seeds": 10, "steps": 40, "eval_every": 10, "n": 8, "device": "cpu"}
    whole = f7.goldilocks_data(**kw)
    chunked = f7.goldilocks_data(**kw, cache=ResultCache(tmp_path), chunk_size=3)
    assert chunked["test_acc"] == whole["test_acc"] and chunked["phases"] == whole["phases"]


def test_bad_figure_or_scale():
    with pytest.raises(ValueError, match="unknown figure"):
        figure_data("fig4", "quick")
    with pytest.raises(ValueError, match="scale"):
        tier_settings("fig7", "paper")
