"""A real WordPress for the site tests, once per test session (skipped where it cannot run)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from editor_app.remote.credentials import Credentials
from editor_app.services.container import Services
from editor_app.services.sites import SiteService
from editor_app.store.database import Database
from tests.wordpress.wpsite import ADMIN, Seeder, WordPressSite, make_site, unavailable


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


@pytest.fixture
def seed(wordpress: WordPressSite) -> Seeder:
    return Seeder(wordpress)


@dataclass
class Desk:
    """A Copydesk store connected to the test site as 'gazette'."""

    db: Database
    services: Services
    sites: SiteService
    config: Path
    url: str


def _desk(wordpress: WordPressSite, url: str, config: Path) -> Iterator[Desk]:
    db = Database(url)
    services = Services.build(db.uow)
    sites = SiteService(services.uow, services.imports, Credentials(config, use_keyring=False))
    sites.add("gazette", wordpress.url, ADMIN, wordpress.app_password)
    try:
        yield Desk(db, services, sites, config, url)
    finally:
        db.dispose()


@pytest.fixture
def desk(
    wordpress: WordPressSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Desk]:
    config = tmp_path / "config"
    monkeypatch.setenv("EDITOR_APP_CONFIG_DIR", str(config))
    monkeypatch.setenv("EDITOR_APP_KEYRING", "0")
    yield from _desk(wordpress, f"sqlite:///{tmp_path / 'store.sqlite3'}", config)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def desk_on(
    request: pytest.FixtureRequest,
    wordpress: WordPressSite,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Desk]:
    """A desk on SQLite and on PostgreSQL (where two writers really do run at once)."""
    config = tmp_path / "config"
    monkeypatch.setenv("EDITOR_APP_CONFIG_DIR", str(config))
    monkeypatch.setenv("EDITOR_APP_KEYRING", "0")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    else:
        url = str(request.getfixturevalue("pg_url"))
    yield from _desk(wordpress, url, config)
