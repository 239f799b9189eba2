"""A run of text longer than libxml2's limit on one text node (10,000,000 characters):
lxml's HTML parser dropped such a run and said nothing. Every path that parses HTML keeps it
whole, or refuses the file in one line and leaves the store as it was."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor_app.domain.errors import ImportFailed
from editor_app.formats.bundle import ArticleData, Bundle, CommentData
from editor_app.formats.htmlpage import read_html_page, write_html
from editor_app.formats.markdown import read_markdown
from editor_app.formats.wxr.writer import write_wxr
from editor_app.services.container import Services
from editor_app.store.database import Database

RUN = "quay " * 2_200_000  # 11,000,000 characters, no markup in them
WORDS = 2_200_000


@pytest.fixture
def store(sqlite_url: str) -> Iterator[tuple[Database, Services]]:
    db = Database(sqlite_url)
    yield db, Services.build(db.uow)
    db.dispose()


def _long_article() -> ArticleData:
    return ArticleData(
        title="The long quay",
        body_html=f"<p>{RUN}</p><p>The end.</p>",
        slug="long-quay",
        status="ready",
        comments=(CommentData(key="1", body=f"<p>{RUN}</p>", author_name="Ana"),),
        source_key="test:long-quay",
    )


def _article_ids(s: Services) -> list[int]:
    return [a.id for a in s.articles.page(limit=100).rows]


def test_a_long_run_is_kept_whole_when_stored_and_in_every_export(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    _db, s = store
    (aid,) = s.imports.import_bundles([Bundle(articles=(_long_article(),))]).article_ids
    d = s.articles.detail(aid)
    assert d.body_html.count("quay") == WORDS  # sanitised whole
    for fmt in ("html", "markdown", "docx", "ninjs", "wxr", "json"):
        (path,) = s.exports.export([aid], fmt, tmp_path / f"out.{fmt}")
        data = path.read_bytes()
        if fmt == "docx":
            with zipfile.ZipFile(path) as z:
                data = z.read("word/document.xml")
        assert data.count(b"quay") >= WORDS, f"the {fmt} export lost the long run"


def test_a_long_run_is_kept_whole_by_the_page_and_markdown_readers() -> None:
    own = write_html(_long_article()).encode("utf-8")
    assert read_html_page(own, source_name="own.html").body_html.count("quay") == WORDS
    md = read_markdown(f"# The long quay\n\n{RUN}\n\nThe end.\n", source_name="long.md")
    assert md.body_html.count("quay") == WORDS


def test_a_foreign_page_or_wxr_with_a_long_run_is_refused_in_one_line(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    _db, s = store
    page = tmp_path / "foreign.html"
    page.write_text(
        "<html><head><title>The long quay</title></head><body><article><h1>The long quay</h1>"
        f"<p>{RUN}</p><p>The end of a long story about the quay.</p></article></body></html>",
        encoding="utf-8",
    )
    wxr = tmp_path / "long.xml"
    write_wxr(
        Bundle(articles=(_long_article(),)),
        wxr,
        site_url="https://gazette.example",
        site_title="Gazette",
        for_publication=False,
    )
    for path, said in ((page, "10,000,000 characters"), (wxr, "safety limit")):
        with pytest.raises(ImportFailed) as refused:
            s.imports.import_paths([path])
        message = str(refused.value)
        assert "\n" not in message and said in message, message
    assert _article_ids(s) == []
