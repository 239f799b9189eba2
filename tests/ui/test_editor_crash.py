"""A real window process is killed after autosaving; the next window offers the work back."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from editor_app.store.database import Database
from editor_app.ui.editor import prompts
from editor_app.ui.editor.recovery import RecoveryDialog

pytestmark = pytest.mark.ui

CHILD = """
import sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtTest import QTest
from editor_app.app import build_window, make_application
from editor_app.services.container import Services
from editor_app.store.database import Database
from editor_app.workers.jobs import JobManager

app = make_application([])
db = Database(sys.argv[1])
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
window = build_window(Services.build(db.uow), JobManager(), "crash test", settings=settings)
window.show()
tab = window.editor_area.new_article()
tab.autosave_timer.setInterval(300)
QTest.keyClicks(tab.title, "Crash story")
tab.body.setFocus()
QTest.keyClicks(tab.body, "Typed just before the crash")

def report():
    if tab.last_autosave_ms is not None:
        print("AUTOSAVED", flush=True)
    else:
        QTimer.singleShot(50, report)

report()
app.exec()
"""


def test_killed_window_work_is_offered_at_next_start(
    qtbot, db: Database, tmp_path: Path, make_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")
    child = subprocess.Popen(
        [sys.executable, str(script), f"sqlite:///{tmp_path}/t.sqlite3", str(tmp_path / "c.ini")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        line = ""
        assert child.stdout is not None
        while time.monotonic() < deadline and "AUTOSAVED" not in line:
            line = child.stdout.readline()
            if not line and child.poll() is not None:
                break
        assert "AUTOSAVED" in line
    finally:
        child.kill()  # SIGKILL: no close event, no save
        child.wait(10)
    assert child.returncode == -9

    offered: list[RecoveryDialog] = []

    def answer(dialog: RecoveryDialog) -> str:
        offered.append(dialog)
        return "recover"

    monkeypatch.setattr(prompts, "ask_choice", answer)
    window = make_window()
    qtbot.waitUntil(lambda: len(offered) == 1, timeout=5000)
    dialog = offered[0]
    assert dialog.list.count() == 1
    assert "Crash story" in dialog.list.item(0).text()
    assert "Typed just before the crash" in dialog.view.toPlainText()
    tab = window.editor_area.current()
    assert tab is not None and tab.dirty
    assert "Typed just before the crash" in tab.body.toPlainText()
    assert tab.title.text() == "Crash story"
    monkeypatch.setattr(prompts, "ask_unsaved", lambda _p, _t: "discard")
