"""Checking the archive against the code: retrain a seeded sample of archived runs and compare.

``geneft verify-archive --sample K --seed S`` draws ``K`` of the archived runs (without
replacement, ``numpy.random.default_rng(S)``, over the runs in archive order: files by name, lines
in order, so the same archive and seed draw the same runs), retrains them with today's code
(:func:`~verification.runs.train_runs`; a run's numbers do not depend on its batch, so retraining
it among other drawn runs changes nothing) and compares each with its record:

* **same host class** (CPU model and vector instruction set, torch version, device:
  :func:`~verification.runtime.provenance.host_class`): the run must be reproduced *bit for bit*
  -- phase, the three step counts, the three accuracies and the final loss exactly equal;
* **another host class**: the same phase, and each accuracy within :data:`ACC_PAIRS` pairs of the
  set it is measured on (``ACC_PAIRS / N`` for ``N`` training, test or all pairs; plus
  :data:`ACC_SLACK` for the float32 rounding of the two ratios).

Why two pairs: another host changes only the rounding of float32 arithmetic (reduction order,
vector width, the CPU's rational tanh, other torch kernels), by about one unit in the last place
per operation.  That is the same kind of difference that separates the batched trainer from the
independent autograd loop it is tested against (``tests/verification/test_training.py``: final
parameters within 1e-4 relative after a few hundred Adam steps, accuracies within 2 pairs of
100).  A pair's prediction flips only when its logit lies within that perturbation of zero, so
on a settled run at most a pair or two of a set move; more than two is a real disagreement (a
run whose phase sits on a knife edge is reported, not hidden).  Measured across two CPU classes
(docs/findings.md, "The archive: runs retrained on another CPU"): settled runs agree within the
tolerance; memorizing runs still moving at the end of their budget can keep their phase and drift
further.  Step counts are not compared
across classes: a crossing of the 0.9 threshold may move by one evaluation period when an
accuracy passes it by one pair, and the phase already says whether that matters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from verification.archive.records import RESULT_FIELDS, ArchivedRun
from verification.runs import train_runs
from verification.runtime.context import RunContext
from verification.runtime.provenance import host_class, host_info

__all__ = ["ACC_PAIRS", "ACC_SLACK", "Agreement", "sample_runs", "verify_runs"]

#: across host classes, an accuracy may differ by this many pairs of the set it is measured on
ACC_PAIRS = 2
#: and by this much more: float32 rounding of the two ratios (k / N is stored as float32)
ACC_SLACK = 1e-6

_ACCURACIES = ("train_acc", "test_acc", "full_acc")


@dataclass(frozen=True)
class Agreement:
    """One retrained run against its record.

    Attributes
    ----------
    run : ArchivedRun
    retrained : dict
        The retrained run's :data:`~verification.archive.records.RESULT_FIELDS`.
    same_class : bool
        Retrained on the host class that made the record (then bit for bit is required).
    differences : tuple of str
        ``"field: archived vs retrained"`` for every compared field that disagrees.
    """

    run: ArchivedRun
    retrained: dict
    same_class: bool
    differences: tuple

    @property
    def agree(self) -> bool:
        """No compared field disagrees."""
        return not self.differences

    @property
    def identical(self) -> bool:
        """Every result field equals the record's, bit for bit (on any host class)."""
        return all(_same(self.run.results[f], self.retrained[f]) for f in RESULT_FIELDS)


def sample_runs(runs, k: int, *, seed: int = 0) -> list[int]:
    """Positions (sorted) of ``k`` runs drawn without replacement with ``default_rng(seed)``.

    Examples
    --------
    >>> sample_runs(range(10), 3, seed=0) == sample_runs(range(10), 3, seed=0)
    True
    >>> sample_runs(range(2), 3)
    Traceback (most recent call last):
    ...
    ValueError: cannot draw 3 runs from an archive of 2
    """
    n = len(runs)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"the sample size must be a positive integer, got {k!r}")
    if k > n:
        raise ValueError(f"cannot draw {k} runs from an archive of {n}")
    return sorted(int(i) for i in np.random.default_rng(seed).choice(n, size=k, replace=False))


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def _set_sizes(run: ArchivedRun) -> dict:
    total = run.config.n * run.config.n
    train = run.config.num_train_pairs
    return {"train_acc": train, "test_acc": total - train, "full_acc": total}


def _differences(run: ArchivedRun, retrained: dict, same_class: bool) -> tuple:
    old = run.results
    if same_class:
        fields = RESULT_FIELDS
        bad = [f for f in fields if not _same(old[f], retrained[f])]
    else:
        sizes = _set_sizes(run)
        bad = [] if old["phase"] == retrained["phase"] else ["phase"]
        for f in _ACCURACIES:
            a, b = old[f], retrained[f]
            if math.isnan(a) or math.isnan(b):
                if not _same(a, b):
                    bad.append(f)
            elif sizes[f] and abs(a - b) > ACC_PAIRS / sizes[f] + ACC_SLACK:
                bad.append(f)
    return tuple(f"{f}: {old[f]!r} archived vs {retrained[f]!r} retrained" for f in bad)


def _value(x):
    # as the cache stores it: a Python int or float (float32 values are exact as doubles)
    return int(x) if isinstance(x, (int, np.integer)) else float(x)


def _device_here(device: str) -> str:
    # a run archived on CUDA retrains on the CPU where there is no CUDA (another host class)
    return device if not device.startswith("cuda") or torch.cuda.is_available() else "cpu"


def verify_runs(runs, *, progress: bool = False) -> list[Agreement]:
    """Retrain ``runs`` (archived runs) with this code on this machine and compare each with its
    record (bit for bit on the same host class, within tolerance otherwise; see the module)."""
    runs = list(runs)
    here = host_info()
    groups: dict = {}
    for k, run in enumerate(runs):
        groups.setdefault((run.schedule, _device_here(run.device)), []).append(k)
    out: list = [None] * len(runs)
    for (schedule, device), members in groups.items():
        res = train_runs(
            [runs[k].config for k in members],
            schedule,
            RunContext(device=device, progress=progress),
            desc="retraining archived runs",
        )
        for r, k in enumerate(members):
            retrained = {f: _value(getattr(res, f)[r]) for f in RESULT_FIELDS if f != "phase"}
            retrained["phase"] = res.phases[r]
            run = runs[k]
            same = host_class(run.provenance["host"], run.device) == host_class(here, device)
            out[k] = Agreement(run, retrained, same, _differences(run, retrained, same))
    return out
