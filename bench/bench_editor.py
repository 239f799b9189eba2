"""The article editor on a 10,000-word article: open, type, autosave, diff (prints, no asserts).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_editor.py

Targets: open < 200 ms, keypress-to-repaint median < 16 ms (spell check and counts on),
autosave on the GUI thread < 50 ms, revision diff < 300 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from editor_app.services.container import Services
from editor_app.store.database import Database
from editor_app.ui.editor.editor_area import EditorArea

SENTENCE = (
    "the council said on monday that its budget would rise by four percent next year while "
    "residents questioned whether the new library plan was worth the cost and the mayor "
    "promised a public hearing before any vote reporters asked about delays to the bridge"
)
WORDS = SENTENCE.split()


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """Made-up words beside the common ones: real copy has thousands of distinct words."""
    letters = "abcdefghijklmnoprstuvwy"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(size)]


def article_html(target_words: int, rng: random.Random) -> str:
    blocks, count, n = [], 0, 0
    rare = vocabulary(rng)
    while count < target_words:
        n += 1
        words = [
            rng.choice(WORDS) if rng.random() < 0.6 else rng.choice(rare)
            for _ in range(rng.randint(40, 90))
        ]
        words[0] = words[0].capitalize()
        text = " ".join(words)
        if n % 4 == 0:
            text = f"“{text},” said Councillor Okafor. “We will see.”"
        if n % 15 == 0:
            blocks.append(f"<blockquote><p>{text}.</p></blockquote>")
        elif n % 20 == 0:
            blocks.append(f"<h2>{' '.join(words[:5]).capitalize()}</h2>")
        else:
            blocks.append(f"<p>{text}.</p>")
        count += len(words)
    return "\n".join(blocks)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    app = QApplication.instance() or QApplication([])
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.sqlite3")
        services = Services.build(db.uow)
        body = article_html(10_000, rng)
        draft = replace(services.editor.new_draft(), title="Budget day", body_html=body)
        first = services.editor.save(draft, actor="bench").draft
        assert first.article_id is not None
        words = services.editor.text_stats(first.body_html).words

        area = EditorArea(services, actor="bench")
        area.resize(1280, 800)
        area.show()
        start = time.perf_counter()
        _speller = area.speller
        speller_load = time.perf_counter() - start
        opens = []
        for _ in range(3):
            start = time.perf_counter()
            tab = area.open_article(first.article_id)
            app.processEvents()
            opens.append(time.perf_counter() - start)
            assert tab is not None
            if _ < 2:
                tab.dirty = False
                area.close_tab(area.tabs.indexOf(tab))
                app.processEvents()
        print(f"article: {words:,} words, {len(body):,} characters of HTML")
        print(f"spell list load (once per session): {ms(speller_load)}")
        print(f"open in the editor: median {ms(statistics.median(opens))} (target < 200 ms)")

        tab.body.setFocus()
        cursor = tab.body.textCursor()
        cursor.setPosition(tab.body.document().characterCount() // 2)
        tab.body.setTextCursor(cursor)
        tab.body.ensureCursorVisible()
        app.processEvents()
        times = []
        for i in range(300):
            key = Qt.Key.Key_Space if i % 6 == 5 else Qt.Key.Key_A + rng.randrange(26)
            start = time.perf_counter()
            QTest.keyClick(tab.body, key)
            tab.body.viewport().repaint()
            app.processEvents()
            times.append(time.perf_counter() - start)
        deadline = time.perf_counter() + 0.3
        while time.perf_counter() < deadline:
            app.processEvents()
        times.sort()
        print(
            f"keypress to repaint: median {ms(statistics.median(times))}, "
            f"p95 {ms(times[int(len(times) * 0.95)])} (target < 16 ms)"
        )
        start = time.perf_counter()
        tab.update_stats()
        print(f"word count + readability (debounced 150 ms): {ms(time.perf_counter() - start)}")

        autosaves = []
        for _ in range(10):
            tab.on_edited()
            start = time.perf_counter()
            tab.autosave_now()
            autosaves.append(time.perf_counter() - start)
        print(
            f"autosave on the GUI thread: median {ms(statistics.median(autosaves))} "
            "(target < 50 ms)"
        )

        cursor = tab.body.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        tab.body.setTextCursor(cursor)
        assert tab.save()
        second = services.editor.revisions(first.article_id)
        ids = sorted(r.id for r in second)
        start = time.perf_counter()
        diffs = services.editor.diff(first.article_id, ids[0], ids[-1])
        print(
            f"revision diff ({len(diffs)} fields changed): {ms(time.perf_counter() - start)} "
            "(target < 300 ms)"
        )
        start = time.perf_counter()
        tab.save()
        print(f"save (HTML out + store, not a target): {ms(time.perf_counter() - start)}")
        tab.dirty = False
        area.close()
        db.dispose()


if __name__ == "__main__":
    main()
