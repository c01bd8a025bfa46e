"""Seeded random streams for the numba kernels (shared by the statics modules; private).

A splitmix64 stream per parallel worker: :func:`seed_words` turns one user ``seed`` into
independent 64-bit stream seeds, :func:`rand_below` / :func:`rand_unit` draw from a stream inside
``@njit`` code, and :class:`threads_for_work` keeps small problems on one thread.  The splitmix64
constants are those of :mod:`effective_theory._hashing`.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit

from effective_theory._hashing import GOLDEN, M1, M2

__all__ = [
    "PARALLEL_MIN_WORK",
    "splitmix",
    "rand_below",
    "rand_unit",
    "stream_seeds",
    "seed_words",
    "threads_for_work",
]

_U64 = np.uint64


@njit(cache=True, inline="always")
def splitmix(state):
    state = state + GOLDEN
    z = state
    z = (z ^ (z >> _U64(30))) * M1
    z = (z ^ (z >> _U64(27))) * M2
    z = z ^ (z >> _U64(31))
    return state, z


@njit(cache=True, inline="always")
def rand_below(state, m):
    """A uniform integer in ``[0, m)`` and the new state."""
    state, z = splitmix(state)
    u = (z >> _U64(11)) * (1.0 / 9007199254740992.0)
    k = int(u * m)
    if k >= m:
        k = m - 1
    return state, k


@njit(cache=True, inline="always")
def rand_unit(state):
    state, z = splitmix(state)
    return state, (z >> _U64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def stream_seeds(base, count):
    out = np.empty(count, dtype=np.uint64)
    state = base
    for i in range(count):
        state, z = splitmix(state)
        out[i] = z
    return out


def seed_words(seed, count):
    """``count`` 64-bit stream seeds from ``seed`` (None = fresh entropy); a splitmix64 sequence."""
    base = np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0]
    return stream_seeds(base, int(max(count, 0)))


#: work (inner-loop iterations) below which kernels run on one thread: thread start-up and
#: waiting for a busy core cost more than they save on small problems
PARALLEL_MIN_WORK = 20_000_000


class threads_for_work:
    """Context manager: run numba kernels on one thread when the work is small."""

    def __init__(self, work):
        self.work = work

    def __enter__(self):
        self.old = numba.get_num_threads()
        if self.work < PARALLEL_MIN_WORK:
            numba.set_num_threads(1)

    def __exit__(self, *exc):
        numba.set_num_threads(self.old)
