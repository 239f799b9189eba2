"""Fuzzing every import format (issue 11): a mutated fixture imports, or is refused in one line
with the store unchanged; never a traceback, never a hang.

Bounded for CI: Hypothesis runs derandomized (the same examples on every run) with a fixed
number of examples per format, and each import has a few seconds before it counts as a hang.
Examples it found are kept below as explicit regression cases (``test_found_by_fuzzing``).
"""

from __future__ import annotations

import io
import os
import signal
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from editor_app.domain.errors import UserError
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData
from editor_app.formats.jsonbundle import write_bundle_json
from editor_app.services.importing import ImportOptions, ImportService
from editor_app.store.database import Database

TESTS = Path(__file__).resolve().parents[1]
SHARED = TESTS.parents[1] / "shared" / "testdata"
# FUZZ_EXAMPLES=500 explores further on a workstation; CI keeps the fixed budget.
EXAMPLES_PER_FORMAT = int(os.environ.get("FUZZ_EXAMPLES", "20"))
SECONDS_PER_IMPORT = 10
TABLES = ("articles", "comments", "authors", "figures", "revisions", "bylines", "article_tags")


def _bundle_fixture() -> bytes:
    bundle = Bundle(
        articles=(
            ArticleData(
                title="Harbour vote",
                body_html="<p>The council <b>voted</b>.</p><blockquote><p>Q</p></blockquote>",
                dek="Dek",
                section="City",
                tags=("harbour",),
                authors=(AuthorData(name="Mara Lindqvist", email="mara@example.com"),),
                comments=(
                    CommentData("1", "<p>First <a href='https://x.example'>link</a></p>"),
                    CommentData("2", "a < b", parent_key="1", body_is_text=True),
                ),
                source_key="fuzz:1",
            ),
        )
    )
    return write_bundle_json(bundle).encode("utf-8")


def _fixtures() -> dict[str, list[tuple[str, bytes]]]:
    """Seed files by format: the project's own, and ../shared's where present."""
    out: dict[str, list[tuple[str, bytes]]] = {
        "page": [
            (p.name, p.read_bytes()) for p in sorted((TESTS / "unit" / "pages").glob("*.txt"))
        ],
        "markdown": [("article.md", (TESTS / "unit" / "golden" / "article.md").read_bytes())],
        "bundle": [("bundle.json", _bundle_fixture())],
    }
    shared = {
        "wxr": sorted((SHARED / "wxr").glob("*.xml")),
        "ghost": sorted((SHARED / "ghost").glob("*.json")),
        "html": sorted((SHARED / "html").glob("*.html")),
        "docx": sorted((SHARED / "docx").glob("*/*.docx")),
    }
    for fmt, paths in shared.items():
        small = [p for p in paths if p.stat().st_size < 200_000][:6]
        out[fmt] = [(p.name, p.read_bytes()) for p in small]
    return {fmt: files for fmt, files in out.items() if files}


FIXTURES = _fixtures()
SUFFIX = {"page": ".txt", "markdown": ".md", "bundle": ".json", "wxr": ".xml"}
SUFFIX |= {"ghost": ".json", "html": ".html", "docx": ".docx"}


# ----------------------------------------------------------------------------- mutations


def _truncate(data: bytes, at: float) -> bytes:
    return data[: int(len(data) * at)]


def _flip(data: bytes, at: float, byte: int) -> bytes:
    if not data:
        return data
    i = min(int(len(data) * at), len(data) - 1)
    return data[:i] + bytes([byte]) + data[i + 1 :]


def _nest(data: bytes, at: float, which: int, times: int) -> bytes:
    opener = [b"[", b'{"a":', b"<div>", b"<blockquote>", b"<wp:comment>", b"> ", b"  1. "][which]
    i = int(len(data) * at)
    return data[:i] + opener * times + data[i:]


def _huge_attribute(data: bytes, at: float, size: int) -> bytes:
    i = data.find(b"<", int(len(data) * at))
    if i < 0:
        return data + b'<p title="' + b"x" * size + b'">x</p>'
    j = i + 1
    while j < len(data) and data[j : j + 1].isalnum():
        j += 1
    return data[:j] + b' title="' + b"x" * size + b'"' + data[j:]


def _encoding(data: bytes, how: int) -> bytes:
    text = data.decode("utf-8", errors="replace")
    if how == 0:
        return text.encode("utf-16")
    if how == 1:
        return text.encode("latin-1", errors="replace")
    if how == 2:
        return b"\xef\xbb\xbf" + data
    if how == 3:
        return data.replace(b"e", b"\xc3", 3)
    return data.replace(b"a", b"\x00", 2)


