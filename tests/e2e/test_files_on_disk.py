"""Files on disk: a mistyped store path is an error; the store (commenters' emails and IPs) is
the user's alone; exports are ordinary files that follow the user's umask; backups stay
private."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from editor_app.store.database import Database

ROOT = Path(__file__).resolve().parents[2]


def run(
    *args: str, env: dict[str, str] | None = None, umask: int = 0o022
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "EDITOR_APP_DB"}
    return subprocess.run(
        [sys.executable, "-m", "editor_app", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        cwd=ROOT,
        timeout=180,
        umask=umask,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def page(folder: Path) -> Path:
    path = folder / "page.md"
    path.write_text("---\ntitle: On disk\n---\n\nA paragraph.\n", encoding="utf-8")
    return path


def test_a_mistyped_store_path_is_a_one_line_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    for how in (["--db", f"sqlite:///{missing}/x.db"], []):
        env = {} if how else {"EDITOR_APP_DB": f"sqlite:///{missing}/x.db"}
        proc = run(*how, "list", "articles", env=env)
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1, proc.stderr
        assert str(missing) in proc.stderr
        assert not (tmp_path / "no").exists()


def test_the_default_store_is_made_in_a_private_data_folder(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    proc = run("import", str(page(tmp_path)), env={"XDG_DATA_HOME": str(xdg)})
    assert proc.returncode == 0, proc.stderr
    folder = xdg / "Copydesk"
    assert mode(folder) == 0o700
    assert mode(folder / "copydesk.sqlite3") == 0o600


def test_the_store_and_its_wal_and_shm_are_private_while_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older store (0644 in a 0755 data folder) is made private when opened; SQLite's
    side files, made while it runs, are too."""
    monkeypatch.delenv("EDITOR_APP_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "xdg" / "Copydesk"
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    store = folder / "copydesk.sqlite3"
    store.touch(mode=0o644)
    store.chmod(0o644)
    db = Database()
    try:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE scratch (x)")
        files = [store, Path(f"{store}-wal"), Path(f"{store}-shm")]
        assert all(p.exists() for p in files)
        assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
        assert mode(folder) == 0o700
    finally:
        db.dispose()


def test_a_store_elsewhere_is_private_and_its_folder_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    folder.chmod(0o755)
    proc = run("--db", f"sqlite:///{folder}/newsroom.db", "import", str(page(tmp_path)))
    assert proc.returncode == 0, proc.stderr
    assert mode(folder / "newsroom.db") == 0o600
    assert mode(folder) == 0o755


def test_exports_follow_the_umask_and_backups_stay_private(tmp_path: Path) -> None:
    umask = 0o027  # neither mkstemp's 0600 nor the usual 0644 by chance
    url = f"sqlite:///{tmp_path}/store.sqlite3"
    proc = run("--db", url, "import", str(page(tmp_path)), "--json")
    assert proc.returncode == 0, proc.stderr
    (article_id,) = json.loads(proc.stdout)["article_ids"]
    modes = {}
    for fmt, name in [
        ("html", "a.html"),
        ("markdown", "a.md"),
        ("docx", "a.docx"),
        ("pdf", "a.pdf"),
        ("ninjs", "a.ninjs.json"),
        ("wxr", "a.xml"),
        ("json", "a.json"),
    ]:
        target = tmp_path / name
        proc = run(
            "--db",
            url,
            "export",
            str(article_id),
            "--format",
            fmt,
            "-o",
            str(target),
            umask=umask,
        )
        assert proc.returncode == 0, proc.stderr
        modes[fmt] = mode(target)
    assert modes == dict.fromkeys(modes, 0o666 & ~umask)
    backup = tmp_path / "backup.sqlite3"
    proc = run("--db", url, "backup", str(backup), umask=umask)
    assert proc.returncode == 0, proc.stderr
    assert mode(backup) == 0o600
