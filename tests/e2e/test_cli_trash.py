"""`articles delete` / `articles restore` from the command line."""

from __future__ import annotations

from pathlib import Path

from .test_cli import ok_json, run


def test_delete_restore_and_delete_permanently(sqlite_url: str, seed: Path, tmp_path: Path):
    (article_id,) = ok_json(sqlite_url, "import", str(seed))["article_ids"]
    deleted = run(sqlite_url, "articles", "delete", str(article_id))
    assert deleted.returncode == 0, deleted.stderr
    assert "is in the Trash" in deleted.stdout
    assert ok_json(sqlite_url, "list", "articles") == []
    assert [a["id"] for a in ok_json(sqlite_url, "list", "articles", "--trash")] == [article_id]
    refused = run(sqlite_url, "export", "--all", "--format", "html", "-o", str(tmp_path))
    assert refused.returncode == 1 and refused.stderr.startswith("error:")
    restored = run(sqlite_url, "articles", "restore", str(article_id))
    assert restored.returncode == 0 and "back from the Trash" in restored.stdout
    assert [a["id"] for a in ok_json(sqlite_url, "list", "articles")] == [article_id]

    not_in_trash = run(sqlite_url, "articles", "delete", str(article_id), "--permanently")
    assert not_in_trash.returncode == 1
    assert not_in_trash.stderr.count("\n") == 1 and "not in the Trash" in not_in_trash.stderr
    assert run(sqlite_url, "articles", "delete", str(article_id)).returncode == 0
    gone = run(sqlite_url, "articles", "delete", str(article_id), "--permanently")
    assert gone.returncode == 0 and "deleted permanently" in gone.stdout
    assert ok_json(sqlite_url, "list", "articles", "--trash") == []
    missing = run(sqlite_url, "articles", "restore", str(article_id))
    assert missing.returncode == 1 and "no article" in missing.stderr
