"""Folder exports (Markdown, HTML, NINJS) of a varied corpus, byte for byte against golden files.

The corpus is made here from a fixed seed: block quotes, lists, headings, photos with caption,
credit and image bytes, links good and bad, Markdown's special characters, non-ASCII, empty
fields, several bylines with rich bios, and comments with hostile HTML and e-mail addresses.
Some bodies and bios are then written into the store as they came, unsanitised (as rows from
before sanitising on import were), so the exporters' own cleaning is held too.

The golden files were written by the exporters before they were made faster; any change to
an exporter's output shows here as a diff. To write them again after a deliberate change of
format: ``python tests/integration/test_export_golden.py`` (then read the diff).
"""

from __future__ import annotations

import base64
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData, FigureData
from editor_app.services.container import Services
from editor_app.store.database import Database

GOLDEN = Path(__file__).with_name("golden")
FORMATS = {"markdown": ".md", "html": ".html", "ninjs": ".ninjs.json"}
COMMENTER_EMAILS = ("reader-one@example.com", "troll@example.net")
READER_SCRIPT = "stealCookies"

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

BLOCKS = [
    "<p>Plain reporting with ümlauts, “curly quotes”, an em dash — and 東京, 🎉.</p>",
    "<p>The council met on <em>Tuesday</em> and <strong>voted</strong> 7\u20132.</p>",
    "<blockquote><p>“Build it,” she said.</p><p>A second quoted paragraph.</p></blockquote>",
    "<blockquote>Loose quoted text, no paragraph.</blockquote>",
    "<h2>A heading with <em>emphasis</em></h2>",
    "<h3>A smaller heading</h3>",
    "<ul><li>One</li><li>Two <strong>bold</strong><ul><li>nested item</li></ul></li></ul>",
    "<ol><li>First</li><li>Second with <a href='https://example.org/x'>a link</a></li></ol>",
    "<p>Line one<br>line two<br/>line three</p>",
    '<p>A <a href="https://example.org/a?b=1&amp;c=2" title="The &quot;title&quot;">link</a>, '
    'a <a href="javascript:alert(1)">bad one</a>, a <a href="mailto:desk@example.org">desk</a>'
    ' and one <a href="https://example.org/has space (paren)">with a space</a>.</p>',
    "<p># not a heading, * not a bullet, _under_ [brackets] `tick` &lt;tag&gt; &amp; &copy;</p>",
    "<p>1. not a list, 2) nor this; + plus - minus &gt; quote = equals ~ tilde</p>",
    "<p>Back\\slash and a stray &lt;script&gt; written as text.</p>",
    '<figure><img src="https://img.example.org/inline.jpg" alt="An inline figure">'
    "<figcaption>Inline caption <em>in</em> the body</figcaption></figure>",
    "<p>Text with&nbsp;no-break spaces, \t tabs  and   runs   of spaces.</p>",
    '<p><span class="kicker">Kicker</span> after a span.</p>',
    "<p></p>",
    "<p>   </p>",
    "<p>Nested <em>emphasis <strong>inside</strong> runs</em>, and <b>b</b> <i>i</i>.</p>",
    '<p><img src="https://img.example.org/inline.png" alt="[alt] in brackets"> inline image.</p>',
]
HOSTILE = [
    f"<script>{READER_SCRIPT}()</script><p>After a script.</p>",
    f'<p onclick="{READER_SCRIPT}()">Handler on a paragraph.</p>',
    f"<img src=x onerror={READER_SCRIPT}()>",
    '<iframe src="https://evil.example/"></iframe><p>After a frame.</p>',
    f"<style>body{{background:url(javascript:{READER_SCRIPT})}}</style><p>Styled.</p>",
    "<!-- a comment --><p>After a comment.</p>",
    "<div>Loose text in a div <span>and a span</span></div>",
    "<table><tr><td>cell a</td><td>cell b</td></tr></table>",
    "<pre>code line\n    indented line</pre>",
    "Text outside any element <p>inside</p> and a tail.",
    "<h1>An h1</h1><h4>An h4</h4>",
    f'<a href="javascript:{READER_SCRIPT}()">link outside a paragraph</a>',
    "<p>Unclosed <em>emphasis and <strong>strong</p><p>next</p>",
]
TITLES = [
    "Tidal barrier vote",
    "Harbour: the plan # two",
    "yes",
    "2024-01-01",
    "<b>Bold</b> title with a < b and <3",
    "Ünïcödé — “quoted” title",
    "A title with 'single' quotes and a colon: here",
    "Trailing space ",
    "- starts with a dash",
    "Emoji 🎉 title",
    "东京 news",
]
DEKS = ["", "", "The council decides on Friday.", "A dek with <i>markup</i> & an ampersand."]
SECTIONS = ["", "City", "Culture & Arts", "<em>Opinion</em>", "Ünï"]
TAGS = ["harbour", "council", "yes", "2024", "C++", "a: b", "ümlaut", "<x>", "with space"]
BIOS = [
    "",
    "Mara covers the harbour.",
    "First paragraph.\n\nSecond paragraph.",
    'Writes about <a href="https://example.org/m">music</a> and <em>film</em>.',
    f"Bio with <script>{READER_SCRIPT}()</script> and <b>bold</b>.",
]


