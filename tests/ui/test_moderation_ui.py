"""The moderation queue on the sample newsroom: keys, bulk actions, detail, dialogs, audit."""

from __future__ import annotations

import copy
import csv
import getpass
import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from editor_app.formats.jsonbundle import read_bundle_json
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter, CommentRow
from editor_app.services.importing import ImportOptions
from editor_app.services.sample import sample_path
from editor_app.ui.main_window import NAV_MODERATION, MainWindow
from editor_app.ui.models import COL_SCORE, COL_STATUS
from editor_app.ui.moderation import dialogs as moderation_dialogs
from editor_app.ui.moderation.html import mark_colour
from editor_app.ui.moderation.page import ModerationPage
from editor_app.ui.moderation.settings import matching_example

pytestmark = pytest.mark.ui

ME = getpass.getuser()
Mode = QAbstractItemModelTester.FailureReportingMode


def status_of(services: Services, comment_id: int) -> str:
    return services.comments.get(comment_id).status


def row(page: ModerationPage, i: int) -> CommentRow:
    r = page.model.row_at(i)
    assert r is not None
    return r


def select(page: ModerationPage, *rows: int) -> None:
    """Select rows as a click and Ctrl+clicks would (selectRow reads the live modifiers)."""
    page.table.selectionModel().setCurrentIndex(
        page.model.index(rows[0], 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    for i in rows[1:]:
        page.table.selectionModel().select(
            page.model.index(i, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def held_rows(services: Services) -> list[CommentRow]:
    return list(services.comments.page(CommentFilter(held_only=True), limit=1000).rows)


def key(qtbot, page: ModerationPage, k: Qt.Key, mod=Qt.KeyboardModifier.NoModifier) -> None:
    """A key on the table, then the write the page does just after the repaint."""
    qtbot.keyClick(page.table, k, mod)
    qtbot.waitUntil(lambda: not page.has_queued_writes)


def test_keyboard_flow_acts_advances_and_undoes(qtbot, page: ModerationPage, services: Services):
    page.set_status_filter("pending")
    # The sample's two town insults, the personal attack and the spam comment.
    assert page.model.rowCount() == 4
    first, second = row(page, 0), row(page, 1)
    select(page, 0)
    key(qtbot, page, Qt.Key.Key_A)
    assert status_of(services, first.id) == "approved"
    assert page.current_id() == second.id  # advanced
    assert page.model.index(0, COL_STATUS).data() == "Approved"  # marked, still in place
    assert page.model.is_left(first.id)
    key(qtbot, page, Qt.Key.Key_K)
    assert page.current_id() == first.id
    key(qtbot, page, Qt.Key.Key_J)
    assert page.current_id() == second.id
    key(qtbot, page, Qt.Key.Key_S)
    assert status_of(services, second.id) == "spam"
    key(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert status_of(services, second.id) == "pending"
    assert page.model.index(1, COL_STATUS).data() == "Pending"
    assert status_of(services, first.id) == "approved"  # only the last action went back

    page.set_status_filter(None)
    select(page, 0)
    top = row(page, 0)
    before = top.status
    key(qtbot, page, Qt.Key.Key_D)
    assert status_of(services, top.id) == "trash"
    key(qtbot, page, Qt.Key.Key_K)
    key(qtbot, page, Qt.Key.Key_H)
    assert status_of(services, top.id) == "pending"
    key(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert status_of(services, top.id) == "trash"
    key(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert status_of(services, top.id) == before


def test_counts_follow_actions(qtbot, page: ModerationPage, window: MainWindow):
    page.set_status_filter("pending")
    select(page, 0)
    key(qtbot, page, Qt.Key.Key_A)
    assert window.nav.item(NAV_MODERATION).text() == "Moderation (pending 3)"
    qtbot.waitUntil(lambda: page.filters.tabs.tabText(1) == "Pending (3)")
    assert page.filters.tabs.tabText(2) == "Held by rules (3)"


def test_typing_in_the_search_field_does_not_moderate(
    qtbot, page: ModerationPage, services: Services
):
    before = services.comments.counts()
    page.filters.search.setFocus()
    qtbot.waitUntil(page.filters.search.hasFocus)
    qtbot.keyClicks(page.filters.search, "ashdjk")
    assert page.filters.search.text() == "ashdjk"
    assert services.comments.counts() == before


def test_bulk_spam_is_one_batch_and_one_undo(qtbot, page: ModerationPage, services: Services):
    page.set_status_filter("approved")
    select(page, 0, 1, 2)
    chosen = [row(page, i) for i in range(3)]
    assert len(page.selected_rows()) == 3
    key(qtbot, page, Qt.Key.Key_S)
    assert [status_of(services, r.id) for r in chosen] == ["spam"] * 3
    assert page.current_id() == row(page, 3).id
    mine = [e for e in services.moderation.audit() if e.actor == ME]
    assert sorted(e.comment_id for e in mine) == sorted(r.id for r in chosen)
    key(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [status_of(services, r.id) for r in chosen] == ["approved"] * 3
    assert "3 comments restored" in page.message.text()


def test_held_queue_shows_only_held_comments(qtbot, page: ModerationPage, services: Services):
    page.set_status_filter("held")
    held = held_rows(services)
    assert held and page.model.rowCount() == len(held)
    for i in range(page.model.rowCount()):
        assert row(page, i).status == "pending" and row(page, i).reasons
    assert page.filters.tabs.tabText(2) == f"Held by rules ({len(held)})"
    scores = [page.model.index(i, COL_SCORE).data() for i in range(page.model.rowCount())]
    assert all(len(s) == 4 and s.startswith(("0.", "1.")) for s in scores)


def test_detail_highlights_the_flagged_words(page: ModerationPage, services: Services):
    page.set_status_filter("held")
    target = next(r for r in held_rows(services) if "idiot" in r.body)
    page.show_comment(target.id)
    html = page.context_view.toHtml()
    assert "you are an idiot" in html
    assert mark_colour(page.context_view.palette()) in html
    reasons = [
        page.detail.reasons_list.item(i).text() for i in range(page.detail.reasons_list.count())
    ]
    assert any("personal attack" in r for r in reasons)
    assert "personal attack" in page.detail.marks_label.text()
    assert "gvale1961@example.com" in page.detail.commenter_label.text()


def test_edit_keeps_the_original(qtbot, page: ModerationPage, services: Services, monkeypatch):
    page.set_status_filter("held")
    select(page, 0)
    original = row(page, 0)
    monkeypatch.setattr(moderation_dialogs, "ask_edit", lambda _p, _r: "A calmer version.")
    key(qtbot, page, Qt.Key.Key_E)
    stored = services.comments.get(original.id)
    assert stored.body == "A calmer version."
    assert stored.original_body == original.body
    text = page.context_view.toPlainText()
    assert f"Edited by {ME}; original:" in text
    assert original.body.split()[0] in text


def test_reply_is_an_approved_editor_comment(
    qtbot, page: ModerationPage, services: Services, monkeypatch
):
    author = services.authors.list()[0]
    monkeypatch.setattr(
        moderation_dialogs,
        "ask_reply",
        lambda _p, _r, _a, _mine=None: ("Please keep it civil.", author.id),
    )
    page.set_status_filter("held")
    select(page, 0)
    parent = row(page, 0)
    key(qtbot, page, Qt.Key.Key_R)
    replies = services.comments.context(parent.id).replies
    assert [(n.comment.body, n.comment.status, n.comment.kind) for n in replies] == [
        ("Please keep it civil.", "approved", "editor")
    ]
    assert "Please keep it civil." in page.context_view.toPlainText()
    # A reply to a held (pending) comment approves it, as WordPress does, and says so.
    assert status_of(services, parent.id) == "approved"
    assert "is approved" in page.message.text()


def _bundle_with_comment(name: str, email: str, body: str) -> str:
    doc = json.loads(sample_path().read_text(encoding="utf-8"))
    article = copy.deepcopy(doc["articles"][0])
    article.update(
        title="Follow-up: the water deal, one week on",
        slug="water-deal-follow-up",
        source_key="test:water-deal-follow-up",
        figures=[],
        comments=[
            {
                "key": "1",
                "parent_key": None,
                "author_name": name,
                "author_email": email,
                "posted_at": "2025-04-01T09:00:00+00:00",
                "body": body,
                "status": None,
            }
        ],
    )
    doc["articles"] = [article]
    return json.dumps(doc)


def test_ban_sends_later_comments_to_spam(page: ModerationPage, services: Services):
    page.set_status_filter("held")
    target = next(r for r in held_rows(services) if "idiot" in r.body)
    page.show_comment(target.id)
    page.detail.ban_button.click()
    assert services.moderation.history(target.commenter_key).banned
    assert page.detail.ban_button.isChecked()
    bundle = read_bundle_json(
        _bundle_with_comment(target.author_name, target.author_email, "A fair point, well made.")
    )
    services.imports.import_bundles([bundle], ImportOptions())
    newest = services.comments.page(CommentFilter(commenter=target.commenter_key)).rows[0]
    assert newest.body == "A fair point, well made." and newest.status == "spam"


def test_show_this_commenters_comments(page: ModerationPage, services: Services):
    page.set_status_filter(None)
    target = row(page, 0)
    select(page, 0)
    page.detail.show_all_button.click()
    assert page.model.filter.commenter == target.commenter_key
    assert page.model.rowCount() >= 1
    assert {row(page, i).commenter_key for i in range(page.model.rowCount())} == {
        target.commenter_key
    }
    page.filters.commenter_button.click()
    assert page.model.filter.commenter == ""


@pytest.mark.parametrize("answer", [False, True])
def test_conflict_asks_and_respects_no(
    qtbot, page: ModerationPage, services: Services, monkeypatch, answer: bool
):
    page.set_status_filter("pending")
    select(page, 0)
    target = row(page, 0)
    services.moderation.act([target.id], "spam", actor="other-mod")
    asked: list[str] = []

    def ask(_parent, message: str) -> bool:
        asked.append(message)
        return answer

    monkeypatch.setattr(moderation_dialogs, "ask_apply_anyway", ask)
    key(qtbot, page, Qt.Key.Key_A)
    assert len(asked) == 1 and "other-mod" in asked[0]
    if answer:
        assert status_of(services, target.id) == "approved"
    else:
        assert status_of(services, target.id) == "spam"
        assert page.model.index(0, COL_STATUS).data() == "Spam"


def test_a_dry_run_can_be_stopped_and_changes_nothing(
    qtbot, page: ModerationPage, services: Services, errors, monkeypatch
):
    dialog = page.open_rules_dialog()
    qtbot.waitExposed(dialog)
    dialog.hold_words.setPlainText("chamber")
    release = threading.Event()
    real = services.moderation.score_texts

    def slow(texts):  # the first batch waits until the moderator has pressed Stop
        release.wait(10)
        return real(texts)

    monkeypatch.setattr(services.moderation, "score_texts", slow)
    dialog.try_button.click()
    assert dialog.try_button.text() == "Stop the dry run"
    dialog.try_button.click()  # Stop
    release.set()
    qtbot.waitUntil(lambda: "stopped" in dialog.dry_summary.text(), timeout=20_000)
    assert dialog.try_button.text() == "Try it (dry run)"
    assert dialog.dry_table.rowCount() == 0
    assert services.moderation.rules()[0].hold_words == ()
    assert errors == []


def test_a_dry_run_that_stopped_counting_says_at_least(qtbot, page: ModerationPage):
    from editor_app.services.dto import DryRunChange
    from editor_app.services.moderation import DRY_RUN_LIMIT

    dialog = page.open_rules_dialog()
    change = DryRunChange(1, "words", "pending", "approved", ())
    dialog.show_dry_run((change,) * DRY_RUN_LIMIT)
    assert dialog.dry_summary.text() == "These rules would change at least 5,000 pending comments."
    dialog.show_dry_run((change,) * 2)
    assert dialog.dry_summary.text() == "These rules would change 2 pending comments."
    dialog.reject()


def test_rules_dialog_dry_run_and_save(qtbot, page: ModerationPage, services: Services, errors):
    held = next(r for r in held_rows(services) if "idiot" in r.body)
    dialog = page.open_rules_dialog()
    qtbot.waitExposed(dialog)
    assert "ass" in dialog.matching_note.text()
    dialog.hold_words.setPlainText("chamber")
    dialog.try_button.click()
    # A job: the button offers to stop it until it is done.
    assert dialog.try_button.text() == "Stop the dry run"
    qtbot.waitUntil(lambda: "pending comment." in dialog.dry_summary.text(), timeout=20_000)
    assert dialog.try_button.text() == "Try it (dry run)"
    table = dialog.dry_table
    ids = [table.item(i, 0).data(Qt.ItemDataRole.UserRole) for i in range(table.rowCount())]
    assert held.id in ids
    # Who wrote what, not a bare number.
    shown = ids.index(held.id)
    assert table.item(shown, 0).text() == held.display_name
    assert table.item(shown, 1).text().startswith(" ".join(held.body.split())[:40])
    assert "1 pending comment" in dialog.dry_summary.text()
    assert services.moderation.rules()[0].hold_words == ()  # nothing saved by a dry run
    dialog.substring.setChecked(True)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    rules, version = services.moderation.rules()
    assert rules.hold_words == ("chamber",) and not rules.whole_words and version >= 1
    assert errors == []


def test_a_dry_run_that_ends_at_once_is_shown(
    qtbot, page: ModerationPage, services: Services, monkeypatch
):
    # The worker can end a small dry run before the dialog's next line runs; the dialog then
    # waited for a signal already sent and said "Trying the rules…" for ever.
    jobs = page.jobs()
    assert jobs is not None
    real_start = jobs.start

    def start_and_wait(*args, **kwargs):
        handle = real_start(*args, **kwargs)
        jobs.wait_all(10_000)  # the job has ended and sent its signals
        return handle

    monkeypatch.setattr(jobs, "start", start_and_wait)
    dialog = page.open_rules_dialog()
    dialog.hold_words.setPlainText("chamber")
    dialog.try_button.click()
    qtbot.waitUntil(lambda: "would change" in dialog.dry_summary.text(), timeout=10_000)
    assert dialog.try_button.text() == "Try it (dry run)"
    dialog.reject()


def test_rules_dialog_reports_a_conflict(qtbot, page: ModerationPage, services: Services, errors):
    dialog = page.open_rules_dialog()
    rules, version = services.moderation.rules()
    services.moderation.save_rules(rules, expected_version=version, actor="other-mod")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert errors and "other-mod" in errors[0]
    assert dialog.isVisible()


def test_matching_example_explains_substrings():
    assert "“class”" in matching_example("ass")


def test_audit_view_lists_actions_and_exports_csv(
    qtbot, page: ModerationPage, services: Services, monkeypatch, tmp_path: Path
):
    page.set_status_filter("pending")
    select(page, 0)
    key(qtbot, page, Qt.Key.Key_A)
    dialog = page.open_audit_dialog()
    table = dialog.log_table
    actors = [table.item(i, 1).text() for i in range(table.rowCount())]
    assert ME in actors and "auto-moderator" in actors
    mine = actors.index(ME)
    assert table.item(mine, 5).text() == "pending → approved"
    # The commenter and the start of what they wrote, not the comment's number.
    approved = services.comments.get(table.item(mine, 2).data(Qt.ItemDataRole.UserRole))
    assert table.item(mine, 2).text() == approved.display_name
    assert table.item(mine, 3).text()[:30] == " ".join(approved.body.split())[:30]
    report = dialog.report_table
    assert any(report.item(i, 1).text() == ME for i in range(report.rowCount()))
    target = tmp_path / "audit.csv"
    monkeypatch.setattr(moderation_dialogs, "ask_csv_path", lambda _p, _s: str(target))
    dialog.export_button.click()
    lines = list(csv.reader(target.read_text(encoding="utf-8").splitlines()))
    assert lines[0][:3] == ["id", "at", "actor"]
    assert len(lines) == len(dialog.entries) + 1


def test_lazy_model_through_filter_changes(qtbot, qtlog, page: ModerationPage):
    tester = QAbstractItemModelTester(page.model, Mode.Warning)
    page.set_status_filter("pending")
    assert page.model.rowCount() == 4
    page.set_status_filter(None)
    page.filters.sort.setCurrentIndex(page.filters.sort.findData("risk"))
    scores = [row(page, i).score or 0.0 for i in range(page.model.rowCount())]
    assert scores == sorted(scores, reverse=True)
    page.filters.search.setText("idiot")
    page.filters.flush_typing()
    assert page.model.rowCount() == 1 and "idiot" in row(page, 0).body
    page.filters.clear_button.click()
    assert page.model.rowCount() == 18
    assert not page.model.canFetchMore(QModelIndex())
    del tester
    assert [r.message for r in qtlog.records if "FAIL" in r.message] == []


def test_run_rules_and_rescore_run_as_jobs(qtbot, page: ModerationPage, window: MainWindow):
    page.run_rules_button.click()
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=20_000)
    qtbot.waitUntil(lambda: page.message.text().startswith("Checked 4"))
    page.rescore_button.click()
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=20_000)
    qtbot.waitUntil(lambda: page.message.text() == "Rescored 18 comments")
