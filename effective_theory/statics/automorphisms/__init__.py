"""Exact automorphism group orders of large coloured graphs (Section III of [1]_).

The description length ``b = log2(n!/|Aut(G)|)`` of Section III needs the
order of the automorphism group.  This package computes ``|Aut(G)|`` exactly
for a vertex-coloured graph whose edges carry *oriented colours*: the pair
``{u, v}`` carries ``(c_uv, c_vu)``, the type of the arcs ``u -> v`` and
``v -> u`` (0 = no arc).  Every input of :func:`effective_theory.description_length`
(directed or not, with self-loops, multi-edges and edge labels) is brought
to this form by :mod:`effective_theory.statics.graph_input`.

Exact reductions run before a general engine (nauty [2]_ or bliss [3]_):

* **pendant trees** are peeled level by level; each removed leaf is folded
  into the colour of its neighbour, and ``k`` identical leaves of one
  neighbour contribute ``k!``;
* **twin classes** (vertices whose transposition is an automorphism) are
  contracted to one coloured vertex each, contributing ``k!``;
* **isolated vertices** are grouped by colour, contributing ``k!`` each;
* **fixed vertices** (alone in their class after colour refinement, hence
  fixed by every automorphism) are removed, their neighbours recording them
  in their colours; this contributes no factor and leaves sparse graphs
  without symmetry (Barabasi-Albert, Erdos-Renyi) with a tiny core.

The reductions repeat until nothing changes; the general engine then sees
only the remaining core.  The group order is kept factorised
(:class:`AutomorphismOrder`): a star with ``10**6`` leaves has
``|Aut| = (10**6 - 1)!``, which is never written out unless asked for.

Modules, by role:

* :mod:`~effective_theory.statics.automorphisms.coloured_graph` -- the coloured graph and its
  half-edge view;
* :mod:`~effective_theory.statics.automorphisms.reductions` -- the exact reductions;
* :mod:`~effective_theory.statics.automorphisms.engines` -- the encoding and the nauty and bliss
  engines;
* :mod:`~effective_theory.statics.automorphisms.schreier_sims` -- group orders from generators;
* :mod:`~effective_theory.statics.automorphisms.order` -- :func:`automorphism_order`: the
  reductions, the engine choice and the time limit.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
.. [2] B. D. McKay, A. Piperno, "Practical graph isomorphism, II",
   J. Symbolic Comput. 60, 94-112 (2014) (nauty).
.. [3] T. Junttila, P. Kaski, "Engineering an efficient canonical labeling
   tool for large and sparse graphs", ALENEX 2007 (bliss).
"""

from effective_theory._lazy import attach

__getattr__, __dir__ = attach(__name__, ("order", "coloured_graph", "schreier_sims"))
