"""Statistics of the verdicts: phase boundaries by maximum likelihood, tests a referee signs.

Three pieces, none of which imports torch (numpy and scipy only):

1. **Phase boundaries** (Figures 5 and 8 of [1]_).  In a phase diagram over
   ``x`` (``log10 eta_enc`` in Figure 5, ``log10 wd_dec`` in Figure 8) and ``y = log10 eta_dec``
   every run is one Bernoulli trial, generalized or not.  The boundary model is

   .. math::

      P(\\text{generalize} \\mid x, y) = F\\!\\left(d\\,\\frac{y_0(x) - y}{s}\\right),
      \\qquad y_0(x) = a + b\\,x,

   with ``F`` the normal (probit) or logistic cdf, ``d = +1`` when the low-``y`` side generalizes
   (Figure 5: a slow decoder generalizes) and ``s > 0`` the width of the transition in decades
   (shared by all columns, or one per column).  Eq. (12) of [1]_ predicts ``b = 1`` in Figure 5
   (the boundary is the constant ratio ``eta_dec / eta_enc = 10**a``, "<~ 10" in the text) and
   ``b = 0`` in Figure 8.  All trials of all columns enter one likelihood, so a column that
   generalizes everywhere (or nowhere) is not dropped: it bounds the line from one side, as a
   censored observation does.  Intervals are profile-likelihood intervals
   (:func:`fit_boundary`, :meth:`BoundaryFit.interval`); :func:`fit_column` is the same model
   for one column alone.  A boundary that bends is fitted with ``curvature=True``,
   ``y_0(x) = a + b (x - x_c) + c (x - x_c)^2`` (``x_c`` the centre of the sampled ``x``), by the
   same likelihood, with profile-likelihood intervals of ``c``, of ``y_0(x)`` and of the local
   slope ``b + 2 c (x - x_c)`` at any ``x`` (:meth:`BoundaryFit.local_slope`).

2. **Verdicts** (:class:`Verdict`).  Each claim of the paper is tested in the direction its
   words have: one-sided (``<=``, ``>=``) or an equivalence with a margin declared up front
   (``==``, TOST).  A row *holds* when the test of "the claim is false" rejects, *fails* when the
   test of "the claim is true" rejects, and is *inconclusive* otherwise, reporting the smallest
   deviation the experiment could have detected.  :func:`holm_adjust` applies Holm's step-down
   adjustment across a report's rows.

3. **Sequential designs** for adaptive experiments: :func:`propose_column_points` (bisection on
   the profile likelihood of a column's boundary, stopping when its interval is narrower than a
   requested precision), :func:`sprt_binomial` (Wald's sequential probability ratio test for a
   probability against a bound, Figure 6, with Ville's-inequality thresholds that are valid at any
   stopping time, so rounds of seeds of any size may be added) and, for means over rounds of
   seeds (Figure 3), a group-sequential test with Lan-DeMets alpha spending
   (:func:`group_sequential_bounds`, :func:`group_sequential_verdict`).

Separation.  When the seeds of a column split perfectly at the boundary (the usual case with one
or two seeds per point) the maximum-likelihood width is ``s -> 0`` and the line is only known to
lie in the gap between the last generalizing and first memorizing grid point.  The width is
therefore bounded below, ``s >= s_min``; the default ``s_min`` is half the smallest spacing of
the ``y`` values in the data (the transition cannot be resolved more finely than the points
sampled).  With this bound the intervals of perfectly separated data are somewhat wider than the
gap, and the coverage of 95 % intervals on synthetic diagrams with a known boundary is nominal
(``tests/verification/test_statistics.py``).  The intercept and the line's end points are kept
inside a box ``margin`` decades beyond the sampled ``y`` range; an interval end that reaches the
box is reported as infinite (the data do not bound it: censoring).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from effective_theory._lazy import attach

__getattr__, __dir__ = attach(__name__, ("boundary", "estimates", "decisions", "sequential", "collapse"))
