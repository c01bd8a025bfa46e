"""Shared fixtures of the archive tests: a few tiny runs (n = 6, <= 200 steps) trained once in
chunks of a result cache, an archive made from them, and a way to edit its records."""

import gzip
import json
import shutil

import pytest

from verification.archive.collect import add_cache
from verification.archive.records import record_hash
from verification.runs import train_runs
from verification.runtime.context import RunContext
from verification.runtime.result_cache import ResultCache
from verification.train_config import Schedule, TrainConfig

#: every archived run of these tests: <= 200 steps, n = 6 (milliseconds each)
SCHEDULE = Schedule(steps=200, eval_every=10, gap=50)

#: five runs of one architecture; the last trains on every pair (its test accuracy is NaN)
CONFIGS = [
    TrainConfig(
        n=6, eta_enc=10.0 ** (-3 + s % 2), eta_dec=1e-2, seed=s, init="normal" if s % 2 else "uniform"
    )
    for s in range(4)
] + [TrainConfig(n=6, eta_enc=1e-2, eta_dec=1e-2, train_fraction=1.0, seed=9)]


@pytest.fixture(scope="session")
def tiny():
    """``(configs, schedule)`` of the archived runs of these tests."""
    return CONFIGS, SCHEDULE


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """``(cache folder, RunResults)``: the tiny runs trained in chunks of 2 through a cache."""
    root = tmp_path_factory.mktemp("trained-cache")
    res = train_runs(CONFIGS, SCHEDULE, RunContext(cache=ResultCache(root), chunk_size=2))
    return root, res


@pytest.fixture(scope="session")
def _archived_once(trained, tmp_path_factory):
    root = tmp_path_factory.mktemp("archive-once")
    add_cache(trained[0], root, name="tiny")
    return root


@pytest.fixture
def archived(_archived_once, tmp_path):
    """A fresh copy of an archive holding the tiny runs (``tiny.jsonl.gz``), for a test to edit."""
    root = tmp_path / "archive"
    shutil.copytree(_archived_once, root)
    return root


@pytest.fixture
def edit_records():
    """``edit(path, change, rehash=False)``: rewrite an archive file with ``change(k, record)``
    applied to each record (a dict, edited in place).  ``rehash=True`` gives each record the
    content hash of its new content, as the writer would have (a record of another outcome rather
    than a tampered one)."""

    def edit(path, change, *, rehash=False):
        with gzip.open(path, "rt") as fh:
            lines = [json.loads(line) for line in fh if line.strip()]
        for k, line in enumerate(lines):
            change(k, line)
            if rehash and "sha256" in line:
                line["sha256"] = record_hash(line)
        with gzip.open(path, "wt") as fh:
            fh.writelines(json.dumps(line) + "\n" for line in lines)

    return edit
