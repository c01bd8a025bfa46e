"""Shared pytest configuration: the ``--full`` tier, ``--only``, the shared result cache, the verdicts.

The verification suite reads its verdicts from :func:`verification.reproduce.evaluate_tier` through
the result cache that ``geneft reproduce`` fills, so the two agree row by row; the session ends with
a summary of every prediction and its verdict.
"""

from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--full",
        action="store_true",
        default=False,
        help="run paper-scale experiments (slow; a GPU is recommended)",
    )
    parser.addoption(
        "--results-cache",
        default=None,
        metavar="DIR",
        help=(
            "where the verification tests keep finished results, so an interrupted run resumes "
            "(default: geneft-results/.cache, the cache of `geneft reproduce`; 'none': keep nothing)"
        ),
    )
    parser.addoption(
        "--archive-only",
        action="store_true",
        default=False,
        help=(
            "with --full: train nothing; the full tiers come from the result cache or the archive "
            "of trained runs, a result whose runs are in neither is skipped (with the command that "
            "makes them), and the others are Holm-adjusted among themselves, as with --only"
        ),
    )
    parser.addoption(
        "--only",
        default=None,
        metavar="KEYS",
        help=(
            "comma-separated registry keys or numbers (fig3,fig8 or 3,8): check only these results, "
            "Holm-adjusted among themselves as `geneft reproduce --only` does; the other results' "
            "tests are skipped"
        ),
    )


def _only(config):
    """The registry keys of ``--only`` (None: every result); a UsageError names an unknown one."""
    value = config.getoption("--only")
    if not value:
        return None
    from verification.figures.registry import get_figure

    try:
        return [get_figure(name).key for name in value.split(",")]
    except ValueError as exc:
        raise pytest.UsageError(f"--only: {exc}") from None


def pytest_configure(config):
    config.addinivalue_line("markers", "full_only: runs only with --full")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--full"):
        return
    skip = pytest.mark.skip(reason="paper-scale run: use --full")
    for item in items:
        if "slow" in item.keywords or "full_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def full_tier(request):
    """True when the suite runs at paper scale (``--full``)."""
    return request.config.getoption("--full")


@pytest.fixture(scope="session")
def results_cache(request):
    """The on-disk result cache of the verification tests (None when ``--results-cache none``).

    The default folder is the one ``geneft reproduce`` uses (``geneft-results/.cache``, here under
    the project root), so the full tiers of the test suite and of the report share their results;
    under it, the archive of trained runs shipped with the code (``archive/``), from which a
    training chunk the cache lacks is rebuilt when all its runs are archived.
    """
    from verification.archive.layer import DEFAULT_ARCHIVE, ArchiveLayer
    from verification.runtime.result_cache import ResultCache

    value = request.config.getoption("--results-cache")
    if value is not None and value.lower() == "none":
        return None
    path = Path(value) if value is not None else Path(request.config.rootpath) / "geneft-results" / ".cache"
    return ResultCache(path, layer=ArchiveLayer(DEFAULT_ARCHIVE))


# --------------------------------------------------------------------------- the tier's verdicts

_ROWS = pytest.StashKey[dict]()


@pytest.fixture(scope="session")
def tier_checks(request, results_cache):
    """``tier_checks(tier, key)`` -> ``{claim id: Check}`` (Holm-adjusted, cached).

    With ``--only``, only those results are computed and adjusted together, and a test of another
    result (``key``) is skipped.  With ``--archive-only`` the full tier trains nothing: a result
    one of whose training chunks is neither cached nor archived is skipped, naming the chunk, and
    the others are adjusted together.
    """
    from verification.figures.registry import FIGURES
    from verification.reproduce import evaluate_tier
    from verification.runtime.context import RunContext

    memo = request.config.stash.setdefault(_ROWS, {})
    progress = request.config.getoption("capture") == "no"
    only = _only(request.config)
    figures = dict(FIGURES) if only is None else {k: FIGURES[k] for k in only}
    missing: dict = {}

    def get(tier: str, key: str | None = None):
        if only is not None and key is not None and key not in only:
            pytest.skip(f"{key} is not among --only {','.join(only)}")
        if tier not in memo:
            device = "cpu" if tier == "quick" else None
            run = RunContext(device=device, cache=results_cache, progress=progress)
            chosen = figures
            if tier == "full" and request.config.getoption("--archive-only"):
                run, chosen = _archived_only(run, figures, missing)
            memo[tier] = evaluate_tier(tier, run=run, figures=chosen)
        if tier == "full" and key in missing:
            pytest.skip(f"{key}: {missing[key]} (geneft figure {FIGURES[key].number} --full trains it)")
        return memo[tier]

    return get


def _archived_only(run, figures: dict, missing: dict):
    """The run context and the results of ``figures`` whose full tier needs no training (cached, or
    rebuilt from the archive); the others go into ``missing`` with the reason."""
    from verification.archive.layer import DEFAULT_ARCHIVE, ArchiveLayer, MissingFromArchive
    from verification.runtime.result_cache import ResultCache

    if run.cache is None:
        raise pytest.UsageError("--archive-only reads the result cache: drop --results-cache none")
    cache = ResultCache(run.cache.root, layer=ArchiveLayer(DEFAULT_ARCHIVE, missing="error"))
    run = run.replace(cache=cache, tier="full")
    chosen = {}
    for key, fig in figures.items():
        try:
            fig.compute(fig.settings("full"), run)
        except MissingFromArchive as exc:
            missing[key] = str(exc)
        else:
            chosen[key] = fig
    return run, chosen


def pytest_report_header(config):
    cache = config.getoption("--results-cache")
    where = "geneft-results/.cache (shared with `geneft reproduce`)" if cache is None else cache
    return f"geneft: verification results cache: {where}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    memo = config.stash.get(_ROWS, {})
    for tier, checks in memo.items():
        terminalreporter.section(f"geneft predictions ({tier} tier; verdicts Holm-adjusted as in the report)")
        for claim_id, c in checks.items():
            terminalreporter.write_line(f"{c.verdict:12s} {claim_id}: {c.prediction}: {c.measured}")
