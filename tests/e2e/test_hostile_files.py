"""Hostile files through the command line (issue 11): each is refused in one line, with the
store as it was, in bounded memory and time, or imported and shown whole.

Every run is a child process with its address space capped at 2 GB and a timeout, so a
regression fails the test instead of taking the machine's memory or hanging the suite.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
MEMORY = 2 * 1024**3


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(db_url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "EDITOR_APP_DB"}
    return subprocess.run(
        [sys.executable, "-m", "editor_app", "--db", db_url, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        preexec_fn=_cap_memory,
    )


def state(db_url: str) -> Any:
    proc = run(db_url, "list", "articles", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    page = tmp_path / "first.txt"
    page.write_text("A first article\n\nIts only paragraph.\n", encoding="utf-8")
    assert run(url, "import", str(page)).returncode == 0
    yield url


def assert_refused(
    url: str, before: Any, proc: subprocess.CompletedProcess[str], says: str
) -> None:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]
    assert says in lines[0], lines[0]
    assert state(url) == before


def wxr(items: str, wp: str = "http://wordpress.org/export/1.2/") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        f' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{wp}"'
        f' xmlns:excerpt="{wp}excerpt/">\n'
        "<channel><title>Site</title><link>https://site.example</link>\n"
        "<wp:wxr_version>1.2</wp:wxr_version>\n"
        f"{items}</channel></rss>\n"
    )


def post(post_id: int, title: str, body: str = "<p>Text.</p>", comments: str = "") -> str:
    return (
        f"<item><title>{title}</title><dc:creator>ed</dc:creator>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        "<excerpt:encoded><![CDATA[The dek]]></excerpt:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:status>publish</wp:status>"
        f"<wp:post_type>post</wp:post_type>{comments}</item>\n"
    )


def comment(cid: int, parent: int, body: str) -> str:
    return (
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
        f"<wp:comment_author>R{cid}</wp:comment_author>"
        f"<wp:comment_content><![CDATA[{body}]]></wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
    )


# -------------------------------------------------------------------------- nesting in JSON


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("brackets.json", "[" * 80_000, "bundle"),
        ("brackets-auto.json", "[" * 200_000, "auto"),
        (
            "ghost.json",
            '{"db": [{"meta": {}, "data": {"posts": ' + "[" * 2000 + "]" * 2000 + "}}]}",
            "auto",
        ),
        (
            "ghost-forced.json",
            '{"db": [{"meta": {}, "data": {"posts": ' + "[" * 2000 + "]" * 2000 + "}}]}",
            "ghost",
        ),
    ],
)
def test_json_nested_past_any_real_export_is_refused_in_one_line(
    store: str, tmp_path: Path, name: str, content: str, fmt: str
) -> None:
    before = state(store)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    proc = run(store, "import", "--format", fmt, str(path))
    assert_refused(store, before, proc, "nested more than 64 levels deep")


# -------------------------------------------------------------------------- what is read whole


@pytest.mark.parametrize(("name", "fmt"), [("huge.txt", "page"), ("huge.docx", "docx")])
def test_a_sparse_2gb_file_is_refused_before_it_is_read(
    store: str, tmp_path: Path, name: str, fmt: str
) -> None:
    before = state(store)
    path = tmp_path / name
    with path.open("wb") as fh:
        fh.truncate(2 * 1024**3)
    proc = run(store, "import", str(path), timeout=60)
    assert_refused(store, before, proc, f"is larger than a {fmt} file may be")


def test_a_fifo_written_once_is_refused_not_waited_on(store: str, tmp_path: Path) -> None:
    before = state(store)
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)

    def write_once() -> None:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            return  # nobody opened it to read: as it should be
        with os.fdopen(fd, "w") as fh:
            fh.write("A title\n\nA paragraph.\n")

    writer = threading.Thread(target=write_once, daemon=True)
    writer.start()
    proc = run(store, "import", str(fifo), timeout=30)
    assert_refused(store, before, proc, "is a pipe (FIFO), not a file")


def test_a_fifo_with_an_endless_writer_is_refused(store: str, tmp_path: Path) -> None:
    before = state(store)
    fifo = tmp_path / "endless.xml"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write_forever() -> None:
        # Opens only once a reader does (never, if the file is refused): then writes forever.
        try:
            fd = os.open(fifo, os.O_WRONLY)
        except OSError:
            return
        with os.fdopen(fd, "wb") as fh:
            try:
                while not stop.is_set():
                    fh.write(b"<rss>" * 10_000)
            except OSError:
                return

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    try:
        proc = run(store, "import", "--format", "wxr", str(fifo), timeout=30)
    finally:
        stop.set()
        # Release a writer still waiting for a reader.
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        os.close(fd)
    assert_refused(store, before, proc, "is a pipe (FIFO), not a file")


# -------------------------------------------------------------------------- WordPress files


def test_a_reply_chain_500_deep_imports_and_shows(store: str, tmp_path: Path) -> None:
    chain = "".join(comment(i, i - 1 if i > 1 else 0, f"reply {i}") for i in range(1, 501))
    path = tmp_path / "deep.xml"
    path.write_text(wxr(post(1, "Deep thread", comments=chain)), encoding="utf-8")
    proc = run(store, "import", "--comments-status", "approved", str(path))
    assert proc.returncode == 0, proc.stderr[-2000:]
    (article,) = [a for a in state(store) if a["title"] == "Deep thread"]
    shown = run(store, "show", "article", str(article["id"]))
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert "Deep thread" in shown.stdout
    as_json = run(store, "show", "article", str(article["id"]), "--json")
    assert as_json.returncode == 0, as_json.stderr[-2000:]
    thread = json.loads(as_json.stdout)["comments"]
    bodies = []
    stack = list(thread)
    while stack:
        node = stack.pop()
        bodies.append(node["body"])
        stack.extend(node["replies"])
    assert sorted(bodies) == sorted(f"reply {i}" for i in range(1, 501))


def test_100000_nested_divs_import_in_linear_time(store: str, tmp_path: Path) -> None:
    # 2.2 MB: quadratic, this took minutes (1.1 MB took 76 s); linear, a few seconds.
    n = 200_000
    path = tmp_path / "divs.xml"
    body = "<div>" * n + "deep words" + "</div>" * n
    path.write_text(wxr(post(1, "Divs", body=body)), encoding="utf-8")
    proc = run(store, "import", str(path), timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (article,) = [a for a in state(store) if a["title"] == "Divs"]
    shown = run(store, "show", "article", str(article["id"]))
    assert "deep words" in shown.stdout


def test_two_posts_with_one_post_id_are_both_imported_and_the_report_says_so(
    store: str, tmp_path: Path
) -> None:
    path = tmp_path / "dup.xml"
    items = post(5, "First post", "<p>First body.</p>", comment(1, 0, "on the first"))
    items += post(5, "Second post", "<p>Second body.</p>", comment(2, 0, "on the second"))
    path.write_text(wxr(items), encoding="utf-8")
    proc = run(store, "import", str(path), "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["articles"] == 2
    assert any(
        "post id 5 appears more than once" in m and "First post" in m and "Second post" in m
        for m in report["messages"]
    ), report["messages"]
    assert not any("already in the store" in m for m in report["messages"])
    titles = {a["title"]: a["id"] for a in state(store)}
    for title, words in (("First post", "on the first"), ("Second post", "on the second")):
        shown = json.loads(run(store, "show", "article", str(titles[title]), "--json").stdout)
        assert [c["body"] for c in shown["comments"]] == [words]
    # Importing the same file again creates nothing new.
    again = json.loads(run(store, "import", str(path), "--json").stdout)
    assert again["articles"] == 0


def test_a_wxr_declaring_the_https_namespace_imports(store: str, tmp_path: Path) -> None:
    path = tmp_path / "https.xml"
    path.write_text(
        wxr(
            post(9, "Over https", comments=comment(1, 0, "hello")),
            wp="https://wordpress.org/export/1.2/",
        ),
        encoding="utf-8",
    )
    proc = run(store, "import", str(path), "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["comments"] == 1
    (article,) = [a for a in state(store) if a["title"] == "Over https"]
    shown = json.loads(run(store, "show", "article", str(article["id"]), "--json").stdout)
    assert shown["dek"] == "The dek"
