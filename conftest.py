"""Shared pytest configuration: the ``--full`` tier for paper-scale runs."""

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--full",
        action="store_true",
        default=False,
        help="run paper-scale experiments (slow; a GPU is recommended)",
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
