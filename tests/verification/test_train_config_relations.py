"""TrainConfig on any relation: Table I names keep their configurations (and cache keys), other
relations are keyed by content, and the trainer runs them at any n."""

import dataclasses
import gzip
import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from effective_theory.statics.relation_catalogue import catalogue_relation
from effective_theory.statics.relation_input import relation_content_key, relation_matrix
from verification.archive.records import read_archive_file
from verification.model import ModelConfig
from verification.reference_loop import train_reference
from verification.runtime.result_cache import config_hash, to_jsonable
from verification.train_config import Schedule, TrainConfig
from verification.training import split_pairs, train_ensemble

ARCHIVE = Path(__file__).resolve().parents[2] / "archive" / "fig6-full-seed0.jsonl.gz"


def test_archived_configurations_keep_their_json_and_keys():
    """Every archived run's configuration, rebuilt, is stored exactly as it was written: the cache
    keys of the archive's chunks (made from these configurations) are unchanged."""
    with gzip.open(ARCHIVE, "rt", encoding="utf-8") as fh:
        raw = [json.loads(line)["config"] for line in fh if line.strip()]
    runs = read_archive_file(ARCHIVE)
    assert len(runs) == len(raw) > 0
    for run, written in zip(runs, raw):
        assert to_jsonable(run.config) == written
        assert config_hash("chunk", [run.config]) == config_hash("chunk", [written])


def test_table_names_are_stored_as_written():
    c = TrainConfig()
    assert (c.relation, c.n) == ("mod3", 30)
    assert [f.name for f in dataclasses.fields(TrainConfig)][:2] == ["relation", "n"]
    assert TrainConfig(relation="greater-than", n=12).relation == "greater-than"
    assert TrainConfig(relation="bipartite", n=7).n == 7


def test_other_relations_are_keyed_by_content():
    K = catalogue_relation("karate").matrix
    key = relation_content_key(K)
    forms = ["karate", nx.karate_club_graph(), K, K.astype(np.int8), "club=" + key]
    configs = [TrainConfig(relation=f) for f in forms]
    assert {(c.relation, c.n) for c in configs} == {(key, 34)}
    assert len({config_hash("x", c) for c in configs}) == 1
    assert config_hash("x", configs[0]) != config_hash("x", TrainConfig(relation="divides", n=34))
    # a catalogue rule follows n
    divides12 = relation_content_key(relation_matrix("divides", 12))
    assert TrainConfig(relation="divides", n=12).relation == divides12


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(relation="karate", n=30), "relation 'karate' has n = 34 elements, not n = 30"),
        (dict(relation=np.zeros((6, 6))), "relation is empty"),
        (dict(relation=np.ones((6, 6))), "relation relates every pair"),
        (dict(relation="nothing-like-this"), "relation: 'nothing-like-this' is no relation"),
        (dict(n=2), r"n must be in \[3, 1024\], got 2"),
        (dict(n=5000), r"n must be in \[3, 1024\], got 5000"),
    ],
)
def test_bad_relations_are_one_line_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message) as info:
        TrainConfig(**kwargs)
    assert "\n" not in str(info.value)


def test_a_corrupted_relation_is_caught_by_validate():
    c = TrainConfig()
    object.__setattr__(c, "relation", "matrix:3:ZAA=")
    with pytest.raises(ValueError, match="not n = 30"):
        c.validate()


def test_trainer_runs_any_relation_at_any_n():
    """An irregular relation at an odd n: n embeddings, all n^2 pairs, the split of split_pairs,
    and the batched trainer equals the autograd reference on it."""
    rng = np.random.default_rng(3)
    R = rng.random((11, 11)) < 0.3
    cfg = TrainConfig(relation=R, train_fraction=0.6, model=ModelConfig(depth=1, width=8), seed=4)
    assert cfg.n == 11 and cfg.num_train_pairs == round(0.6 * 121)
    train, test = split_pairs(cfg)
    assert len(train) + len(test) == 121
    res = train_ensemble([cfg], Schedule(steps=40, early_stop=False), device="cpu")
    ref = train_reference(cfg, steps=40, num_threads=1)
    assert res.params[0]["E"].shape == (11, 2)
    np.testing.assert_allclose(res.params[0]["E"], ref["params"]["E"], rtol=1e-4, atol=1e-5)
    # the accuracies are measured against this relation: all pairs right means R itself
    assert 0.0 <= res.full_acc[0] <= 1.0
    assert res.full_acc[0] == pytest.approx(ref["full_acc"], abs=2 / 121)
