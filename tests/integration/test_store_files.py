"""The store's own files are no document: importing, reading as a picture or exporting over
them is refused in one line, and the running store keeps its locks and its content.

Reading a running SQLite store's file in the same process drops SQLite's POSIX locks (issue
11); writing over it loses the store.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor_app.domain.errors import UserError
from editor_app.services.container import Services
from editor_app.store.database import Database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Path, Database, Services]]:
    folder = tmp_path / "Documents"
    folder.mkdir()
    path = folder / "newsroom.db"
    db = Database(f"sqlite:///{path}")
    services = Services.build(db.uow)
    page = folder / "first.md"
    page.write_text("---\ntitle: First\n---\n\nA paragraph.\n", encoding="utf-8")
    services.imports.import_paths([page])
    yield path, db, services
    db.dispose()


def own_files(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm")]


def titles(services: Services) -> list[str]:
    return [a.title for a in services.articles.page().rows]


def test_importing_the_stores_own_files_is_refused_and_the_locks_stay(
    store: tuple[Path, Database, Services], held_locks, tmp_path: Path
) -> None:
    path, _db, services = store
    before = held_locks(os.getpid(), own_files(path))
    assert {path.name, f"{path.name}-shm"} <= before
    link = tmp_path / "looks-like-a-page.txt"
    link.symlink_to(path)
    hard = tmp_path / "hardlink.json"
    os.link(path, hard)
    for candidate in [*own_files(path), link, hard]:
        with pytest.raises(UserError) as caught:
            services.imports.import_paths([candidate])
        message = str(caught.value)
        assert "store's own file" in message and "\n" not in message, message
        assert held_locks(os.getpid(), own_files(path)) == before, candidate.name
    assert titles(services) == ["First"]


def test_reading_a_store_file_as_a_picture_is_refused(
    store: tuple[Path, Database, Services], held_locks
) -> None:
    path, _db, services = store
    before = held_locks(os.getpid(), own_files(path))
    for candidate in own_files(path):
        with pytest.raises(UserError, match="store's own file"):
            services.files.read(candidate)
    assert held_locks(os.getpid(), own_files(path)) == before


def test_no_export_or_backup_writes_over_the_store(
    store: tuple[Path, Database, Services], held_locks
) -> None:
    path, db, services = store
    (article_id,) = [a.id for a in services.articles.page().rows]
    inode = path.stat().st_ino
    for fmt in ("html", "markdown", "wxr", "json"):
        with pytest.raises(UserError, match="store's own file"):
            services.exports.export([article_id], fmt, path)
        with pytest.raises(UserError, match="store's own file"):
            services.exports.export([article_id], fmt, Path(f"{path}-wal"))
    with pytest.raises(UserError, match="store's own file"):
        services.files.write(path, "<html></html>")
    with pytest.raises(UserError, match="store's own file"):
        db.backup(path)
    assert path.stat().st_ino == inode
    assert titles(services) == ["First"]
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_the_command_line_refuses_the_store_in_one_line(
    store: tuple[Path, Database, Services],
) -> None:
    path, _db, _services = store
    env = {k: v for k, v in os.environ.items() if k != "EDITOR_APP_DB"}
    for args in (["import", str(path)], ["restore", str(path)]):
        proc = subprocess.run(
            [sys.executable, "-m", "editor_app", "--db", f"sqlite:///{path}", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.count("\n") == 1 and "store's own file" in proc.stderr, proc.stderr


@pytest.mark.parametrize("how", ["same name", "other case", "symlink", "hard link"])
def test_a_folder_export_never_writes_over_the_store(tmp_path: Path, how: str) -> None:
    """Many files into a folder: each name is checked against the store's files (looked up
    once for the folder), by path and by what is on disk. A name that differs only in case
    is the same file on macOS's and Windows's disks, so it is refused everywhere."""
    folder = tmp_path / "Documents"
    folder.mkdir()
    name = {"same name": "quay.html", "other case": "Quay.HTML"}.get(how, "newsroom.db")
    path = folder / name
    db = Database(f"sqlite:///{path}")
    services = Services.build(db.uow)
    try:
        for slug in ("pier", "quay"):
            page = tmp_path / f"{slug}.md"
            page.write_text(f"---\ntitle: {slug}\nslug: {slug}\n---\n\nText.\n", encoding="utf-8")
            services.imports.import_paths([page])
        if how == "symlink":
            (folder / "quay.html").symlink_to(path)
        elif how == "hard link":
            os.link(path, folder / "quay.html")
        before = sorted(p.name for p in folder.iterdir())
        ids = [a.id for a in services.articles.page().rows]
        with pytest.raises(UserError, match="store's own file"):
            services.exports.export(ids, "html", folder)
        assert sorted(p.name for p in folder.iterdir()) == before
        assert sorted(titles(services)) == ["pier", "quay"]
        services.exports.export(ids, "markdown", folder)  # other names: written
        assert (folder / "quay.md").is_file()
    finally:
        db.dispose()
