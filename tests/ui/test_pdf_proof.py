"""The PDF proof, rendered and read back: metadata, the first page, the running header, the
proof line and the author's bio."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from editor_app.formats.bundle import ArticleData, AuthorData
from editor_app.services.container import Services
from editor_app.services.files import current_umask
from editor_app.services.sample import load_sample_newsroom
from editor_app.workers.pdf import write_pdf

pypdf = pytest.importorskip("pypdf", reason="pypdf reads the proof back (pip install pypdf)")

TITLE = "Keep the library's harbour room open"
BIO = (
    "Ines Okafor covers the harbour, the council and the town's libraries for the magazine. "
    "She has reported from Marrowick since 2019."
)


def article(**changes) -> ArticleData:
    paragraphs = "".join(
        f"<p>Paragraph {i}: the reading room above the harbour has been open to anyone with "
        "a library card since 1962, and the council's plan would close it on weekdays.</p>"
        for i in range(60)
    )
    data = ArticleData(
        title=TITLE,
        dek="The council wants the room for offices; readers want it for reading.",
        body_html=paragraphs,
        status="copyedit",
        authors=(AuthorData(name="Ines Okafor", role="Reporter", bio=BIO),),
        updated_at=datetime(2026, 11, 30, 9, 15, tzinfo=UTC),
        revision=7,
    )
    return ArticleData(**{**data.__dict__, **changes})


def pages(path: Path) -> list[str]:
    reader = pypdf.PdfReader(str(path))
    return [" ".join((p.extract_text() or "").split()) for p in reader.pages]


def test_the_proof_reads_as_a_proof(tmp_path: Path):
    target = write_pdf(article(), tmp_path / "proof.pdf")
    assert target.stat().st_mode & 0o777 == 0o666 & ~current_umask()  # not a private 0600 file
    reader = pypdf.PdfReader(str(target))
    assert reader.metadata.title == TITLE
    assert reader.metadata.author == "Ines Okafor"
    text = pages(target)
    assert len(text) >= 2
    first = text[0]
    # Page 1: the proof line, then the title, once (no running header above it).
    assert "Status: Copyedit" in first and "Revision 7" in first and "Saved" in first
    assert first.count(TITLE) == 1
    assert first.index("Status: Copyedit") < first.index(TITLE)
    assert "Copyedit · revision 7 · page 1 of" in first
    # Later pages: the running header and the same footer.
    assert TITLE in text[1] and "page 2 of" in text[1]
    # About the author: the name once, in the bio, not "Ines Okafor Ines Okafor covers…".
    last = " ".join(" ".join(text).split())
    about = last[last.index("About the author") :]
    assert about.count("Ines Okafor") == 1
    assert "Ines Okafor covers the harbour" in about


def test_a_bio_without_the_name_gets_it_once(tmp_path: Path):
    other = AuthorData(name="Tom Reyes", bio="A former harbour pilot who writes about the sea.")
    target = write_pdf(article(authors=(other,)), tmp_path / "proof.pdf", page_size="letter")
    text = " ".join(" ".join(pages(target)).split())
    about = text[text.index("About the author") :]
    assert about.count("Tom Reyes") == 1 and "A former harbour pilot" in about


def test_a_proof_from_the_store_carries_its_revision(services: Services, tmp_path: Path):
    load_sample_newsroom(services.imports)
    row = services.articles.page().rows[0]
    services.articles.set_status(row.id, "editing", actor="ed")
    revisions = len(services.articles.revisions(row.id))
    (target,) = services.exports.export(
        [row.id], "pdf", tmp_path / "proof.pdf", pdf=lambda d, p: write_pdf(d, p)
    )
    first = pages(target)[0]
    assert f"Revision {revisions}" in first and "Status: Editing" in first
