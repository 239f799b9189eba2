"""Markdown with front matter: reading Hugo/Jekyll posts, writing them, and the round trip."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from editor_app.domain.errors import ImportFailed
from editor_app.formats.bundle import ArticleData, AuthorData, CommentData, FigureData
from editor_app.formats.markdown import _front_matter, read_markdown, write_markdown

pytestmark = pytest.mark.unit

GOLDEN = Path(__file__).resolve().parent / "golden" / "article.md"


# A 4x3 PNG, spelled out so that the golden file does not depend on an encoder version.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x04\x00\x00\x00\x03\x08\x02\x00\x00"
    b"\x00;\x969\x91\x00\x00\x00\x14IDATx\x9cc<!'\xc7\x00\x03L\x0cH\x00\x85\x03\x00&\xda\x01\n"
    b"@\x00;\x0f\x00\x00\x00\x00IEND\xaeB`\x82"
)


def fixed_article() -> ArticleData:
    return ArticleData(
        title="Harbour plan: the *new* quay",
        dek="The council votes on Tuesday.",
        slug="harbour-plan",
        status="published",
        section="Local",
        tags=("harbour", "council"),
        published_at=datetime(2024, 5, 1, 9, 30, tzinfo=UTC),
        authors=(AuthorData(name="Ana Ruiz", email="ana@example.org"), AuthorData(name="Tom Lee")),
        body_html=(
            "<p>The plan has <strong>bold</strong> ideas, <em>quiet</em> doubts and a "
            '<a href="https://example.org/plan" title="Plan">published map</a>. 5 * 3_000.</p>'
            "<h2>What changes</h2><h3>For boats</h3>"
            "<blockquote><p>We will rebuild it by June.</p><p>Every stone.</p></blockquote>"
            "<ul><li>New quay<ul><li>Longer berths</li></ul></li><li>Fewer cranes</li></ul>"
            "<ol><li>Vote</li><li>Build</li></ol>"
            "<p>1. Not a list<br>but a line break</p><p># Not a heading either.</p>"
        ),
        figures=(
            FigureData(
                caption="The quay at dawn",
                credit="Jo Photo/Agency",
                alt="Boats at the quay",
                anchor=1,
                source_url="https://img.example.org/quay.jpg",
            ),
            FigureData(
                caption="A tiny map", alt="map", anchor=4, image=PNG, image_mime="image/png"
            ),
        ),
        comments=(
            CommentData(
                key="1", body="First!", author_email="troll@example.com", author_ip="203.0.113.9"
            ),
        ),
    )


def test_golden_write_markdown() -> None:
    text = write_markdown(fixed_article())
    if os.environ.get("COPYDESK_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_round_trip_keeps_structure() -> None:
    original = fixed_article()
    back = read_markdown(write_markdown(original), source_name="plan.md")
    assert back.title == original.title
    assert back.dek == original.dek
    assert back.slug == "harbour-plan"
    assert back.status == "published"
    assert back.section == "Local"
    assert back.tags == ("harbour", "council")
    assert back.published_at == original.published_at
    assert [a.name for a in back.authors] == ["Ana Ruiz", "Tom Lee"]
    body = back.body_html
    for piece in (
        "<strong>bold</strong>",
        "<em>quiet</em>",
        '<a href="https://example.org/plan" title="Plan">published map</a>',
        "5 * 3_000.",
        "<h2>What changes</h2>",
        "<h3>For boats</h3>",
        "<blockquote><p>We will rebuild it by June.</p><p>Every stone.</p></blockquote>",
        "<ul><li>New quay<ul><li>Longer berths</li></ul></li><li>Fewer cranes</li></ul>",
        "<ol><li>Vote</li><li>Build</li></ol>",
        "<p>1. Not a list<br>but a line break</p>",
        "<p># Not a heading either.</p>",
    ):
        assert piece in body
    first, second = back.figures
    assert (first.caption, first.credit, first.alt, first.anchor, first.source_url) == (
        "The quay at dawn",
        "Jo Photo/Agency",
        "Boats at the quay",
        1,
        "https://img.example.org/quay.jpg",
    )
    assert (second.caption, second.anchor, second.image, second.image_mime) == (
        "A tiny map",
        4,
        PNG,
        "image/png",
    )


def test_hugo_yaml_front_matter() -> None:
    text = """---
