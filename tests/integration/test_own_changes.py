"""A workstation's own saves never read as "changed on another workstation"; others' still do.

The window polls its ChangeWatcher about once a second. On SQLite, `PRAGMA data_version`
moved for the window's own commits (another connection of the same engine); on PostgreSQL,
the NOTIFY of its own sessions came back to its LISTEN. Issue 11.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor_app.formats.bundle import ArticleData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store.changes import ChangeWatcher
from editor_app.store.database import Database

ROOT = Path(__file__).resolve().parents[2]


def bundle(title: str, comments: int = 0) -> Bundle:
    return Bundle(
        articles=(
            ArticleData(
                title=title,
                body_html="<p>A paragraph.</p>",
                source_key=f"own:{title}",
                comments=tuple(
                    CommentData(key=str(n), body=f"Comment {n}", status="pending")
                    for n in range(comments)
                ),
            ),
        )
    )


def quiet_for(watcher: ChangeWatcher, seconds: float) -> frozenset[str]:
    """Everything the watcher reports while polled every 50 ms for `seconds`."""
    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen |= watcher.poll()
        time.sleep(0.05)
    return frozenset(seen)


def wait_for(watcher: ChangeWatcher, seconds: float = 3.0) -> frozenset[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        changed = watcher.poll()
        if changed:
            return changed
        time.sleep(0.05)
    return frozenset()


@pytest.fixture
def mine(db_url: str) -> Iterator[tuple[Services, ChangeWatcher, str]]:
    db = Database(db_url)
    services = Services.build(db.uow)
    services.imports.import_bundles([bundle("Before the watcher", comments=3)])
    watcher = ChangeWatcher(db.engine)
    yield services, watcher, db_url
    watcher.close()
    db.dispose()


def test_own_saves_and_moderation_from_any_thread_are_not_anothers(
    mine: tuple[Services, ChangeWatcher, str],
) -> None:
    services, watcher, _url = mine
    assert watcher.poll() == frozenset()
    (row,) = services.articles.page().rows
    services.articles.set_status(row.id, "editing", actor="ana")
    comments = services.comments.page(CommentFilter()).rows
    services.moderation.act([comments[0].id], "approve", actor="ana")
    assert quiet_for(watcher, 1.2) == frozenset()

    def worker() -> None:  # a background job: its own session on the same engine
        services.imports.import_bundles([bundle("From a worker thread", comments=2)])
        services.moderation.act([comments[1].id], "spam", actor="ana")

    thread = threading.Thread(target=worker)
    thread.start()
    while thread.is_alive():  # the window polls while the job runs
        assert watcher.poll() == frozenset()
        time.sleep(0.01)
    thread.join()
    assert quiet_for(watcher, 1.2) == frozenset()


def test_another_process_is_still_seen(
    mine: tuple[Services, ChangeWatcher, str], tmp_path: Path
) -> None:
    services, watcher, url = mine
    comment = services.comments.page(CommentFilter()).rows[0]
    env = {k: v for k, v in os.environ.items() if k != "EDITOR_APP_DB"}
    proc = subprocess.run(
        [sys.executable, "-m", "editor_app", "--db", url, "moderate", "trash", str(comment.id)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert wait_for(watcher)
    assert watcher.poll() == frozenset()


def test_anothers_change_just_before_an_own_save_is_still_seen(
    mine: tuple[Services, ChangeWatcher, str],
) -> None:
    """Another workstation commits, then this one saves, before the window looks: the
    other's change must not hide behind the own save."""
    services, watcher, url = mine
    other_db = Database(url)
    try:
        other = Services.build(other_db.uow)
        other.imports.import_bundles([bundle("From another workstation")])
        (row,) = [r for r in services.articles.page().rows if r.title == "Before the watcher"]
        services.articles.set_status(row.id, "editing", actor="ana")
        assert wait_for(watcher)
        assert quiet_for(watcher, 0.5) == frozenset()
    finally:
        other_db.dispose()
