"""Reader comments, titles and terms are untrusted: stored clean, exported clean (issue 11)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from editor_app.services.container import Services
from editor_app.services.importing import ImportOptions
from editor_app.store.database import Database

HOSTILE_COMMENT = (
    "Nice <b>piece</b><script>alert('x')</script>"
    '<img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(2)" style="color:red">click</a> '
    '<a href="https://ok.example/page" onclick="evil()">fine</a>'
)

WXR = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
 <title>Hostile</title><link>https://hostile.example</link>
 <wp:wxr_version>1.2</wp:wxr_version>
 <item>
  <title><![CDATA[Harbour <b>vote</b><script>alert('t')</script>]]></title>
  <dc:creator>ed</dc:creator>
  <content:encoded><![CDATA[<p>The council voted.</p>]]></content:encoded>
  <wp:post_id>7</wp:post_id>
  <wp:status>publish</wp:status>
  <wp:post_type>post</wp:post_type>
  <category domain="category" nicename="c"><![CDATA[City<script>alert('c')</script>]]></category>
  <category domain="post_tag"
  nicename="t"><![CDATA[<img src=x onerror=alert(3)>harbour]]></category>
  <wp:comment>
   <wp:comment_id>1</wp:comment_id>
   <wp:comment_author><![CDATA[Mallory]]></wp:comment_author>
   <wp:comment_author_url><![CDATA[javascript:alert(4)]]></wp:comment_author_url>
   <wp:comment_content><![CDATA[{HOSTILE_COMMENT}]]></wp:comment_content>
   <wp:comment_approved>1</wp:comment_approved>
   <wp:comment_parent>0</wp:comment_parent>
  </wp:comment>
 </item>
</channel>
</rss>
"""

PAGE = """Lessons in comparison

Some people compare numbers. This article explains how.

1 Comment

  1. a < b <3 and <b>not bold</b>
"""

FORBIDDEN = (b"<script", b"onerror", b"javascript:", b"style=", b"onclick", b'<img src="x"')


@pytest.fixture
def store(db_url: str) -> Iterator[tuple[Database, Services]]:
    db = Database(db_url)
    yield db, Services.build(db.uow)
    db.dispose()


def _comments(db: Database) -> list[dict[str, object]]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT body, body_html, body_original, author_url FROM comments ORDER BY id")
        )
        return [dict(r._mapping) for r in rows]


def _exported(path: Path, fmt: str) -> bytes:
    data = path.read_bytes()
    if fmt == "docx":
        with zipfile.ZipFile(path) as z:
            data = b"".join(z.read(n) for n in z.namelist())
    return data


def test_a_hostile_wxr_comment_is_stored_clean_with_its_original_and_every_export_is_clean(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    db, s = store
    src = tmp_path / "hostile.xml"
    src.write_text(WXR, encoding="utf-8")
    (aid,) = s.imports.import_paths([src]).article_ids
    (row,) = _comments(db)
    html = str(row["body_html"])
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "style=" not in html and "onclick" not in html and "<img" not in html
    assert "<b>piece</b>" in html
    assert '<a href="https://ok.example/page" rel="nofollow ugc">fine</a>' in html
    # The text the scorer and the search index read: words, no tags.
    assert row["body"] == "Nice piececlick fine"
    assert row["body_original"] == HOSTILE_COMMENT
    assert row["author_url"] == ""
    d = s.articles.detail(aid)
    assert d.title == "Harbour votealert('t')"
    assert d.section == "Cityalert('c')"
    assert set(d.tags) == {"harbour"}
    for fmt in ("html", "markdown", "docx", "ninjs", "wxr", "json"):
        (path,) = s.exports.export([aid], fmt, tmp_path / f"out.{fmt}")
        data = _exported(path, fmt).lower()
        for bad in FORBIDDEN:
            if fmt == "docx" and bad == b"style=":
                continue  # Word's own XML names its styles
            assert bad not in data, f"{bad!r} reached the {fmt} export"
        if fmt in ("wxr", "json"):
            assert b"<b>piece</b>" in data and b"nofollow ugc" in data, fmt


def test_a_page_dump_comment_is_text_and_survives_the_bundle_round_trip(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    db, s = store
    page = tmp_path / "compare.txt"
    page.write_text(PAGE, encoding="utf-8")
    options = ImportOptions(format="page", comments_status="approved")
    (aid,) = s.imports.import_paths([page], options).article_ids
    (row,) = _comments(db)
    assert row["body"] == "a < b <3 and <b>not bold</b>"
    assert row["body_html"] == "<p>a &lt; b &lt;3 and &lt;b&gt;not bold&lt;/b&gt;</p>"
    assert row["body_original"] is None
    (path,) = s.exports.export([aid], "json", tmp_path / "out.json")
    (comment,) = json.loads(path.read_text(encoding="utf-8"))["articles"][0]["comments"]
    assert comment["body"] == "<p>a &lt; b &lt;3 and &lt;b&gt;not bold&lt;/b&gt;</p>"
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        Services.build(other.uow).imports.import_paths([path])
        (again,) = _comments(other)
        assert again["body"] == "a < b <3 and <b>not bold</b>"
        assert again["body_html"] == comment["body"]
        assert again["body_original"] is None
    finally:
        other.dispose()


def test_an_editors_reply_and_edit_are_text_and_leave_as_escaped_paragraphs(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    db, s = store
    src = tmp_path / "hostile.xml"
    src.write_text(WXR, encoding="utf-8")
    s.imports.import_paths([src])
    with db.engine.connect() as conn:
        comment_id = conn.execute(text("SELECT id FROM comments")).scalar_one()
        author_id = conn.execute(text("SELECT id FROM authors")).scalar_one()
    typed = "Thanks! <script>alert(5)</script> a < b"
    s.moderation.reply(comment_id, typed, author_id=author_id, actor="ed")
    s.moderation.edit(comment_id, "Edited: <b>x</b> <3", actor="ed")
    rows = _comments(db)
    assert rows[0]["body"] == "Edited: <b>x</b> <3"
    assert rows[0]["body_html"] == "<p>Edited: &lt;b&gt;x&lt;/b&gt; &lt;3</p>"
    assert rows[1]["body"] == typed
    assert rows[1]["body_html"] == "<p>Thanks! &lt;script&gt;alert(5)&lt;/script&gt; a &lt; b</p>"
