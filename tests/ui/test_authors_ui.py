"""The Authors area on the sample newsroom: list, profile editing, photos, merge, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QDialog

from editor_app.domain.profile import ProfileInput
from editor_app.services.container import Services
from editor_app.services.dto import AuthorDetail
from editor_app.services.sample import load_sample_newsroom
from editor_app.ui import dialogs
from editor_app.ui.authors import dialogs as author_dialogs
from editor_app.ui.authors.dialogs import ConflictChoice
from editor_app.ui.authors.merge import MergeDialog
from editor_app.ui.authors.page import COL_NAME, AuthorsPage
from editor_app.ui.main_window import NAV_AUTHORS, MainWindow

pytestmark = pytest.mark.ui

IMOGEN, DEV = "Imogen Tarrant", "Dev Okonkwo-Hale"


def author_id(services: Services, name: str) -> int:
    return next(r.id for r in services.authors.list() if r.name == name)


def as_input(d: AuthorDetail, **changes: object) -> ProfileInput:
    return d.profile(**changes)


@pytest.fixture(autouse=True)
def discard_on_close(monkeypatch):
    """Closing the window with an edited profile asks first; the tests let it go."""
    monkeypatch.setattr(author_dialogs, "ask_discard_changes", lambda _parent, _name: True)


@pytest.fixture
def window(qtbot, make_window, services: Services) -> MainWindow:
    load_sample_newsroom(services.imports)
    win = make_window()
    win.nav.setCurrentRow(NAV_AUTHORS)
    return win


@pytest.fixture
def page(window: MainWindow) -> AuthorsPage:
    return window.authors_page


def open_editor(page: AuthorsPage, name: str) -> None:
    assert page.select_author(author_id(page._services, name))
    assert page.pane.detail is not None and page.pane.detail.name == name
    page.pane.edit_button.click()
    assert page.pane.is_editing


def retype(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(edit, text)


# The list -------------------------------------------------------------------------------
def test_list_shows_every_author_with_role_and_count(page: AuthorsPage, window: MainWindow):
    assert page.names() == [DEV, IMOGEN]
    first = page.list.topLevelItem(0)
    assert first.text(1) == "Features editor"
    assert first.text(2) == "3"
    assert not first.icon(COL_NAME).isNull()
    assert window.nav.item(NAV_AUTHORS).text() == "Authors (2)"
    # The current author's profile: header, counts, private email, articles with status.
    pane = page.pane
    assert pane.name_label.text() == DEV
    assert "1 published" in pane.counts_label.text()
    assert "2 in progress" in pane.counts_label.text()
    text = page.view.toPlainText()
    assert "private — never published" in text
    assert "The last net-mender on Gullwing Pier" in text
    assert "Published" in text and "Editing" in text


def test_former_authors_are_greyed(page: AuthorsPage, services: Services):
    dev = services.authors.detail(author_id(services, DEV))
    services.authors.update(dev.id, as_input(dev, active=False), expected_version=dev.version)
    page.refresh()
    item = page.list.topLevelItem(0)
    grey = page.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert item.foreground(1).color() == grey
    assert "former" in item.toolTip(0)
    imogen = page.list.topLevelItem(1)
    assert imogen.foreground(1).color() != grey


def test_search_and_sort(qtbot, page: AuthorsPage, services: Services):
    services.authors.create(ProfileInput(name="Aaron Abel", role="Intern"))
    page.refresh()
    assert page.names() == ["Aaron Abel", DEV, IMOGEN]

    qtbot.keyClicks(page.search, "tarr")
    qtbot.waitUntil(lambda: page.names() == [IMOGEN])
    assert page.pane.detail is not None and page.pane.detail.name == IMOGEN
    page.search.clear()
    qtbot.waitUntil(lambda: len(page.names()) == 3)

    page.sort.setCurrentIndex(page.sort.findData("articles"))
    assert page.names() == [DEV, IMOGEN, "Aaron Abel"]
    page.sort.setCurrentIndex(page.sort.findData("last_published"))
    assert page.names()[:2] == [IMOGEN, DEV]  # Imogen published last (March 2025)


# Editing --------------------------------------------------------------------------------
def test_rename_in_the_form_reaches_list_bylines_and_nav(
    qtbot, page: AuthorsPage, window: MainWindow, services: Services
):
    open_editor(page, IMOGEN)
    form = page.pane.form
    assert not form.save_button.isEnabled()  # nothing changed yet
    retype(qtbot, form.name_edit, "Imogen Tarrant-Vale")
    assert form.save_button.isEnabled()
    window.activateWindow()
    form.name_edit.setFocus()
    qtbot.keyClick(form.name_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert not page.pane.is_editing
    assert "Imogen Tarrant-Vale" in page.names()
    assert page.pane.name_label.text() == "Imogen Tarrant-Vale"
    imogen = services.authors.detail(author_id(services, "Imogen Tarrant-Vale"))
    article = services.articles.detail(imogen.articles[0].id)
    assert "Imogen Tarrant-Vale" in [a.name for a in article.authors]
    # The articles area was refreshed through the window's own path.
    model = window.articles_page.model
    bylines = [model.row_at(r).byline for r in range(model.rowCount())]
    assert any("Imogen Tarrant-Vale" in b for b in bylines)
    assert "Saved the profile" in window.statusBar().currentMessage()


def test_bad_email_is_marked_as_typed_and_fixing_it_clears_it(qtbot, page: AuthorsPage):
    open_editor(page, DEV)
    form = page.pane.form
    retype(qtbot, form.email_edit, "dev at harbour")
    assert form.email_edit.property("invalid") is True
    assert form.error_labels["email"].isVisible()
    assert "is not an email address" in form.error_labels["email"].text()
    assert not form.save_button.isEnabled()

    retype(qtbot, form.email_edit, "dev@harbourledger.example")
    assert form.email_edit.property("invalid") is False
    assert not form.error_labels["email"].isVisible()
    assert form.save_button.isEnabled()


def test_empty_name_is_marked_and_blocks_save(qtbot, page: AuthorsPage):
    open_editor(page, DEV)
    form = page.pane.form
    retype(qtbot, form.role_edit, "Weekend editor")
    assert form.save_button.isEnabled()
    retype(qtbot, form.name_edit, "")
    assert form.name_edit.property("invalid") is True
    assert form.error_labels["name"].text() == "A profile needs a name"
    assert not form.save_button.isEnabled()
    assert not form.save_action.isEnabled()
    qtbot.keyClicks(form.name_edit, "Dev Hale")
    assert form.name_edit.property("invalid") is False
    assert form.save_button.isEnabled()


def test_bad_links_are_marked(qtbot, page: AuthorsPage):
    open_editor(page, DEV)
    form = page.pane.form
    form.links_edit.setPlainText("https://mastodon.example/@dev\nnot a link\n@dev_hale")
    assert form.links_edit.property("invalid") is True
    assert "not a web address" in form.error_labels["links"].text()
    form.links_edit.setPlainText("https://mastodon.example/@dev\n@dev_hale")
    assert form.links_edit.property("invalid") is False


def test_bio_bold_and_link_are_saved_as_the_subset(
    qtbot, page: AuthorsPage, services: Services, monkeypatch
):
    open_editor(page, DEV)
    bio = page.pane.form.bio_edit
    bio.set_bio("Dev writes features.")
    cursor = bio.text.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(3, cursor.MoveMode.KeepAnchor)  # "Dev"
    bio.text.setTextCursor(cursor)
    bio.bold_action.trigger()
    cursor.setPosition(11)
    cursor.setPosition(19, cursor.MoveMode.KeepAnchor)  # "features"
    bio.text.setTextCursor(cursor)
    monkeypatch.setattr(author_dialogs, "ask_link_url", lambda _p, _c: "harbourledger.example/f")
    bio.link_action.trigger()
    assert bio.bio() == (
        '<p><strong>Dev</strong> writes <a href="https://harbourledger.example/f">features</a>.</p>'
    )
    page.pane.form.save_button.click()
    saved = services.authors.detail(author_id(services, DEV))
    assert "<strong>Dev</strong>" in saved.bio
    assert 'href="https://harbourledger.example/f"' in saved.bio
    assert "Dev writes features." in page.view.toPlainText()


def test_bio_keys_format_and_do_not_start_an_import(
    qtbot, page: AuthorsPage, window: MainWindow, monkeypatch
):
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_import_paths", lambda _p: asked.append("import") or [])
    open_editor(page, DEV)
    bio = page.pane.form.bio_edit
    bio.set_bio("")
    window.activateWindow()
    bio.text.setFocus()
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(bio.text, Qt.Key.Key_B, ctrl)
    qtbot.keyClicks(bio.text, "Dev")
    qtbot.keyClick(bio.text, Qt.Key.Key_B, ctrl)
    qtbot.keyClick(bio.text, Qt.Key.Key_I, ctrl)  # Ctrl+I is Import elsewhere in the window
    qtbot.keyClicks(bio.text, " writes")
    assert bio.bio() == "<p><strong>Dev</strong><em> writes</em></p>"
    assert asked == []


def test_new_author(qtbot, page: AuthorsPage, window: MainWindow, services: Services):
    window.nav.setCurrentRow(0)
    page.new_action.trigger()
    assert window.stack.currentWidget() is page
    form = page.pane.form
    assert page.pane.is_editing and form.is_new
    assert not form.save_button.isEnabled()
    assert not form.error_labels["name"].isVisible()  # not nagged before typing
    qtbot.keyClicks(form.name_edit, "Nora Vass")
    qtbot.keyClicks(form.role_edit, "Assistant editor")
    form.save_button.click()
    assert "Nora Vass" in page.names()
    assert page.current_id() == author_id(services, "Nora Vass")
    assert window.nav.item(NAV_AUTHORS).text() == "Authors (3)"


def test_unsaved_edits_are_not_dropped_silently(qtbot, page: AuthorsPage, monkeypatch):
    asked: list[str] = []
    answer = [False]

    def ask(_parent, name: str) -> bool:
        asked.append(name)
        return answer[0]

    monkeypatch.setattr(author_dialogs, "ask_discard_changes", ask)
    open_editor(page, DEV)
    retype(qtbot, page.pane.form.role_edit, "Weekend editor")
    page.select_author(author_id(page._services, IMOGEN))
    assert asked == [DEV]
    assert page.pane.is_editing and page.current_id() == author_id(page._services, DEV)
    answer[0] = True
    page.select_author(author_id(page._services, IMOGEN))
    assert not page.pane.is_editing
    assert page.pane.detail is not None and page.pane.detail.name == IMOGEN


# Photos ---------------------------------------------------------------------------------
def test_photo_from_a_png_shows_a_round_avatar(
    qtbot, page: AuthorsPage, services: Services, monkeypatch, tmp_path: Path, errors
):
    image = QImage(160, 100, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a7ab0"))
    png = tmp_path / "portrait.png"
    assert image.save(str(png))
    monkeypatch.setattr(author_dialogs, "ask_photo_path", lambda _p: str(png))
    open_editor(page, IMOGEN)
    page.pane.form.photo_button.click()

    imogen = services.authors.detail(author_id(services, IMOGEN))
    assert imogen.has_photo and page.pane.has_photo
    data, _mime = services.authors.photo(imogen.id) or (b"", "")
    cropped = QImage.fromData(data)
    assert cropped.width() == cropped.height() == 100
    # The form's base version followed our own photo change: saving does not conflict.
    retype(qtbot, page.pane.form.role_edit, "City editor")
    page.pane.form.save_button.click()
    assert errors == [] and not page.pane.is_editing
    assert services.authors.detail(imogen.id).role == "City editor"


def test_list_avatars_are_drawn_once_and_again_when_the_photo_changes(
    qtbot, page: AuthorsPage, services: Services, monkeypatch
):
    imogen = author_id(services, IMOGEN)
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("#c0392b"))
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    services.authors.set_photo(imogen, bytes(buf.data()))
    asked: list[int] = []
    real = page._photo  # what the list fetches avatars with (the profile pane has its own)

    def counted(author_id: int):
        asked.append(author_id)
        return real(author_id)

    monkeypatch.setattr(page, "_photo", counted)
    page.refresh()
    with_photo = sorted(r.id for r in services.authors.list() if r.has_photo)
    assert imogen in with_photo
    assert sorted(asked) == with_photo  # only authors with a photo are fetched
    asked.clear()

    def colour_of_imogen() -> tuple[int, int, int]:
        item = next(
            page.list.topLevelItem(i)
            for i in range(page.list.topLevelItemCount())
            if page.list.topLevelItem(i).text(0) == IMOGEN
        )
        pixmap = item.icon(0).pixmap(32, 32)
        c = pixmap.toImage().pixelColor(16, 16)
        return (c.red() // 16, c.green() // 16, c.blue() // 16)  # the photo is re-encoded

    assert colour_of_imogen() == (0xC, 0x3, 0x2)
    qtbot.keyClicks(page.search, "tarr")  # every keystroke refreshes the list
    qtbot.waitUntil(lambda: page.names() == [IMOGEN])
    page.search.clear()
    qtbot.waitUntil(lambda: len(page.names()) == 2)
    assert asked == []  # nothing fetched or decoded again

    image.fill(QColor("#27ae60"))  # a new photo (here, from another workstation)
    buf2 = QBuffer()
    buf2.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf2, "PNG")
    services.authors.set_photo(imogen, bytes(buf2.data()))
    page.refresh()
    assert asked == [imogen]
    assert colour_of_imogen() == (0x2, 0xA, 0x6)


def test_a_file_that_is_no_picture_is_refused(
    page: AuthorsPage, monkeypatch, tmp_path: Path, errors: list[str]
):
    text = tmp_path / "notes.png"
    text.write_text("not really a picture")
    monkeypatch.setattr(author_dialogs, "ask_photo_path", lambda _p: str(text))
    open_editor(page, IMOGEN)
    page.pane.form.photo_button.click()
    assert errors and "not a picture" in errors[0]
    assert not page.pane.has_photo


# Conflicts ------------------------------------------------------------------------------
def change_behind_the_form(services: Services, name: str, **changes: object) -> None:
    d = services.authors.detail(author_id(services, name))
    services.authors.update(d.id, as_input(d, **changes), expected_version=d.version)


@pytest.fixture
def conflict_answer(monkeypatch):
    calls: list[tuple[str, list[str]]] = []
    choice = [ConflictChoice.CANCEL]

    def ask(_parent, message: str, changed) -> ConflictChoice:
        calls.append((message, list(changed)))
        return choice[0]

    monkeypatch.setattr(author_dialogs, "ask_conflict", ask)
    return calls, choice


def test_stale_save_asks_and_overwrite_saves_ours(
    qtbot, page: AuthorsPage, services: Services, conflict_answer
):
    calls, choice = conflict_answer
    open_editor(page, DEV)
    retype(qtbot, page.pane.form.role_edit, "Weekend editor")
    change_behind_the_form(services, DEV, location="Calloway")

    page.pane.form.save_button.click()  # cancel: nothing saved, still editing
    assert len(calls) == 1 and "location" in calls[0][1]
    assert page.pane.is_editing
    assert services.authors.detail(author_id(services, DEV)).role == "Features editor"

    choice[0] = ConflictChoice.OVERWRITE
    page.pane.form.save_button.click()
    dev = services.authors.detail(author_id(services, DEV))
    assert dev.role == "Weekend editor" and dev.location == ""
    assert not page.pane.is_editing


def test_stale_save_reload_takes_their_version(
    qtbot, page: AuthorsPage, services: Services, conflict_answer
):
    calls, choice = conflict_answer
    choice[0] = ConflictChoice.RELOAD
    open_editor(page, DEV)
    retype(qtbot, page.pane.form.role_edit, "Weekend editor")
    change_behind_the_form(services, DEV, location="Calloway")
    page.pane.form.save_button.click()

    assert len(calls) == 1
    dev = services.authors.detail(author_id(services, DEV))
    assert dev.role == "Features editor" and dev.location == "Calloway"
    form = page.pane.form
    assert form.location_edit.text() == "Calloway"
    assert form.role_edit.text() == "Features editor"
    assert not form.is_dirty
    # Their version is now the base: the next save goes through.
    retype(qtbot, form.role_edit, "Weekend editor")
    form.save_button.click()
    assert len(calls) == 1
    assert services.authors.detail(dev.id).role == "Weekend editor"


# Merge ----------------------------------------------------------------------------------
def test_merge_through_the_dialog_then_undo(
    qtbot, page: AuthorsPage, window: MainWindow, services: Services, monkeypatch
):
    imogen_id, dev_id = author_id(services, IMOGEN), author_id(services, DEV)
    all_articles = {a.id for i in (imogen_id, dev_id) for a in services.authors.detail(i).articles}
    seen: list[MergeDialog] = []

    def drive(dialog: QDialog) -> int:
        assert isinstance(dialog, MergeDialog)
        seen.append(dialog)
        dialog.keep_radio[imogen_id].setChecked(True)
        dialog.field_radio["website"][dev_id].setChecked(True)
        assert dialog.take() == ("website",)
        assert "move to “Imogen Tarrant”" in dialog.summary.text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", drive)
    page.select_author(imogen_id)
    assert not page.merge_action.isEnabled()
    page.select_author(dev_id, add=True)
    assert page.merge_action.isEnabled()
    page.merge_action.trigger()

    assert seen
    assert page.names() == [IMOGEN]
    kept = services.authors.detail(imogen_id)
    assert {a.id for a in kept.articles} == all_articles
    assert kept.website == "https://harbourledger.example/staff/dev-okonkwo-hale"
    assert window.nav.item(NAV_AUTHORS).text() == "Authors (1)"
    assert window.merge_undo.button.isVisible()
    assert page.undo_merge_action.isEnabled()

    window.merge_undo.button.click()
    assert sorted(page.names()) == sorted([IMOGEN, DEV])
    assert len(services.authors.detail(dev_id).articles) == 3
    assert services.authors.detail(imogen_id).website != kept.website
    assert not page.undo_merge_action.isEnabled()
    assert not window.merge_undo.button.isVisible()
    assert window.nav.item(NAV_AUTHORS).text() == "Authors (2)"


def test_merge_needs_two_selected(page: AuthorsPage, window: MainWindow):
    page.select_author(author_id(page._services, DEV))
    page.merge_selected()
    assert "exactly two" in window.statusBar().currentMessage()


# Export ---------------------------------------------------------------------------------
def test_export_author_page_has_the_name_and_no_email(
    page: AuthorsPage, window: MainWindow, services: Services, monkeypatch, tmp_path: Path
):
    target = tmp_path / "imogen.html"
    suggested: list[str] = []

    def ask(_parent, name: str) -> str:
        suggested.append(name)
        return str(target)

    monkeypatch.setattr(author_dialogs, "ask_author_page_path", ask)
    page.select_author(author_id(services, IMOGEN))
    page.export_action.trigger()
    html = target.read_text(encoding="utf-8")
    assert IMOGEN in html
    assert "imogen.tarrant@harbourledger.example" not in html
    assert "mailto:" not in html
    assert suggested[0].endswith("imogen-tarrant.html")
    assert str(target) in window.statusBar().currentMessage()


def test_closing_with_unsaved_edits_asks(qtbot, page: AuthorsPage, window: MainWindow, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(
        author_dialogs, "ask_discard_changes", lambda _p, name: asked.append(name) or False
    )
    open_editor(page, DEV)
    retype(qtbot, page.pane.form.role_edit, "Weekend editor")
    assert not window.close()
    assert asked == [DEV] and window.isVisible()
    page.pane.form.revert()  # so the fixture can close the window