def corpus(n: int = 48, seed: int = 14) -> Bundle:
    rng = random.Random(seed)
    authors = [
        AuthorData(
            name=f"Author {i} {name}",
            byline_name=byline,
            role=role,
            bio=BIOS[i % len(BIOS)],
            email=f"author{i}@staff.example",
        )
        for i, (name, byline, role) in enumerate(
            [
                ("Lindqvist", "", "reporter"),
                ("Øster", "Ø. Øster", ""),
                ("O'Brien", "", "editor"),
                ("<b>Markup</b>", "", "critic"),
                ("Nakamura 中村", "中村", "correspondent"),
            ]
        )
    ]
    start = datetime(2025, 3, 1, 8, 30, tzinfo=UTC)
    articles = []
    for i in range(n):
        blocks = rng.sample(BLOCKS, rng.randint(0, 7))
        if i % 3 == 0:
            blocks += rng.sample(HOSTILE, 2)
        rng.shuffle(blocks)
        sep = rng.choice(["", "\n", "\n\n"])
        figures = []
        for f in range(rng.choice([0, 0, 1, 2, 3])):
            kind = rng.randrange(4)
            figures.append(
                FigureData(
                    caption=rng.choice(["", "The quay at dawn", "Crowd *at* [the] <vote>"]),
                    credit=rng.choice(["", "Photo Agency", "Ünï Photo / Staff"]),
                    alt=rng.choice(["", "A quay", 'Alt with "quotes"']),
                    anchor=rng.randint(0, len(blocks) + 2),
                    image=PNG if kind in (0, 1) else None,
                    image_mime="image/png" if kind in (0, 1) else None,
                    source_url=f"https://img.example.org/{i}-{f}.jpg" if kind in (1, 2) else "",
                )
            )
        comments = (
            CommentData(
                "1",
                f"<p>Nice.</p><script>{READER_SCRIPT}()</script>",
                author_name="Reader One",
                author_email=COMMENTER_EMAILS[0],
                author_ip="192.0.2.7",
                status="approved",
            ),
            CommentData(
                "2",
                f'<a href="javascript:{READER_SCRIPT}()">click</a> {COMMENTER_EMAILS[1]}',
                parent_key="1",
                author_name="Troll",
                author_email=COMMENTER_EMAILS[1],
                status="approved",
            ),
        )
        status = rng.choice(["published", "published", "draft", "editing", "spiked"])
        when = start + timedelta(hours=7 * i, minutes=i)
        articles.append(
            ArticleData(
                title=TITLES[i % len(TITLES)] + ("" if i < len(TITLES) else f" {i}"),
                body_html=sep.join(blocks),
                dek=DEKS[i % len(DEKS)],
                slug=f"article-{i:03d}",
                status=status,
                section=SECTIONS[i % len(SECTIONS)],
                tags=tuple(rng.sample(TAGS, rng.randint(0, 3))),
                authors=tuple(rng.sample(authors, rng.randint(0, 3))),
                figures=tuple(figures),
                comments=comments if i % 2 == 0 else (),
                published_at=(when if i % 4 else when.replace(tzinfo=None))
                if status == "published" or i % 5 == 0
                else None,
                source_key=f"golden:{i}",
            )
        )
    return Bundle(articles=tuple(articles))


