"""A run of text longer than libxml2's limit on one text node (10,000,000 characters):
lxml's HTML parser dropped such a run and said nothing. Every path that parses HTML keeps it
whole, or refuses the file in one line and leaves the store as it was."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from editor_app.domain.errors import ImportFailed
from editor_app.formats.bundle import ArticleData, Bundle, CommentData
from editor_app.formats.docx import read_docx, write_docx
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
    db, s = store
    (aid,) = s.imports.import_bundles([Bundle(articles=(_long_article(),))]).article_ids
    d = s.articles.detail(aid)
    assert d.body_html.count("quay") == WORDS  # sanitised whole
    with db.engine.connect() as conn:
        (comment,) = conn.execute(text("SELECT body_html FROM comments")).scalars()
    assert str(comment).count("quay") == WORDS
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


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _varied_run() -> str:
    """11,000,000 characters that do not compress 100:1 (the ZIP guard refuses that)."""
    words = ("harbour", "quay", "ferry", "tide", "crane", "pier", "dock")
    rng = random.Random(7)
    out = " ".join(rng.choice(words) for _ in range(1_900_000))
    assert len(out) > 10_000_000
    return out


def _docx(body_text: str, note_text: str) -> bytes:
    """A Word document of one paragraph with one footnote."""
    base = write_docx(ArticleData(title="The long quay", body_html="<p>x</p>"))
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(
        b'<w:t xml:space="preserve">x</w:t></w:r>',
        f'<w:t>{body_text}</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'.encode(),
    )
    members["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{_W}">'
        f'<w:footnote w:id="1"><w:p><w:r><w:t>{note_text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    ).encode()
    members["word/_rels/document.xml.rels"] = members["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rId99" Type="{_FOOTNOTES}" Target="footnotes.xml"/>'
        "</Relationships>".encode(),
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n, data in members.items():
            archive.writestr(n, data)
    return out.getvalue()


def test_a_word_document_with_a_long_run_keeps_its_note_or_is_refused_in_one_line() -> None:
    run = _varied_run()
    got = read_docx(_docx("Ouch.", run), source_name="note.docx").body_html
    assert "Ouch." in got and got.count("harbour") == run.count("harbour")  # the note, whole
    with pytest.raises(ImportFailed) as refused:
        read_docx(_docx(run, "A short note."), source_name="body.docx")
    message = str(refused.value)
    assert "\n" not in message and "10,000,000 characters" in message, message


def _saved_page(middle: str) -> bytes:
    paragraphs = [
        f"<p>Paragraph {i} of the council story, with enough words to count as prose.</p>"
        for i in range(12)
    ]
    return (
        "<!doctype html><html><head><title>Council votes</title></head><body><article>"
        f"<h1>Council votes</h1>{''.join(paragraphs[:6])}{middle}{''.join(paragraphs[6:])}"
        "</article></body></html>"
    ).encode()


def test_a_saved_page_with_a_picture_as_a_long_data_uri_is_read_whole(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    """A page saved as one file keeps its pictures as data: URIs (8 MB of PNG is 11 million
    characters of base64). Not a run of text: the page imports, with every paragraph (the
    ones after the picture too, which the page reader's parser had dropped with it)."""
    _db, s = store
    page = tmp_path / "saved.html"
    page.write_bytes(_saved_page(f'<p><img src="data:image/png;base64,{"A" * 11_000_000}"></p>'))
    s.imports.import_paths([page])
    (article_id,) = _article_ids(s)
    body = s.articles.detail(article_id).body_html
    assert [f"Paragraph {i} " in body for i in range(12)] == [True] * 12


@pytest.mark.parametrize(
    "middle",
    [
        f'<script>var words = "{RUN}";</script>',  # the page reader drops what follows it
        f"<p>Is a &lt; b? a < b {RUN}</p>",
    ],
    ids=["script", "text-after-a-bare-lt"],
)
def test_a_saved_page_with_a_long_script_or_run_is_refused_in_one_line(
    store: tuple[Database, Services], tmp_path: Path, middle: str
) -> None:
    _db, s = store
    page = tmp_path / "saved.html"
    page.write_bytes(_saved_page(middle))
    with pytest.raises(ImportFailed) as refused:
        s.imports.import_paths([page])
    message = str(refused.value)
    assert "\n" not in message and "10,000,000 characters" in message, message
    assert _article_ids(s) == []
