"""Ghost JSON exports: wrapped and bare layouts, relations, statuses and bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from editor_app.domain.errors import ImportFailed
from editor_app.formats.ghost import looks_like_ghost, read_ghost

pytestmark = pytest.mark.unit

HOSTILE = '<p>Text <script>x()</script><a href="javascript:y()">l</a></p>'
GHOST = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "ghost"


def shared(name: str) -> str:
    path = GHOST / name
    if not path.is_file():
        pytest.skip(f"shared test data is not here ({path}); it lives in ../shared beside the repo")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["ghostToHugo-wrapped.json", "ghostToHugo-unwrapped.json"])
def test_ghost_to_hugo_samples(name: str) -> None:
    text = shared(name)
    assert looks_like_ghost(text)
    bundle = read_ghost(text)
    (post,) = bundle.articles
    assert post.title == "my blog post title"
    assert post.slug == "my-blog-post-title"
    assert post.status == "published"
    assert post.body_html == "the <i>html</i> formatted post body"
    assert post.published_at == datetime(2010, 9, 6, 13, 44, 9, tzinfo=UTC)
    assert post.tags == ("Colorado Ho!",)  # dangling posts_tags rows ignored
    assert post.authors == ()  # author_id 1 is not among the users
    assert [a.name for a in bundle.authors] == ["user's name"]
    assert post.source_key == "ghost:5"


def modern_export() -> dict[str, object]:
    return {
        "db": [
            {
                "meta": {"exported_on": 1700000000000, "version": "5.70.0"},
                "data": {
                    "posts": [
                        {
                            "id": "p1",
                            "uuid": "u-1",
                            "title": "Quay vote",
                            "slug": "quay-vote",
                            "html": HOSTILE,
                            "status": "scheduled",
                            "type": "post",
                            "published_at": "2024-06-01T08:00:00.000Z",
                            "custom_excerpt": "The short version.",
                            "feature_image": "__GHOST_URL__/content/images/q.jpg",
                        },
                        {
                            "id": "p2",
                            "title": "About us",
                            "slug": "about",
                            "html": None,
                            "plaintext": "First para.\n\nSecond para.",
                            "status": "draft",
                            "type": "page",
                            "published_at": None,
                        },
                        {
                            "id": "p3",
                            "title": "Lexical only",
                            "lexical": '{"root": {}}',
                            "status": "sent",
                        },
                    ],
                    "posts_meta": [
                        {
                            "post_id": "p1",
                            "feature_image_alt": "The quay",
                            "feature_image_caption": "<b>Quay</b> at dawn",
                        }
                    ],
                    "tags": [
                        {"id": "t1", "name": "Harbour"},
                        {"id": "t2", "name": "#internal"},
                        {"id": "t3", "name": "Council"},
                    ],
                    "posts_tags": [
                        {"post_id": "p1", "tag_id": "t3", "sort_order": 1},
                        {"post_id": "p1", "tag_id": "t1", "sort_order": 0},
                        {"post_id": "p1", "tag_id": "t2", "sort_order": 2},
                    ],
                    "users": [
                        {
                            "id": "u1",
                            "name": "Ana Ruiz",
                            "slug": "ana",
                            "email": "ana@example.org",
                            "bio": "Port reporter.",
                        },
                        {"id": "u2", "name": "Tom Lee", "slug": "tom"},
                    ],
                    "posts_authors": [
                        {"post_id": "p1", "author_id": "u2", "sort_order": 1},
                        {"post_id": "p1", "author_id": "u1", "sort_order": 0},
                        {"post_id": "p1", "author_id": "missing", "sort_order": 2},
                    ],
                },
            }
        ]
    }


def test_modern_export() -> None:
    bundle = read_ghost(json.dumps(modern_export()).encode("utf-8"))
    quay, about, lexical = bundle.articles
    assert quay.status == "scheduled" and quay.dek == "The short version."
    assert quay.published_at == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
    assert quay.tags == ("Harbour", "Council")
    assert [a.name for a in quay.authors] == ["Ana Ruiz", "Tom Lee"]
    assert "script" not in quay.body_html and "javascript" not in quay.body_html
    (fig,) = quay.figures
    assert (fig.source_url, fig.alt, fig.caption, fig.anchor) == (
        "/content/images/q.jpg",
        "The quay",
        "Quay at dawn",
        0,
    )
    assert quay.source_key == "ghost:u-1"
    assert about.kind == "page" and about.status == "draft" and about.published_at is None
    assert about.body_html == "<p>First para.</p>\n<p>Second para.</p>"
    assert lexical.status == "published" and lexical.body_html == ""
    assert {a.name for a in bundle.authors} == {"Ana Ruiz", "Tom Lee"}


def test_old_markdown_only_post() -> None:
    data = {"data": {"posts": [{"id": 1, "title": "Old", "markdown": "Some *md*", "status": "x"}]}}
    (post,) = read_ghost(json.dumps(data)).articles
    assert post.body_html == "<p>Some <em>md</em></p>" and post.status == "draft"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("{not json", "not valid JSON"),
        ('{"posts": []}', "not a Ghost export"),
        ("[1, 2]", "not a Ghost export"),
        ('{"db": [{"data": {}}]}', "no posts"),
    ],
)
def test_bad_exports(text: str, message: str) -> None:
    with pytest.raises(ImportFailed, match=message) as info:
        read_ghost(text)
    assert "\n" not in str(info.value)


def test_binary_and_wrong_encoding() -> None:
    with pytest.raises(ImportFailed, match="UTF-8"):
        read_ghost('{"data": {"posts": [{"title": "caf\u00e9"}]}}'.encode("latin-1"))
    with pytest.raises(ImportFailed):
        read_ghost(b"\x89PNG\r\n\x1a\n\x00\x00")
