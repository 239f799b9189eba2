"""The sample newsroom and the JSON bundle format it is written in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from editor_app.domain.errors import ImportFailed, InvalidInput
from editor_app.domain.paths import resources_dir
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData, FigureData
from editor_app.formats.jsonbundle import (
    read_bundle_file,
    read_bundle_json,
    sniff_bundle,
    stream_bundle_file,
    write_bundle_json,
)
from editor_app.services.container import Services
from editor_app.services.dto import CommentNode
from editor_app.services.sample import load_sample_newsroom, sample_path
from editor_app.store.database import Database

pytestmark = pytest.mark.unit

THREAD_TITLE = "Council signs twenty-year water deal with Marrowick"
BODY_TAGS = {"p", "h2", "blockquote", "strong", "em", "a", "ul", "ol", "li"}


@pytest.fixture(scope="module")
def sample() -> Bundle:
    return read_bundle_file(sample_path())


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    db = Database(f"sqlite:///{tmp_path / 't.sqlite3'}")
    try:
        yield Services.build(db.uow)
    finally:
        db.dispose()


def _sample_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(sample_path().read_text(encoding="utf-8"))
    return doc


def _walk(nodes: tuple[CommentNode, ...], depth: int = 1) -> Iterator[tuple[CommentNode, int]]:
    for n in nodes:
        yield n, depth
        yield from _walk(n.replies, depth + 1)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[tuple[str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.update((tag, name) for name, _ in attrs)


# The sample's content ----------------------------------------------------------------------


def test_resources_dir_holds_the_sample() -> None:
    assert sample_path().parent == resources_dir()
    assert sample_path().is_file()


def test_sample_has_the_promised_shape(sample: Bundle) -> None:
    assert [a.name for a in sample.authors] == ["Imogen Tarrant", "Dev Okonkwo-Hale"]
    assert all(a.email.endswith("@harbourledger.example") for a in sample.authors)
    assert 4 <= len(sample.articles) <= 5
    assert all(a.source_key.startswith("sample:") for a in sample.articles)
    assert len({a.source_key for a in sample.articles}) == len(sample.articles)
    assert any(len(a.authors) == 2 for a in sample.articles)
    assert sum(len(a.figures) for a in sample.articles) == 2
    assert all(f.image is None for a in sample.articles for f in a.figures)
    thread = next(a for a in sample.articles if a.title == THREAD_TITLE)
    assert thread.status == "published"
    assert 12 <= len(thread.comments) <= 16
    assert [c.status for c in thread.comments if c.status is not None] == ["approved"]
    assert all(c.author_ip.startswith("192.0.2.") for a in sample.articles for c in a.comments)


def test_sample_bodies_stay_in_the_subset(sample: Bundle) -> None:
    for article in sample.articles:
        parser = _Tags()
        parser.feed(article.body_html)
        assert parser.tags <= BODY_TAGS, article.title
        assert parser.attrs <= {("a", "href")}, article.title
        assert 5 <= article.body_html.count("<p>") <= 12, article.title
    assert sum(a.body_html.count("<blockquote><p>") for a in sample.articles) >= 5


# The format ----------------------------------------------------------------------------------


def test_sample_round_trips(sample: Bundle) -> None:
    assert read_bundle_json(write_bundle_json(sample)) == sample


def test_round_trip_keeps_images_and_times() -> None:
    posted = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    bundle = Bundle(
        articles=(
            ArticleData(
                title="T",
                body_html="<p>x</p>",
                tags=("a", "b"),
                authors=(AuthorData(name="A", login="a"),),
                figures=(
                    FigureData(caption="c", anchor=2, image=b"\x89PNG\0", image_mime="image/png"),
                ),
                comments=(
                    CommentData(key="1", body="hi", posted_at=posted),
                    CommentData(key="1.1", body="yo", parent_key="1", status="spam"),
                ),
                published_at=datetime(2025, 3, 1, 8, 0),
            ),
        ),
    )
    assert read_bundle_json(write_bundle_json(bundle)) == bundle


@pytest.mark.parametrize("size", [0, 1, 3])
def test_the_streamed_bundle_is_the_whole_document_dumped_at_once(
    sample: Bundle, size: int
) -> None:
    """Written article by article, the file is byte for byte what one json.dumps gives."""
    from editor_app.formats.jsonbundle import (
        FORMAT_NAME,
        FORMAT_VERSION,
        _article_json,
        _author_json,
    )

    articles = sample.articles[:size]
    authors = sample.authors[:size]
    whole = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "authors": [_author_json(a) for a in authors],
        "articles": [_article_json(a) for a in articles],
    }
    expected = json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    assert write_bundle_json(Bundle(articles=articles, authors=authors)) == expected


def test_an_empty_bundle_is_allowed() -> None:
    assert read_bundle_json('{"format": "copydesk-bundle", "version": 1}') == Bundle()


def _mutated(change: Any) -> str:
    doc = _sample_doc()
    change(doc)
    return json.dumps(doc)


MALFORMED = {
    "not json": "{nope",
    "not an object": "[1, 2]",
    "no format": '{"version": 1, "articles": []}',
    "wrong format": '{"format": "wxr", "version": 1}',
    "no version": '{"format": "copydesk-bundle"}',
    "version as text": '{"format": "copydesk-bundle", "version": "1"}',
    "version as bool": '{"format": "copydesk-bundle", "version": true}',
    "future version": '{"format": "copydesk-bundle", "version": 2}',
    "articles not a list": '{"format": "copydesk-bundle", "version": 1, "articles": {}}',
    "article not an object": '{"format": "copydesk-bundle", "version": 1, "articles": [3]}',
    "unknown top key": '{"format": "copydesk-bundle", "version": 1, "extra": 1}',
    "missing title": _mutated(lambda d: d["articles"][0].pop("title")),
    "blank title": _mutated(lambda d: d["articles"][0].update(title="  ")),
    "missing body": _mutated(lambda d: d["articles"][1].pop("body_html")),
    "body not text": _mutated(lambda d: d["articles"][1].update(body_html=["<p>"])),
    "tags not a list": _mutated(lambda d: d["articles"][0].update(tags="a,b")),
    "tag not text": _mutated(lambda d: d["articles"][0].update(tags=["a", 2])),
    "unknown status": _mutated(lambda d: d["articles"][0].update(status="live")),
    "misspelt field": _mutated(lambda d: d["articles"][0].update(sectoin="x")),
    "bad time": _mutated(lambda d: d["articles"][0].update(published_at="last Tuesday")),
    "author without name": _mutated(lambda d: d["authors"][0].pop("name")),
    "figure anchor text": _mutated(lambda d: d["articles"][1]["figures"][0].update(anchor="1")),
    "figure anchor negative": _mutated(lambda d: d["articles"][1]["figures"][0].update(anchor=-1)),
    "figure image not base64": _mutated(
        lambda d: d["articles"][1]["figures"][0].update(image="**")
    ),
    "comment without body": _mutated(lambda d: d["articles"][0]["comments"][0].pop("body")),
    "comment without key": _mutated(lambda d: d["articles"][0]["comments"][0].pop("key")),
    "duplicate comment key": _mutated(
        lambda d: d["articles"][0]["comments"][1].update(key=d["articles"][0]["comments"][0]["key"])
    ),
    "unknown parent": _mutated(lambda d: d["articles"][0]["comments"][1].update(parent_key="99")),
    "parent after child": _mutated(lambda d: d["articles"][0]["comments"].reverse()),
    "bad comment status": _mutated(
        lambda d: d["articles"][0]["comments"][0].update(status="rejected")
    ),
    "comment time as number": _mutated(
        lambda d: d["articles"][0]["comments"][0].update(posted_at=1700000000)
    ),
}


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_input_fails_in_one_line(text: str) -> None:
    with pytest.raises(ImportFailed) as info:
        read_bundle_json(text)
    message = str(info.value)
    assert message and "\n" not in message


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_streamed_file_is_refused_as_the_whole_text_is(text: str, tmp_path: Path) -> None:
    """Read as it streams (large exports), a file fails with the same one-line reason."""
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed) as streamed:
        stream_bundle_file(path)
    with pytest.raises(ImportFailed) as whole:
        read_bundle_json(text)
    message = str(streamed.value)
    assert message.startswith("in.json: ") and "\n" not in message
    if not text.startswith("{nope"):
        assert message == f"in.json: {whole.value}"


def test_a_streamed_file_gives_what_the_whole_text_gives(sample: Bundle, tmp_path: Path) -> None:
    path = tmp_path / "sample.json"
    path.write_bytes(b"\xef\xbb\xbf" + write_bundle_json(sample).encode())  # with a BOM
    assert sniff_bundle(path)
    authors, articles, count = stream_bundle_file(path)
    assert count == len(sample.articles)
    assert Bundle(articles=tuple(articles()), authors=authors) == sample
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"format": "copydesk-bundle", "version": 1, "articles": [{"x": "\xe9"}]}')
    with pytest.raises(ImportFailed, match=r"latin\.json: not UTF-8"):
        stream_bundle_file(latin)
    cut = tmp_path / "cut.json"
    cut.write_text(write_bundle_json(sample)[:-500], encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"cut\.json: not valid JSON"):
        stream_bundle_file(cut)
    ghost = tmp_path / "ghost.json"
    ghost.write_text('{"db": [{"meta": {}, "data": {}}]}', encoding="utf-8")
    assert not sniff_bundle(ghost)


def test_messages_name_the_place() -> None:
    text = _mutated(lambda d: d["articles"][0]["comments"][2].update(body=7))
    with pytest.raises(ImportFailed, match=r"articles\[0\] .*comments\[2\]: 'body'"):
        read_bundle_json(text)


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"broken\.json: not valid JSON"):
        read_bundle_file(bad)
    with pytest.raises(ImportFailed, match="no such file"):
        read_bundle_file(tmp_path / "missing.json")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"format": "copydesk-bundle", "version": 1, "x": "\xe9"}')
    with pytest.raises(ImportFailed, match=r"latin\.json: not UTF-8"):
        read_bundle_file(latin)


def test_a_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + write_bundle_json(Bundle()).encode())
    assert read_bundle_file(path) == Bundle()


# Loading into a store ------------------------------------------------------------------------


def test_loading_the_sample_fills_a_fresh_store(services: Services, sample: Bundle) -> None:
    result = load_sample_newsroom(services.imports)
    n = len(sample.articles)
    assert (result.articles, result.authors, result.skipped) == (n, 2, 0)
    assert result.comments == sum(len(a.comments) for a in sample.articles)

    authors = services.authors.list()
    assert sorted(a.name for a in authors) == ["Dev Okonkwo-Hale", "Imogen Tarrant"]
    rows = services.articles.page().rows
    assert len(rows) == n
    by_title = {r.title: r for r in rows}

    thread = next(a for a in sample.articles if a.title == THREAD_TITLE)
    tree = services.comments.tree(by_title[THREAD_TITLE].id)
    nodes = list(_walk(tree))
    assert len(nodes) == len(thread.comments)
    assert max(depth for _, depth in nodes) == 3
    # Every reply sits under the comment the file named as its parent.
    parent_of = {c.body: c.parent_key for c in thread.comments}
    key_of = {c.body: c.key for c in thread.comments}
    for node, _ in nodes:
        for reply in node.replies:
            assert reply.comment.parent_id == node.comment.id
            assert parent_of[reply.comment.body] == key_of[node.comment.body]
    assert [n.comment.parent_id for n in tree] == [None] * len(tree)
    statuses = [node.comment.status for node, _ in nodes]
    # The one the file approved stays approved; the rest are for moderation to decide.
    assert statuses.count("approved") >= 1

    detail = services.articles.detail(by_title[THREAD_TITLE].id)
    assert detail.body_html.count("<blockquote>") == thread.body_html.count("<blockquote>")
    both = next(a for a in sample.articles if len(a.authors) == 2)
    assert len(services.articles.detail(by_title[both.title].id).authors) == 2
    figured = next(a for a in sample.articles if a.figures)
    figures = services.articles.detail(by_title[figured.title].id).figures
    assert [(f.caption, f.anchor, f.has_image) for f in figures] == [
        (f.caption, f.anchor, False) for f in figured.figures
    ]


def test_loading_the_sample_twice_creates_nothing_new(services: Services, sample: Bundle) -> None:
    first = load_sample_newsroom(services.imports)
    second = load_sample_newsroom(services.imports)
    n = len(sample.articles)
    assert (second.articles, second.authors, second.comments) == (0, 0, 0)
    assert second.skipped == n
    assert second.skipped_comments == first.comments
    assert set(second.article_ids) == set(first.article_ids)
    assert len(services.articles.page().rows) == n
    assert len(services.authors.list()) == 2


def test_comments_status_is_passed_through(services: Services) -> None:
    load_sample_newsroom(services.imports, comments_status="approved")
    assert services.comments.counts()["pending"] == 0
    with pytest.raises(InvalidInput):
        load_sample_newsroom(services.imports, comments_status="maybe")
