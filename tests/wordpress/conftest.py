"""A real WordPress for the site tests, once per test session (skipped where it cannot run)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wordpress.wpsite import WordPressSite, make_site, unavailable


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent.name == "wordpress":
            item.add_marker(pytest.mark.wordpress)


@pytest.fixture(scope="session")
def wordpress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WordPressSite]:
    reason = unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    site = make_site(tmp_path_factory.mktemp("wordpress"))
    try:
        yield site
    finally:
        site.destroy()
