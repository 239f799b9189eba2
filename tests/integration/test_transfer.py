"""Imports and exports through the services: every format, privacy, all-or-nothing."""

from __future__ import annotations

import dataclasses
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from editor_app.domain.errors import Cancelled, ImportFailed, StoreError
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData
from editor_app.formats.jsonbundle import read_bundle_json
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store.database import Database

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"
SECRETS = ("reader-secret@example.com", "198.51.100.23", "bot-agent/1.0")


@pytest.fixture
def store(db_url: str) -> Iterator[tuple[Database, Services]]:
    db = Database(db_url)
    yield db, Services.build(db.uow)
    db.dispose()


def thread_bundle() -> Bundle:
    comments = (
        CommentData(
            "1",
            "First, approved.",
            author_name="Ana",
            author_email=SECRETS[0],
            author_ip=SECRETS[1],
            status="approved",
        ),
        CommentData(
            "2",
            "A reply, approved.",
            parent_key="1",
            author_name="Bo",
            author_email="bo@example.com",
            author_ip=SECRETS[1],
            status="approved",
        ),
        CommentData("3", "Deeper reply.", parent_key="2", author_name="Cy", status="approved"),
        CommentData(
            "4", "Held one, private.", author_name="Dee", author_email=SECRETS[0], status="pending"
        ),
    )
    return Bundle(
        articles=(
            ArticleData(
                title="Tidal barrier vote",
                dek="The council decides on Friday",
                body_html="<p>The <em>barrier</em> plan.</p><blockquote><p>“Build it,” "
                "she said.</p></blockquote><h2>Costs</h2><ul><li>One</li><li>Two</li></ul>",
                authors=(
                    AuthorData(
                        name="Mara Lindqvist",
                        email="mara@ledger.example",
                        bio="Mara covers the harbour.",
                        role="reporter",
                    ),
                ),
                status="published",
                section="City",
                tags=("harbour", "council"),
                source_key="test:tidal",
                comments=comments,
            ),
        )
    )


def _snapshot(db: Database) -> dict[str, int]:
    with db.engine.connect() as c:
        return {
            t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("articles", "authors", "comments", "moderation_actions", "revisions")
        }


@pytest.mark.parametrize("fmt", ["html", "markdown", "docx", "ninjs", "wxr", "json", "pdf"])
def test_publication_exports_never_leak_reader_data(
    store: tuple[Database, Services], tmp_path: Path, fmt: str
) -> None:
    _, s = store
    (aid,) = s.imports.import_bundles([thread_bundle()]).article_ids
    pdf = None
    if fmt == "pdf":
        from editor_app.workers.pdf import write_pdf

        pdf = write_pdf
    (path,) = s.exports.export([aid], fmt, tmp_path / f"out.{fmt}", pdf=pdf)
    data = path.read_bytes()
    if fmt == "docx":
        with zipfile.ZipFile(path) as z:
            data = b"".join(z.read(n) for n in z.namelist())
    assert data
    for secret in (*SECRETS, "bo@example.com", "mara@ledger.example"):
        assert secret.encode() not in data, f"{secret} leaked into {fmt}"
    assert b"Held one, private" not in data
    if fmt in ("html", "markdown", "ninjs", "wxr", "json"):
        assert b"Tidal barrier vote" in data


def test_wxr_round_trip_keeps_articles_authors_and_threads(
    store: tuple[Database, Services], tmp_path: Path, sqlite_url: str
) -> None:
    _, s = store
    (aid,) = s.imports.import_bundles([thread_bundle()]).article_ids
    (path,) = s.exports.export([aid], "wxr", tmp_path / "site.xml")
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    t = Services.build(other.uow)
    result = t.imports.import_paths([path])
    assert (result.articles, result.comments) == (1, 3)
    d = t.articles.detail(result.article_ids[0])
    assert (d.title, d.dek, d.section, d.status) == (
        "Tidal barrier vote",
        "The council decides on Friday",
        "City",
        "published",
    )
    assert set(d.tags) == {"harbour", "council"}
    assert [a.name for a in d.authors] == ["Mara Lindqvist"]
    assert "<blockquote>" in d.body_html and "<h2>Costs</h2>" in d.body_html
    tree = t.comments.tree(d.id)
    assert [n.comment.body for n in tree] == ["First, approved."]
    assert tree[0].replies[0].replies[0].comment.body == "Deeper reply."
    assert {n.comment.status for n in tree} == {"approved"}
    other.dispose()


