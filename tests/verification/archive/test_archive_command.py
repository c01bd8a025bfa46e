"""``geneft archive add``, ``geneft archive list`` and ``geneft verify-archive``
(:mod:`verification.archive_command`): what they print, their exit status (0 agreement, 1 a
disagreement, 2 bad input, one line)."""

from pathlib import Path

import pytest

from verification.cli import main

#: a small archive committed with the tests: 3 runs of <= 200 steps, written by ``geneft archive add``
COMMITTED = Path(__file__).parent / "data"


def test_add_then_verify_a_sample(trained, tmp_path, capsys):
    cache_dir, _ = trained
    archive = tmp_path / "archive"
    assert (
        main(["archive", "add", str(cache_dir), "--archive", str(archive), "--figure", "fig6", "--name", "t"])
        == 0
    )
    assert main(["archive", "add", str(cache_dir), "--archive", str(archive), "--name", "t"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"added 5 runs of 3 training chunks to {archive / 't.jsonl.gz'} (0 already archived)",
        f"added 0 runs of 3 training chunks to {archive / 't.jsonl.gz'} (5 already archived)",
    ]
    assert main(["verify-archive", "--sample", "3", "--seed", "1", "--archive", str(archive)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"drew 3 of 5 archived runs in {archive} with seed 1: t.jsonl.gz:")
    assert len(out) == 5 and all(line.endswith("agrees bit for bit (same host class)") for line in out[1:4])
    assert (
        out[-1] == "3 of 3 in agreement (3 bit for bit on the same host class, 0 within tolerance on "
        "another, 0 of them bit for bit); the same phase in 3 of 3"
    )


def test_list_says_what_each_file_holds(capsys):
    """One paragraph a file (its runs, budgets, phases, commits, dates, hosts), then the total; the
    numbers are the records'."""
    from collections import Counter

    from verification.archive.records import read_archive_file

    assert main(["archive", "list", "--archive", str(COMMITTED)]) == 0
    out = capsys.readouterr().out.splitlines()
    runs = read_archive_file(COMMITTED / "tiny-n6.jsonl.gz")
    assert out[0].startswith(f"tiny-n6.jsonl.gz: {len(runs)} runs of ")
    phases = Counter(r.results["phase"] for r in runs)
    assert out[1].startswith("  phases: ") and all(p in out[1] for p in phases)
    assert out[2].startswith("  trained ") and runs[0].provenance["commit"][:7] in out[2]
    assert out[3].startswith("  on ") and runs[0].provenance["host"]["cpu"] in out[3]
    assert out[-1] == f"1 file, {len(runs)} runs in {COMMITTED}"


def test_a_disagreement_exits_1(archived, edit_records, capsys):
    edit_records(
        archived / "tiny.jsonl.gz",
        lambda k, r: r.update(phase="confusion" if r["phase"] != "confusion" else "memorization"),
        rehash=True,
    )
    assert main(["verify-archive", "--sample", "1", "--archive", str(archived)]) == 1
    out = capsys.readouterr().out
    assert "DISAGREES: phase: " in out
    assert out.rstrip().endswith(
        "0 of 1 in agreement (0 bit for bit on the same host class, 0 within tolerance on another, "
        "0 of them bit for bit); the same phase in 0 of 1"
    )


def test_the_committed_archive_verifies():
    """What CI runs: three short archived runs retrained and compared (bit for bit on the host class
    that wrote them, within tolerance elsewhere)."""
    assert main(["verify-archive", "--sample", "3", "--archive", str(COMMITTED), "--no-progress"]) == 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["verify-archive", "--sample", "0", "--archive", "{empty}"], "no archived runs in"),
        (
            ["verify-archive", "--sample", "9", "--archive", "{data}"],
            "cannot draw 9 runs from an archive of 3",
        ),
        (
            ["verify-archive", "--sample", "2", "--seed", "-1", "--archive", "{data}"],
            "--seed must be a non-negative",
        ),
        (["verify-archive"], "the following arguments are required: --sample"),
        (["archive", "add"], "the following arguments are required: CACHE_DIR"),
        (["archive", "add", "{empty}", "--figure", "fig99"], "unknown figure"),
        (["archive", "remove"], "invalid choice: 'remove'"),
        (["archive", "list", "--archive", "{empty}/nothing"], "no such archive folder"),
        (["reproduce", "--no-archive", "--archive-only"], "--no-archive cannot go with"),
        (["figure", "5", "--out", "{empty}/out", "--archive", "{empty}/nothing"], "no such folder"),
    ],
)
def test_bad_input_is_one_line_exit_2(argv, message, tmp_path, capsys):
    argv = [a.format(empty=tmp_path, data=COMMITTED) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("geneft: error: ") and message in err and err.count("\n") == 1


def test_list_names_a_relation_stored_by_its_matrix_after_the_catalogue():
    """A catalogue relation is stored by its content key; the list names it as the catalogue does,
    and a matrix no entry has by its label."""
    from effective_theory import catalogue_relation, relation_content_key
    from verification.archive_command import _relation_name

    assert _relation_name(relation_content_key(catalogue_relation("grid-5x6").matrix)) == "grid-5x6"
    assert _relation_name("mod3") == "mod3"
    assert _relation_name("matrix:3:ZAA=") == "greater"  # the strict order at n = 3
    assert _relation_name(relation_content_key([[0, 1, 0], [0, 0, 0], [0, 0, 1]])).startswith("relation-")