title: "Council & the harbour"
date: 2023-11-02T08:00:00+01:00
author: Ana Ruiz
tags: [harbour, "city hall"]
categories: [Local, Politics]
draft: true
summary: A short dek.
slug: council-harbour
---
# A heading

Some *text* with a [link](https://example.org).

#### Deep heading

![Boats](https://img.example.org/b.jpg "Boats at dawn")

An inline ![icon](https://img.example.org/i.png) stays.

```
code line 1
code line 2
```

<script>alert(1)</script><p onclick="x()">raw</p>
"""
    a = read_markdown(text, source_name="post.md")
    assert a.title == "Council & the harbour"
    assert a.status == "draft"
    assert a.section == "Local"
    assert a.tags == ("harbour", "city hall")
    assert a.dek == "A short dek."
    assert a.slug == "council-harbour"
    assert a.published_at is not None and a.published_at.utcoffset() is not None
    assert [x.name for x in a.authors] == ["Ana Ruiz"]
    assert a.body_html.startswith("<h2>A heading</h2>")
    assert "<h3>Deep heading</h3>" in a.body_html
    assert '<a href="https://example.org">link</a>' in a.body_html
    assert "code line 1<br>code line 2" in a.body_html
    assert '<img src="https://img.example.org/i.png" alt="icon">' in a.body_html
    assert "script" not in a.body_html and "onclick" not in a.body_html
    (fig,) = a.figures
    assert (fig.caption, fig.alt, fig.source_url, fig.anchor) == (
        "Boats at dawn",
        "Boats",
        "https://img.example.org/b.jpg",
        3,
    )


def test_jekyll_and_toml_front_matter() -> None:
    jekyll = "---\nlayout: post\ntitle: Old post\npublished: false\ntags: one two\n---\nBody.\n"
    a = read_markdown(jekyll.encode("utf-8"), source_name="2019-01-01-old.md")
    assert (a.title, a.status, a.tags) == ("Old post", "draft", ("one", "two"))
    toml = '+++\ntitle = "Toml post"\nauthors = ["A B", "C D"]\ndate = 2024-01-02\n+++\nText\n'
    b = read_markdown(toml, source_name="t.md")
    assert b.title == "Toml post" and [x.name for x in b.authors] == ["A B", "C D"]
    assert b.status == "published" and b.published_at == datetime(2024, 1, 2)
    c = read_markdown("# Title from heading\n\nBody text.", source_name="plain.md")
    assert c.title == "Title from heading" and c.body_html == "<p>Body text.</p>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("caf\u00e9 au lait".encode("latin-1"), "not UTF-8"),
        (b"---\ntitle: [unclosed\n---\nbody", "not valid YAML"),
        (b"---\n- a\n- b\n---\nbody", "front matter"),
        (b"---\ndate: someday\n---\nbody", "not a date"),
    ],
)
def test_bad_inputs_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailed, match=message) as info:
        read_markdown(data, source_name="bad.md")
    assert "\n" not in str(info.value)


def test_no_reader_data_in_output() -> None:
    text = write_markdown(fixed_article())
    for secret in ("troll@example.com", "203.0.113.9", "First!", "ana@example.org"):
        assert secret not in text


@pytest.mark.parametrize(
    "front",
    ["---\n" + "[" * 3000 + "\n---\n", "+++\ntitle = " + "[" * 3000 + "\n+++\n"],
    ids=["yaml", "toml"],
)
def test_front_matter_nested_thousands_deep_is_refused_in_one_line(front: str) -> None:
    with pytest.raises(ImportFailed, match=r"^deep.md: the front matter is nested too deeply$"):
        read_markdown(front + "Body.\n", source_name="deep.md")


def test_front_matter_carries_no_markup_and_cannot_be_broken_out_of() -> None:
    article = ArticleData(
        title="Vote <script>alert(1)</script>\n---\ndraft: false\n<b>now</b> a < b",
        body_html="<p>Body.</p>",
        section="City<img src=x onerror=alert(2)>",
        tags=("<i>harbour</i>", "<3"),
        status="draft",
    )
    out = write_markdown(article)
    assert "<script" not in out and "<img" not in out and "<b>" not in out and "<i>" not in out
    again = read_markdown(out, source_name="again.md")
    assert again.title == "Vote alert(1) --- draft: false now a < b"
    assert again.status == "draft"
    assert again.section == "City"
    assert again.tags == ("harbour", "<3")


_YAML_PIECES = st.sampled_from(
    [
        *"aZ\u00e99 0-.,:;#'\"!?()/&%+$*@`|>[]{}~=_\\\t\n\x85\u2028\ufeff\u2019\u201c\u2013",
        *(
            "\U00010000",
            "yes",
            "No",
            "null",
            "true",
            "1e3",
            "0x1F",
            "12:30",
            "2025-01-02",
            ".5",
            "Quay",
        ),
    ]
)
_YAML_WORDS = st.lists(_YAML_PIECES, max_size=8).map("".join)


@settings(max_examples=400)
@given(
    title=_YAML_WORDS,
    names=st.lists(_YAML_WORDS, max_size=3),
    draft=st.booleans(),
    slug=_YAML_WORDS,
)
def test_front_matter_is_what_pyyaml_writes(
    title: str, names: list[str], draft: bool, slug: str
) -> None:
    """The front matter is written directly where it is simple, by PyYAML otherwise: the
    same text either way."""
    meta: dict[str, object] = {"title": title, "date": "2025-04-07T19:31:01Z"}
    if names:
        meta["authors"] = names
    meta["draft"] = draft
    meta["slug"] = slug
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # as the writer used before
    expected = yaml.dump(meta, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1000)
    assert _front_matter(meta) == expected


@settings(max_examples=300)
@given(
    when=st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
    title=_YAML_WORDS,
)
def test_front_matter_dates_are_written_as_pyyaml_writes_them(when: datetime, title: str) -> None:
    """The date (which PyYAML reads as a timestamp, so quotes) is written directly too: the
    same text as PyYAML's for any date `write_markdown` can give, with or without a zone."""
    from editor_app.formats.markdown import _iso

    meta: dict[str, object] = {"title": title, "date": _iso(when), "draft": False}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    expected = yaml.dump(meta, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1000)
    assert _front_matter(meta) == expected


def test_front_matter_with_a_date_does_not_need_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dated article's front matter is written without PyYAML's representer (it was 30% of
    a Markdown export, every published article falling back to it for its date)."""
    import editor_app.formats.markdown as md

    def refuse(*_a: object, **_k: object) -> str:
        raise AssertionError("PyYAML was asked")

    monkeypatch.setattr(md.yaml, "dump", refuse)
    meta: dict[str, object] = {
        "title": "Quay vote",
        "date": "2025-04-07T19:31:01Z",
        "authors": ["Mara Lindqvist"],
        "draft": False,
    }
    assert _front_matter(meta) == (
        "title: Quay vote\ndate: '2025-04-07T19:31:01Z'\nauthors:\n- Mara Lindqvist\ndraft: false\n"
    )


@settings(max_examples=500)
@given(
    text=st.lists(
        st.sampled_from(["#", ">", "+", "=", "~", "-", "1", "\u0661", "²", ".", ")", " ", "\t"])
        | st.sampled_from(["\n", "\u2028", "\x1c", "a", "word", "12", "\u3000"]),
        max_size=12,
    ).map("".join)
)
def test_line_start_escapes_are_the_expressions(text: str) -> None:
    """Blocks without a possible marker skip the expression: the same text either way."""
    from editor_app.formats.markdown import _LINE_START, _escape_line_starts, _fix_line_start

    assert _escape_line_starts(text) == _LINE_START.sub(_fix_line_start, text)
