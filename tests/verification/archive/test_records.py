"""The archive's format (:mod:`verification.archive.records`): a round trip keeps every value
exactly, appending never rewrites older bytes, and a bad record is one ValueError naming the file,
line and field."""

import gzip
import json
import math
import os
import stat
from pathlib import Path

import pytest

from verification.archive.records import (
    FORMAT,
    SUFFIX,
    ArchiveIntegrityError,
    append_records,
    read_archive,
    read_archive_file,
    run_key,
)

#: a small archive committed with the tests, written by ``geneft archive add`` (format 1, then
#: converted by ``geneft archive migrate``)
COMMITTED = Path(__file__).parent / "data"


def test_round_trip_keeps_every_value(trained, archived, tiny):
    configs, schedule = tiny
    _, res = trained
    runs = read_archive(archived)
    assert sorted(configs.index(r.config) for r in runs) == list(range(len(configs)))
    for run in runs:
        k = configs.index(run.config)
        assert run.schedule == schedule and run.device == "cpu"
        assert run.results["phase"] == res.phases[k]
        for f in ("steps_to_train", "steps_to_test", "steps_run"):
            assert run.results[f] == int(getattr(res, f)[k]) and type(run.results[f]) is int
        for f in ("train_acc", "test_acc", "full_acc", "final_loss"):
            a, b = run.results[f], float(getattr(res, f)[k])
            assert a == b or (math.isnan(a) and math.isnan(b)), f
    with gzip.open(archived / f"tiny{SUFFIX}", "rt") as fh:
        lines = [
            json.loads(line, parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}")) for line in fh
        ]
    # no test pairs: a NaN test accuracy, written as the string "NaN" (every line is strict JSON)
    assert [line["test_acc"] for line in lines if line["config"]["train_fraction"] == 1.0] == ["NaN"]
    assert {line["format"] for line in lines} == {FORMAT}


def test_appending_adds_a_gzip_member_and_keeps_the_older_bytes(archived, tmp_path):
    path = archived / f"tiny{SUFFIX}"
    before = path.read_bytes()
    runs = read_archive_file(path)
    record = {
        "config": runs[0].config,
        "schedule": runs[0].schedule,
        "device": "cpu",
        "provenance": runs[0].provenance,
    }
    record |= {**runs[0].results, "steps_run": 7}
    assert append_records(path, [record]) == 1
    assert path.read_bytes().startswith(before)
    again = read_archive_file(path)
    assert len(again) == len(runs) + 1 and again[-1].results["steps_run"] == 7
    assert again[-1].key == run_key(runs[0].config, runs[0].schedule, "cpu")


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda r: r["config"].pop("eta_enc"), "'config.eta_enc'"),
        (lambda r: r["config"]["model"].update(width="50"), "'config.model.width'"),
        (lambda r: r.update(steps_run="10"), "'steps_run'"),
        (lambda r: r.update(test_acc=[0.5]), "'test_acc'"),
        (lambda r: r.update(phase="grokked"), "'phase'"),
        (lambda r: r["schedule"].pop("gap"), "'schedule.gap'"),
        (lambda r: r["provenance"]["host"].pop("torch"), "'provenance.host.torch'"),
        (lambda r: r["provenance"].update(data_version="4"), "'provenance.data_version'"),
        (lambda r: r.update(format=3), "'format'"),
        (lambda r: r["config"].update(eta_enc=-1.0), "'config'"),
        (lambda r: r.pop("sha256"), "'sha256'"),
    ],
)
def test_a_bad_record_is_a_warning_naming_file_line_and_field_then_the_file_is_refused(
    archived, edit_records, change, field, capsys
):
    path = archived / f"tiny{SUFFIX}"
    edit_records(path, lambda k, r: change(r) if k == 2 else None, rehash=True)
    with pytest.raises(ArchiveIntegrityError) as info:
        read_archive(archived)
    warning = capsys.readouterr().err
    assert warning.startswith(f"warning: tiny{SUFFIX}:3: ") and field in warning and warning.count("\n") == 1
    message = str(info.value)
    assert message.startswith(f"{path}: 1 of 5 records failed their checks (first: tiny{SUFFIX}:3: ")
    assert field in message and "nothing is used" in message and "\n" not in message


@pytest.mark.parametrize(
    "change",
    [
        lambda k, r: r.update(final_loss=r["final_loss"] + 1e-9) if k == 1 else None,  # one number edited
        lambda k, r: r.update(test_acc="NaN") if k == 1 else None,  # a NaN written in
        lambda k, r: r["config"].update(seed=r["config"]["seed"] + 1) if k == 1 else None,  # another run's
        lambda k, r: r.update(steps_run=r["steps_run"] + 1) if k in (1, 3) else None,  # two records
    ],
)
def test_an_edited_record_fails_its_content_hash(archived, edit_records, change, capsys):
    """A record edited after it was written (its hash unchanged) is never used: a warning per
    record, then the file is refused, so no report is made from it."""
    path = archived / f"tiny{SUFFIX}"
    edit_records(path, change)
    with pytest.raises(ArchiveIntegrityError, match="records failed their checks") as info:
        read_archive_file(path)
    warnings = capsys.readouterr().err.splitlines()
    assert warnings and all("the content hash does not match the record" in w for w in warnings)
    assert warnings[0].startswith(f"warning: tiny{SUFFIX}:2: ")
    assert f"{len(warnings)} of 5 records" in str(info.value)


