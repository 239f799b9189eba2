"""A site pulled on a timer: never two pulls of one site at once, and a site that is down
says so in the status bar (a background job), not in a dialog at every tick."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from editor_app.remote.credentials import Credentials
from editor_app.services.container import Services
from editor_app.store.models import Site

pytestmark = pytest.mark.ui


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_timed_pulls_of_a_site_that_is_down(
    qtbot,
    make_window,
    services: Services,
    errors: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EDITOR_APP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("EDITOR_APP_KEYRING", "0")
    url = f"http://127.0.0.1:{_closed_port()}"  # nothing listens there: the site is down
    Credentials(use_keyring=False).set(url, "desk", "abcd efgh ijkl mnop")
    with services.uow() as uow:
        uow.sites.add(Site(name="gazette", url=url, user="desk", pull_every_minutes=5))
        uow.commit()
    win = make_window()
    timer = win.sites.pull_timers["gazette"]
    messages: list[str] = []
    win.statusBar().messageChanged.connect(messages.append)

    timer.timeout.emit()
    timer.timeout.emit()  # the next tick while the first pull runs: skipped
    assert [j.title for j in win.jobs.running] == ["Pulling from gazette"]
    assert "A pull from gazette is still running" in messages
    qtbot.waitUntil(lambda: not win.jobs.running, timeout=30_000)
    qtbot.waitUntil(lambda: any(m.startswith("Pull from gazette failed:") for m in messages))
    failed = next(m for m in messages if m.startswith("Pull from gazette failed:"))
    assert "does not answer" in failed
    assert errors == []  # no dialog

    # The next tick pulls again (the guard is released), still without a dialog.
    messages.clear()
    timer.timeout.emit()
    assert [j.title for j in win.jobs.running] == ["Pulling from gazette"]
    qtbot.waitUntil(lambda: not win.jobs.running, timeout=30_000)
    qtbot.waitUntil(lambda: any(m.startswith("Pull from gazette failed:") for m in messages))
    assert errors == []
