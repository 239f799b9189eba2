"""A folder export converted by processes of its own (as one of 2,000 articles or more is):
Cancel and failures leave the folder as it was and end the processes at once.

The threshold is lowered to two articles here, one article a piece; the golden test
(`test_export_golden.py`) holds the bytes of such an export equal to a one-process export's.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor_app.domain.errors import Cancelled, InvalidInput, UserError
from editor_app.formats.bundle import ArticleData, Bundle
from editor_app.services.container import Services
from editor_app.services.export_pool import ConversionPool
from editor_app.store.database import Database

# Long enough to convert (seconds) that a prompt Cancel shows: 100,000 short paragraphs.
LONG_BODY = "<p>Word <em>by</em> word.</p>" * 100_000


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    db = Database(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    s = Services.build(db.uow)
    s.exports.process_threshold, s.exports.processes, s.exports.chunk = 2, 2, 1
    yield s
    db.dispose()


def _import(s: Services, n: int, *, long_at: int | None = None) -> list[int]:
    articles = tuple(
        ArticleData(
            title=f"Ferry note {i}",
            slug=f"ferry-note-{i}",
            body_html=LONG_BODY if i == long_at else f"<p>Note {i}.</p>",
            status="published",
            source_key=f"test:ferry-{i}",
        )
        for i in range(n)
    )
    return list(s.imports.import_bundles([Bundle(articles=articles)]).article_ids)


def _folder(tmp_path: Path) -> tuple[Path, list[str]]:
    out = tmp_path / "out"
    out.mkdir()
    (out / "ferry-note-1.md").write_text("the old file")
    (out / "notes.txt").write_text("the editor's own file")
    return out, sorted(p.name for p in out.iterdir())


def test_cancel_ends_the_conversion_processes_at_once_and_writes_nothing(
    services: Services, tmp_path: Path
) -> None:
    ids = _import(services, 10, long_at=2)
    out, before = _folder(tmp_path)
    # What converting the long article takes here, now: Cancel must not wait for it.
    started = time.perf_counter()
    services.exports.render(services.exports.article_data(ids[2]), "markdown")
    convert_long = time.perf_counter() - started

    seen: list[int] = []
    workers: list[multiprocessing.process.BaseProcess] = []
    asked: list[float] = []

    def progress(done: int, _total: int, _title: str) -> None:
        seen.append(done)
        workers.extend(multiprocessing.active_children())

    def cancelled() -> bool:
        if seen and not asked:
            asked.append(time.perf_counter())  # the long article is being converted now
        return bool(seen)

    with pytest.raises(Cancelled, match="nothing was written"):
        services.exports.export(ids, "markdown", out, progress=progress, cancelled=cancelled)
    took = time.perf_counter() - asked[0]

    assert workers, "the export was not converted by processes of its own"
    assert not any(w.is_alive() for w in workers)
    assert took < convert_long / 2, f"Cancel took {took:.2f} s; converting {convert_long:.2f} s"
    assert sorted(p.name for p in out.iterdir()) == before
    assert (out / "ferry-note-1.md").read_text() == "the old file"


def test_a_conversion_process_that_dies_fails_the_export_in_one_line(
    services: Services, tmp_path: Path
) -> None:
    ids = _import(services, 10, long_at=2)
    out, before = _folder(tmp_path)
    workers: list[multiprocessing.process.BaseProcess] = []
    earlier = {p.pid for p in multiprocessing.active_children()}  # an earlier test's, ending

    def progress(_done: int, _total: int, _title: str) -> None:
        if not workers:  # the long article is being converted: as if the system killed it
            workers.extend(p for p in multiprocessing.active_children() if p.pid not in earlier)
            for w in workers:
                os.kill(w.pid or 0, signal.SIGKILL)

    with pytest.raises(UserError, match="conversion process stopped") as caught:
        services.exports.export(ids, "html", out, progress=progress)
    assert "\n" not in str(caught.value)
    assert "nothing was written" in str(caught.value)
    assert workers and not any(w.is_alive() for w in workers)
    assert sorted(p.name for p in out.iterdir()) == before


def test_an_error_in_a_conversion_process_comes_back_as_it_was_raised() -> None:
    items = [(n, ArticleData(title=f"Note {n}", body_html="<p>x</p>")) for n in range(6)]
    with (
        pytest.raises(InvalidInput, match=r"^cannot render pdf$"),
        ConversionPool("pdf", 2) as pool,
    ):
        list(pool.convert(items, len(items), lambda: False))
    assert not multiprocessing.active_children()


def test_a_process_split_export_writes_every_file_in_order(
    services: Services, tmp_path: Path
) -> None:
    ids = _import(services, 7)
    out, _ = _folder(tmp_path)
    seen: list[tuple[int, str]] = []
    niceness: list[int] = []

    def progress(done: int, _total: int, title: str) -> None:
        seen.append((done, title))
        for w in multiprocessing.active_children():
            with contextlib.suppress(OSError):  # ended since
                niceness.append(os.getpriority(os.PRIO_PROCESS, w.pid or 0))

    written = services.exports.export(ids, "markdown", out, progress=progress)
    assert [p.name for p in written] == [f"ferry-note-{i}.md" for i in range(7)]
    # Background work: the window's thread gets a core before them on a busy machine.
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    # (A process is seen before its first piece too, before it lowered its priority.)
    assert niceness and max(niceness) >= min(mine + 10, 19)
    assert seen == [(i, f"Ferry note {i}") for i in range(7)] + [(7, "")]
    assert "Note 1." in (out / "ferry-note-1.md").read_text()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


_OWNER_SCRIPT = """
import sys, time
from editor_app.formats.bundle import ArticleData
from editor_app.services.export_pool import ConversionPool
pool = ConversionPool("markdown", 2, chunk=1).__enter__()
items = [(i, ArticleData(title="t", body_html="<p>w</p>" * 200_000)) for i in range(4)]
it = pool.convert(items, 4, lambda: False)
import threading
threading.Thread(target=lambda: next(it), daemon=True).start()  # the pieces go out
executor = pool._executor
while len(executor._processes) < 2:
    time.sleep(0.05)
print(" ".join(str(p) for p in executor._processes), flush=True)
time.sleep(60)
"""


def test_the_processes_end_when_the_app_is_killed_mid_export() -> None:
    # Killed (SIGKILL, a crash): nothing tells the processes, whose parent is the fork
    # server; they waited on their queue for ever, and the server with them.
    import subprocess
    import sys

    app = subprocess.Popen([sys.executable, "-c", _OWNER_SCRIPT], stdout=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None
        import select

        ready, _, _ = select.select([app.stdout], [], [], 60)
        assert ready, "the export's processes did not start"
        workers = [int(p) for p in app.stdout.readline().split()]
        assert len(workers) == 2
        app.kill()
        app.wait(10)

        def alive(pid: int) -> bool:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            # A zombie of an exited child still answers; /proc tells.
            with contextlib.suppress(OSError):
                return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
            return False

        deadline = time.monotonic() + 20
        while any(alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in workers if alive(p)]
    finally:
        if app.poll() is None:
            app.kill()
        for pid in locals().get("workers", []):  # a failed check leaves none behind
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