def test_a_refused_archive_is_never_served(archived, edit_records, tiny, capsys):
    """The cache's archive layer refuses a tampered archive as a whole: no chunk is built from it."""
    from verification.archive.layer import ArchiveLayer
    from verification.runs import chunk_configs

    edit_records(archived / f"tiny{SUFFIX}", lambda k, r: r.update(train_acc=0.123) if k == 0 else None)
    configs, schedule = tiny
    with pytest.raises(ArchiveIntegrityError, match=f"tiny{SUFFIX}: 1 of 5 records"):
        ArchiveLayer(archived).load("phase-chunk", chunk_configs(configs, schedule, chunk_size=2)[0][0])
    assert "content hash" in capsys.readouterr().err


def test_a_format_1_file_is_refused_and_migrated_keeping_every_value(archived, tmp_path, capsys):
    from verification.cli import main

    path = archived / f"tiny{SUFFIX}"
    with gzip.open(path, "rt") as fh:
        new = [json.loads(line) for line in fh if line.strip()]
    old = tmp_path / f"old{SUFFIX}"
    with gzip.open(old, "wt") as fh:  # as format 1 wrote it: no content hash
        fh.writelines(
            json.dumps({**{k: v for k, v in r.items() if k != "sha256"}, "format": 1}) + "\n" for r in new
        )
    with pytest.raises(ArchiveIntegrityError):
        read_archive_file(old)
    assert "geneft archive migrate FILE" in capsys.readouterr().err
    assert main(["archive", "migrate", str(old)]) == 0
    assert "5 records converted from format 1 to format 2" in capsys.readouterr().out
    with gzip.open(old, "rt") as fh:
        assert [json.loads(line) for line in fh] == new  # every value, and the same hashes
    assert [r.key for r in read_archive_file(old)] == [r.key for r in read_archive_file(path)]
    assert main(["archive", "migrate", str(old)]) == 0
    assert "already format 2" in capsys.readouterr().out
    assert main(["archive", "migrate", str(tmp_path / "none.jsonl.gz")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_appending_writes_durably(archived, tmp_path, monkeypatch):
    synced = []
    real = os.fsync

    def fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    runs = read_archive_file(archived / f"tiny{SUFFIX}")
    record = {"config": runs[0].config, "schedule": runs[0].schedule, "device": "cpu"}
    record |= {"provenance": runs[0].provenance, **runs[0].results}
    assert append_records(tmp_path / f"new{SUFFIX}", [record]) == 1
    assert synced == [False, True]  # the file, then its folder after the rename


def test_a_file_that_is_not_gzip_is_named(tmp_path):
    (tmp_path / f"broken{SUFFIX}").write_text("not gzip")
    with pytest.raises(ValueError, match=f"broken{SUFFIX}: not a readable gzip file"):
        read_archive(tmp_path)
    assert read_archive(tmp_path / "no-such-folder") == []


def test_the_committed_fixture_reads_with_this_reader():
    """A file written by ``geneft archive add`` stays readable (the format is versioned)."""
    runs = read_archive(COMMITTED)
    assert len(runs) == 3 and {r.schedule.steps for r in runs} == {200}
    assert all(len(r.provenance["commit"]) == 40 and r.provenance["host"]["cores"] >= 1 for r in runs)


def test_the_archive_readme_counts_each_file_s_runs():
    """``archive/README.md``'s table names every archive file with the number of runs it holds."""
    import re

    from verification.archive.records import read_archive_file

    root = Path(__file__).resolve().parents[3] / "archive"
    listed = dict(re.findall(r"^\| `([^`]+\.jsonl\.gz)` \| (\d+) \|", (root / "README.md").read_text(), re.M))
    files = sorted(p.name for p in root.glob("*.jsonl.gz"))
    assert sorted(listed) == files
    for name in files:
        assert int(listed[name]) == len(read_archive_file(root / name)), name


def test_the_archive_readme_lists_every_full_tier_not_yet_archived():
    """``archive/README.md`` names, in registry order, each result that trains whose full tier at
    seed 0 has no archive file, or one its table marks partial (a design stopped part-way, whose
    remaining runs ``geneft figure KEY --full`` trains and ``geneft archive add`` appends), so a
    reader sees what remains to run."""
    import re

    from verification.figures.registry import FIGURES

    root = Path(__file__).resolve().parents[3] / "archive"
    text = (root / "README.md").read_text()
    listed = re.findall(r"`([^`]+)`", re.search(r"not-archived:begin -->(.*?)<!--", text, re.S).group(1))
    partial = set(re.findall(r"^\| `([^`]+)-full-seed0\.jsonl\.gz` \| \d+ \| \*\*partial", text, re.M))
    missing = [
        k
        for k, f in FIGURES.items()
        if f.trains and (k in partial or not (root / f"{k}-full-seed0.jsonl.gz").exists())
    ]
    assert listed == missing
    # and the README's count of the full tiers whose runs ship complete
    names = "three four five six seven eight nine ten eleven twelve".split()
    words = {name: k for k, name in enumerate(names, start=3)}
    readme = " ".join((root.parent / "README.md").read_text().split())
    count = re.search(r"The runs of (\w+) full tiers ship in `archive/`", readme).group(1)
    assert words.get(count, count) == sum(f.trains for f in FIGURES.values()) - len(missing)


#: the results whose full tier ships with an independent second seed (experiment seed 1)
SECOND_SEED = ("fig5", "fig6", "fig8")


def test_the_archive_readme_lists_every_second_seed_not_yet_archived():
    """``archive/README.md`` names each result of :data:`SECOND_SEED` whose seed-1 full tier has no
    archive file, or one its table marks partial; the others have the file, complete."""
    import re

    root = Path(__file__).resolve().parents[3] / "archive"
    text = (root / "README.md").read_text()
    block = re.search(r"second-seed-missing:begin -->(.*?)<!--", text, re.S).group(1)
    partial = set(re.findall(r"^\| `([^`]+)-full-seed1\.jsonl\.gz` \| \d+ \| \*\*partial", text, re.M))
    missing = [k for k in SECOND_SEED if k in partial or not (root / f"{k}-full-seed1.jsonl.gz").exists()]
    assert re.findall(r"`([^`]+)`", block) == missing
    # the README names the results whose second seed ships ("Figure 8", "Figures 5 and 8", ...)
    shipped = [k.removeprefix("fig") for k in SECOND_SEED if k not in missing]
    readme = " ".join((root.parent / "README.md").read_text().split())
    if shipped:
        many = f"Figures {', '.join(shipped[:-1])} and {shipped[-1]}"
        words = f"Figure {shipped[0]}" if len(shipped) == 1 else many
        assert f"Independent second seeds ship for {words}{' so far' if missing else ''} " in readme
    else:
        assert "Independent second seeds ship" not in readme


def _figure6_counts(path) -> dict:
    """``{(ratio, init scale): (generalized, runs)}`` of an archived Figure 6 design (generalized =
    Table IV generalization or grokking)."""
    from verification.archive.records import read_archive_file

    counts: dict = {}
    for run in read_archive_file(path):
        key = (round(run.config.eta_dec / run.config.eta_enc, 6), run.config.init_dec)
        k, n = counts.get(key, (0, 0))
        counts[key] = (k + (run.results["phase"] in ("generalization", "grokking")), n + 1)
    return counts


def test_the_figure6_counts_quoted_in_the_findings_are_the_archive_s():
    """docs/findings.md and the README quote Figure 6's full-tier counts under its stated setting;
    they are the archive's (generalized = Table IV generalization or grokking)."""
    import re

    root = Path(__file__).resolve().parents[3]
    counts = _figure6_counts(root / "archive" / "fig6-full-seed0.jsonl.gz")
    text = " ".join((root / "docs" / "findings.md").read_text().split())
    quoted = re.search(r"Generalized / run at init scale 0\.5: (.*?) \(bounds", text).group(1)
    quoted += ", " + re.search(r"at init scale 1: (.*?); at init scale 2", text).group(1)
    scales = [0.5] * 3 + [1.0] * 2
    pairs = re.findall(r"ratio (\d+) (\d+)/(\d+)", quoted)
    assert len(pairs) == len(scales)
    for (ratio, k, n), scale in zip(pairs, scales):
        assert counts[(float(ratio), scale)] == (int(k), int(n)), (ratio, scale)
    assert all(k == 0 for (ratio, scale), (k, n) in counts.items() if scale == 2.0)
    readme = " ".join((root / "README.md").read_text().split())
    k, n, ratio = re.search(
        r"(\d+) of (\d+) runs generalize at eta_dec/eta_enc = (\d+) and init scale 0\.5", readme
    ).groups()
    assert counts[(float(ratio), 0.5)] == (int(k), int(n))  # the README's headline count too


def test_the_uniform_arm_s_table_and_k_values_in_the_findings_are_the_archive_s():
    """The table of Figure 6's uniform-initialisation arm in docs/findings.md holds the archive's
    counts, and the K values quoted under it are the committed CSV's (rounded as printed)."""
    import csv
    import re

    root = Path(__file__).resolve().parents[3]
    counts = _figure6_counts(root / "archive" / "fig6-uniform-full-seed0.jsonl.gz")
    text = (root / "docs" / "findings.md").read_text()
    section = text[text.index("**Uniform decoder initialisation, an assumption arm**") :]
    table = section[section.index("| ratio | init 0.5") : section.index("(bound: Eq. 12")]
    rows = re.findall(r"^\| ([\d.]+) \| (\d+)/(\d+) [^|]*\| (\d+)/(\d+) [^|]*\| (\d+)/(\d+) ", table, re.M)
    assert len(rows) == 5
    for ratio, *cells in rows:
        for scale, (k, n) in zip((0.5, 1.0, 2.0), zip(cells[::2], cells[1::2])):
            assert counts[(float(ratio), scale)] == (int(k), int(n)), (ratio, scale)
    with open(root / "docs" / "img" / "figure6-full-uniform.csv", newline="") as fh:
        K = {(float(r["ratio"]), float(r["init_scale"])): float(r["K_measured"]) for r in csv.DictReader(fh)}
    words = " ".join(section.split())
    at1 = re.search(r"\(ratio 1: ([\d.]+), ([\d.]+), ([\d.]+) at init 0\.5, 1, 2\)", words).groups()
    at10 = re.search(r"nearly the same K \(([\d.]+), ([\d.]+), ([\d.]+)\)", words).groups()
    for ratio, quoted in ((1.0, at1), (10.0, at10)):
        for scale, q in zip((0.5, 1.0, 2.0), quoted):
            assert f"{K[(ratio, scale)]:.{len(q.split('.')[1])}f}" == q, (ratio, scale, q)


def _archive_run(tmp_path):
    """A full-tier run context that reads the repository's archive and trains nothing."""
    from verification.archive.layer import DEFAULT_ARCHIVE, ArchiveLayer
    from verification.runtime.context import RunContext
    from verification.runtime.result_cache import ResultCache

    layer = ArchiveLayer(DEFAULT_ARCHIVE, missing="error")
    return RunContext(cache=ResultCache(tmp_path, layer=layer), tier="full")


@pytest.mark.parametrize(
    "key, claim_id, docs",
    [
        ("fig5-gd", "fig5.ratio.bipartite.gradient-descent", ("README.md", "docs/findings.md")),
        ("fig5", "fig5.ratio.bipartite", ("README.md", "docs/findings.md", "docs/results.md")),
        ("fig5", "fig5.same-ratio", ("README.md", "docs/findings.md", "docs/results.md")),
    ],
)
def test_the_figure5_fails_quoted_in_readme_and_findings_are_the_archive_s(tmp_path, key, claim_id, docs):
    """README.md and docs/findings.md quote Figure 5's full-tier rows that fail (bipartite's critical
    ratio under Adam and under gradient descent, the differing ratios); each is the row rebuilt from
    the archive, training nothing."""
    import re

    from verification.figures.registry import FIGURES
    from verification.reproduce import evaluate_tier

    rows = evaluate_tier("full", run=_archive_run(tmp_path), figures={key: FIGURES[key]})
    row = rows[claim_id]
    assert row.verdict == "fails"
    value = re.search(r"(-?[\d.]+ \[-?[\d.]+, -?[\d.]+\])", row.measured).group(1)
    root = Path(__file__).resolve().parents[3]
    for doc in docs:
        assert value in " ".join((root / doc).read_text().split()), doc


def test_adam_diverges_at_the_top_of_figure5s_extended_range_as_the_findings_say():
    """docs/findings.md says every run of the archived Figure 5 design at eta_dec = 1 ends in
    confusion, in every column (relation and encoder rate): Adam's stability limit lies below the
    range's top."""
    import math

    from verification.archive.records import read_archive_file

    root = Path(__file__).resolve().parents[3]
    top = [
        r for r in read_archive_file(root / "archive" / "fig5-full-seed0.jsonl.gz") if r.config.eta_dec == 1.0
    ]
    columns = {(r.config.relation, round(math.log10(r.config.eta_enc), 2)) for r in top}
    assert top and all(r.results["phase"] == "confusion" for r in top)
    text = " ".join((root / "docs" / "findings.md").read_text().split())
    assert f"run at eta_dec = 1 ending in confusion, in all {len(columns)} columns" in text


@pytest.mark.parametrize(
    "output, lead",
    [
        ("verify-archive-sample20-seed0.txt", "**On the Intel Xeon**"),
        ("verify-archive-sample20-seed0-amd-family25.txt", "**On an AMD EPYC of family 25"),
    ],
)
def test_the_cross_host_verification_quoted_in_the_findings_is_the_committed_output(output, lead):
    """docs/findings.md quotes each ``geneft verify-archive --sample 20 --seed 0`` as its committed
    output records it: the count in agreement, one DISAGREES line for each other run, none of
    them in the phase, and the accuracies it names."""
    import re

    root = Path(__file__).resolve().parents[3]
    out = (root / "docs" / "img" / output).read_text().splitlines()
    agree, total, exact, other = map(
        int, re.match(r"(\d+) of (\d+) in agreement \((\d+) bit for bit .*, (\d+) within", out[-1]).groups()
    )
    verdicts = out[1:-1]
    assert len(verdicts) == total == 20 and exact + other == agree
    bad = [line for line in verdicts if ": DISAGREES: " in line]
    assert len(bad) == total - agree and not any("DISAGREES: phase" in line for line in bad)
    text = " ".join((root / "docs" / "findings.md").read_text().split())
    text = text[text.index(lead) :]
    end = text.find("**On ", len(lead))
    text = text[:end] if end >= 0 else text
    assert f"**{agree} of {total} in agreement**, {exact} bit for bit" in text
    assert f"{other} within the tolerance" in text and f"**{total - agree} disagree**" in text
    identical = re.search(r"within tolerance on another, (\d+) of them bit for bit", out[-1])
    if identical:
        assert f"{other} within the tolerance, {identical.group(1)} of them bit for bit" in text
    for line in bad:  # the train and test accuracies, to three places
        for pair in re.findall(r"(?:train|test)_acc: ([\d.]+) archived vs ([\d.]+) retrained", line):
            assert all(f"{float(v):.3f}" in text for v in pair), line


def test_the_top_of_the_gradient_descent_range_is_as_the_findings_say():
    """docs/findings.md counts, from the archived gradient-descent arm of Figure 5, the diverging
    runs at its top decoder rate and the columns that generalize there without memorizing."""
    import math
    from collections import defaultdict

    from verification.archive.records import read_archive_file

    root = Path(__file__).resolve().parents[3]
    runs = read_archive_file(root / "archive" / "fig5-gd-full-seed0.jsonl.gz")
    top = max(r.config.eta_dec for r in runs)
    columns = defaultdict(list)
    for r in runs:
        if r.config.eta_dec == top:
            columns[(r.config.relation, round(math.log10(r.config.eta_enc), 2))].append(r.results["phase"])
    phases = [p for v in columns.values() for p in v]
    diverging = sum(any(p == "confusion" for p in v) for v in columns.values())
    censored = [
        k
        for k, v in columns.items()
        if "memorization" not in v and any(p in ("generalization", "grokking") for p in v)
    ]
    text = " ".join((root / "docs" / "findings.md").read_text().split())
    assert top == 10.0 and len(columns) == 21
    assert (
        f"At eta_dec = 10, {phases.count('confusion')} of the {len(phases)} runs diverge (confusion), in "
        f"{diverging} of the {len(columns)} columns" in text
    )
    assert f"In {len(censored)} columns (greater-than and bipartite at eta_enc from 10^-2.5 up)" in text
    assert {rel for rel, _ in censored} == {"greater", "bipartite"} and min(x for _, x in censored) == -2.5


def test_the_dynamics_universality_table_in_the_findings_is_the_archive_s(tmp_path):
    """docs/findings.md's full-tier table of critical ratios across relations, and the row's
    deciding pair, are the study rebuilt from the archive, training nothing."""
    import math

    from verification.figures.registry import FIGURES
    from verification.figures.universality_dynamics import critical_ratios
    from verification.reproduce import evaluate_tier

    fig = FIGURES["univ-dynamics"]
    run = _archive_run(tmp_path)
    ratios = critical_ratios(fig.compute(fig.settings("full"), run))
    root = Path(__file__).resolve().parents[3]
    text = " ".join((root / "docs" / "findings.md").read_text().split())
    section = text[text.index("## Universality of the dynamics") :]
    assert len(ratios) == len(fig.settings("full")["relations"])
    for relation, (est, (lo, hi)) in ratios.items():
        quoted = f"> {lo:.2f}" if not math.isfinite(hi) else f"{est:.2f} [{lo:.2f}, {hi:.2f}]"
        assert f"| {quoted} |" in section, (relation, quoted)
    # the README's range: the smallest estimate, and the largest lower bound, in hundreds
    low = min(est for est, _ in ratios.values())
    high = max(lo for _, (lo, hi) in ratios.values() if not math.isfinite(hi))
    readme = " ".join((root / "README.md").read_text().split())
    quoted = f"ranges from about {10**low:.1f} (the 5 x 6 grid order) to above {int(10**high) // 100 * 100}"
    assert quoted in readme
    row = evaluate_tier("full", run=run, figures={"univ-dynamics": fig})["univ-dynamics.same-ratio"]
    assert row.verdict == "inconclusive" and "budget not converged" in row.measured
    assert row.measured.split(":")[1].split("(90% CI)")[0].strip() in section


def test_the_statics_universality_rows_in_the_findings_are_the_archive_s(tmp_path):
    """docs/findings.md's full-tier rows of the statics universality study (verdicts among the
    figure's rows, and the measured values) are the study rebuilt from the archive."""
    import re

    from verification.figures.registry import FIGURES
    from verification.reproduce import evaluate_tier

    fig = FIGURES["univ-statics"]
    rows = evaluate_tier("full", run=_archive_run(tmp_path), figures={"u": fig})
    root = Path(__file__).resolve().parents[3]
    text = " ".join((root / "docs" / "findings.md").read_text().split())
    section = text[
        text.index("## Universality of the statics") : text.index("## Universality of the dynamics")
    ]
    assert len(rows) == 4
    for claim_id, row in rows.items():
        value = re.match(r"(-?[\d.]+ \[-?[\d.]+, -?[\d.]+\])", row.measured).group(1)
        start = section.index(f"| `{claim_id}` |")
        line = section[start : section.find("| `univ", start + 1)]
        assert value in line and row.verdict in line, (claim_id, value, row.verdict)
    readme = " ".join((root / "README.md").read_text().split())
    for claim_id in ("univ-statics.slope", "univ-statics.size-law"):
        assert re.match(r"(-?[\d.]+ \[-?[\d.]+, -?[\d.]+\])", rows[claim_id].measured).group(1) in readme


def test_the_archive_only_holm_value_quoted_for_bipartites_ratio_is_the_committed_report_s():
    """The findings quote bipartite's Figure 5 ratio row as the committed archive-only full report
    adjusts it (``docs/img/report-full-archive.json``), with that report's count of statistical rows."""
    root = Path(__file__).resolve().parents[3]
    report = json.loads((root / "docs" / "img" / "report-full-archive.json").read_text())
    row = next(r for r in report["rows"] if r["claim_id"] == "fig5.ratio.bipartite")
    holm = row["p"].split(" / ")[1]
    stat = sum(r["statistical"] for r in report["rows"])
    text = " ".join((root / "docs" / "findings.md").read_text().split())
    assert not report["missing"]  # every result archived: the whole full tier's family
    assert f"among the {stat} statistical rows of the whole full tier, rebuilt from the archive" in text
    assert f"(Holm {holm};" in text and f"it is **{row['verdict']}**" in text


def test_the_archived_figure8_rerun_quoted_in_the_findings_is_the_archive_s(tmp_path):
    """docs/findings.md quotes the archived Figure 8 rerun's rows: its verdicts and values."""
    import re

    from verification.figures.registry import FIGURES
    from verification.reproduce import evaluate_tier

    rows = evaluate_tier("full", run=_archive_run(tmp_path), figures={"fig8": FIGURES["fig8"]})
    root = Path(__file__).resolve().parents[3]
    text = " ".join((root / "docs" / "findings.md").read_text().split())
    rerun = text[text.index("*Rerun, archived*") :]
    rerun = rerun[: rerun.index("The table above")]
    assert len(rows) == 3 and all(r.verdict == "inconclusive" for r in rows.values())
    for row in rows.values():
        assert re.match(r"(-?[\d.]+ \[-?[\d.]+, -?[\d.]+\])", row.measured).group(1) in rerun, row.measured


def test_the_seed_robustness_table_is_the_archive_s(tmp_path):
    """``docs/img/seed-robustness-full.json`` (the findings' seed-robustness table) holds each
    compared result's rows as the archive rebuilds them at every seed, and no row flips between
    holds and fails."""
    from verification.figures.registry import FIGURES
    from verification.reproduce import evaluate_tier

    root = Path(__file__).resolve().parents[3]
    data = json.loads((root / "docs" / "img" / "seed-robustness-full.json").read_text())
    assert set(data["results"]).isdisjoint(data["missing"])
    assert set(data["results"]) | set(data["missing"]) == {k for k, f in FIGURES.items() if f.trains}
    run = _archive_run(tmp_path)
    for key, rows in data["results"].items():
        for s in data["seeds"]:
            checks = evaluate_tier("full", seed=s, run=run, figures={key: FIGURES[key]})
            assert [r["claim_id"] for r in rows] == list(checks)
            for row in rows:
                got = checks[row["claim_id"]]
                assert row["seeds"][str(s)] == {
                    "measured": got.measured,
                    "p": got.p_text,
                    "verdict": got.verdict,
                }
        for row in rows:
            assert {"holds", "fails"} - {v["verdict"] for v in row["seeds"].values()}, row["claim_id"]


def test_reproducing_quotes_both_cross_host_samples():
    """docs/reproducing.md's one-line summary of the two committed cross-host samples (each 16 of
    20 in agreement) is what their outputs say."""
    import re

    root = Path(__file__).resolve().parents[3]
    counts = set()
    for name in ("verify-archive-sample20-seed0.txt", "verify-archive-sample20-seed0-amd-family25.txt"):
        last = (root / "docs" / "img" / name).read_text().splitlines()[-1]
        counts.add(re.match(r"(\d+) of (\d+) in agreement", last).groups())
    assert len(counts) == 1
    agree, total = counts.pop()
    text = " ".join((root / "docs" / "reproducing.md").read_text().split())
    assert (
        f"a sample of {total} on an Intel Xeon and another on an AMD EPYC each gave {agree} in agreement"
        in text
    )
    assert f"the {int(total) - int(agree)} others with the record's phase" in text


def _second_seed(key: str, figure: str, start: int = 10**6):
    """The archived runs of ``key``'s full tier at seed 1, checked to share no model seed with seed
    0's (and to start at ``start``), and the text of docs/findings.md from "FIGURE: seed robustness"
    on."""
    from verification.archive.records import read_archive_file

    root = Path(__file__).resolve().parents[3]
    runs = read_archive_file(root / "archive" / f"{key}-full-seed1.jsonl.gz")
    seed0 = {r.config.seed for r in read_archive_file(root / "archive" / f"{key}-full-seed0.jsonl.gz")}
    assert min(r.config.seed for r in runs) == start and seed0.isdisjoint(r.config.seed for r in runs)
    text = " ".join((root / "docs" / "findings.md").read_text().split())
    return runs, text[text.index(f"## {figure}: seed robustness") :]


def test_figure8_s_second_seed_is_as_the_findings_say():
    """docs/findings.md's "Figure 8: seed robustness" is the archive's: the second seed's runs and
    model-steps, model seeds of its own, every row inconclusive at both seeds (at seed 1 by its
    budget check) and each row's two intervals overlapping."""
    import re

    root = Path(__file__).resolve().parents[3]
    runs, section = _second_seed("fig8", "Figure 8")
    steps = sum(r.results["steps_run"] for r in runs)
    assert f"{len(runs)} runs of the design's three rounds, {steps / 1e6:.2f} x 10^6 model-steps" in section
    data = json.loads((root / "docs" / "img" / "seed-robustness-full.json").read_text())
    interval = re.compile(r"\[(-?[\d.]+), (-?[\d.]+)\]")
    for row in data["results"]["fig8"]:
        seeds = row["seeds"]
        assert all(v["verdict"] == "inconclusive" for v in seeds.values())
        assert "budget not converged" in seeds["1"]["measured"]
        (a0, b0), (a1, b1) = (map(float, interval.search(seeds[s]["measured"]).groups()) for s in "01")
        assert a0 <= b1 and a1 <= b0, row["claim_id"]


def test_figure5_s_second_seed_is_as_the_findings_say():
    """docs/findings.md's "Figure 5: seed robustness" is the archive's: the second seed's file
    (runs, model-steps, model seeds of its own), and the seed-1 values it quotes are those of the
    seed-robustness table, whose Figure 5 rows decide nothing at seed 1."""
    root = Path(__file__).resolve().parents[3]
    runs, section = _second_seed("fig5", "Figure 5")
    section = section[: section.index("*Earlier, on the straight-line rows")]
    steps = sum(r.results["steps_run"] for r in runs)
    assert f"holds {len(runs)} of the runs ({steps / 1e7:.2f} x 10^7 model-steps)" in section
    data = json.loads((root / "docs" / "img" / "seed-robustness-full.json").read_text())
    rows = {r["claim_id"]: r["seeds"] for r in data["results"]["fig5"]}
    assert all(v["1"]["verdict"] == "inconclusive" for v in rows.values())
    for claim, value in [
        ("fig5.ratio.mod3", "1 [0.659, 1.38]"),
        ("fig5.ratio.bipartite", "1.34 [1.16, 1.54]"),
        ("fig5.same-ratio", "mod3 - greater: -0.61 [-1.06, -0.132]"),
    ]:
        assert rows[claim]["1"]["measured"].startswith(value), claim
        assert value.split(": ")[-1] in section, claim
    raw, holm = rows["fig5.ratio.mod3"]["1"]["p"].split(" / ")
    assert f"raw p {raw}, Holm {holm} among the figure's 7 rows" in section
    assert f"(raw p {rows['fig5.ratio.bipartite']['1']['p'].split(' / ')[0]})" in section
    readme = " ".join((root / "README.md").read_text().split())
    assert "bipartite's log10 r* is 1.34 [1.16, 1.54] there, an interval disjoint from seed 0's" in readme


def test_figure3_s_archive_is_as_the_findings_say(tmp_path):
    """docs/findings.md's archived Figure 3 paragraph is the archive's: runs of one commit and 20
    model seeds, the rows against Eq. (5) as the archive rebuilds them (alone), the six other rows
    with the verdicts of the table above it, and the perfect runs it names in the committed CSV.
    (The strict xfails' values are held to the committed report in test_predictions.py.)"""
    import csv

    from verification.archive.records import read_archive_file
    from verification.figures.registry import FIGURES
    from verification.reproduce import evaluate_tier

    root = Path(__file__).resolve().parents[3]
    runs = read_archive_file(root / "archive" / "fig3-full-seed0.jsonl.gz")
    assert len({r.config.seed for r in runs}) == 20  # model seeds of the sequential design's 20 looks
    assert {r.provenance["commit"][:7] for r in runs} == {"e5b21c1"}
    rows = evaluate_tier("full", run=_archive_run(tmp_path), figures={"fig3": FIGURES["fig3"]})
    raw = (root / "docs" / "findings.md").read_text()
    text = " ".join(raw.split())
    start = text.index("**Archived** (`geneft figure 3 --full`")
    section = text[start : text.index("**Second experiment seed**", start)]
    table = raw[raw.index("**Current** (`geneft reproduce --full --only fig3`") : raw.index("**Archived**")]
    lines = [line for line in table.splitlines() if line.startswith("| ")]
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
    words = {
        "bias-advantage": "beats Table III",
        "below-exact-bound": "exact Bayes bound",
        "rise-near-b": "rise near",
    }
    assert len(rows) == 8
    for claim_id, row in rows.items():
        kind, rel = claim_id.split(".")[1:]
        if kind == "below-eq5":
            value = row.measured.split(": ")[-1].split(" (90% CI)")[0]
            assert f"`{claim_id}` **{row.verdict}**: " in section and value in section, (claim_id, value)
        else:
            name = "mod 3" if rel == "mod3" else rel
            [line] = [c for c in cells if words[kind] in c[0] and c[0].endswith(name)]
            assert line[-1] == row.verdict, claim_id
    with open(root / "docs" / "img" / "figure3-full.csv", newline="") as fh:
        rows_csv = list(csv.DictReader(fh))
    perfect = [r for r in rows_csv if r["relation"] == "mod3" and r["variant"] == "sqdiff, n_h=0, d=1"]
    for frac in ("0.4", "0.5"):
        r = next(r for r in perfect if r["train_fraction"] == frac)
        assert float(r["mean_full_acc"]) == 1 and float(r["sem"]) == 0 and r["f_ub"] in section


def test_figure6_s_second_seed_is_as_the_findings_say():
    """docs/findings.md's "Figure 6: seed robustness" is the archive's: the second seed's runs,
    model-steps and model seeds of its own, the counts it quotes, every row's verdict equal at
    both seeds in the seed-robustness table, and the values it quotes from that table."""
    root = Path(__file__).resolve().parents[3]
    runs, section = _second_seed("fig6", "Figure 6", start=3 * 10**6)
    section = section[: section.index("## Figure 7")]
    steps = sum(r.results["steps_run"] for r in runs)
    assert f"{len(runs)} runs of the seeds-in-rounds design, {steps / 1e7:.2f} x 10^7 model-steps" in section
    counts = _figure6_counts(root / "archive" / "fig6-full-seed1.jsonl.gz")
    quoted = ", ".join(f"ratio {r} {k}/{n}" for r in (1, 10, 100) for k, n in [counts[(float(r), 0.5)]])
    assert f"at init scale 0.5, {quoted} generalize" in section
    data = json.loads((root / "docs" / "img" / "seed-robustness-full.json").read_text())
    rows = {r["claim_id"]: r["seeds"] for r in data["results"]["fig6"]}
    assert len(rows) == 4 and all(v["0"]["verdict"] == v["1"]["verdict"] for v in rows.values())
    for claim, verdict in [("fig6.bound", "fails"), ("fig6.bound-measured-widths", "inconclusive")]:
        assert rows[claim]["1"]["verdict"] == verdict
    bound = rows["fig6.bound"]["1"]
    assert bound["measured"].endswith("worst: 1 [0.787, 1] (90% CI)") and "1 [0.787, 1]" in section
    assert f"p {bound['p'].split(' / ')[0]} raw" in section
    k_row = rows["fig6.bound-measured-k"]["1"]["measured"]
    assert "ratio 1, init 0.5: 20/20 (K = 0.851, bound 0.449)" in k_row and "arctan 0.851 = 0.449" in section
    for s in "01":
        value = rows["fig6.collapse"][s]["measured"].split(": ")[1].split(" (90% CI)")[0]
        assert value in section, (s, value)


def test_figure6b_s_archived_rows_in_the_findings_are_the_committed_report_s():
    """docs/findings.md's table of Figure 6b's archived rows is the committed archive-only full
    report's: each row's interval, p raw / Holm and verdict; 672 runs in the archive file."""
    import re

    from verification.archive.records import read_archive_file

    root = Path(__file__).resolve().parents[3]
    report = json.loads((root / "docs" / "img" / "report-full-archive.json").read_text())
    rows = {r["claim_id"]: r for r in report["rows"] if r["claim_id"].startswith("fig6b.")}
    assert len(read_archive_file(root / "archive" / "fig6b-full-seed0.jsonl.gz")) == 672
    text = (root / "docs" / "findings.md").read_text()
    lines = {
        m.group(1): [c.strip() for c in m.group(2).split("|")]
        for m in re.finditer(r"^\| `(fig6b\.[^`]+)` \|(.*)\|$", text, re.M)
    }
    assert set(lines) == set(rows) and len(rows) == 9
    for claim_id, r in rows.items():
        interval = re.search(r"(-?[\d.]+ \[-?[\d.]+, -?[\d.]+\]) \(90% CI\)$", r["measured"]).group(1)
        assert lines[claim_id] == [interval, r["p"], r["verdict"]], claim_id
    counts = re.search(r"collided (\d+), generalized only (\d+)", rows["fig6b.theorem1"]["measured"])
    both, only = map(int, counts.groups())
    readme = " ".join((root / "README.md").read_text().split())
    assert f"Theorem 1 ({both} of the {both + only} generalizing networks have collided repons" in readme


def test_the_readme_s_archive_only_time_is_the_committed_report_s():
    """The README's "in under two minutes here" for the archive-only full tier is the committed
    report's measured time (``docs/img/report-full-archive.provenance``), a complete report."""
    import re

    root = Path(__file__).resolve().parents[3]
    provenance = (root / "docs" / "img" / "report-full-archive.provenance").read_text()
    seconds = int(re.search(r"training nothing: (\d+) s on both cores", provenance).group(1))
    readme = " ".join((root / "README.md").read_text().split())
    assert "without training, in under two minutes here" in readme and seconds <= 120
    assert not json.loads((root / "docs" / "img" / "report-full-archive.json").read_text())["missing"]
