"""`geneft reproduce`: cache, resume after an interruption, report, and bad arguments."""

import dataclasses
import io
import json
import math
import os
from pathlib import Path

import pytest

from verification import cli
from verification.archive.layer import ArchiveLayer, MissingFromArchive
from verification.archive.records import read_archive
from verification.report import Check
from verification.reproduce import run_reproduce
from verification.runtime.context import RunContext
from verification.runtime.result_cache import ResultCache, config_hash
from verification.verdicts import Claim

#: a run context that prints nothing
QUIET = RunContext(progress=False)


class Interrupt(Exception):
    pass


@pytest.fixture
def fake_figures(monkeypatch):
    """Two registry entries backed by a module made here; ``calls`` records every computation."""
    import sys
    import types

    from verification.figures.registry import Figure

    mod = types.ModuleType("fake_geneft_figures")
    mod.calls, mod.fail, mod.unarchived = [], set(), set()

    @dataclasses.dataclass(frozen=True)
    class Settings:
        k: int
        seed: int = 0

    def data(settings, run):
        k = settings.k
        if k in mod.fail:
            raise Interrupt("killed")
        if k in mod.unarchived:
            raise MissingFromArchive(f"a training chunk is neither cached nor archived (k={k})")
        mod.calls.append(k)
        return {"k": k, "square": k * k}

    mod.data, mod.Settings = data, Settings
    mod.claims = lambda settings: [Claim(f"t{settings['k']}.square", "square of k")]
    mod.plot = lambda d, out: []
    mod.evaluate = lambda d: [
        (
            "square of k",
            {"theory": str(d["k"] ** 2), "measured": str(d["square"]), "tolerance": "0", "verdict": "holds"},
        )
    ]
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    figs = {
        key: Figure(
            key=key,
            number=key,
            title=f"task {key}",
            source="test",
            module=mod.__name__,
            data="data",
            settings_type="Settings",
            tiers={"quick": {"k": k}, "full": {"k": 10 * k}},
        )
        for key, k in (("one", 1), ("two", 2))
    }
    return figs, mod


def test_second_run_recomputes_nothing(tmp_path, fake_figures):
    figs, mod = fake_figures
    run_reproduce(tmp_path, figures=figs, run=QUIET)
    assert mod.calls == [1, 2]
    run_reproduce(tmp_path, figures=figs, run=QUIET)
    assert mod.calls == [1, 2]  # all from the cache
    run_reproduce(tmp_path, figures=figs, run=QUIET, fresh=True)
    assert mod.calls == [1, 2, 1, 2]
    run_reproduce(tmp_path, figures=figs, run=QUIET, scale="full")
    assert mod.calls[-2:] == [10, 20]  # the full tier's settings
    report = (tmp_path / "report.md").read_text()
    assert "| square of k ([one](#task-one)) |" in report and "**holds**" in report
    assert "<table>" in (tmp_path / "report.html").read_text()