MUTATIONS: st.SearchStrategy[Callable[[bytes], bytes]] = st.one_of(
    st.builds(lambda at: lambda d: _truncate(d, at), st.floats(0, 1)),
    st.builds(
        lambda at, b, n: lambda d: _repeat(d, n, lambda x: _flip(x, at, b)),
        st.floats(0, 1),
        st.integers(0, 255),
        st.integers(1, 8),
    ),
    st.builds(
        lambda at, w, t: lambda d: _nest(d, at, w, t),
        st.floats(0, 1),
        st.integers(0, 6),
        st.sampled_from([10, 100, 1_000, 20_000]),
    ),
    st.builds(
        lambda at, n: lambda d: _huge_attribute(d, at, n),
        st.floats(0, 1),
        st.sampled_from([1_000, 100_000, 2_000_000]),
    ),
    st.builds(lambda how: lambda d: _encoding(d, how), st.integers(0, 4)),
)


def _repeat(data: bytes, n: int, step: Callable[[bytes], bytes]) -> bytes:
    for _ in range(n):
        data = step(data)
    return data


def _mutate_docx(data: bytes, mutate: Callable[[bytes], bytes]) -> bytes:
    """Mutate the main part inside the ZIP (mutating the ZIP's bytes mostly tests its CRC)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {n: z.read(n) for n in z.namelist()}
    except zipfile.BadZipFile:
        return mutate(data)
    name = "word/document.xml" if "word/document.xml" in parts else next(iter(parts))
    parts[name] = mutate(parts[name])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return out.getvalue()


# ----------------------------------------------------------------------------- the check


class Hang(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang(f"an import ran past {SECONDS_PER_IMPORT} s")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, ImportService]]:
    folder = tmp_path_factory.mktemp("fuzz")
    db = Database(f"sqlite:///{folder / 'fuzz.sqlite3'}")
    service = ImportService(db.uow)
    page = folder / "first.txt"
    page.write_text("A first article\n\nIts only paragraph.\n", encoding="utf-8")
    service.import_paths([page])
    yield db, service
    db.dispose()


def _snapshot(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def check_import(db: Database, service: ImportService, path: Path, fmt: str) -> None:
    """An import, or a one-line refusal with the store unchanged; nothing else, in time."""
    before = _snapshot(db)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_IMPORT)
    try:
        service.import_paths([path], ImportOptions(format=fmt))
    except UserError as exc:
        message = str(exc)
        assert message.strip(), "a refusal without a message"
        assert "\n" not in message.strip(), f"a refusal of more than one line: {message!r}"
        assert _snapshot(db) == before, f"refused ({message}) but the store changed"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("fmt", sorted(FIXTURES))
def test_mutated_fixtures_import_or_are_refused_in_one_line(
    store: tuple[Database, ImportService], tmp_path: Path, fmt: str
) -> None:
    db, service = store
    files = FIXTURES[fmt]

    @settings(
        max_examples=EXAMPLES_PER_FORMAT,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        which=st.integers(0, len(files) - 1),
        mutate=MUTATIONS,
        forced=st.booleans(),
    )
    def run(which: int, mutate: Callable[[bytes], bytes], forced: bool) -> None:
        _name, data = files[which]
        mutated = _mutate_docx(data, mutate) if fmt == "docx" else mutate(data)
        path = tmp_path / f"fuzzed{SUFFIX[fmt]}"
        path.write_bytes(mutated)
        check_import(db, service, path, fmt if forced else "auto")

    run()


# ----------------------------------------------------------------------------- found by fuzzing

FOUND: list[tuple[str, str, Callable[[bytes], bytes]]] = [
    # A control character at the end of a Markdown file: lxml's ValueError, a traceback.
    ("markdown", "article.md", lambda d: _flip(d, 1.0, 0x01)),
    # A NUL in a Word document's XML: a refusal whose message held lxml's newline.
    ("docx", "comments.docx", lambda d: _flip(d, 1.0, 0x00)),
    # A quote in the main part's root tag: python-docx's generic element, an AttributeError.
    ("docx", "comments.docx", lambda d: _flip(d, 0.40625, 39)),
    # Brackets nested a thousand deep in YAML front matter: PyYAML's RecursionError.
    ("markdown", "article.md", lambda d: _nest(d, 0.006, 0, 1_000)),
]


@pytest.mark.parametrize(("fmt", "name", "mutate"), FOUND)
def test_found_by_fuzzing(
    store: tuple[Database, ImportService],
    tmp_path: Path,
    fmt: str,
    name: str,
    mutate: Callable[[bytes], bytes],
) -> None:
    files = dict(FIXTURES.get(fmt, []))
    if name not in files:
        pytest.skip(f"{name} is not among the {fmt} fixtures here (../shared absent?)")
    db, service = store
    data = files[name]
    path = tmp_path / f"found{SUFFIX[fmt]}"
    path.write_bytes(_mutate_docx(data, mutate) if fmt == "docx" else mutate(data))
    check_import(db, service, path, "auto")
