"""Shared pytest configuration: the ``--full`` tier, the shared result cache, and the verdicts of a tier.

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
    the project root), so the full tiers of the test suite and of the report share their results.
    """
    from verification.runtime.result_cache import ResultCache

    value = request.config.getoption("--results-cache")
    if value is not None and value.lower() == "none":
        return None
    path = Path(value) if value is not None else Path(request.config.rootpath) / "geneft-results" / ".cache"
    return ResultCache(path)


# --------------------------------------------------------------------------- the tier's verdicts

_ROWS = pytest.StashKey[dict]()


@pytest.fixture(scope="session")
def tier_checks(request, results_cache):
    """``tier_checks(tier)`` -> ``{(figure key, prediction): Check}`` (Holm-adjusted, cached)."""
    from verification.reproduce import evaluate_tier

    memo = request.config.stash.setdefault(_ROWS, {})
    progress = request.config.getoption("capture") == "no"

    def get(tier: str):
        if tier not in memo:
            device = "cpu" if tier == "quick" else None
            memo[tier] = evaluate_tier(tier, device=device, cache=results_cache, progress=progress)
        return memo[tier]

    return get


def pytest_report_header(config):
    cache = config.getoption("--results-cache")
    where = "geneft-results/.cache (shared with `geneft reproduce`)" if cache is None else cache
    return f"geneft: verification results cache: {where}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    memo = config.stash.get(_ROWS, {})
    for tier, checks in memo.items():
        terminalreporter.section(f"geneft predictions ({tier} tier; verdicts Holm-adjusted as in the report)")
        for (key, _), c in checks.items():
            terminalreporter.write_line(f"{c.verdict:12s} {key:6s} {c.prediction}: {c.measured}")
