"""Checking the archive against the code (:mod:`verification.archive.verify`): the same host class
reproduces a run bit for bit, another one within ACC_PAIRS pairs; a changed record disagrees."""

import pytest

from verification.archive.records import read_archive
from verification.archive.verify import ACC_PAIRS, sample_runs, verify_runs


def test_the_draw_is_seeded_and_without_replacement():
    a = sample_runs(range(50), 7, seed=3)
    assert a == sample_runs(range(50), 7, seed=3) and len(set(a)) == 7 and a == sorted(a)
    assert a != sample_runs(range(50), 7, seed=4)
    with pytest.raises(ValueError, match="positive integer"):
        sample_runs(range(5), 0)


def test_same_host_class_is_bit_for_bit(archived):
    results = verify_runs(read_archive(archived))
    assert all(a.same_class and a.agree for a in results)


def test_a_changed_record_disagrees_on_the_same_host_class(archived, edit_records):
    path = archived / "tiny.jsonl.gz"
    # the last float bit of one loss: bit for bit means bit for bit
    edit_records(
        path,
        lambda k, r: r.update(final_loss=r["final_loss"] * (1 + 2**-50)) if k == 0 else None,
        rehash=True,
    )
    results = verify_runs(read_archive(archived))
    assert [a.agree for a in results] == [False] + [True] * (len(results) - 1)
    assert results[0].differences[0].startswith("final_loss: ")


def _other_host(k, record):
    record["provenance"]["host"]["cpu"] = "another CPU"


@pytest.mark.parametrize("pairs, agree", [(ACC_PAIRS, True), (ACC_PAIRS + 1, False)])
def test_another_host_class_allows_acc_pairs(archived, edit_records, pairs, agree):
    """On another host class the loss and step counts may differ; an accuracy by ACC_PAIRS pairs."""
    path = archived / "tiny.jsonl.gz"

    def change(k, record):
        _other_host(k, record)
        record["final_loss"] *= 1.01
        if k == 0:
            n_test = 36 - round(record["config"]["train_fraction"] * 36)
            record["test_acc"] += pairs / n_test * (-1 if record["test_acc"] > 0.5 else 1)

    edit_records(path, change, rehash=True)
    results = verify_runs(read_archive(archived))
    assert not any(a.same_class for a in results)
    assert results[0].agree is agree and all(a.agree for a in results[1:])
    if not agree:
        assert results[0].differences[0].startswith("test_acc: ")


def test_a_run_reproduced_exactly_on_another_host_class_is_identical(archived, edit_records):
    """Another host class with the same arithmetic: every field equal, and ``identical`` says so;
    a changed loss (within tolerance) is not identical."""
    path = archived / "tiny.jsonl.gz"

    def change(k, record):
        _other_host(k, record)
        if k == 0:
            record["final_loss"] *= 1.01

    edit_records(path, change, rehash=True)
    results = verify_runs(read_archive(archived))
    assert all(a.agree and not a.same_class for a in results)
    assert [a.identical for a in results] == [False] + [True] * (len(results) - 1)
