"""The command line as scripts use it: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(db_url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "EDITOR_APP_DB"}
    return subprocess.run(
        [sys.executable, "-m", "editor_app", "--db", db_url, *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def ok_json(db_url: str, *args: str) -> Any:
    proc = run(db_url, *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_import_list_and_show_the_seed(db_url: str, seed: Path) -> None:
    result = ok_json(db_url, "import", str(seed))
    assert {k: result[k] for k in ("articles", "authors", "comments", "skipped")} == {
        "articles": 1,
        "authors": 1,
        "comments": 14,
        "skipped": 0,
    }
    (article_id,) = result["article_ids"]

    again = ok_json(db_url, "import", str(seed))
    assert (again["articles"], again["comments"], again["skipped"]) == (0, 0, 1)

    articles = ok_json(db_url, "list", "articles")
    assert [a["id"] for a in articles] == [article_id]

    shown = ok_json(db_url, "show", "article", str(article_id))
    first_line = seed.read_text(encoding="utf-8").splitlines()[0].strip()
    assert shown["title"] == first_line
    assert len(shown["body_text"].split("\n\n")) == 26
    assert [f["credit"] != "" for f in shown["figures"]] == [True, True]
    assert shown["authors"][0]["name"] == "Lillian Avedian"
    assert set(shown["authors"][0]) >= {"id", "name", "role", "bio"}
    assert [len(c["replies"]) for c in shown["comments"]] == [2, 0, 1, 1, 0, 3, 0]

    comments = ok_json(db_url, "list", "comments", "--article", str(article_id), "--limit", "50")
    assert len(comments) == 14
    assert set(comments[0]) >= {
        "id",
        "article_id",
        "parent_id",
        "author_name",
        "status",
        "score",
        "reasons",
        "body",
    }
    assert sum(c["parent_id"] is None for c in comments) == 7
    # Page comments go through the moderation pipeline: held ones say why.
    held = ok_json(db_url, "list", "comments", "--status", "pending", "--limit", "50")
    assert held and all(c["reasons"] and c["score"] is not None for c in held)
    approved = ok_json(db_url, "list", "comments", "--status", "approved", "--limit", "50")
    assert len(held) + len(approved) == 14

    author = ok_json(db_url, "show", "author", str(shown["authors"][0]["id"]))
    assert [a["id"] for a in author["articles"]] == [article_id]

    reply = next(c for c in comments if c["parent_id"] is not None)
    ctx = ok_json(db_url, "show", "comment", str(reply["id"]))
    assert ctx["ancestors"][0]["id"] == reply["parent_id"]


def test_moderate_moves_comments_and_lists_follow(sqlite_url: str, seed: Path) -> None:
    ok_json(sqlite_url, "import", str(seed), "--comments-status", "pending")
    ids = [c["id"] for c in ok_json(sqlite_url, "list", "comments", "--limit", "3")]
    proc = run(sqlite_url, "moderate", "approve", *map(str, ids), "--as", "mara")
    assert proc.returncode == 0, proc.stderr
    approved = ok_json(sqlite_url, "list", "comments", "--status", "approved")
    assert sorted(c["id"] for c in approved) == sorted(ids)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", "{tmp}"), "folder"),
        (("import", "{tmp}/missing.txt"), "no such file"),
        (("import", "{tmp}/empty.txt"), "empty"),
        (("import", "{tmp}/binary.txt"), "binary"),
        (("show", "article", "424242"), "no article with id 424242"),
        (("list", "comments", "--status", "maybe"), "unknown status"),
    ],
)
def test_errors_are_one_line_and_exit_1(
    sqlite_url: str, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    proc = run(sqlite_url, *(a.format(tmp=tmp_path) for a in args))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert message in lines[0].lower()
    assert proc.stdout == ""


def test_usage_errors_exit_2(sqlite_url: str) -> None:
    proc = run(sqlite_url, "list", "nothing")
    assert proc.returncode == 2
    proc = run(sqlite_url, "frobnicate")
    assert proc.returncode == 2


def test_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    proc = run("mysql+nothing://x", "list", "articles")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ")
    folder = tmp_path / "adir"
    folder.mkdir()
    proc = run(f"sqlite:///{folder}", "list", "articles")
    assert proc.returncode == 1 and "folder" in proc.stderr


def test_db_upgrade_and_backup(sqlite_url: str, tmp_path: Path, seed: Path) -> None:
    assert run(sqlite_url, "db", "upgrade").returncode == 0
    ok_json(sqlite_url, "import", str(seed))
    proc = run(sqlite_url, "backup", str(tmp_path / "copy.sqlite3"))
    assert proc.returncode == 0, proc.stderr
    copy = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    assert len(ok_json(copy, "list", "comments", "--limit", "100")) == 14


def test_search_from_the_command_line(sqlite_url: str, seed: Path) -> None:
    ok_json(sqlite_url, "import", str(seed))
    found = ok_json(sqlite_url, "search", "Shamkhani")
    assert len(found["articles"]) == 1
    assert "Shamkhani" in found["articles"][0]["snippet"]  # where the name is, in context
    proc = run(sqlite_url, "search", "globalist")
    assert proc.returncode == 0, proc.stderr
    hits = [line for line in proc.stdout.splitlines() if line.startswith("comment")]
    assert hits and all("globalist" in line.lower() for line in hits)


def test_revisions_diff_and_autosaves_on_the_command_line(sqlite_url: str) -> None:
    from dataclasses import replace

    from editor_app.services.container import Services
    from editor_app.store.database import Database

    db = Database(sqlite_url)
    s = Services.build(db.uow)
    first = s.editor.save(
        replace(s.editor.new_draft(), title="Pier vote", body_html="<p>The council voted.</p>"),
        actor="ana",
    )
    second = s.editor.save(
        replace(first.draft, body_html="<p>The city council voted on Monday.</p>"), actor="bo"
    )
    s.editor.autosave(replace(second.draft, dek="Typed but not saved"), actor="bo")
    s.editor.autosave(replace(s.editor.new_draft(), title="Night market"), actor="bo")
    db.dispose()
    aid = first.draft.article_id

    revisions = ok_json(sqlite_url, "revisions", str(aid))
    assert [r["saved_by"] for r in revisions] == ["bo", "ana"]
    shown = ok_json(sqlite_url, "show", "article", str(aid))
    assert [r["id"] for r in shown["revisions"]] == [r["id"] for r in revisions]
    assert shown["autosave"]["dek"] == "Typed but not saved"
    listed = ok_json(sqlite_url, "list", "articles")
    assert {a["title"] for a in listed} == {"Pier vote", "Night market"}
    assert next(a for a in listed if a["title"] == "Night market")["id"] is None

    diff = run(sqlite_url, "diff", str(aid), str(revisions[1]["id"]), str(revisions[0]["id"]))
    assert diff.returncode == 0
    assert "The{+ city+} council voted{+ on Monday+}." in diff.stdout
    bad = run(sqlite_url, "diff", str(aid), "1", "999")
    assert bad.returncode == 1 and bad.stderr.startswith("error: ")


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    from importlib.metadata import version

    proc = run(f"sqlite:///{tmp_path / 'unused.sqlite3'}", "--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"editor-app {version('editor-app')}"
    assert not (tmp_path / "unused.sqlite3").exists()  # no store is opened for it


def test_help_and_usage_errors_do_not_load_the_store(tmp_path: Path) -> None:
    """What `--help` and a usage error import: no SQLAlchemy, no services, no scorer."""
    probe = (
        "import sys\n"
        "from editor_app.cli import main\n"
        "for argv in (['--help'], ['list', 'bogus'], ['--version']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'\n"
        "               or m.startswith(('editor_app.store', 'editor_app.moderation')))\n"
        "print('LOADED', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert "LOADED []" in proc.stderr, proc.stderr[-500:]
    assert "usage: editor-app" in proc.stdout
