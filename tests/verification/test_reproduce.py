"""`geneft reproduce`: cache, resume after an interruption, report, and bad arguments."""

import json
import math
import os

import pytest

from verification import cli
from verification.reproduce import Check, TaskOutput, run_reproduce
from verification.runtime.result_cache import ResultCache, config_hash


class Interrupt(Exception):
    pass


def _sweep_task(calls, fail_after=None):
    """A task computing 6 chunks through the cache, optionally dying after some chunks."""

    def task(ctx):
        def compute(cfg):
            if fail_after is not None and len(calls) >= fail_after:
                raise Interrupt("killed")
            calls.append(cfg["i"])
            return {"square": cfg["i"] ** 2}

        results = ctx.cache.map("chunk", [{"i": i} for i in range(6)], compute, progress=False)
        total = sum(r["square"] for r in results)
        return TaskOutput("sweep", checks=[Check("sum of squares", "test", "55", str(total), "0",
                                                 "holds" if total == 55 else "fails", "n/a")])

    return task


def test_second_run_recomputes_nothing(tmp_path):
    calls = []
    tasks = {"sweep": _sweep_task(calls)}
    run_reproduce(tmp_path, tasks=tasks, progress=False)
    assert calls == list(range(6))
    run_reproduce(tmp_path, tasks=tasks, progress=False)
    assert calls == list(range(6))  # all from the cache
    run_reproduce(tmp_path, tasks=tasks, progress=False, fresh=True)
    assert calls == list(range(6)) * 2
    report = (tmp_path / "report.md").read_text()
    assert "| sum of squares |" in report and "**holds**" in report
    assert "<table>" in (tmp_path / "report.html").read_text()


def test_interrupted_run_resumes_without_losing_finished_chunks(tmp_path):
    calls = []
    with pytest.raises(Interrupt):
        run_reproduce(tmp_path, tasks={"sweep": _sweep_task(calls, fail_after=4)}, progress=False)
    assert calls == [0, 1, 2, 3]
    run_reproduce(tmp_path, tasks={"sweep": _sweep_task(calls)}, progress=False)
    assert calls == [0, 1, 2, 3, 4, 5]  # only the two unfinished chunks ran


def test_cache_is_keyed_by_full_config(tmp_path):
    cache = ResultCache(tmp_path)
    assert config_hash("a", {"x": 1, "y": 2}) == config_hash("a", {"y": 2, "x": 1})
    assert config_hash("a", {"x": 1}) != config_hash("a", {"x": 2})
    assert config_hash("a", {"x": 1}) != config_hash("b", {"x": 1})
    cache.store("a", {"x": 1}, {"v": float("nan"), "w": float("-inf")})
    loaded = cache.load("a", {"x": 1})
    assert math.isnan(loaded["v"]) and loaded["w"] == float("-inf")  # round trip keeps floats
    # a corrupt entry is recomputed rather than trusted
    cache.path("a", {"x": 2}).write_text("{not json")
    assert cache.get_or_compute("a", {"x": 2}, lambda: 7) == 7
    assert json.loads(cache.path("a", {"x": 2}).read_text())["result"] == 7
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tmp-")]


def test_verdicts_are_exact_words():
    with pytest.raises(ValueError):
        Check("p", "s", "1", "1", "0", "passes", "c")


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["reproduce", "--only", "fig99"], "unknown task"),
        (["reproduce", "--device", "cuda"], "CUDA"),
        (["figure", "12"], "unknown figure"),
        (["reproduce", "--out", "/proc/geneft-cannot-write"], "cannot create output folder"),
    ],
)
def test_bad_arguments_one_line_exit_2(argv, fragment, capsys, tmp_path, monkeypatch):
    if "cuda" in argv:
        torch = pytest.importorskip("torch")
        if torch.cuda.is_available():
            pytest.skip("CUDA is available here")
        argv = [*argv, "--out", str(tmp_path)]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("geneft") and fragment in err[0]


def test_unwritable_output_folder(tmp_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    assert cli.main(["reproduce", "--only", "table2", "--out", str(ro)]) == 2
    assert "not writable" in capsys.readouterr().err


def test_output_path_is_a_file(tmp_path, capsys):
    f = tmp_path / "a-file"
    f.write_text("x")
    assert cli.main(["reproduce", "--only", "table2", "--out", str(f)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot create output folder" in err[0]


def test_sweep_options_reach_phase_diagram_modules(tmp_path, monkeypatch):
    """With an executor or a chunk size, Figures 5/8 receive them (and the chunking enters the cache key)."""
    import verification.figures.figure5 as f5
    from verification.reproduce import TASKS, run_reproduce

    seen = {}

    def fake_data(**kw):
        seen.update(kw)
        col = {"x": -3.0, "boundary": "nan", "censored": "all_generalize", "resolution": 0.5}
        fit = {"slope": float("nan"), "slope_se": float("nan"), "columns_used": 0}
        b = {"fit": fit, "columns": [col], "counts": {}, "log_ratio": float("nan"),
             "log_ratio_se": float("nan"), "critical_ratio": float("nan")}
        return {"params": {}, "diagram": {}, "boundary": {"mod3": b}}

    monkeypatch.setattr(f5, "figure5_data", fake_data)
    monkeypatch.setattr(f5, "plot", lambda data, out: [])
    out = run_reproduce(tmp_path, only=["fig5"], tasks=TASKS, progress=False, chunk_size=4)
    assert seen["chunk_size"] == 4 and seen["cache"] is not None
    assert {c.verdict for c in out["fig5"].checks} == {"inconclusive"}


def test_full_tier_on_cpu_warns_about_its_cost_once(tmp_path, capsys):
    assert cli.main(["reproduce", "--full", "--only", "table2", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert err.count("note: the full tier on a CPU takes hours") == 1 and ".cache" in err
    assert cli.main(["reproduce", "--quick", "--only", "table2", "--out", str(tmp_path)]) == 0
    assert "note:" not in capsys.readouterr().err