def _raw_rows(db: Database, ids: list[int]) -> None:
    """Bodies and a bio as they came, unsanitised, as rows from before sanitising were."""
    rng = random.Random(41)
    with db.engine.begin() as conn:
        for aid in ids[::5]:
            raw = "".join(rng.sample(HOSTILE, 3)) + rng.choice(BLOCKS)
            conn.execute(
                text("UPDATE articles SET body_html = :b WHERE id = :i"), {"b": raw, "i": aid}
            )
        conn.execute(
            text("UPDATE authors SET bio = :b WHERE name LIKE :n"),
            {"b": f'<p onclick="{READER_SCRIPT}()">Raw bio</p><script>x</script>', "n": "%O'%"},
        )


def export_corpus(url: str, folder: Path, *, processes: bool = False) -> dict[str, bytes]:
    """Each format's files, concatenated in name order, each under a `==> name <==` line.
    `processes`: converted by processes of the export's own (two, three articles a piece),
    as a large export is."""
    db = Database(url)
    try:
        services = Services.build(db.uow)
        exports = services.exports
        exports.process_threshold, exports.processes = (2, 2) if processes else (10**9, 1)
        exports.chunk = 3
        ids = list(services.imports.import_bundles([corpus()]).article_ids)
        _raw_rows(db, ids)
        out = {}
        for fmt in FORMATS:
            target = folder / fmt
            target.mkdir()
            written = services.exports.export(ids, fmt, target)
            assert len(written) == len(ids)
            parts = []
            for path in sorted(written):
                parts.append(f"==> {path.name} <==\n".encode())
                parts.append(path.read_bytes())
            out[fmt] = b"".join(parts)
        return out
    finally:
        db.dispose()


@pytest.fixture(scope="module", params=["in-process", "processes"])
def exported(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[dict[str, bytes]]:
    tmp = tmp_path_factory.mktemp("golden")
    processes = request.param == "processes"
    yield export_corpus(f"sqlite:///{tmp / 'store.sqlite3'}", tmp, processes=processes)


def _first_difference(got: bytes, want: bytes) -> str:
    at = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), None)
    if at is None:
        return f"lengths differ: {len(got)} != {len(want)}"
    head = want.rfind(b"==> ", 0, at)
    name = want[head : want.find(b"\n", head)].decode()
    return f"first difference at byte {at} in {name}: got {got[at - 60 : at + 60]!r}"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_folder_exports_match_the_golden_files(exported: dict[str, bytes], fmt: str) -> None:
    want = (GOLDEN / f"corpus{FORMATS[fmt]}.txt").read_bytes()
    got = exported[fmt]
    assert got == want, _first_difference(got, want)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_corpus_exports_carry_no_commenter_email_and_no_reader_script(
    exported: dict[str, bytes], fmt: str
) -> None:
    data = exported[fmt]
    assert b"Tidal barrier vote" in data and b"article-047" in data
    for email in COMMENTER_EMAILS:
        assert email.encode() not in data
    assert b"@staff.example" not in data  # the authors' private addresses either
    assert READER_SCRIPT.encode() not in data
    # Markdown writes the text "<script>" escaped, as `\\<script>`: text, not a tag.
    assert re.search(rb"(?<!\\)<script", data, re.I) is None
    assert b"javascript:" not in data.lower()


if __name__ == "__main__":
    import tempfile

    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, data in export_corpus(f"sqlite:///{tmp}/store.sqlite3", Path(tmp)).items():
            (GOLDEN / f"corpus{FORMATS[fmt]}.txt").write_bytes(data)
            print(fmt, len(data))
