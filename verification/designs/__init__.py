"""Experiment designs that any figure can use: which runs to train, and when to stop.

* :mod:`~verification.designs.grid` -- a dense grid of points, every point's seeds trained;
* :mod:`~verification.designs.adaptive_columns` -- a boundary located column by column, the rows
  of each column chosen round by round where the boundary is uncertain;
* :mod:`~verification.designs.seed_rounds` -- seeds added to each point in rounds until its
  claims are decided (group-sequential tests) or its interval is narrow enough.

Each design takes its points' :class:`~verification.train_config.TrainConfig` lists, a
:class:`~verification.train_config.Schedule` and a :class:`~verification.runtime.context.RunContext`,
and trains through :func:`verification.runs.train_runs`; the figure modules say what is plotted
and checked.
"""
