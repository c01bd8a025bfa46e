"""The theory-versus-experiment suite, the tests ``pytest verification/`` runs.

Each module here checks predictions of the paper against the experiments that test them:
:mod:`test_predictions` makes one test of every claim of the figure registry (the rows of
``geneft reproduce``), the per-figure modules check the experiment data behind those claims, and
:mod:`test_seed_robustness` checks that no verdict flips with the experiment seed.  They read the
quick or, with ``--full``, the paper-scale tier through the result cache ``geneft reproduce``
fills; the options and fixtures (``--full``, ``--only``, ``--results-cache``, ``tier_checks``) and
the closing summary of verdicts are in the project's root ``conftest.py``.

Unit tests of the code live in ``tests/``, whose folders mirror the packages: the test of
``verification/figures/registry.py`` is ``tests/verification/figures/test_registry.py``, that of
``effective_theory/statics/relations.py`` is ``tests/statics/test_relations.py``.
"""
