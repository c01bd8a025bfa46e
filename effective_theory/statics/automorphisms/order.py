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
import multiprocessing as mp
import time
from dataclasses import dataclass
from functools import cached_property

from effective_theory.statics.automorphisms.coloured_graph import ColouredGraph
from effective_theory.statics.automorphisms.components import group_components
from effective_theory.statics.automorphisms.engines import bliss_order, complement, encode_simple, nauty_order
from effective_theory.statics.automorphisms.reductions import Factors, reduce_graph

__all__ = ["AutomorphismOrder", "ENGINES", "automorphism_order"]

#: engines accepted by ``engine=``
ENGINES = ("auto", "nauty", "bliss")

#: ``engine="auto"`` hands nauty only encodings with at most this many vertices ...
AUTO_NAUTY_MAX_N = 2000
#: ... and at least this fraction of all vertex pairs as edges (after complementing those denser
#: than half); everything else goes to bliss
AUTO_NAUTY_MIN_DENSITY = 0.25
#: nauty runs ``engine="auto"`` allows on one core before it hands the core to bliss (nauty's order
#: is a float that needs one more run per ~10 orders of magnitude beyond 1e15)
AUTO_NAUTY_MAX_RUNS = 2

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
#: the logarithms of an order with at most this many digits are taken of the exact integer
EXACT_LOG_DIGITS = 4000


# --------------------------------------------------------------------------
# the factorised group order
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class AutomorphismOrder:
    """``|Aut(G)| = core * prod_k (k!)**factorials[k]``, kept factorised.

    Attributes
    ----------
    factorials : tuple of (k, multiplicity)
        Factorials contributed by the exact reductions and by the ``k!`` permutations of ``k``
        isomorphic components.
    core : int
        Order of the automorphism group of the reduced core's components that have no
        isomorphic copy (exact).
    powers : tuple of (order, k)
        ``|Aut(C)|`` of a component ``C`` with ``k`` isomorphic copies in the core: the order is
        ``core * prod order**k * prod (k!)**multiplicity``.
    """

    factorials: tuple = ()
    core: int = 1
    powers: tuple = ()

    def _ln_from_factors(self) -> float:
        """Natural logarithm of the order, from ``lgamma`` (never overflows, close to a few ulp)."""
        terms = [m * math.lgamma(k + 1) for k, m in self.factorials]
        terms.append(math.log(self.core))
        terms += [k * math.log(a) for a, k in self.powers]
        return math.fsum(terms)

    @cached_property
    def _exact(self) -> int | None:
        """The order as an integer when it has at most :data:`EXACT_LOG_DIGITS` digits, else ``None``."""
        return int(self) if self._ln_from_factors() < EXACT_LOG_DIGITS * _LN10 else None

    @property
    def ln(self) -> float:
        """Natural logarithm of the order: of the exact integer up to :data:`EXACT_LOG_DIGITS`
        digits, from ``lgamma`` beyond."""
        exact = self._exact
        return math.log(exact) if exact is not None else self._ln_from_factors()

    @property
    def log2(self) -> float:
        """``log2 |Aut(G)|``: of the exact integer up to :data:`EXACT_LOG_DIGITS` digits, beyond
        from each factor's ``log2`` summed exactly; exact for a power of two either way (``1.0``
        for ``|Aut| = 2``), within a few ulps otherwise."""
        exact = self._exact
        if exact is not None:
            return float(math.log2(exact))
        terms = [m * _log2_factorial(k) for k, m in self.factorials]
        terms.append(math.log2(self.core))
        terms += [k * math.log2(a) for a, k in self.powers]
        return math.fsum(terms)

    @property
    def log10(self) -> float:
        """``log10 |Aut(G)|`` (exact for a power of ten, as :attr:`log2` for a power of two)."""
        exact = self._exact
        return float(math.log10(exact)) if exact is not None else self._ln_from_factors() / _LN10

    def __int__(self) -> int:
        out = self.core
        for a, k in self.powers:
            out *= a**k
        for k, m in self.factorials:
            out *= math.factorial(k) ** m
        return out

    def __repr__(self) -> str:
        return f"AutomorphismOrder(log10={self.log10:.6g})"


def _log2_factorial(k: int) -> float:
    """``log2 k!``: from the integer (exact for ``k <= 2``) up to 170, from ``lgamma`` beyond."""
    return math.log2(math.factorial(k)) if k <= 170 else math.lgamma(k + 1) / _LN2


def choose_engine(n: int, arcs: int) -> str:
    """``engine="auto"``: the engine for an undirected simple encoding with ``n`` vertices, ``arcs`` edges.

    nauty when the encoding is dense (at least :data:`AUTO_NAUTY_MIN_DENSITY` of all pairs) and
    has at most :data:`AUTO_NAUTY_MAX_N` vertices; bliss otherwise (see ``docs/description_length.md``,
    "Engine choice", for the measurements behind the rule).
    """
    pairs = n * (n - 1) // 2
    if n <= AUTO_NAUTY_MAX_N and pairs and arcs >= AUTO_NAUTY_MIN_DENSITY * pairs:
        return "nauty"
    return "bliss"


def _core_order(g: ColouredGraph, engine: str) -> tuple[int, str]:
    if g.n == 0:
        return 1, "none"
    if engine == "bliss":
        return bliss_order(*encode_simple(g, allow_directed=True)), "bliss"
    n, arcs, directed, col = encode_simple(g, allow_directed=False)
    if engine == "nauty":
        return nauty_order(n, arcs, directed, col), "nauty"
    # auto: the limits apply to the encoded graph (what the engine sees)
    pairs = n * (n - 1) // 2
    if n <= AUTO_NAUTY_MAX_N and 2 * len(arcs) > pairs:  # denser than half: the complement is sparser
        arcs = complement(n, arcs)
    if choose_engine(n, len(arcs)) == "nauty":
        order = nauty_order(n, arcs, directed, col, max_runs=AUTO_NAUTY_MAX_RUNS)
        if order is not None:
            return order, "nauty"
        return bliss_order(n, arcs, directed, col), "bliss"  # a huge group: bliss is exact in one run
    return bliss_order(*encode_simple(g, allow_directed=True)), "bliss"


def _parts_order(parts, engine: str):
    """``(order of the k = 1 part, ((|Aut(C)|, k), ...), engines used)`` for the parts of a core."""
    core, powers, used = 1, [], []
    for part, k in parts:
        a, name = _core_order(part, engine)
        used.append(name)
        if k == 1:
            core *= a
        elif a > 1:
            powers.append((a, k))
    return core, tuple(powers), "+".join(dict.fromkeys(used))


def _run_with_time_limit(func, args, time_limit):
    """Run ``func(*args)`` in a forked child so that it can be abandoned."""
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
    grouped = {"components": None, "grouped_classes": 0}
    if reduce:
        core = reduce_graph(g, factors, deadline=deadline)
        parts, grouped = group_components(core, factors, deadline=deadline)
    else:
        core = g
        parts = [(g, 1)] if g.n else []
    if time_limit is None or not parts:
        core_order, powers, used = _parts_order(parts, engine)
    else:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError("description length: time_limit exceeded during the exact reductions")
        core_order, powers, used = _run_with_time_limit(_parts_order, (parts, engine), remaining)
    order = AutomorphismOrder(factors.as_tuple(), core_order, powers)
    report = {
        "engine": used if parts else "reductions",
        "core_n": sum(p.n for p, _ in parts),
        "core_pairs": sum(p.num_pairs for p, _ in parts),
        "components": grouped["components"],
        "grouped_classes": grouped["grouped_classes"],
        "seconds": time.perf_counter() - start,
    }
    return order, report
