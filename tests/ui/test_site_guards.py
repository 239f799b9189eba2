"""The Sites controller in the window: the keyring is not looked up on the window's thread
at start-up (the first look-up can take seconds), and one publish and one send of an
article or a site's outbox at a time."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

import pytest

from editor_app.formats.bundle import ArticleData, Bundle
from editor_app.remote.credentials import Credentials
from editor_app.services.container import Services
from editor_app.store.models import Site
from editor_app.workers.jobs import JobManager

pytestmark = pytest.mark.ui


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def down_site(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A connected site that does not answer (nothing listens on its port)."""
    monkeypatch.setenv("EDITOR_APP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("EDITOR_APP_KEYRING", "0")
    url = f"http://127.0.0.1:{_closed_port()}"
    Credentials(use_keyring=False).set(url, "desk", "abcd efgh ijkl mnop")
    with services.uow() as uow:
        uow.sites.add(Site(name="gazette", url=url, user="desk", pull_every_minutes=5))
        uow.commit()
    return "gazette"


def test_start_up_and_the_timers_leave_the_keyring_alone(
    qtbot, make_window, down_site: str
) -> None:
    win = make_window()
    assert win.sites.pull_timers[down_site].interval() == 5 * 60_000
    win.sites.push_all_quietly()  # the minute's tick: nothing waits, nothing to send
    win.sites.sites_changed()
    win.sites.on_sites()  # the Sites dialog's table does not say where passwords are kept
    win.sites.set_pull_every(down_site, 10)
    assert win.sites.dialog is not None
    win.sites.dialog.close()
    assert not win.sites.service.credentials.probed


def test_one_publish_of_an_article_at_a_time(
    qtbot, make_window, services: Services, errors: list[str], down_site: str
) -> None:
    article_id = (
        services.imports.import_bundles(
            [Bundle(articles=(ArticleData(title="Pier", body_html="<p>Pier.</p>"),))]
        )
    ).article_ids[0]
    win = make_window()
    messages: list[str] = []
    win.statusBar().messageChanged.connect(messages.append)
    first = win.sites.start_publish(down_site, article_id, "publish")
    assert first is not None
    assert win.sites.start_publish(down_site, article_id, "publish") is None
    assert f"Article {article_id} is still being published" in messages
    assert [j.title for j in win.jobs.running] == [f"Publishing article {article_id} to gazette"]
    qtbot.waitUntil(lambda: not win.jobs.running, timeout=30_000)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "does not answer" in errors[0]
    errors.clear()
    # Done (failed): the guard is released, and the store's claim too.
    again = win.sites.start_publish(down_site, article_id, "publish")
    assert again is not None
    qtbot.waitUntil(lambda: not win.jobs.running, timeout=30_000)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "does not answer" in errors[0] and "being published" not in errors[0]
    errors.clear()


def test_one_send_to_the_sites_at_a_time(
    qtbot, make_window, errors: list[str], down_site: str
) -> None:
    win = make_window()
    messages: list[str] = []
    win.statusBar().messageChanged.connect(messages.append)
    assert win.sites.start_push(down_site) is not None
    assert win.sites.start_push(down_site) is None
    assert win.sites.push_all_quietly(loud=True) is None
    assert "A send to the sites is still running" in messages
    assert [j.title for j in win.jobs.running] == ["Sending to gazette"]
    qtbot.waitUntil(lambda: not win.jobs.running, timeout=30_000)
    qtbot.waitUntil(lambda: not win.sites._pushing, timeout=10_000)
    assert win.sites.start_push(down_site) is not None  # released once done
    qtbot.waitUntil(lambda: not win.jobs.running, timeout=30_000)
    assert errors == []  # nothing waited: nothing was sent, nothing failed


def test_a_job_that_ends_before_it_is_handed_back_still_releases_its_guard(
    qtbot,
    make_window,
    services: Services,
    errors: list[str],
    down_site: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A site that refuses the connection at once: the job may end before `start` returns
    (under load it does). Made certain here by waiting for the pool inside `start`."""
    article_id = (
        services.imports.import_bundles(
            [Bundle(articles=(ArticleData(title="Quay", body_html="<p>Quay.</p>"),))]
        )
    ).article_ids[0]
    win = make_window()
    started = JobManager.start

    def start_and_end(self: JobManager, title: str, fn: Any) -> Any:
        handle = started(self, title, fn)
        self.wait_all()
        return handle

    monkeypatch.setattr(JobManager, "start", start_and_end)
    for _ in range(2):  # the second of each is not refused: the first released its guard
        assert win.sites.start_pull(down_site, quiet=True) is not None
        assert win.sites.start_push(down_site) is not None
        assert win.sites.start_publish(down_site, article_id, "draft") is not None
        qtbot.waitUntil(lambda: not win.jobs.running, timeout=30_000)
    assert len(errors) == 2 and all("does not answer" in e for e in errors)  # the publishes
    errors.clear()


def test_add_site_looks_the_keyring_up_off_the_windows_thread(
    qtbot, make_window, down_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Add Site dialog says where the password will be kept: the keyring's first
    look-up (it can take seconds) runs as a job, and the dialog opens when it is done."""
    from editor_app.remote import credentials
    from editor_app.ui import dialogs

    threads: list[bool] = []

    def backend() -> None:
        threads.append(threading.current_thread() is threading.main_thread())
        return None

    monkeypatch.setattr(credentials, "_keyring_backend", backend)
    shown: list[str] = []

    def run_dialog(dialog: Any) -> int:
        shown.append(dialog.note.text())
        return 0  # Cancel

    monkeypatch.setattr(dialogs, "run_dialog", run_dialog)
    win = make_window()
    win.sites.on_sites()
    assert win.sites.dialog is not None
    win.sites.dialog.on_add()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert threads == [False]  # looked up once, on a worker's thread
    assert "a file only you can read" in shown[0]
    win.sites.dialog.on_add()  # known now: the dialog opens at once
    assert len(shown) == 2 and threads == [False]
    win.sites.dialog.close()


def test_add_site_comes_back_when_the_keyring_look_up_is_cancelled(
    qtbot, make_window, down_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Add Site looks the keyring up in a job; cancelled (from the jobs list, or as the
    window closes), the button is enabled again rather than left greyed out."""
    win = make_window()
    win.sites.on_sites()
    dialog = win.sites.dialog
    assert dialog is not None
    credentials = win.sites.service.credentials
    looking = threading.Event()
    release = threading.Event()

    def slow_where() -> str:
        looking.set()
        release.wait(10)
        return "the system keyring (slow)"

    monkeypatch.setattr(credentials, "where", slow_where)
    opened: list[str] = []
    monkeypatch.setattr(dialog, "add_site", opened.append)  # no modal dialog in a test
    dialog.add_button.click()
    assert not dialog.add_button.isEnabled()
    qtbot.waitUntil(looking.is_set, timeout=10_000)
    win.jobs.cancel_all()
    release.set()
    qtbot.waitUntil(lambda: not win.jobs.running, timeout=10_000)
    qtbot.waitUntil(dialog.add_button.isEnabled, timeout=10_000)
    assert opened == []
    dialog.close()