def test_a_log_gets_one_line_per_task_as_it_finishes(tmp_path, fake_figures, monkeypatch, capsys):
    """``geneft reproduce --quick > log``: no progress within tasks (stderr is no terminal), yet a
    line per finished task, with its time, the run's time and the next task."""
    figs, mod = fake_figures
    monkeypatch.setattr("verification.figures.registry.FIGURES", figs)
    monkeypatch.setattr("verification.reproduce.FIGURES", figs)
    assert cli.main(["reproduce", "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("[1/2] one: ") and "(holds; before adjustment);" in lines[0]
    assert lines[0].endswith("elapsed; next two") and lines[1].endswith("elapsed; the last task")
    assert lines[2].startswith("wrote ") and "\r" not in "".join(lines)
    log = io.StringIO()
    run_reproduce(tmp_path, figures=figs, run=QUIET, log=log)
    assert [line.split(":")[0] for line in log.getvalue().splitlines()] == ["[1/2] one", "[2/2] two"]
    assert "(from the cache)" in log.getvalue()


def test_a_task_missing_from_the_archive_is_listed_and_the_others_run(
    tmp_path, fake_figures, monkeypatch, capsys
):
    """``--archive-only``: a task whose runs are not archived is reported, never half-computed, and
    the exit status says the reproduction is incomplete."""
    figs, mod = fake_figures
    mod.unarchived.add(1)
    log = io.StringIO()
    outputs = run_reproduce(tmp_path, figures=figs, run=QUIET, log=log)
    assert list(outputs) == ["two"] and mod.calls == [2]
    assert log.getvalue().splitlines()[0] == (
        "[1/2] one: not in the archive, not rebuilt (a training chunk is neither cached nor archived (k=1))"
    )
    report = json.loads((tmp_path / "report.json").read_text())
    assert list(report["missing"]) == ["one"] and "k=1" in report["missing"]["one"]
    assert [r["claim_id"] for r in report["rows"]] == ["t2.square"]
    assert (
        "- `one`: a training chunk is neither cached nor archived (k=1)"
        in (tmp_path / "report.md").read_text()
    )
    assert "<code>one</code>" in (tmp_path / "report.html").read_text()
    assert (
        "Not rebuilt, not being in the archive: one (listed under the contents)."
        in (tmp_path / "report.md").read_text()
    )
    monkeypatch.setattr("verification.figures.registry.FIGURES", figs)
    monkeypatch.setattr("verification.reproduce.FIGURES", figs)
    assert cli.main(["reproduce", "--out", str(tmp_path / "cli")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("geneft: 1 task(s) not in the archive, not rebuilt: one (listed in ")
    mod.unarchived.clear()
    assert cli.main(["reproduce", "--out", str(tmp_path / "cli")]) == 0


def test_interrupted_run_keeps_the_finished_tasks(tmp_path, fake_figures):
    figs, mod = fake_figures
    mod.fail.add(2)
    with pytest.raises(Interrupt):
        run_reproduce(tmp_path, figures=figs, run=QUIET)
    assert mod.calls == [1]
    assert "task one" in (tmp_path / "report.md").read_text()  # the report of what finished
    mod.fail.clear()
    run_reproduce(tmp_path, figures=figs, run=QUIET)
    assert mod.calls == [1, 2]  # only the unfinished task ran


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
        (["reproduce", "--only", "fig99"], "unknown figure"),
        (["figure", "5", "--device", "cuda"], "CUDA"),
        (["figure", "5", "--steps", "many"], "invalid int"),
        (["figure", "5", "--relations", "mod3", "--nosuch", "1"], "unrecognized"),
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

    seen = {}

    def fake_data(settings, run):
        seen.update(settings=settings, run=run)
        return {"params": {"relations": []}, "diagram": {}, "boundary": {}}

    monkeypatch.setattr(f5, "figure5_data", fake_data)
    monkeypatch.setattr(f5, "plot", lambda data, out: [])
    monkeypatch.setattr(f5, "evaluate", lambda data: [])
    run_reproduce(tmp_path, only=["fig5"], run=RunContext(progress=False, chunk_size=4))
    assert seen["run"].chunk_size == 4 and seen["run"].cache is not None
    assert isinstance(seen["settings"], f5.Figure5Settings)
    run_reproduce(tmp_path, only=["fig5"], run=RunContext(progress=False, chunk_size=5))
    assert seen["run"].chunk_size == 5  # another chunking: another cache entry, computed again


def test_full_tier_on_cpu_warns_about_its_cost_once(tmp_path, capsys):
    assert cli.main(["reproduce", "--full", "--only", "table2", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert err.count("note: the full tier on a CPU takes hours") == 1 and ".cache" in err
    assert cli.main(["reproduce", "--quick", "--only", "table2", "--out", str(tmp_path)]) == 0
    assert "note:" not in capsys.readouterr().err


def test_cache_record_counts_nested_entries(tmp_path):
    """A stored result keeps how long it took and which nested entries it loaded or computed."""
    cache = ResultCache(tmp_path)
    cache.store("chunk", 0, 0)  # an interrupted run's chunk

    def outer():
        return [cache.get_or_compute("chunk", i, lambda i=i: i) for i in range(3)]

    assert cache.get_or_compute("sweep", {}, outer) == [0, 1, 2]
    rec = cache.record("sweep", {})
    assert rec["loaded"] == 1 and rec["computed"] == 2 and rec["seconds"] >= 0
    assert rec["stored_at"].endswith("Z")
    assert cache.record("chunk", 0) is None  # stored without a record
    assert cache.record("sweep", {"other": 1}) is None  # no entry
    assert cache.load("sweep", {}) == [0, 1, 2]  # the record is not part of the result


def test_report_gives_the_stored_run_time_of_cached_tasks(tmp_path, fake_figures):
    """From the cache, the report says so and gives the time of the run that computed the data."""
    import re
    import time

    figs, mod = fake_figures
    data = mod.data
    mod.data = lambda settings, run: time.sleep(0.3) or data(settings, run)
    run_reproduce(tmp_path, figures=figs, run=QUIET)
    report = (tmp_path / "report.md").read_text()
    assert "from the cache" not in report
    run_reproduce(tmp_path, figures=figs, run=QUIET)
    report = (tmp_path / "report.md").read_text()
    assert "2 of 2 tasks loaded from the cache" in report
    stored = [float(x) for x in re.findall(r"the run that stored them \([^)]*\) took ([0-9.]+) s", report)]
    assert len(stored) == 2 and all(s >= 0.3 for s in stored)
    assert "loaded from the cache" in (tmp_path / "report.html").read_text()
    # an entry written before records existed (no "meta"): said, not invented
    for p in (tmp_path / ".cache").glob("one-*.json"):
        entry = json.loads(p.read_text())
        entry.pop("meta")
        p.write_text(json.dumps(entry))
    run_reproduce(tmp_path, figures=figs, run=QUIET)
    assert "stored without a timing record" in (tmp_path / "report.md").read_text()


def test_a_task_built_from_archived_runs_says_which(tmp_path, fake_figures):
    """A task whose training chunks the archive served names the runs, files, commits and hosts."""
    figs, mod = fake_figures
    archived = read_archive(Path(__file__).parent / "archive" / "data")
    layer = ArchiveLayer(tmp_path / "no-archive")
    data = mod.data
    # the figure "one" is served two archived runs (as ResultCache.load would record them)
    mod.data = lambda settings, run: (
        (settings.k == 1 and layer.served_runs.extend(archived[:2])) or data(settings, run)
    )
    outputs = run_reproduce(tmp_path, figures=figs, run=QUIET, archive=layer)
    notes = [n for n in outputs["one"].notes if n.startswith("Rebuilt from the archive")]
    assert len(notes) == 1 and "2 runs (files tiny-n6.jsonl.gz; code commit" in notes[0]
    assert not any(n.startswith("Rebuilt") for n in outputs["two"].notes)
    assert "Rebuilt from the archive without training: 2 runs" in (tmp_path / "report.md").read_text()


def test_summary_counts_each_kind_of_evidence_apart(tmp_path, fake_figures):
    figs, mod = fake_figures
    figs = {
        "one": dataclasses.replace(figs["one"], evidence="derivation"),
        "two": figs["two"],
    }
    run_reproduce(tmp_path, figures=figs, run=QUIET)
    report = (tmp_path / "report.md").read_text()
    assert "trained networks: 1 holds, 0 fails, 0 inconclusive" in report
    assert "derivation identities checked by Monte Carlo, no evidence about networks: 1 holds" in report


def _report_rows(tmp_path, figs):
    run_reproduce(tmp_path, figures=figs, run=QUIET)
    return json.loads((tmp_path / "report.json").read_text())["rows"]


def test_report_opens_with_summary_contents_and_provenance(tmp_path, fake_figures):
    """Summary in words (with the failing rows and their conditions), provenance and contents come
    first; each section shows its own rows; a glossary explains the statistical terms."""
    figs, _ = fake_figures
    figs = {"one": figs["one"], "two": dataclasses.replace(figs["two"], arm="other-init", conditions="x")}
    rows = _report_rows(tmp_path, figs)
    md = (tmp_path / "report.md").read_text()
    page = (tmp_path / "report.html").read_text()
    for text in (md, page):
        order = [text.index(s) for s in ("Summary", "Findings", "Made by geneft", "Contents", "task one")]
        assert order == sorted(order) and order[-1] < text.index("All rows in one table")
        for term in (
            "TOST",
            "one-sided test",
            "Holm adjustment",
            "detectable deviation",
            "at T/4",
            "critical",
        ):
            assert term in text[text.index("Glossary of the statistical terms") :]
        assert "tier quick, seed 0" in text and "torch" in text and "cores" in text
    assert md.count("](#task-") >= len(figs) + len(rows)  # contents and the rows' links
    assert "| prediction | theory | measured |" in md  # a section's own rows
    fails = [r for r in rows if r["verdict"] == "fails"]
    assert ("No row fails." in md) == (not fails)
    provenance = json.loads((tmp_path / "report.json").read_text())["provenance"]
    assert provenance["tier"] == "quick" and provenance["seed"] == 0 and provenance["date"].endswith("Z")


def test_report_commands_break_only_between_words(tmp_path, fake_figures):
    figs, _ = fake_figures
    _report_rows(tmp_path, figs)
    page = (tmp_path / "report.html").read_text()
    assert '<span class="nw">--only</span>' in page and ".nw{white-space:nowrap}" in page


def test_findings_name_the_conditions_of_failing_rows():
    from verification.report import Check, TaskOutput, _findings

    bad = Check("p", "s", "t", "m", "tol", "fails", "cmd")
    outputs = {
        "a": TaskOutput("Figure A", checks=[bad], conditions="The paper's stated setting: ..."),
        "b": TaskOutput("Figure B", checks=[bad], conditions="Assumption arm: ...", arm="gd"),
    }
    found = _findings(outputs, [("a", bad), ("b", bad)])
    assert "Figure A: 1 row fails, under the paper's stated setting" in found[0]
    assert "Figure B: 1 row fails, under an assumption of the toolkit's (the gd arm)" in found[1]
