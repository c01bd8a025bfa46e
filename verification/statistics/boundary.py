"""Phase boundaries by maximum likelihood, censored columns included (Figures 5 and 8 of the paper).

Part of :mod:`verification.statistics` (see its docstring for the model and the verdict rules).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, special, stats

from verification.statistics.estimates import Estimate

__all__ = ["BoundaryFit", "fit_boundary", "fit_column"]

#: cost per squared decade of a curve's value outside the box ``[lo, hi]`` in a profile (negative
#: log-likelihood units): 0.01 decade outside costs 10, far more than a diagram's runs can gain
_PENALTY = 1e5

#: the default box of a curve is this many times a line's (``margin`` of :func:`fit_boundary`): a
#: parabola's value at a censored end of the range may lie far beyond the sampled ``y`` range
#: even when the curve over the columns does not
_CURVE_MARGIN = 4.0

#: a curve's interval end is the box's, not the data's, when a box twice as wide moves it outwards
#: by more than this (relative to ``max(1, |end|)``; the ends are solved to 1e-6)
_BOX_MOVE = 1e-3


def _log_link(z, link):
    """``log F(z)`` and its derivative for the probit or logistic link."""
    if link == "probit":
        lf = special.log_ndtr(z)
        return lf, np.exp(-0.5 * z * z - lf) / math.sqrt(2.0 * math.pi)
    if link == "logit":
        return -np.logaddexp(0.0, -z), special.expit(-z)
    raise ValueError(f"link must be 'probit' or 'logit', got {link!r}")


def _newton_box(f, x0, bounds, *, maxiter=100, tol=1e-9):
    """Minimise a smooth ``f`` (returning value and gradient) in a box; small dimensions only.

    Damped Newton steps with a finite-difference Hessian of the analytic gradient on the free
    variables (those not held at a bound by their gradient), projected onto the box, with
    backtracking.  Much cheaper than a general-purpose optimiser for the 1-4 parameters of the
    boundary model, whose profiles are evaluated thousands of times by the coverage tests.
    """
    lo = np.array([b[0] for b in bounds], dtype=float)
    hi = np.array([b[1] for b in bounds], dtype=float)
    x = np.clip(np.asarray(x0, dtype=float), lo, hi)
    fx, g = f(x)
    lam = 1e-6
    for _ in range(maxiter):
        free = ~(((x <= lo) & (g > 0)) | ((x >= hi) & (g < 0)))
        if not free.any() or np.max(np.abs(g[free])) < tol:
            break
        idx = np.flatnonzero(free)
        eps = 1e-6
        H = np.empty((idx.size, idx.size))
        for a, j in enumerate(idx):
            xp = x.copy()
            # difference towards the interior so that the Hessian stays inside the box
            hstep = eps if xp[j] + eps <= hi[j] else -eps
            xp[j] += hstep
            H[:, a] = (f(xp)[1][idx] - g[idx]) / hstep
        H = 0.5 * (H + H.T)
        improved = False
        for _ in range(30):
            Hd = H + lam * (np.abs(np.diag(H)).max() + 1.0) * np.eye(idx.size)
            try:
                step = -np.linalg.solve(Hd, g[idx])
                if not np.all(np.isfinite(step)):
                    raise np.linalg.LinAlgError
            except np.linalg.LinAlgError:
                lam = max(10 * lam, 1e-3)
                continue
            xn = x.copy()
            xn[idx] = np.clip(x[idx] + step, lo[idx], hi[idx])
            fn, gn = f(xn)
            if fn <= fx - 1e-4 * abs(float(g[idx] @ (xn[idx] - x[idx]))) or fn < fx - 1e-12:
                improved = True
                break
            lam = max(10 * lam, 1e-4)
        if not improved:
            break
        dx = np.max(np.abs(xn - x))
        df_ = fx - fn
        x, fx, g = xn, fn, gn
        lam = max(lam / 10, 1e-8)
        if dx < 1e-10 or df_ < 1e-12 * max(1.0, abs(fx)):
            break
    return optimize.OptimizeResult(x=x, fun=float(fx), jac=g)


class _Model:
    """Bernoulli likelihood of the boundary model on aggregated trials (private).

    The line is parametrised by ``beta``: its values at the outer columns ``(y_L, y_R)`` (two
    parameters), or ``y_L`` alone when the slope is fixed or there is one column; the parabola
    (``curvature=True``) by its values at the outer columns and at the centre ``x_c`` of the
    sampled range, ``(y_L, y_c, y_R)``.  ``y0_c = W beta + o``.  ``log s`` is one parameter
    (shared) or one per column.  Values at points, not coefficients, so that the box ``[lo, hi]``
    on ``beta`` bounds the whole curve over the sampled range (a censored diagram cannot send it
    to infinity).
    """

    def __init__(self, x, y, g, *, direction, link, width_bounds, margin, slope, scale, curvature=False):
        s_min, s_max = width_bounds
        x = np.asarray(x, dtype=float).reshape(-1)
        y = np.asarray(y, dtype=float).reshape(-1)
        g = np.asarray(g).reshape(-1)
        if not (x.shape == y.shape == g.shape) or x.size == 0:
            raise ValueError(
                f"x, y and generalized need equal, non-zero lengths: {x.size}, {y.size}, {g.size}"
            )
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            raise ValueError("x and y must be finite")
        if direction not in ("below", "above"):
            raise ValueError(f"direction must be 'below' or 'above', got {direction!r}")
        if scale not in ("shared", "per_column"):
            raise ValueError(f"scale must be 'shared' or 'per_column', got {scale!r}")
        _log_link(np.zeros(1), link)
        g = g.astype(bool)
        self.link, self.direction, self.scale = link, direction, scale
        self.d = 1.0 if direction == "below" else -1.0
        self.xs = np.unique(x)
        keys = np.stack([x, y], axis=1)
        uniq, inv = np.unique(keys, axis=0, return_inverse=True)
        inv = inv.reshape(-1)
        self.n = np.bincount(inv, minlength=len(uniq)).astype(float)
        self.k = np.bincount(inv, weights=g.astype(float), minlength=len(uniq))
        self.px, self.py = uniq[:, 0], uniq[:, 1]
        self.col = np.searchsorted(self.xs, self.px)
        self.runs, self.generalized = int(x.size), int(g.sum())
        ys = np.unique(y)
        self.h = float(np.diff(ys).min()) if ys.size > 1 else 1.0
        self.s_min = float(s_min) if s_min is not None else 0.5 * self.h
        span = float(ys[-1] - ys[0])
        self.s_max = float(s_max) if s_max is not None else 10.0 * max(span, self.h)
        if not 0 < self.s_min < self.s_max:
            raise ValueError(f"need 0 < s_min < s_max, got {self.s_min}, {self.s_max}")
        m = (
            float(margin)
            if margin is not None
            else max(span, 4 * self.h, 1.0) * (_CURVE_MARGIN if curvature else 1.0)
        )
        self.margin = m
        self.lo, self.hi = float(ys[0] - m), float(ys[-1] + m)
        C = self.xs.size
        self.slope_fixed = slope
        self.curved = bool(curvature)
        xl = self.xs[0]
        self.x_c = 0.5 * (xl + self.xs[-1])
        if self.curved:
            if slope is not None:
                raise ValueError("curvature=True fits the slope: do not fix it")
            if C < 3:
                raise ValueError(f"a curved boundary needs at least three columns, got {C}")
            self.W = np.stack([self._basis(v) for v in self.xs])
            self.o = np.zeros(C)
        elif slope is None and C >= 2:
            dx = self.xs[-1] - xl
            self.W = np.stack([(self.xs[-1] - self.xs) / dx, (self.xs - xl) / dx], axis=1)
            self.o = np.zeros(C)
        else:
            self.W = np.ones((C, 1))
            self.o = (float(slope) if slope is not None else 0.0) * (self.xs - xl)
        self.p = self.W.shape[1]
        self.n_s = C if scale == "per_column" else 1
        self.sidx = self.col if scale == "per_column" else np.zeros(self.col.size, dtype=int)

    # -- the parabola through (x_L, y_L), (x_c, y_c), (x_R, y_R): Lagrange weights in t
    def _basis(self, x, derivative=0):
        """Weights ``w`` with ``w . beta`` = ``y0(x)`` (0), ``dy0/dx`` (1) or ``c`` = half of ``y0''`` (2)."""
        hw = 0.5 * (self.xs[-1] - self.xs[0])
        t = (float(x) - self.x_c) / hw
        if derivative == 0:
            return np.array([0.5 * t * (t - 1.0), 1.0 - t * t, 0.5 * t * (t + 1.0)])
        if derivative == 1:
            return np.array([t - 0.5, -2.0 * t, t + 0.5]) / hw
        return np.array([0.5, -1.0, 0.5]) / hw**2

    # -- linear functionals of the line: psi = v . beta + v0
    def functional(self, quantity):
        """``(v, v0)`` of ``quantity``: "slope", "intercept" (y0 at x = 0), a float x (y0 there),
        ``("slope", x)`` (the local slope at x), ``("ratio", x)`` (``y0(x) - x``) or "curvature"."""
        if isinstance(quantity, tuple):
            kind, at = quantity
            if kind == "ratio":
                v, v0 = self.functional(float(at))
                return v, v0 - float(at)
            if kind != "slope":
                raise ValueError(f"unknown quantity {quantity!r}")
            if self.curved:
                return self._basis(at, 1), 0.0
            return self.functional("slope")
        if self.curved:
            if quantity == "slope":
                return self._basis(self.x_c, 1), 0.0
            if quantity == "curvature":
                return self._basis(self.x_c, 2), 0.0
            return self._basis(0.0 if quantity == "intercept" else float(quantity)), 0.0
        if quantity == "curvature":
            raise ValueError("a straight-line fit has no curvature: fit with curvature=True")
        xl = self.xs[0]
        if quantity == "slope":
            if self.slope_fixed is not None:
                raise ValueError("the slope is fixed in this fit")
            if self.p < 2:
                raise ValueError("a slope needs at least two columns")
            dx = self.xs[-1] - xl
            return np.array([-1.0 / dx, 1.0 / dx]), 0.0
        x0 = 0.0 if quantity == "intercept" else float(quantity)
        if self.p == 2:
            dx = self.xs[-1] - xl
            return np.array([(self.xs[-1] - x0) / dx, (x0 - xl) / dx]), 0.0
        b = float(self.slope_fixed) if self.slope_fixed is not None else 0.0
        if self.slope_fixed is None and x0 != xl and quantity != "intercept":
            raise ValueError("one column: the boundary is only defined at its x")
        if self.slope_fixed is None and quantity == "intercept" and xl != 0.0:
            raise ValueError("one column and no fixed slope: use the column's x, not the intercept")
        return np.array([1.0]), b * (x0 - xl)

    def nll(self, beta, logs):
        """Negative log-likelihood and its gradients in ``beta`` and ``logs``."""
        y0 = self.W @ beta + self.o
        s = np.exp(logs[self.sidx])
        u = self.d * (y0[self.col] - self.py) / s
        lp, dp = _log_link(u, self.link)
        lm, dm = _log_link(-u, self.link)
        ll = float(np.sum(self.k * lp + (self.n - self.k) * lm))
        du = self.k * dp - (self.n - self.k) * dm  # d ll / d u per point
        gy0 = np.bincount(self.col, weights=du * self.d / s, minlength=self.xs.size)
        gbeta = self.W.T @ gy0
        glogs = np.bincount(self.sidx, weights=-du * u, minlength=self.n_s)
        return -ll, -gbeta, -glogs

    def _solve(self, B0, M, t_bounds, starts, *, stop_early=False, penalty=False):
        """Minimise over ``t`` (beta = B0 + M t) and ``log s``; best of the given starts.

        ``penalty``: ``beta`` outside the box ``[lo, hi]`` costs ``_PENALTY`` times the squared
        excess (for a coordinate that ``t``'s own bounds do not keep inside).
        """
        k = M.shape[1]
        ls_lo, ls_hi = math.log(self.s_min), math.log(self.s_max)

        def f(phi):
            beta = B0 + M @ phi[:k]
            v, gb, gs = self.nll(beta, phi[k:])
            if penalty:
                excess = np.maximum(beta - self.hi, 0.0) - np.maximum(self.lo - beta, 0.0)
                v += _PENALTY * float(excess @ excess)
                gb = gb + 2.0 * _PENALTY * excess
            return v, np.concatenate([M.T @ gb, gs])

        bounds = list(t_bounds) + [(ls_lo, ls_hi)] * self.n_s
        best = None
        for st in starts:
            r = _newton_box(f, st, bounds)
            if best is None or r.fun < best.fun:
                best = r
            if stop_early and np.all(best.x[k:] < ls_hi - 1e-6):
                break  # not stalled at the widest transition: further starts are not needed
        return best

    def mle(self):
        # crude starts: each column's boundary at the mean y of its generalizing/others frontier
        y0c = []
        for c in range(self.xs.size):
            sel = self.col == c
            frac = self.k[sel] / self.n[sel]
            yy = self.py[sel]
            gen = yy[frac >= 0.5]
            non = yy[frac < 0.5]
            if gen.size and non.size:
                y0c.append(0.5 * (gen.max() + non.min()) if self.d > 0 else 0.5 * (gen.min() + non.max()))
            elif gen.size:
                y0c.append(yy.max() + self.h if self.d > 0 else yy.min() - self.h)
            else:
                y0c.append(yy.min() - self.h if self.d > 0 else yy.max() + self.h)
        y0c = np.array(y0c) - self.o
        beta0, *_ = np.linalg.lstsq(self.W, y0c, rcond=None)
        box = [(self.lo, self.hi)] * self.p
        starts = []
        for s0 in (max(self.h, self.s_min), 3 * max(self.h, self.s_min)):
            starts.append(np.concatenate([beta0, np.full(self.n_s, math.log(s0))]))
        mid = 0.5 * (self.lo + self.hi)
        starts.append(np.concatenate([np.full(self.p, mid), np.full(self.n_s, math.log(3 * self.h))]))
        r = self._solve(np.zeros(self.p), np.eye(self.p), box, starts)
        return r.x[: self.p], r.x[self.p :], float(r.fun)

    def psi_range(self, v, v0):
        corners = np.array(np.meshgrid(*[[self.lo, self.hi]] * self.p)).reshape(self.p, -1).T
        vals = corners @ v + v0
        return float(vals.min()), float(vals.max())

    def profile(self, v, v0, psi, start_beta, start_logs, alt_logs=None):
        """Minimum negative log-likelihood subject to ``v . beta + v0 = psi`` (inf if infeasible).

        Started from ``start_*`` (warm start) and, if given, also from ``alt_logs`` (the MLE's
        widths): far out in the width the likelihood is flat and a warm start can stall there.
        """
        vv = float(v @ v)
        log_starts = [start_logs] if alt_logs is None else [start_logs, alt_logs]
        bstar = v * (psi - v0) / vv
        if self.p == 1:
            if not self.lo - 1e-9 <= bstar[0] <= self.hi + 1e-9:
                return math.inf, None
            M = np.zeros((1, 0))
            r = self._solve(bstar, M, [], log_starts, stop_early=True)
            return float(r.fun), (bstar, r.x)
        if self.p > 2:
            return self._profile_eliminated(v, v0, psi, start_beta, log_starts)
        nvec = np.array([-v[1], v[0]]) / math.sqrt(vv)
        tlo, thi = -math.inf, math.inf
        for j in range(2):
            if abs(nvec[j]) < 1e-14:
                if not self.lo - 1e-9 <= bstar[j] <= self.hi + 1e-9:
                    return math.inf, None
                continue
            a, b = sorted(((self.lo - bstar[j]) / nvec[j], (self.hi - bstar[j]) / nvec[j]))
            tlo, thi = max(tlo, a), min(thi, b)
        if tlo > thi + 1e-12:
            return math.inf, None
        t0 = float(np.clip((start_beta - bstar) @ nvec, tlo, thi))
        starts = [np.concatenate([[t0], ls]) for ls in log_starts]
        r = self._solve(bstar, nvec[:, None], [(tlo, thi)], starts, stop_early=True)
        return float(r.fun), (bstar + nvec * r.x[0], r.x[1:])

    def _eliminated(self, v):
        """``j``, the other coordinates and ``M``: ``beta = B0 + M beta_others`` on ``v . beta = const``."""
        j = int(np.argmax(np.abs(v)))
        others = [i for i in range(self.p) if i != j]
        M = np.zeros((self.p, self.p - 1))
        for a, i in enumerate(others):
            M[i, a] = 1.0
            M[j, a] = -v[i] / v[j]
        return j, others, M

    def _profile_eliminated(self, v, v0, psi, start_beta, log_starts):
        """:meth:`profile` for three or more line parameters: the constraint solved for the
        coordinate ``j`` with the largest weight, the others kept in the box by their bounds and
        ``beta_j`` by a steep penalty outside it (the box is a polytope in the other coordinates)."""
        pmin, pmax = self.psi_range(v, v0)
        tol = 1e-9 * max(1.0, abs(pmin), abs(pmax))
        if not pmin - tol <= psi <= pmax + tol:
            return math.inf, None
        j, others, M = self._eliminated(v)
        B0 = np.zeros(self.p)
        B0[j] = (psi - v0) / v[j]
        t0 = np.clip(np.asarray(start_beta, dtype=float)[others], self.lo, self.hi)
        starts = [np.concatenate([t0, ls]) for ls in log_starts]
        bounds = [(self.lo, self.hi)] * (self.p - 1)
        r = self._solve(B0, M, bounds, starts, stop_early=True, penalty=True)
        return float(r.fun), (B0 + M @ r.x[: self.p - 1], r.x[self.p - 1 :])


@dataclass(frozen=True)
class BoundaryFit:
    """Maximum-likelihood phase boundary ``y0(x) = intercept + slope x`` (see :func:`fit_boundary`),
    or with ``curvature=True`` the parabola ``y0(x) = a + slope (x - x_c) + curvature (x - x_c)^2``.

    The quantities of :meth:`value`, :meth:`interval`, :meth:`estimate` and :meth:`deviance`:
    ``"slope"`` (of the line; of a parabola, its slope at ``x_c``), ``"intercept"`` (``y0(0)``),
    a float ``x`` (``y0(x)``), ``("slope", x)`` (the local slope ``dy0/dx`` at ``x``, also
    :meth:`local_slope`), ``("ratio", x)`` (``y0(x) - x``: in Figure 5 ``log10`` of the critical
    ratio ``eta_dec* / eta_enc`` at ``log10 eta_enc = x``) and, for a parabola, ``"curvature"``.
    Each is linear in the curve's parameters, so its profile likelihood is a constrained fit.

    Attributes
    ----------
    slope, intercept : float
        The line (``slope`` is the fixed value when the fit was made with one); for a parabola its
        slope at ``x_c`` and its value at ``x = 0``.
    curvature : float
        ``c`` of the parabola (half its second derivative); NaN for a line.
    x_centre : float
        ``x_c``, the centre of the sampled ``x`` range.
    width : tuple of float
        Transition width(s) ``s`` in decades (one, or one per column).
    columns : list of dict
        Per column: ``x``, ``runs``, ``generalized``, ``y0`` (the line at ``x``), ``censored``
        (None, ``"all_generalize"`` or ``"none_generalize"``).
    loglik : float
        Maximised log-likelihood.
    link, direction, scale, s_min, runs
        The model's settings and the number of trials.
    """

    slope: float
    intercept: float
    curvature: float
    x_centre: float
    width: tuple
    columns: list
    loglik: float
    link: str
    direction: str
    scale: str
    s_min: float
    runs: int
    _model: _Model = field(repr=False, compare=False)
    _beta: np.ndarray = field(repr=False, compare=False)
    _logs: np.ndarray = field(repr=False, compare=False)

    @property
    def curved(self) -> bool:
        """Whether the boundary was fitted with a curvature term."""
        return self._model.curved

    def value(self, quantity) -> float:
        """Point estimate of a quantity (see the class docstring)."""
        is_slope = quantity == "slope" or (isinstance(quantity, tuple) and quantity[0] == "slope")
        if is_slope and self._model.slope_fixed is not None:
            return float(self._model.slope_fixed)
        v, v0 = self._model.functional(quantity)
        return float(v @ self._beta + v0)

    def deviance(self, quantity, value) -> float:
        """Profile deviance ``2 (l_max - l_p(value))`` of ``quantity`` at ``value`` (>= 0)."""
        v, v0 = self._model.functional(quantity)
        f, _ = self._model.profile(v, v0, float(value), self._beta, self._logs, self._logs)
        return max(0.0, 2.0 * (f + self.loglik)) if math.isfinite(f) else math.inf

    def signed_root(self, quantity, value) -> float:
        """``sign(estimate - value) sqrt(deviance)``: approximately N(0, 1) at the true value."""
        est = self.value(quantity)
        return math.copysign(math.sqrt(self.deviance(quantity, value)), est - float(value))

    def interval(self, quantity, level=0.95) -> tuple[float, float]:
        """Two-sided profile-likelihood interval ``{psi : deviance(psi) <= chi2_1(level)}``.

        An end that the data do not bound (the profile stays below the threshold up to the box
        ``margin`` decades beyond the sampled range) is ``-inf`` / ``inf``; for a curve also an
        end that the box holds (the same fit in a box twice as wide moves it outwards: a censored
        end of the range that the curve would follow further out).
        """
        return self._interval(quantity, level, check_box=True)

    def _interval(self, quantity, level, *, check_box):
        if not 0 < level < 1:
            raise ValueError(f"level must lie in (0, 1), got {level}")
        m = self._model
        v, v0 = m.functional(quantity)
        crit = float(stats.chi2.ppf(level, 1))
        est = float(v @ self._beta + v0)
        pmin, pmax = m.psi_range(v, v0)
        warm = {"beta": self._beta, "logs": self._logs}

        def excess(psi):
            f, arg = m.profile(v, v0, psi, warm["beta"], warm["logs"], self._logs)
            if arg is not None:
                warm["beta"], warm["logs"] = arg
            return (2.0 * (f + self.loglik) if math.isfinite(f) else math.inf) - crit

        ends = []
        for side, far in ((-1.0, pmin), (1.0, pmax)):
            warm["beta"], warm["logs"] = self._beta, self._logs
            if side * (far - est) <= 1e-9 * max(1.0, abs(far)):
                ends.append(side * math.inf)  # the estimate sits on the box: unbounded there
                continue
            # step out from the estimate until the threshold is crossed (keeps warm starts close)
            step = side * max(m.h, 1e-3)
            if m.curved:
                step *= float(np.abs(v).max())  # a grid step of the curve's values, in psi's units
            elif quantity == "slope":
                step /= max(m.xs[-1] - m.xs[0], 1e-12)
            inner, outer = est, est + step
            while True:
                if side * (outer - far) >= 0:
                    outer = far
                    if excess(far - side * 1e-9 * max(1.0, abs(far))) < 0:
                        ends.append(side * math.inf)
                        break
                elif excess(outer) < 0:
                    inner, outer = outer, est + 2.0 * (outer - est)
                    continue
                a, b = sorted((inner, outer))
                try:
                    end = float(optimize.brentq(excess, a, b, xtol=1e-6))
                except ValueError:  # profile not monotone between the brackets: keep the outer end
                    end = float(outer)
                ends.append(end)
                break
        lo, hi = min(ends), max(ends)
        if m.curved and check_box:
            # an end that moves out with the box is the box's, not the data's
            wlo, whi = self._wider_box()._interval(quantity, level, check_box=False)
            if wlo < lo - _BOX_MOVE * max(1.0, abs(lo)):
                lo = -math.inf
            if whi > hi + _BOX_MOVE * max(1.0, abs(hi)):
                hi = math.inf
        return (lo, hi)

    def estimate(self, quantity, *, level=0.95) -> Estimate:
        """:class:`Estimate` of ``quantity`` whose tests are signed-root likelihood-ratio tests."""
        est = self.value(quantity)
        lo, hi = self.interval(quantity, level)
        z = float(stats.norm.ppf(0.5 + level / 2))
        se_lo = (est - lo) / z if math.isfinite(lo) else math.inf
        se_hi = (hi - est) / z if math.isfinite(hi) else math.inf

        def p_greater(value):
            # H0: psi <= value; large signed root (estimate far above value) rejects
            return float(stats.norm.sf(self.signed_root(quantity, value)))

        return Estimate(
            value=est,
            se=0.5 * (se_lo + se_hi),
            se_lower=se_lo,
            se_upper=se_hi,
            df=math.inf,
            test="profile likelihood ratio",
            _p_greater=p_greater,
            _interval=lambda lev: self.interval(quantity, lev),
        )

    def _wider_box(self) -> BoundaryFit:
        """The same fit in a box twice as wide (the check of a curve's interval ends)."""
        wide = self.__dict__.get("_wide")
        if wide is None:
            m = self._model
            keys = np.repeat(np.arange(m.px.size), m.n.astype(int))
            g = np.concatenate([np.arange(int(n)) < k for n, k in zip(m.n, m.k)])
            wide = fit_boundary(
                m.px[keys],
                m.py[keys],
                g,
                direction=self.direction,
                link=self.link,
                scale=self.scale,
                width_bounds=(m.s_min, m.s_max),
                margin=2.0 * m.margin,
                curvature=m.curved,
            )
            object.__setattr__(self, "_wide", wide)
        return wide

    def local_slope(self, x, level=0.95) -> Estimate:
        """The local slope ``dy0/dx`` at ``x`` with its profile-likelihood tests and intervals.

        For a line it is the slope; for a parabola ``slope + 2 curvature (x - x_c)``.

        Examples
        --------
        A boundary ``y0 = -1 + (x + 3) + 0.5 (x + 3)^2`` sampled exactly: the local slope at the
        low end of the range is below 1, at the high end above it.

        >>> import numpy as np
        >>> xs, ys = np.meshgrid(np.arange(-4, -1.9, 0.25), np.arange(-4, 0.01, 0.125))
        >>> x, y = xs.ravel(), ys.ravel()
        >>> fit = fit_boundary(x, y, y < -1 + (x + 3) + 0.5 * (x + 3) ** 2, curvature=True)
        >>> round(fit.curvature, 1), fit.local_slope(-4.0).value < 1 < fit.local_slope(-2.0).value
        (0.5, True)
        """
        return self.estimate(("slope", float(x)), level=level)

    def to_dict(self) -> dict:
        """JSON-serialisable summary (estimates and 95 % intervals of the line)."""
        out = {
            "slope": self.slope,
            "intercept": self.intercept,
            "curvature": self.curvature,
            "x_centre": self.x_centre,
            "width": list(self.width),
            "columns": self.columns,
            "loglik": self.loglik,
            "link": self.link,
            "direction": self.direction,
            "scale": self.scale,
            "s_min": self.s_min,
            "runs": self.runs,
        }
        if self._model.slope_fixed is None and self._model.p >= 2:
            out["slope_interval"] = list(self.interval("slope"))
        if self.curved:
            out["curvature_interval"] = list(self.interval("curvature"))
        out["column_intervals"] = [list(self.interval(c["x"])) for c in self.columns]
        return out


def fit_boundary(
    x,
    y,
    generalized,
    *,
    direction="below",
    link="probit",
    slope=None,
    scale="shared",
    width_bounds=(None, None),
    margin=None,
    curvature=False,
) -> BoundaryFit:
    """Fit the boundary line (or parabola) of a phase diagram to every run by maximum likelihood.

    .. math::

       \\log L(a, b, s) = \\sum_{\\text{runs } i} \\log F\\!\\left(\\pm\\, d\\,
       \\frac{a + b x_i - y_i}{s}\\right),

    ``+`` for a run that generalized, ``-`` otherwise (``F`` symmetric), ``d = +1`` for
    ``direction="below"``.  Censored columns (all or no runs generalize) contribute their
    trials like any other and so bound the line.  Figure 5 of [1]_: ``x = log10 eta_enc``,
    ``y = log10 eta_dec``, Eq. (12) predicts ``slope = 1`` and ``10**intercept`` is the critical
    ratio ``eta_dec / eta_enc`` (fit with ``slope=1`` to estimate it under the paper's line);
    Figure 8: ``x = log10 wd_dec``, predicted ``slope = 0``.

    With ``curvature=True`` the boundary is the parabola

    .. math::

       y_0(x) = a + b\\,(x - x_c) + c\\,(x - x_c)^2,

    ``x_c`` the centre of the sampled ``x`` range, fitted by the same likelihood (censored columns
    as bounds).  Its local slope ``dy0/dx = b + 2 c (x - x_c)`` at any ``x``
    (:meth:`BoundaryFit.local_slope`), ``c`` and ``y0(x)`` get profile-likelihood intervals like
    the line's: a boundary that bends is not forced into one slope, and "slope 1" can be tested
    where a theory is meant to apply.  It needs three columns or more.

    Parameters
    ----------
    x, y : array_like
        Coordinates of the runs (one entry per run; seeds repeat a point).
    generalized : array_like of bool
        Outcome of each run (generalization or grokking, Appendix B).
    direction : {"below", "above"}
        Side of the boundary on which runs generalize (Figure 5: "below", low decoder rates).
    link : {"probit", "logit"}
    slope : float, optional
        Fix the slope (e.g. 1 for the constant-ratio line) and fit the intercept only.
    scale : {"shared", "per_column"}
        One transition width ``s`` for the diagram, or one per column.
    width_bounds : (float or None, float or None)
        Bounds ``(s_min, s_max)`` on the transition width ``s`` (decades); ``None``: ``s_min`` half
        the smallest ``y`` spacing (the separation rule of the module docstring), ``s_max`` ten
        times the ``y`` span.
    margin : float, optional
        The line's end points (a parabola's values at the ends and the centre of the ``x``
        range) are kept within ``margin`` decades of the sampled ``y`` range (default: the span,
        at least four grid steps and one decade; four times that for a parabola, whose value at a
        censored end may lie far out).  An interval end of a parabola that a box twice as wide
        would move outwards is reported infinite (:meth:`BoundaryFit.interval`).
    curvature : bool
        Add the quadratic term (the slope must not be fixed).

    Returns
    -------
    BoundaryFit

    Examples
    --------
    A boundary ``y0 = x + 1`` sampled exactly (every run on the right side): the line is
    recovered within the grid step, and the slope's interval contains 1.

    >>> import numpy as np
    >>> xs, ys = np.meshgrid(np.arange(-4, -1.9, 0.5), np.arange(-4, 0.01, 0.25))
    >>> fit = fit_boundary(xs.ravel(), ys.ravel(), ys.ravel() < xs.ravel() + 1.0)
    >>> abs(fit.slope - 1) < 0.25, abs(fit.intercept - 1) < 0.5
    (True, True)
    >>> lo, hi = fit.interval("slope"); bool(lo < 1 < hi)
    True
    """
    model = _Model(
        x,
        y,
        generalized,
        direction=direction,
        link=link,
        width_bounds=width_bounds,
        margin=margin,
        slope=slope,
        scale=scale,
        curvature=curvature,
    )
    return _fit(model, slope)


def _fit(model, slope) -> BoundaryFit:
    """The maximum-likelihood fit of ``model`` (its line, or parabola, and its columns)."""
    beta, logs, f = model.mle()
    y0 = model.W @ beta + model.o
    if model.curved:
        b, a = (float(model.functional(q)[0] @ beta) for q in ("slope", "intercept"))
        c = float(model.functional("curvature")[0] @ beta)
    else:
        (b, a), c = _line(model, y0, beta, slope), math.nan
    return BoundaryFit(
        slope=b,
        intercept=a,
        curvature=c,
        x_centre=float(model.x_c),
        width=tuple(float(v) for v in np.exp(logs)),
        columns=_columns(model, y0),
        loglik=-f,
        link=model.link,
        direction=model.direction,
        scale=model.scale,
        s_min=model.s_min,
        runs=model.runs,
        _model=model,
        _beta=beta,
        _logs=logs,
    )


def _line(model, y0, beta, slope) -> tuple[float, float]:
    """Slope and intercept of the fitted line (NaN for per-column boundaries of more than two
    columns, which are not one line)."""
    if slope is not None:
        b = float(slope)
    elif model.p == 2:
        b = float((beta[1] - beta[0]) / (model.xs[-1] - model.xs[0]))
    else:
        b = float("nan")
    a = float(y0[0] - b * model.xs[0]) if math.isfinite(b) else float("nan")
    return b, a


def _columns(model, y0) -> list[dict]:
    """Per column: its ``x``, runs, generalized runs, fitted boundary ``y0`` and censoring."""
    cols = []
    for c, xc in enumerate(model.xs):
        sel = model.col == c
        n, k = int(model.n[sel].sum()), int(model.k[sel].sum())
        cens = "all_generalize" if k == n else ("none_generalize" if k == 0 else None)
        cols.append({"x": float(xc), "runs": n, "generalized": k, "y0": float(y0[c]), "censored": cens})
    return cols


def fit_column(y, generalized, *, x=0.0, **kwargs) -> BoundaryFit:
    """The boundary model for one column alone: ``P(generalize | y) = F(d (y0 - y) / s)``.

    Keyword arguments are those of :func:`fit_boundary` (``direction``, ``link``, ``s_min``,
    ...).  ``fit.value(x)`` is the column's boundary ``y0`` and ``fit.interval(x)`` its
    profile-likelihood interval; a censored column gets a one-sided interval (one end infinite).

    Examples
    --------
    >>> fit = fit_column([0, 1, 2, 3], [True, True, True, True])   # all generalize: y0 > 3
    >>> lo, hi = fit.interval(0.0); bool(0 < lo < 3), hi
    (True, inf)
    """
    y = np.asarray(y, dtype=float).reshape(-1)
    return fit_boundary(np.full(y.size, float(x)), y, generalized, **kwargs)
