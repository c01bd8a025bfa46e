"""Theory-versus-experiment verification of GenEFT: the paper's autoencoder trained in ensembles.

Layers, lowest first (each imports only its own and the ones before it, never in a circle;
``tests/test_architecture.py`` lists every module's layer and checks it):

* :mod:`verification.runtime` -- executors (in-process, Ray) and the on-disk result cache;
* :mod:`verification.statistics` -- estimators and tests; :mod:`verification.verdicts` -- every
  report row's claim, test and margin;
* :mod:`verification.model`, :mod:`verification.train_config`, :mod:`verification.phases` -- the
  model of Section II (Table III defaults), a run's hyperparameters and training schedule, the
  phases of Table IV;
* the fused kernels of one training step (private), then the trainers:
  :mod:`verification.training` (the batched ensemble trainer) and
  :mod:`verification.reference_loop` (the plain loop it is checked against);
* :mod:`verification.runs` -- the one way runs are trained (batched, or in cached chunks on any
  executor);
* :mod:`verification.archive` -- the archive of trained runs shipped with the code: its format,
  the read-only layer of the result cache it gives, adding runs to it, and checking it by
  retraining a sample;
* :mod:`verification.mechanism` -- the repon geometry of trained embeddings and the initial
  quantities Eq. (12) needs (Figure 6b);
* :mod:`verification.designs` -- experiment designs any figure can use (grid, adaptive columns,
  seeds in rounds);
* :mod:`verification.figures` -- the paper's results, one module each, and their registry
  (:data:`verification.figures.registry.FIGURES`: settings per tier, data, plot, checks);
* :mod:`verification.report`, :mod:`verification.reproduce` -- the report and ``geneft
  reproduce``; :mod:`verification.cli` -- the ``geneft`` command (``geneft archive add`` and
  ``geneft verify-archive`` included).

The public names of the model, training, phase and run modules and of the figure registry are
re-exported here (``__all__``), imported on first use (so ``import verification`` is cheap and
imports torch only when a name needs it).
"""

from effective_theory._lazy import attach

__getattr__, __dir__ = attach(
    __name__,
    ("model", "training", "phases", "runs", "figures"),
)
