"""The Export dialog: refuses nowhere, remembers the format, offers A4 or Letter for PDF,
suggests the slug with the format's filter, and counts articles in proper English."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from editor_app.services.container import Services
from editor_app.services.sample import load_sample_newsroom
from editor_app.ui import dialogs, export_dialog
from editor_app.ui.export_dialog import ExportDialog, articles, file_filter
from editor_app.ui.main_window import MainWindow

pytestmark = pytest.mark.ui


@pytest.fixture
def window(make_window, services: Services) -> MainWindow:
    load_sample_newsroom(services.imports)
    w = make_window()
    w.articles_page.table.selectRow(0)
    return w


def test_ok_is_refused_without_somewhere_to_write(qtbot, settings, tmp_path: Path):
    dialog = ExportDialog(1, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok.isEnabled()
    dialog.accept()  # Enter in the field: the dialog stays, and says why
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "Choose where" in dialog.note.text()
    dialog.target.setText(str(tmp_path / "no-such-folder" / "piece.html"))
    assert not dialog.ok.isEnabled()
    dialog.target.setText(str(tmp_path))  # a folder, for one article
    assert not dialog.ok.isEnabled()
    dialog.target.setText(str(tmp_path / "piece.html"))
    assert dialog.ok.isEnabled()
    many = ExportDialog(3, settings=settings)
    qtbot.addWidget(many)
    many.target.setText(str(tmp_path / "piece.html"))
    assert not many.ok.isEnabled()  # several articles go into a folder
    many.target.setText(str(tmp_path))
    assert many.ok.isEnabled()


def test_page_size_only_for_pdf(qtbot, settings):
    dialog = ExportDialog(1, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setCurrentIndex(dialog.format.findData("html"))
    assert not dialog.page_size.isVisible()
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    assert dialog.page_size.isVisible()
    assert [dialog.page_size.itemText(i) for i in range(dialog.page_size.count())] == [
        "A4",
        "Letter",
    ]


def test_choose_suggests_the_slug_with_the_formats_filter(
    qtbot, window: MainWindow, services: Services, monkeypatch, tmp_path: Path
):
    article_id = window.articles_page.current_id()
    assert article_id is not None
    slug = services.articles.detail(article_id).slug
    asked: list[tuple[str, str]] = []

    def save_path(_parent, suggested: str, fmt: str) -> str:
        asked.append((suggested, fmt))
        return str(tmp_path / "chosen")  # typed without an extension

    monkeypatch.setattr(export_dialog, "ask_save_path", save_path)

    def fill(dialog: ExportDialog) -> int:
        dialog.format.setCurrentIndex(dialog.format.findData("docx"))
        dialog.browse.click()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.export_action.trigger()
    # In the user's folder the first time (then the last one used), named by the slug.
    assert asked == [(str(Path.home() / f"{slug}.docx"), "docx")]
    assert file_filter("docx") == "Word document (DOCX) (*.docx)"
    qtbot.waitUntil(lambda: (tmp_path / "chosen.docx").exists(), timeout=10_000)


def test_the_format_and_page_size_are_remembered_and_the_pdf_is_letter(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path, settings
):
    from pypdf import PdfReader

    target = tmp_path / "proof.pdf"

    def fill(dialog: ExportDialog) -> int:
        dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
        dialog.page_size.setCurrentIndex(dialog.page_size.findData("letter"))
        dialog.target.setText(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.export_action.trigger()
    qtbot.waitUntil(lambda: not window.jobs.running and target.exists(), timeout=20_000)
    qtbot.waitUntil(lambda: "Exported 1 article to" in window.statusBar().currentMessage())
    box = PdfReader(str(target)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter

    seen: list[tuple[str, str]] = []

    def look(dialog: ExportDialog) -> int:
        seen.append((str(dialog.format.currentData()), dialog.chosen_page_size()))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialogs, "run_dialog", look)
    window.export_action.trigger()
    assert seen == [("pdf", "letter")]


def test_counts_are_proper_english():
    assert articles(1) == "1 article"
    assert articles(2) == "2 articles"
    assert articles(1200) == "1,200 articles"
