"""The archive of trained runs shipped with the code: per-run results anyone can reuse and check.

The paper-scale tiers take hours of training; their per-run results live in the folder
``archive/`` of the repository, so that a clone rebuilds a figure's data without training and can
check that the archived numbers still come from the code.

* :mod:`~verification.archive.records` -- the format: one JSON Lines record per run, gzip
  compressed, one file per figure entry and experiment seed; the schema check on load;
* :mod:`~verification.archive.layer` -- the archive as a read-only layer of the result cache:
  a training chunk whose runs are all archived under its exact configuration is rebuilt, not
  trained;
* :mod:`~verification.archive.collect` -- ``geneft archive add``: the training chunks of a result
  cache appended to the archive, each run once;
* :mod:`~verification.archive.verify` -- ``geneft verify-archive``: a seeded sample of archived
  runs retrained and compared (bit for bit on the same host class, within a stated float32
  tolerance otherwise).
"""

from effective_theory._lazy import attach

__getattr__, __dir__ = attach(__name__, ("records", "layer", "collect", "verify"))
