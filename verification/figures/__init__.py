"""The paper's results: one module each, and the registry that declares them once.

* :mod:`~verification.figures.registry` -- :data:`~verification.figures.registry.FIGURES`: for
  Table II, each of Figures 2-8 and 6b and the two universality studies, its title, paper source,
  settings at the quick and full tiers, and its data, plot and check functions (read by
  ``geneft figure``, ``geneft reproduce`` and ``pytest verification/``);
* :mod:`~verification.figures.table2` -- Table II and the paper's relations' description lengths;
* :mod:`~verification.figures.figure2` -- accuracy upper bounds against Eq. (5);
* :mod:`~verification.figures.figure3` -- network accuracy against the training fraction;
* :mod:`~verification.figures.figure4` -- the repon phase portrait and Monte Carlo checks of
  Eqs. (12)-(13);
* :mod:`~verification.figures.figure5` -- the phase diagram over the learning rates;
* :mod:`~verification.figures.figure6` -- the probability of generalization against Eq. (12);
* :mod:`~verification.figures.figure6b` -- repon collisions measured inside trained networks
  against Eq. (12) and the F formula from the same networks' initial quantities;
* :mod:`~verification.figures.figure7` -- the Goldilocks zone of decoder depth;
* :mod:`~verification.figures.figure8` -- the phase diagram over the decoder's weight decay;
* :mod:`~verification.figures.phase_diagram` -- the phase diagrams' planes, boundary fits and
  plots (Figures 5 and 8);
* :mod:`~verification.figures.relation_study` -- one relation's predicted and measured critical
  training fraction (``geneft study``), and the search it is built on;
* :mod:`~verification.figures.universality_statics` -- Eq. (4) across the catalogue's relations
  and sizes (``geneft figure u1``);
* :mod:`~verification.figures.universality_dynamics` -- Eq. (12)'s critical ratio across relations
  (``geneft figure u2``).

The designs are generic: the dense grid and the adaptive columns of Figures 5 and 8
(:mod:`verification.designs.grid`, :mod:`verification.designs.adaptive_columns`), and the
seeds in rounds of the full tiers of Figures 3 and 6 (:mod:`verification.designs.seed_rounds`).
"""

from effective_theory._lazy import attach

__getattr__, __dir__ = attach(__name__, ("registry",))