@pytest.mark.parametrize("fmt", ["wxr", "json"])
def test_a_one_file_export_of_many_streams_and_a_cancel_keeps_the_old_file(
    store: tuple[Database, Services], tmp_path: Path, fmt: str
) -> None:
    _, s = store
    articles = tuple(
        ArticleData(
            title=f"Quay story {n}",
            body_html=f"<p>Story {n}.</p>",
            status="published",
            section=("City", "Harbour")[n % 2],
            tags=(f"tag{n % 4}",),
            authors=(AuthorData(name=("Ana Ruiz", "Bo Lind", "Cy Marr")[n % 3]),),
            source_key=f"test:quay-{n}",
            comments=(CommentData("1", f"Reader word {n}.", status="approved"),),
        )
        for n in range(12)
    )
    ids = list(s.imports.import_bundles([Bundle(articles=articles)]).article_ids)
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"site.{fmt}"
    target.write_text("the old file")
    seen: list[int] = []
    with pytest.raises(Cancelled):
        s.exports.export(
            ids,
            fmt,
            target,
            progress=lambda done, _total, _title: seen.append(done),
            cancelled=lambda: len(seen) >= 5,
        )
    assert target.read_text() == "the old file"
    assert [p.name for p in out.iterdir()] == [target.name]  # no temporary file left
    s.exports.export(ids, fmt, target)
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # an ordinary file, not private
    text_ = target.read_text()
    if fmt == "json":
        back = read_bundle_json(text_)
        assert [a.title for a in back.articles] == [f"Quay story {n}" for n in range(12)]
        assert [len(a.comments) for a in back.articles] == [1] * 12
        return
    # The header names every author and term once; every item and its comment is there.
    assert text_.count("<wp:author>") == 3
    assert text_.count("<wp:category>") == 2 and text_.count("<wp:tag>") == 4
    assert [text_.count(f"<title><![CDATA[Quay story {n}]]>") for n in range(12)] == [1] * 12
    assert text_.count("<wp:comment>") == 12


