"""Theory-versus-experiment verification of GenEFT: the paper's autoencoder trained in ensembles.

Layers (each imports only the ones before it; ``tests/test_architecture.py`` checks it):

* :mod:`verification.runtime` -- executors (in-process, Ray) and the on-disk result cache;
* :mod:`verification.model`, :mod:`verification.training` -- the model of Section II (Table III
  defaults) and the batched ensemble trainer; :mod:`verification.phases` -- the phases of
  Table IV; :mod:`verification.runs` -- the one way runs are trained (batched, or in cached
  chunks on any executor); :mod:`verification.designs` -- experiment designs (grid, adaptive
  columns, seeds in rounds);
  :mod:`verification.statistics` -- estimators and tests; :mod:`verification.verdicts` -- every
  report row's claim, test and margin; :mod:`verification.mechanism` -- the repon geometry of
  trained embeddings and the initial quantities Eq. (12) needs (Figure 6b);
* :mod:`verification.figures` -- the paper's results, one module each, and their registry
  (:data:`verification.figures.registry.FIGURES`: settings per tier, data, plot, checks);
* :mod:`verification.report`, :mod:`verification.reproduce`, :mod:`verification.cli` -- the
  report, ``geneft reproduce`` and the ``geneft`` command.

The public names of the model, training, phase and run modules and of the figure registry are
re-exported here (``__all__``), imported on first use (so ``import verification`` is cheap and
imports torch only when a name needs it).
"""

from effective_theory._lazy import attach

__getattr__, __dir__ = attach(
    __name__,
    ("model", "training", "phases", "runs", "figures"),
)
