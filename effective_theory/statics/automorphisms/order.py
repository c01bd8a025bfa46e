"""``|Aut(G)|`` of a coloured graph (Section III of [1]_): the exact reductions, then an engine.

:func:`automorphism_order` reduces the graph (:mod:`.reductions`), chooses an engine for the core
(:mod:`.engines`), optionally under a time limit (a forked child process), and returns the order
in factorised form (:class:`AutomorphismOrder`): a star with ``10**6`` leaves has
``|Aut| = (10**6 - 1)!``, which is never written out unless asked for.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from effective_theory.statics.automorphisms.coloured_graph import ColouredGraph
from effective_theory.statics.automorphisms.engines import bliss_order, encode_simple, nauty_order
from effective_theory.statics.automorphisms.reductions import Factors, reduce_graph

__all__ = ["AutomorphismOrder", "ENGINES", "automorphism_order"]

#: engines accepted by ``engine=``
ENGINES = ("auto", "nauty", "bliss")

#: ``engine="auto"`` hands cores with at most this many vertices to nauty
AUTO_NAUTY_MAX_N = 1000

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


# --------------------------------------------------------------------------
# the factorised group order
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class AutomorphismOrder:
    """``|Aut(G)| = core * prod_k (k!)**factorials[k]``, kept factorised.

    Attributes
    ----------
    factorials : tuple of (k, multiplicity)
        Factorials contributed by the exact reductions.
    core : int
        Order of the automorphism group of the reduced core (exact).
    """

    factorials: tuple = ()
    core: int = 1

    @property
    def ln(self) -> float:
        """Natural logarithm of the order, from ``lgamma`` (never overflows)."""
        terms = [m * math.lgamma(k + 1) for k, m in self.factorials]
        terms.append(math.log(self.core))
        return math.fsum(terms)

    @property
    def log2(self) -> float:
        """``log2 |Aut(G)|``."""
        return self.ln / _LN2

    @property
    def log10(self) -> float:
        """``log10 |Aut(G)|``."""
        return self.ln / _LN10

    def __int__(self) -> int:
        out = self.core
        for k, m in self.factorials:
            out *= math.factorial(k) ** m
        return out

    def __repr__(self) -> str:
        return f"AutomorphismOrder(log10={self.log10:.6g})"



def _core_order(g: ColouredGraph, engine: str) -> tuple[int, str]:
    if g.n == 0:
        return 1, "none"
    if engine == "auto":
        engine = "nauty" if g.n <= AUTO_NAUTY_MAX_N else "bliss"
    n, arcs, directed, col = encode_simple(g, allow_directed=engine == "bliss")
    if engine == "nauty":
        return nauty_order(n, arcs, directed, col), "nauty"
    return bliss_order(n, arcs, directed, col), "bliss"


def _run_with_time_limit(func, args, time_limit):
    """Run ``func(*args)`` in a forked child so that it can be abandoned."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)

    def target():
        try:
            send.send(("ok", func(*args)))
        except BaseException as exc:  # pragma: no cover - reported to the parent
            send.send(("err", exc))

    proc = ctx.Process(target=target, daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(max(time_limit, 0.0)):
            raise TimeoutError(
                f"automorphism engine did not finish within the time_limit ({time_limit:.3g} s were left "
                "after the exact reductions; hard graphs such as random regular graphs can take minutes)"
            )
        status, value = recv.recv()
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()
    if status == "err":
        raise value
    return value


def automorphism_order(g: ColouredGraph, *, engine="auto", reduce=True, time_limit=None):
    """Exact ``|Aut(g)|`` in factorised form, with a report dictionary.

    Parameters
    ----------
    g : ColouredGraph
    engine : {"auto", "nauty", "bliss"}
        General engine for the reduced core.
    reduce : bool
        Apply the exact reductions first (turn off only to cross-check them).
    time_limit : float, optional
        Seconds; the engine then runs in a child process that is killed on
        expiry and ``TimeoutError`` is raised.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if time_limit is not None and not (time_limit > 0):
        raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    start = time.perf_counter()
    deadline = None if time_limit is None else start + time_limit
    factors = Factors()
    core = reduce_graph(g, factors, deadline=deadline) if reduce else g
    if time_limit is None:
        core_order, used = _core_order(core, engine)
    else:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError("description length: time_limit exceeded during the exact reductions")
        if core.n == 0:
            core_order, used = 1, "none"
        else:
            core_order, used = _run_with_time_limit(_core_order, (core, engine), remaining)
    order = AutomorphismOrder(factors.as_tuple(), core_order)
    report = {
        "engine": used if core.n else "reductions",
        "core_n": core.n,
        "core_pairs": core.num_pairs,
        "seconds": time.perf_counter() - start,
    }
    return order, report