def test_export_writes_nothing_on_a_bad_request(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    _, s = store
    (aid,) = s.imports.import_bundles([thread_bundle()]).article_ids
    out = tmp_path / "out"
    out.mkdir()
    target = out / "keep.html"
    target.write_text("the old file")
    with pytest.raises(Exception, match="no article with id 999"):
        s.exports.export([aid, 999], "html", out)
    with pytest.raises(Exception, match="folder"):
        s.exports.export([aid, aid], "html", target)
    assert target.read_text() == "the old file"
    assert sorted(p.name for p in out.iterdir()) == ["keep.html"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/testdata is not beside the checkout")
def test_every_import_format_through_the_service(store: tuple[Database, Services]) -> None:
    _, s = store
    files = [
        SHARED / "wxr" / "small-export.xml",
        SHARED / "ghost" / "ghostToHugo-wrapped.json",
        SHARED / "html" / "salon.com.emissions.html",
        *sorted((SHARED / "docx" / "python-docx").glob("*.docx"))[:3],
    ]
    result = s.imports.import_paths(files)
    assert result.articles >= 11 + 1 + 1 + 3
    again = s.imports.import_paths(files[:1])
    assert again.articles == 0 and again.skipped == 11


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/testdata is not beside the checkout")
def test_a_bad_file_among_good_ones_imports_nothing(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    db, s = store
    s.imports.import_bundles([thread_bundle()])
    before = _snapshot(db)
    fake = tmp_path / "report.docx"
    fake.write_bytes(b"this is not a zip file at all")
    with pytest.raises(ImportFailed, match="Word document"):
        s.imports.import_paths([SHARED / "wxr" / "small-export.xml", fake])
    with pytest.raises(ImportFailed):
        s.imports.import_paths(
            [SHARED / "wxr" / "small-export.xml", SHARED / "wxr" / "malformed.xml"]
        )
    assert _snapshot(db) == before


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/testdata is not beside the checkout")
def test_a_cancelled_import_leaves_the_store_as_it_was(store: tuple[Database, Services]) -> None:
    db, s = store
    before = _snapshot(db)
    seen: list[int] = []

    def progress(done: int, _total: int, _title: str) -> None:
        seen.append(done)

    with pytest.raises(Cancelled):
        s.imports.import_paths(
            [SHARED / "wxr" / "small-export.xml"],
            progress=progress,
            cancelled=lambda: len(seen) >= 5,
        )
    assert _snapshot(db) == before


def test_decided_comments_from_an_export_keep_their_status(
    store: tuple[Database, Services],
) -> None:
    _, s = store
    s.imports.import_bundles([thread_bundle()])
    rows = s.comments.page(CommentFilter(newest_first=False)).rows
    assert [r.status for r in rows] == ["approved", "approved", "approved", "pending"]
    assert all(r.score is not None for r in rows)


def test_json_export_is_a_bundle_that_imports_back(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    _, s = store
    (aid,) = s.imports.import_bundles([thread_bundle()]).article_ids
    (path,) = s.exports.export([aid], "json", tmp_path / "b.json")
    assert json.loads(path.read_text())["format"] == "copydesk-bundle"


def test_a_backup_restores_replies_whatever_order_their_rows_come_in(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    """A server hands rows back in any order: a reply may come before what it answers."""
    db, s = store
    s.imports.import_bundles([thread_bundle()])
    with db.engine.begin() as c:  # a reply whose parent has the larger id, as data from
        top, reply = c.execute(text("SELECT id FROM comments ORDER BY id LIMIT 2")).scalars()
        c.execute(text("UPDATE comments SET parent_id = NULL WHERE id = :r"), {"r": reply})
        c.execute(text("UPDATE comments SET parent_id = :r WHERE id = :t"), {"r": reply, "t": top})
    backup = tmp_path / "copy.json"
    db._json_backup(backup)
    data = json.loads(backup.read_text())
    data["tables"]["comments"].reverse()  # replies first
    backup.write_text(json.dumps(data))
    target = Database(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    counts = target.restore(backup)
    assert counts["comments"] == 4
    with target.engine.connect() as c:
        pairs = c.execute(text("SELECT id, parent_id FROM comments ORDER BY id")).all()
    with db.engine.connect() as c:
        assert pairs == c.execute(text("SELECT id, parent_id FROM comments ORDER BY id")).all()
    target.dispose()


def test_a_full_backup_restores_everything(
    store: tuple[Database, Services], tmp_path: Path, sqlite_url: str
) -> None:
    db, s = store
    s.imports.import_bundles([thread_bundle()])
    # A never-saved draft's autosave: no article yet (its key to articles is empty).
    draft = dataclasses.replace(s.editor.new_draft(), title="Half an idea")
    s.editor.autosave(draft, actor="ana")
    backup = db.backup(tmp_path / "copy.bak")
    target = Database(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    counts = target.restore(backup)
    assert counts["articles"] == 1 and counts["comments"] == 4 and counts["autosaves"] == 1
    assert _snapshot(target) == _snapshot(db)
    t = Services.build(target.uow)
    assert [
        d.title for d in map(t.editor.recover, (i.draft_key for i in t.editor.recoverable()))
    ] == ["Half an idea"]
    # Reader data is kept by a full backup (and only by it).
    assert {r.author_email for r in t.comments.page(CommentFilter()).rows} >= {SECRETS[0]}
    assert t.search.search("barrier").articles
    with pytest.raises(Exception, match="empty store"):
        target.restore(backup)
    target.dispose()


def _broken(data: dict[str, object], how: str) -> str:
    if how == "truncated":
        return json.dumps(data)[:-300]
    if how == "not ours":
        return json.dumps({**data, "format": "something-else"})
    if how == "other schema":
        return json.dumps({**data, "schema": "0001"})
    if how == "out of order":  # comments before the articles they belong to
        tables = dict(data["tables"])  # type: ignore[call-overload]
        comments = tables.pop("comments")
        return json.dumps({**data, "tables": {"comments": comments, **tables}})
    return "\xff not json"


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("truncated", "not a readable JSON backup"),
        ("not ours", "not a Copydesk backup"),
        ("other schema", "has schema 0001"),
        ("out of order", "lists table"),
        ("garbage", "not a Copydesk backup"),
    ],
)
def test_a_bad_backup_restores_nothing_and_says_why(
    store: tuple[Database, Services], tmp_path: Path, how: str, message: str
) -> None:
    db, s = store
    s.imports.import_bundles([thread_bundle()])
    good = tmp_path / "good.json"
    db._json_backup(good)
    bad = tmp_path / "bad.json"
    bad.write_text(_broken(json.loads(good.read_text()), how), encoding="utf-8")
    target = Database(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    with pytest.raises(StoreError, match=message) as caught:
        target.restore(bad)
    assert "\n" not in str(caught.value)
    assert target.is_empty()
    assert set(_snapshot(target).values()) == {0}
    target.dispose()


@pytest.mark.parametrize("fmt", ["markdown", "html", "ninjs"])
def test_a_folder_export_is_all_or_nothing(
    store: tuple[Database, Services], tmp_path: Path, fmt: str
) -> None:
    _, s = store
    articles = tuple(
        ArticleData(
            title=f"Pier note {n}",
            slug=f"pier-note-{n}",
            body_html=f"<p>Note {n}.</p>",
            status="published",
            source_key=f"test:pier-{n}",
        )
        for n in range(8)
    )
    ids = list(s.imports.import_bundles([Bundle(articles=articles)]).article_ids)
    out = tmp_path / "out"
    out.mkdir()
    ext = {"markdown": ".md", "html": ".html", "ninjs": ".ninjs.json"}[fmt]
    old = out / f"pier-note-2{ext}"
    old.write_text("the old file")
    (out / "notes.txt").write_text("the editor's own file")
    before = sorted(p.name for p in out.iterdir())

    # Cancelled after five articles: not one of them is in the folder, no temporary left.
    seen: list[int] = []
    with pytest.raises(Cancelled, match="nothing was written"):
        s.exports.export(
            ids,
            fmt,
            out,
            progress=lambda done, _total, _title: seen.append(done),
            cancelled=lambda: len(seen) >= 5,
        )
    assert sorted(p.name for p in out.iterdir()) == before
    assert old.read_text() == "the old file"

    # A failure half-way through (a format that cannot render one article) is the same.
    calls: list[int] = []
    render = s.exports.render

    def failing(data: ArticleData, f: str, *, article_id: int = 0) -> str | bytes:
        calls.append(article_id)
        if len(calls) == 4:
            raise ImportFailed("cannot render this one")
        return render(data, f, article_id=article_id)

    s.exports.render = failing  # type: ignore[method-assign]
    with pytest.raises(ImportFailed):
        s.exports.export(ids, fmt, out)
    del s.exports.render
    assert sorted(p.name for p in out.iterdir()) == before

    # Complete: every article's file, the old one replaced, ordinary permissions.
    written = s.exports.export(ids, fmt, out)
    assert [p.name for p in written] == [f"pier-note-{n}{ext}" for n in range(8)]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [p.name for p in written] + ["notes.txt"]
    )
    assert "Note 2" in old.read_text()
    mask = os.umask(0)
    os.umask(mask)
    assert all(p.stat().st_mode & 0o777 == 0o666 & ~mask for p in written)


def test_a_folder_export_flushes_its_own_filesystem_only(
    store: tuple[Database, Services], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sync()` flushes every filesystem of the machine (others' writes, network mounts);
    the staged files need only the target's: `syncfs(2)` on Linux, else `fsync` per file."""
    _, s = store
    ids = list(s.imports.import_bundles([thread_bundle()]).article_ids)

    def no_sync() -> None:
        raise AssertionError("sync() of every filesystem")

    monkeypatch.setattr(os, "sync", no_sync)
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("markdown", "html", "ninjs"):
        written = s.exports.export([*ids, *ids], fmt, out)  # two: a folder export
        assert "Tidal barrier vote" in written[0].read_text()
    assert sorted(p.name for p in out.iterdir()) == [
        "tidal-barrier-vote.html",
        "tidal-barrier-vote.md",
        "tidal-barrier-vote.ninjs.json",
    ]
