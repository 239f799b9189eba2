"""A staged folder creates its files on a thread of its own, and loses no failure doing so."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from editor_app.domain.errors import InvalidInput
from editor_app.services.files import StagedFolder, staged_folder


def test_files_are_created_off_the_callers_thread_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Creating a file is kernel work the export need not wait for: it overlaps the next
    article's conversion."""
    creators: set[str] = set()
    real_open = os.open

    def recording_open(path: str, flags: int, *args: int, **kwargs: int) -> int:
        if flags & os.O_CREAT:
            creators.add(threading.current_thread().name)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    with staged_folder(tmp_path) as stage:
        for n in range(200):
            stage.write(f"f{n % 150}.txt", f"version {n}")
    assert creators and threading.current_thread().name not in creators
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"f{n}.txt" for n in range(150))
    assert (tmp_path / "f10.txt").read_text() == "version 160"  # the later write wins
    assert (tmp_path / "f149.txt").read_text() == "version 149"


def test_a_write_that_fails_on_the_writer_thread_fails_the_commit(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("the user's own")
    with pytest.raises(InvalidInput, match="cannot write"), staged_folder(tmp_path) as stage:
        stage.write("a.txt", "fine")
        stage.write("x" * 300 + ".txt", "a name no filesystem takes")
        stage.write("b.txt", "fine")
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_a_discarded_stage_leaves_nothing_even_with_writes_queued(tmp_path: Path) -> None:
    stage = StagedFolder(tmp_path)
    for n in range(500):
        stage.write(f"f{n}.txt", "x" * 10_000)
    stage.discard()
    assert list(tmp_path.iterdir()) == []
