"""Where experiments run and where their results are kept.

* :mod:`~verification.runtime.executor` -- executors that map a function over work items
  (in this process, or on a Ray cluster), with the result cache in between;
* :mod:`~verification.runtime.result_cache` -- the on-disk cache of finished results, keyed by a
  hash of their configuration, so an interrupted run resumes, and read-only layers under it (the
  archive of runs, :mod:`verification.archive`);
* :mod:`~verification.runtime.durable_write` -- writes that survive a crash whole or not at all
  (temporary file, fsync, rename, fsync of the folder), used wherever a result is saved;
* :mod:`~verification.runtime.provenance` -- the code commit, date and host a result was made with;
* :mod:`~verification.runtime.progress` -- progress that fits where it goes: a bar on a terminal,
  plain lines with the elapsed time and an ETA in a log.
"""

from effective_theory._lazy import attach

__getattr__, __dir__ = attach(
    __name__,
    (
        "durable_write",
        "executor",
        "provenance",
        "progress",
        "result_cache",
    ),
)
