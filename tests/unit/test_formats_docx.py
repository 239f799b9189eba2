"""Word documents: the shared fixtures, the safety checks, and the write/read round trip."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from editor_app.domain.errors import ImportFailed
from editor_app.formats.bundle import ArticleData, AuthorData, CommentData, FigureData
from editor_app.formats.docx import read_docx, write_docx

pytestmark = pytest.mark.unit

DOCX = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "docx"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def fixture(*parts: str) -> Path:
    path = DOCX.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"shared test data is not here ({path}); it lives in ../shared beside the repo")
    return path


def all_fixtures() -> list[Path]:
    return sorted(DOCX.rglob("*.docx")) if DOCX.is_dir() else []


@pytest.mark.parametrize("path", all_fixtures(), ids=lambda p: p.name)
def test_every_shared_file_imports_or_is_refused_clearly(path: Path) -> None:
    try:
        article = read_docx(path)
    except ImportFailed as exc:
        message = str(exc)
        assert "\n" not in message and path.name in message
        return
    assert article.title
    assert "<script" not in article.body_html


def test_shared_fixtures_present() -> None:
    if not all_fixtures():
        pytest.skip(f"shared test data is not here ({DOCX})")
    assert len(all_fixtures()) >= 20


def test_strict_format_is_refused_with_advice() -> None:
    with pytest.raises(ImportFailed, match="Strict Open XML"):
        read_docx(fixture("mammoth", "strict-format.docx"))


def test_list_table_footnotes_and_links() -> None:
    assert read_docx(fixture("mammoth", "simple-list.docx")).body_html == (
        "<ul><li>Apple</li><li>Banana</li></ul>"
    )
    tables = read_docx(fixture("mammoth", "tables.docx")).body_html
    assert tables == (
        "<p>Above</p>\n<p>Top left | Top right</p>\n<p>Bottom left | Bottom right</p>\n<p>Below</p>"
    )
    notes = read_docx(fixture("mammoth", "footnotes.docx")).body_html
    assert notes == (
        "<p>Ouch[1].[2]</p>\n<h3>Notes</h3>\n"
        "<ol><li>A tachyon walks into a bar.</li><li>Fin.</li></ol>"
    )
    endnotes = read_docx(fixture("mammoth", "endnotes.docx")).body_html
    assert "<li>A tachyon walks into a bar.</li>" in endnotes
    linked = read_docx(fixture("mammoth", "footnote-hyperlink.docx")).body_html
    assert '<li><a href="http://www.example.com">Example</a></li>' in linked
    links = read_docx(fixture("python-docx", "par-hyperlinks.docx")).body_html
    assert 'One <a href="http://yahoo.com/">awesome hyperlink</a>.' in links
    numbered = read_docx(fixture("python-docx", "num-having-numbering-part.docx"))
    assert numbered.body_html == "<ol><li>Paragraph having List Number style.</li></ol>"


def test_headings_pictures_and_properties() -> None:
    styled = read_docx(fixture("python-docx", "par-known-styles.docx"))
    assert styled.title == "Heading 1"  # no Title style: the first Heading 1
    assert "Heading 1" not in styled.body_html and "<p>Body Text</p>" in styled.body_html
    picture = read_docx(fixture("mammoth", "tiny-picture.docx"))
    (fig,) = picture.figures
    assert fig.image_mime == "image/png" and fig.image
    assert fig.image == fixture("mammoth", "tiny-picture.png").read_bytes()
    props = read_docx(fixture("python-docx", "doc-coreprops.docx"))
    assert props.title == "Title" and props.tags == ("key", "word", "keyword")
    assert read_docx(fixture("mammoth", "underline.docx")).body_html == (
        "<p><strong>The Sunset Tree</strong></p>"
    )
    assert read_docx(fixture("mammoth", "text-box.docx")).body_html == "<p>Datum plane</p>"
    assert read_docx(fixture("mammoth", "empty.docx")).body_html == ""


def article() -> ArticleData:
    return ArticleData(
        title="Harbour plan",
        dek="The council votes on Tuesday.",
        section="Local",
        tags=("harbour", "council"),
        authors=(AuthorData(name="Ana Ruiz", email="ana@example.org"), AuthorData(name="Tom Lee")),
        body_html=(
            '<p>Intro with <strong>bold</strong>, <em>it</em> and <a href="https://ex.com/a">'
            "a link</a>.</p><h2>Section</h2><h3>Sub</h3>"
            "<blockquote><p>Quoted words.</p></blockquote>"
            "<ul><li>one<ul><li>nested</li></ul></li><li>two</li></ul>"
            "<ol><li>first</li><li>second</li></ol><p>Line<br>break</p>"
        ),
        figures=(
            FigureData(
                caption="The quay",
                credit="Jo Photo",
                alt="boats",
                anchor=1,
                image=PNG,
                image_mime="image/png",
            ),
            FigureData(caption="Only a caption", credit="Agency", anchor=3),
        ),
        comments=(
            CommentData(
                key="1", body="Spam!", author_email="troll@example.com", author_ip="203.0.113.9"
            ),
        ),
    )


def test_round_trip() -> None:
    original = article()
    back = read_docx(write_docx(original), source_name="out.docx")
    assert (back.title, back.dek, back.section, back.tags) == (
        "Harbour plan",
        "The council votes on Tuesday.",
        "Local",
        ("harbour", "council"),
    )
    assert [a.name for a in back.authors] == ["Ana Ruiz", "Tom Lee"]
    assert back.body_html == (
        '<p>Intro with <strong>bold</strong>, <em>it</em> and <a href="https://ex.com/a">a link'
        "</a>.</p>\n<h2>Section</h2>\n<h3>Sub</h3>\n<blockquote><p>Quoted words.</p></blockquote>"
        "\n<ul><li>one<ul><li>nested</li></ul></li><li>two</li></ul>\n"
        "<ol><li>first</li><li>second</li></ol>\n<p>Line<br>break</p>"
    )
    quay, caption_only = back.figures
    assert (quay.caption, quay.credit, quay.alt, quay.anchor, quay.image) == (
        "The quay",
        "Jo Photo",
        "boats",
        1,
        PNG,
    )
    assert (caption_only.caption, caption_only.credit, caption_only.anchor) == (
        "Only a caption",
        "Agency",
        3,
    )


def test_no_reader_data_written() -> None:
    data = write_docx(article())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = b"".join(archive.read(n) for n in archive.namelist())
    for secret in (b"troll@example.com", b"203.0.113.9", b"Spam!", b"ana@example.org"):
        assert secret not in text


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def minimal_docx_with(document_xml: bytes) -> bytes:
    base = write_docx(ArticleData(title="t", body_html="<p>x</p>"))
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["word/document.xml"] = document_xml
    return zip_bytes(members)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    path.write_text("Dear editor, this is plain text.")
    with pytest.raises(ImportFailed, match=r"letter\.docx is not a Word document"):
        read_docx(path)
    with pytest.raises(ImportFailed, match="empty"):
        read_docx(b"", source_name="empty.docx")
    with pytest.raises(ImportFailed, match="no such file"):
        read_docx(tmp_path / "missing.docx")


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(zip_bytes({"word/document.xml": b"\0" * (20 * 1024 * 1024)}))
    with pytest.raises(ImportFailed, match="ZIP bomb"):
        read_docx(bomb)


def test_declared_size_over_limit_is_refused() -> None:
    data = bytearray(zip_bytes({"a.bin": b"x"}, compression=zipfile.ZIP_STORED))
    # Patch the central directory's uncompressed size to 300 MB: the check reads what is declared.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (300 * 1024 * 1024).to_bytes(4, "little")
    with pytest.raises(ImportFailed, match="more than 200 MB"):
        read_docx(bytes(data), source_name="huge.docx")


def test_path_tricks_and_member_count_are_refused() -> None:
    with pytest.raises(ImportFailed, match="unsafe name"):
        read_docx(zip_bytes({"../evil.txt": b"x"}), source_name="evil.docx")
    with pytest.raises(ImportFailed, match="unsafe name"):
        read_docx(zip_bytes({"/etc/passwd": b"x"}), source_name="abs.docx")
    many = zip_bytes({f"f{i}.txt": b"" for i in range(2001)}, compression=zipfile.ZIP_STORED)
    with pytest.raises(ImportFailed, match="parts"):
        read_docx(many, source_name="many.docx")


def test_xxe_in_document_xml_is_refused() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(ImportFailed, match="DOCTYPE"):
        read_docx(minimal_docx_with(evil), source_name="xxe.docx")


def test_zip_that_is_not_word() -> None:
    with pytest.raises(ImportFailed, match="is not a Word document"):
        read_docx(zip_bytes({"hello.txt": b"hi"}), source_name="archive.docx")
