"""Shared plumbing of the figures' experiments: statistics, CSV output, argument checks, labels.

Private module: the public names live in :mod:`verification.figures.figure3`,
:mod:`verification.figures.figure6` and :mod:`verification.figures.figure7`.  It imports
:mod:`verification.train_config` (and with it torch), as every module that uses it does already.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterable, Sequence

import numpy as np

from effective_theory._checks import check_int
from verification.runtime.durable_write import durable_open
from verification.train_config import TrainConfig

__all__ = [
    "mean_and_sem",
    "binomial_sem",
    "write_csv",
    "check_positive_int",
    "check_fractions",
    "model_seeds",
    "seeded_configs",
    "dense_cost",
    "place_labels",
]


def mean_and_sem(values) -> tuple[float, float]:
    """Mean and standard error of the mean of a 1-d sample (SEM = 0 for one value).

    Examples
    --------
    >>> m, s = mean_and_sem([1.0, 2.0, 3.0])
    >>> (m, round(s, 6))
    (2.0, 0.57735)
    """
    a = np.asarray(values, dtype=float).ravel()
    if a.size == 0:
        raise ValueError("need at least one value for a mean")
    if a.size == 1:
        return float(a[0]), 0.0
    return float(a.mean()), float(a.std(ddof=1) / math.sqrt(a.size))


def binomial_sem(p: float, trials: int) -> float:
    """Standard error ``sqrt(p (1 - p) / trials)`` of a binomial proportion.

    Examples
    --------
    >>> binomial_sem(0.5, 100)
    0.05
    """
    if trials <= 0:
        raise ValueError(f"trials must be positive, got {trials}")
    return math.sqrt(max(p * (1.0 - p), 0.0) / trials)


def write_csv(path: str, header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """Write ``rows`` under ``header`` to ``path`` (parent directory created); return ``path``."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with durable_open(path, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(header))
        for row in rows:
            w.writerow([f"{v:.6g}" if isinstance(v, float) else v for v in row])
    return path


def check_positive_int(value, name: str) -> int:
    """Return ``value`` as an int, raising TypeError/ValueError unless it is a positive integer."""
    return check_int(value, name, minimum=1)


def seeded_configs(points, seeds, **common) -> list[list]:
    """One validated :class:`~verification.train_config.TrainConfig` per model seed at each point.

    ``points`` are dicts of the fields that vary (learning rates, a ``model``, ...), ``common`` the
    fields every run shares; model seed ``s`` sets both the initialisation and the training split,
    so points are compared on identical training sets.
    """
    groups = []
    for fields in points:
        group = []
        for s in seeds:
            cfg = TrainConfig(**common, **fields, seed=s, split_seed=s)
            cfg.validate()
            group.append(cfg)
        groups.append(group)
    return groups


def check_fractions(fractions, name: str = "fractions") -> list[float]:
    """Validate a non-empty list of training fractions in (0, 1]."""
    out = [float(f) for f in fractions]
    if not out:
        raise ValueError(f"{name} must not be empty")
    for f in out:
        if not (0.0 < f <= 1.0) or math.isnan(f):
            raise ValueError(f"{name} must lie in (0, 1], got {f}")
    return out


def model_seeds(seed: int, count: int, start: int = 0) -> list[int]:
    """Per-model seeds ``start .. start + count - 1`` of one experiment ``seed``.

    Experiment seed ``s`` owns the model seeds ``s * 10**6 .. s * 10**6 + 10**6 - 1``, so two
    experiment seeds never share a run (for fewer than 10**6 runs a point); seed 0's model seeds
    are ``0, 1, 2, ...``.

    Examples
    --------
    >>> model_seeds(2, 3)
    [2000000, 2000001, 2000002]
    >>> model_seeds(1, 2, start=4)
    [1000004, 1000005]
    """
    if start < 0 or start + count > 1_000_000:
        raise ValueError(f"model seeds {start}..{start + count - 1} leave the experiment seed's 10**6")
    return [int(seed) * 1_000_000 + start + i for i in range(count)]


def dense_cost(runs: int, steps: int) -> dict:
    """The report's ``cost`` of a dense design whose ``runs`` all train their whole ``steps``.

    The same keys as a sequential design's cost (``verification.figures.phase_diagram``,
    ``seed_rounds``), with the design itself as the dense one it is compared with.
    """
    runs, total = int(runs), int(runs) * int(steps)
    return {"runs": runs, "model_steps": total, "dense_runs": runs, "dense_model_steps_bound": total}


#: where a point's label may go, in units of the label's height (x: 0.7 right of the point, or
#: its width plus 0.7 to the left; y: of the label's baseline), nearest first
_LABEL_SLOTS = [(sx, sy) for k in range(5) for sy in (0.6 + 1.2 * k, -1.4 - 1.2 * k) for sx in (1, -1)]

#: a label farther than this from its point's height (in label heights) gets a leader line
_LEADER_FROM = 2.0


def place_labels(ax, items, fontsize, bars=()):
    """Annotate each ``(x, y, text)`` of ``ax`` beside its point, in the first slot of
    :data:`_LABEL_SLOTS` whose box lies inside the axes and overlaps no label placed before it,
    no other point and no error bar of ``bars`` (boxes ``(x0, y0, x1, y1)`` in data coordinates;
    the least overlapping slot when none is free, a box's area outside the axes counting ten
    times), so that labels of crowded points stay legible."""
    fig = ax.figure
    box = ax.get_position()
    width_pt = box.width * fig.get_figwidth() * 72
    height_pt = box.height * fig.get_figheight() * 72
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()

    def to_pt(x, y):
        return (x - x0) / (x1 - x0) * width_pt, (y - y0) / (y1 - y0) * height_pt

    points = [to_pt(x, y) for x, y, _ in items]
    marker = 3.5  # half the side of a marker's box, in points
    taken = [(px - marker, py - marker, px + marker, py + marker) for px, py in points]
    for bx0, by0, bx1, by1 in bars:  # an error bar's line, widened to its caps (3 points each side)
        (qx0, qy0), (qx1, qy1) = to_pt(bx0, by0), to_pt(bx1, by1)
        taken.append((qx0 - 3.0, qy0 - 3.0, qx1 + 3.0, qy1 + 3.0))

    def overlap(a, b):
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        return max(w, 0.0) * max(h, 0.0)

    frame = (0.0, 0.0, width_pt, height_pt)

    h = float(fontsize)
    for (x, y, text), (px, py), own in zip(items, points, list(taken)):
        w = 0.6 * fontsize * len(text)
        best = None
        for sx, sy in _LABEL_SLOTS:
            dx = 0.7 * h if sx > 0 else -w - 0.7 * h
            dy = sy * h
            cand = (px + dx, py + dy, px + dx + w, py + dy + h)
            outside = w * h - overlap(cand, frame)
            cost = sum(overlap(cand, t) for t in taken if t is not own) + 10.0 * outside
            if best is None or cost < best[0]:
                best = (cost, dx, dy, cand)
            if cost == 0:
                break
        _, dx, dy, cand = best
        taken.append(cand)
        leader = {}
        if abs(dy) > _LEADER_FROM * h:
            leader = {
                "arrowprops": {"arrowstyle": "-", "color": "0.5", "lw": 0.5, "shrinkA": 0, "shrinkB": 2}
            }
        ax.annotate(text, (x, y), textcoords="offset points", xytext=(dx, dy), fontsize=fontsize, **leader)
