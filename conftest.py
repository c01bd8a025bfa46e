"""Shared pytest configuration: the ``--full`` tier for paper-scale runs and its result cache."""

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
            "where --full keeps finished results, so an interrupted run resumes (default: "
            "geneft-results/.cache, the cache of `geneft reproduce --full`; 'none': keep nothing)"
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
    """The on-disk result cache of the ``--full`` tier (None when ``--results-cache none``).

    The default folder is the one ``geneft reproduce`` uses (``geneft-results/.cache``, here under
    the project root), so the full tiers of the test suite and of the report share their results.
    """
    from verification.runtime.result_cache import ResultCache

    value = request.config.getoption("--results-cache")
    if value is not None and value.lower() == "none":
        return None
    path = Path(value) if value is not None else Path(request.config.rootpath) / "geneft-results" / ".cache"
    return ResultCache(path)
