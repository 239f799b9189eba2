"""Writes articles in the page-dump layout, so tests can fill a store through the importer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from editor_app.services.container import Services
from editor_app.services.dto import ImportResult
from editor_app.services.importing import ImportOptions


@dataclass(frozen=True)
class Thread:
    text: str
    replies: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageSpec:
    title: str
    paragraphs: Sequence[str]
    author: str = "Mara Quill"
    bio: str = "Mara Quill covers city hall for the paper."
    threads: Sequence[Thread] = field(default_factory=tuple)


def page_text(spec: PageSpec) -> str:
    lines = [spec.title, ""]
    for p in spec.paragraphs:
        lines += [p, ""]
    lines += [spec.author, "", spec.author, "", spec.bio, ""]
    for n, thread in enumerate(spec.threads, start=1):
        lines += [f"  {n}. {thread.text}", ""]
        for reply in thread.replies:
            lines += [f"    • {reply}", ""]
    lines += ["Leave a Reply", ""]
    return "\n".join(lines)


def write_page(folder: Path, name: str, spec: PageSpec) -> Path:
    path = folder / name
    path.write_text(page_text(spec), encoding="utf-8")
    return path


def fill_store(services: Services, folder: Path, specs: Sequence[PageSpec]) -> ImportResult:
    paths = [write_page(folder, f"page_{i:03d}.txt", s) for i, s in enumerate(specs)]
    # A fixed baseline for models and counts: every comment waits in the pending queue.
    return services.imports.import_paths(paths, ImportOptions(comments_status="pending"))


def many_comments_page(count: int) -> PageSpec:
    return PageSpec(
        title="Harbour ferry timetable changes draw a crowd",
        paragraphs=[
            "The harbour authority published a new ferry timetable on Monday.",
            "Commuters packed the evening meeting to ask about the early sailings.",
        ],
        threads=tuple(
            Thread(f"Comment number {i} about sailing {i % 17} and the pier {i * 7}.")
            for i in range(1, count + 1)
        ),
    )
