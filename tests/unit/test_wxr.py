"""WXR reader and writer: the WordPress importer's fixtures, hostile XML, round trips."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import random
import threading
import time
import tracemalloc
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from editor_app.domain.errors import Cancelled, ImportFailed
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData, FigureData
from editor_app.formats.comment_html import comment_forms
from editor_app.formats.htmlbody import html_to_paragraphs, html_to_text
from editor_app.formats.wxr import (
    PRIVATE_TAG,
    WxrChannel,
    WxrItem,
    channel_authors,
    iter_wxr,
    iter_wxr_items,
    looks_like_wxr,
    read_wxr,
    wpautop,
    write_wxr,
)

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "wxr"
needs_fixtures = pytest.mark.skipif(
    not (FIXTURES / "EXPECTATIONS.txt").is_file(),
    reason=f"WXR fixtures from WordPress/wordpress-importer not found at {FIXTURES}",
)

WP12 = "http://wordpress.org/export/1.2/"


def fixture(name: str) -> Path:
    return FIXTURES / name


def raw(name: str) -> tuple[WxrChannel, list[WxrItem]]:
    channel = WxrChannel()
    items = list(iter_wxr_items(fixture(name), channel=channel))
    return channel, items


def refusal(path: Path) -> str:
    with pytest.raises(ImportFailed) as info:
        read_wxr(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(path.name)
    return message


def wxr(body: str, *, head: str = "", version: str = "1.2", encoding: str = "UTF-8") -> str:
    """A minimal export around the given channel content."""
    return (
        f'<?xml version="1.0" encoding="{encoding}" ?>\n{head}'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        f' xmlns:wp="{WP12}">\n<channel>\n<title>Test site</title>\n'
        "<link>https://example.org</link>\n"
        f"<wp:wxr_version>{version}</wp:wxr_version>\n{body}\n</channel>\n</rss>\n"
    )


def item(
    post_id: int,
    *,
    title: str = "A post",
    content: str = "Text.",
    status: str = "publish",
    post_type: str = "post",
    extra: str = "",
) -> str:
    return (
        f"<item><title><![CDATA[{title}]]></title><dc:creator>ed</dc:creator>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:status>{status}</wp:status>"
        f"<wp:post_type>{post_type}</wp:post_type>{extra}</item>\n"
    )


def write(tmp_path: Path, text: str | bytes, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


# ----------------------------------------------------------------------------- fixtures


@needs_fixtures
def test_small_export_counts_order_and_people() -> None:
    channel = WxrChannel()
    articles = list(iter_wxr(fixture("small-export.xml"), channel=channel))
    assert [a.title for a in articles] == [
        "Hello world!",
        "Sample Page",
        "Child Page",
        "Parent Page",
        "Draft Page",
        "1-col page",
        "Private Post",
        "Foo-child",
        "Top-level Foo",
        "Non-standard post format",
        "Many Categories",
    ]
    posts = [a for a in articles if a.kind == "post"]
    pages = [a for a in articles if a.kind == "page"]
    assert sorted(a.status for a in posts) == ["draft"] + ["published"] * 5
    assert [a.title for a in posts if PRIVATE_TAG in a.tags] == ["Private Post"]
    assert sorted(a.status for a in pages) == ["draft"] + ["published"] * 4
    assert sum(len(a.comments) for a in articles) == 1
    by_title = {a.title: a for a in articles}
    assert by_title["Private Post"].tags == ("Tag1", "Tag2", "Tag3", PRIVATE_TAG)
    assert by_title["Draft Page"].slug == ""
    assert by_title["Draft Page"].published_at is None
    assert by_title["Foo-child"].section == "Foo"
    assert by_title["Foo-child"].authors == (
        AuthorData(name="FirstName LastName", email="editor@example.org", login="editor"),
    )
    assert [a.login for a in by_title["Hello world!"].authors] == ["author"]
    assert by_title["Many Categories"].section == "alpha"
    assert by_title["Hello world!"].published_at == datetime(2011, 1, 18, 7, 40, 14, tzinfo=UTC)

    assert [(a.login, a.email) for a in channel.authors] == [
        ("admin", "local@host.null"),
        ("editor", "editor@example.org"),
        ("author", "author@example.org"),
    ]
    categories = [t for t in channel.terms if t.taxonomy == "category"]
    assert len(categories) == 30
    assert len([t for t in channel.terms if t.taxonomy == "post_tag"]) == 3
    assert next(t for t in categories if t.slug == "foo").parent == ""
    assert next(t for t in categories if t.slug == "foo-bar").parent == "bar"


@needs_fixtures
def test_importing_twice_gives_the_same_keys() -> None:
    first = read_wxr(fixture("small-export.xml"))
    second = read_wxr(fixture("small-export.xml"))
    assert first == second
    keys = [a.source_key for a in first.articles]
    assert len(set(keys)) == 11
    assert keys[0] == "wxr:http://localhost:1"
    assert [a.name for a in first.authors] == ["admin", "FirstName LastName", "author"]


@needs_fixtures
def test_wxr_1_0() -> None:
    channel, items = raw("valid-wxr-1.0.xml")
    assert channel.version == "1.0"
    assert channel.base_site_url == "http://localhost/"
    assert channel.authors == []
    first_category = next(t for t in channel.terms if t.taxonomy == "category")
    assert (first_category.name, first_category.description, first_category.parent) == (
        "alpha",
        "The alpha category",
        "",
    )
    assert next(t for t in channel.terms if t.taxonomy == "post_tag").name == "chicken"
    assert items[1].meta_value("_wp_page_template") == "default"

    articles = read_wxr(fixture("valid-wxr-1.0.xml")).articles
    assert [a.kind for a in articles].count("post") == 3
    assert [a.kind for a in articles].count("page") == 3
    assert {au.login for a in articles for au in a.authors} == {"admin"}
    assert (articles[2].section, articles[2].tags) == ("alpha", ("news", "roar"))
    assert (articles[3].section, articles[3].tags) == ("child", ("chicken", "face"))
    assert sum(len(a.comments) for a in articles) == 1


@needs_fixtures
def test_wxr_1_1() -> None:
    channel, items = raw("valid-wxr-1.1.xml")
    assert channel.base_site_url == "http://localhost/"
    (john,) = channel.authors
    assert (john.author_id, john.login, john.email, john.display_name) == (
        "2",
        "john",
        "johndoe@example.org",
        "John Doe",
    )
    terms = {(t.taxonomy, t.name): t.term_id for t in channel.terms}
    assert terms == {("category", "alpha"): "3", ("post_tag", "Clippable"): "22"} | {
        ("post_tax", "bieup"): "40"
    }
    assert [name for _d, _n, name in items[0].terms] == ["alpha", "Clippable", "bieup"]
    assert items[1].meta_value("_wp_page_template") == "default"
    articles = read_wxr(fixture("valid-wxr-1.1.xml")).articles
    assert [a.kind for a in articles] == ["post", "page"]
    assert articles[0].authors[0].name == "John Doe"
    assert len(articles[0].comments) == 1


@needs_fixtures
@pytest.mark.parametrize("name", ["missing-version-tag.xml", "invalid-version-tag.xml"])
def test_missing_or_invalid_version_is_refused(name: str) -> None:
    assert "missing/invalid WXR version number" in refusal(fixture(name))


@needs_fixtures
def test_malformed_is_refused_with_its_line() -> None:
    message = refusal(fixture("malformed.xml"))
    assert "not well-formed XML at line 90" in message
    assert "notachanneltag" in message


@needs_fixtures
def test_unescaped_cdata_end_is_refused() -> None:
    # Only WordPress's regex parser "recovers" this file; an XML parser must not.
    assert "line 18" in refusal(fixture("crazy-cdata.xml"))


@needs_fixtures
def test_missing_tags_parses_quietly() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bundle = read_wxr(fixture("missing-tags.xml"))
    (article,) = bundle.articles
    assert (article.title, article.authors, bundle.authors) == ("No Author Post", (), ())
    assert article.body_html == "<p>text</p>"


@needs_fixtures
@pytest.mark.parametrize("name", ["wxr-simple.xml", "e2e/wxr-simple.xml"])
def test_wxr_simple(name: str) -> None:
    channel, items = raw(name)
    assert channel.version == "1.2"
    assert channel.base_site_url == channel.base_blog_url == "https://playground.internal/path"
    bundle = read_wxr(fixture(name))
    assert bundle == read_wxr(fixture(name))
    (article,) = bundle.articles
    assert items[0].post_id == "10"
    assert article.title == '"The Road Not Taken" by Robert Frost'
    assert (article.kind, article.slug, article.status) == ("post", "hello-world", "published")
    assert article.section == "Uncategorized"
    assert "Two roads diverged in a yellow wood" in html_to_text(article.body_html)
    assert '<a href="https://w.org">' in article.body_html
    assert article.source_key == "wxr:https://playground.internal/path:10"
    (admin,) = bundle.authors
    assert (admin.login, admin.email) == ("admin", "admin@localhost.com")


@needs_fixtures
def test_sub_data() -> None:
    channel, items = raw("wxr-with-sub-data.xml")
    (post,) = items
    assert (post.post_id, post.title, post.creator, post.status) == (
        "101",
        "Post with sub data",
        "admin",
        "publish",
    )
    assert post.meta == (("_test_meta_key", "test_meta_value"),)
    (comment,) = post.comments
    assert (comment.comment_id, comment.author, comment.content) == (
        "201",
        "Commenter",
        "This is a comment with meta.",
    )
    assert comment.meta == (("_comment_meta_key", "comment_meta_value"),)
    (term,) = channel.terms
    assert (term.term_id, term.taxonomy, term.slug) == ("40", "custom_tax", "custom-term")
    assert term.meta == (("term_meta_key", "term_meta_value"),)
    assert channel.authors == []
    (article,) = read_wxr(fixture("wxr-with-sub-data.xml")).articles
    assert article.section == "Test Category"
    assert article.comments[0].body == "This is a comment with meta."


@needs_fixtures
def test_slashes_survive() -> None:
    channel, _ = raw("slashes.xml")
    assert channel.terms[0].name == 'a \\"great\\" category'
    assert channel.terms[1].name == "foo\\'bar"
    (article,) = read_wxr(fixture("slashes.xml")).articles
    assert article.section == 'a \\"great\\" category'
    assert html_to_text(article.body_html) == 'Slashes aren\\\'t \\"cool\\"'
    assert article.body_html == '<p>Slashes aren\\\'t \\"cool\\"</p>'
    assert article.comments[0].body == "\\o/ ¯\\_(ツ)_/¯"


@needs_fixtures
def test_backslashes_survive() -> None:
    (article,) = read_wxr(fixture("backslashes.xml")).articles
    assert article.body_html == "<p>C:\\xampp\\htdocs\\wp-content</p>"


@needs_fixtures
def test_blank_lines_make_paragraphs() -> None:
    _, (post,) = raw("blank-lines.xml")
    assert post.content == "first paragraph\n\nsecond paragraph"
    (article,) = read_wxr(fixture("blank-lines.xml")).articles
    assert article.body_html == "<p>first paragraph</p>\n<p>second paragraph</p>"


@needs_fixtures
def test_post_content_blank_lines() -> None:
    _, (post,) = raw("post-content-blank-lines.xml")
    assert post.content.count("\n") == 3
    (article,) = read_wxr(fixture("post-content-blank-lines.xml")).articles
    assert html_to_paragraphs(article.body_html) == [
        "This is an example of a WordPress post.\nIt has lines with text (and one blank line).",
        "And more lines with text.",
    ]


@needs_fixtures
def test_adjacent_cdata_sections_join() -> None:
    _, (post,) = raw("multiple-cdata.xml")
    assert post.content == "line oneline twoline three"


@needs_fixtures
def test_cdata_edge() -> None:
    _, (post,) = raw("cdata-edge.xml")
    assert post.content.endswith("]] >")
    (article,) = read_wxr(fixture("cdata-edge.xml")).articles
    assert html_to_text(article.body_html).endswith("]] >")


@needs_fixtures
def test_meta_values_are_kept_as_written() -> None:
    _, (post,) = raw("chunked-meta.xml")
    assert post.meta_value("_my_meta") == 'a:1:{s:3:"foo";s:3:"bar";}'
    _, (post,) = raw("test-serialized-postmeta-no-cdata.xml")
    assert post.post_id == "122"
    options = 'a:2:{s:18:"special_post_title";s:15:"A special title";s:11:"is_calendar";s:0:"";}'
    assert post.meta_value("post-options") == options
    _, (post,) = raw("test-serialized-postmeta-with-cdata.xml")
    assert post.meta_value("contains-html") == "<pre>some html</pre>"
    assert post.meta_value("evil") == "<wp:meta_value>evil</wp:meta_value>"
    assert post.meta_value("string") == "¯\\_(ツ)_/¯"
    assert post.meta_value("array") == 'a:1:{s:3:"key";s:13:"¯\\_(ツ)_/¯";}'
    assert post.meta_value("integer") == "1"
    _, (post,) = raw("test-utw-post-meta-import.xml")
    value = post.meta_value("test") or ""
    assert value.startswith("a:13:{")
    for tag in ("album", "apple", "art", "dead-tracks", "windows-scripting-host", "wscript"):
        assert f'"{tag}"' in value
    _, (post,) = raw("test-serialized-comment-meta.xml")
    (comment,) = post.comments
    assert comment.approved == "1"
    assert dict(comment.meta)["string"] == "¯\\_(ツ)_/¯"


@needs_fixtures
def test_term_fixtures() -> None:
    channel, items = raw("term-formats.xml")
    assert (items, channel.authors, channel.base_site_url) == ([], [], "http://localhost/")
    taxonomies = [t.taxonomy for t in channel.terms]
    assert taxonomies.count("category") == 2
    assert taxonomies.count("post_tag") == 3
    assert [t.name for t in channel.terms if t.taxonomy not in {"category", "post_tag"}] == [
        "Custom Taxonomy Item",
        "Menu",
    ]
    channel, _ = raw("term-meta.xml")
    assert channel.terms[0].meta[0] == ("legacy_id", "42")
    channel, _ = raw("test-serialized-term-meta.xml")
    assert [t.taxonomy for t in channel.terms] == ["category", "post_tag", "custom_taxonomy"]
    assert all(dict(t.meta)["string"] == "¯\\_(ツ)_/¯" for t in channel.terms)


@needs_fixtures
def test_author_logins_are_trimmed() -> None:
    channel, _ = raw("authors-multiline.xml")
    assert [(a.author_id, a.login) for a in channel.authors] == [
        ("1", "alice"),
        ("2", "bob"),
        ("3", "carol"),
    ]


@needs_fixtures
def test_large_author_list() -> None:
    bundle = read_wxr(fixture("large-authors.xml"))
    assert (len(bundle.authors), bundle.articles) == (300, ())


@needs_fixtures
def test_namespace_edge_cases() -> None:
    channel, items = raw("namespace-edge-cases.xml")
    assert [i.title for i in items] == [
        "Mixed Namespaces",
        "No Prefix",
        "Empty Namespace",
        "Unicode Namespace",
        "Hijacked Namespace",
        "Namespace Bomb",
    ]
    assert [i.post_id for i in items] == ["999", "2", "3", "4", "", "6"]
    assert items[0].meta == (("normal_key", "normal_value"),)
    assert (items[4].post_type, items[4].meta) == ("", ())
    assert [(a.login, a.author_id) for a in channel.authors] == [
        ("real_user", "2"),
        ("version_conflict", "3"),
    ]
    assert channel.authors[0].email == "real@example.com"
    assert [(t.term_id, t.name, t.taxonomy) for t in channel.terms] == [
        ("100", "Old Version", "category"),
        ("102", "New Version", "category"),
    ]
    articles = read_wxr(fixture("namespace-edge-cases.xml")).articles
    # The hijacked item has no post type in a WordPress namespace: WordPress skips it too.
    assert "Hijacked Namespace" not in [a.title for a in articles]
    assert len(articles) == 5
    bomb = articles[-1]
    assert html_to_text(bomb.body_html) == "&lol1;" * 10


@needs_fixtures
@pytest.mark.parametrize(
    "name", ["wxr-flat-attachment-same-site.xml", "wxr-flat-attachment-different-site.xml"]
)
def test_attachment_becomes_a_figure(name: str) -> None:
    (article,) = read_wxr(fixture(name)).articles
    assert article.title == "Post with Attachment"
    assert article.body_html == "<p>This post has an attachment.</p>"
    (figure,) = article.figures
    assert figure.source_url == "https://wpthemetestdata.files.wordpress.com/2008/06/canola2.jpg"
    assert (figure.alt, figure.anchor) == ("canola", 1)


@needs_fixtures
def test_e2e_comprehensive() -> None:
    bundle = read_wxr(fixture("e2e/wxr-comprehensive.xml"))
    post, page = bundle.articles
    assert (post.title, post.status, post.kind) == ("Comprehensive Post", "published", "post")
    assert post.published_at == datetime(2024, 6, 5, 16, 4, 48, tzinfo=UTC)
    assert "This is a comprehensive post body" in html_to_text(post.body_html)
    assert (post.section, post.tags) == ("News", ("T1", "T2"))
    assert post.dek == "An excerpt for comprehensive post"
    assert [a.name for a in post.authors] == ["Alice"]
    (comment,) = post.comments
    assert (comment.body, comment.status, comment.author_ip) == (
        "Great post!",
        "approved",
        "127.0.0.1",
    )
    assert (page.title, page.kind) == ("Comprehensive Page", "page")
    assert [a.name for a in bundle.authors] == ["Alice", "Bob"]
    channel = WxrChannel()
    next(iter_wxr(fixture("e2e/wxr-comprehensive.xml"), channel=channel))
    assert channel_authors(channel) == bundle.authors


@needs_fixtures
def test_every_fixture_is_read_or_refused_in_one_line() -> None:
    refused = {
        "crazy-cdata.xml",
        "invalid-version-tag.xml",
        "malformed.xml",
        "missing-version-tag.xml",
    }
    paths = sorted(FIXTURES.glob("*.xml")) + sorted(FIXTURES.glob("e2e/*.xml"))
    assert len(paths) == 33
    for path in paths:
        if path.name in refused and path.parent == FIXTURES:
            refusal(path)
        else:
            read_wxr(path)
        head = path.read_bytes()[:4096]
        assert looks_like_wxr(head), path.name


# ----------------------------------------------------------------------------- hostile XML


def test_xxe_is_refused_without_reading_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42")
    doc = wxr(
        item(1, title="&xxe;"),
        head=f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n',
    )
    doc = doc.replace("<![CDATA[&xxe;]]>", "&xxe;")
    message = refusal(write(tmp_path, doc))
    assert "XML entities are not allowed" in message
    assert "TOP-SECRET" not in message


def test_entities_after_a_long_prolog_are_still_refused(tmp_path: Path) -> None:
    # The DOCTYPE starts past the cheap byte check: the parser's own DTD check catches it.
    padding = "<!-- " + "x" * 70_000 + " -->\n"
    doc = wxr(item(1), head=padding + '<!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/x">]>\n')
    assert "XML entities are not allowed" in refusal(write(tmp_path, doc))


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lol = ['<!ENTITY lol "lol">']
    lol += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in (1,)]
    lol += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10)]
    doc = wxr(item(1), head="<!DOCTYPE rss [" + "".join(lol) + "]>\n")
    doc = doc.replace("<![CDATA[Text.]]>", "&lol9;")
    started = time.perf_counter()
    assert "XML entities are not allowed" in refusal(write(tmp_path, doc))
    assert time.perf_counter() - started < 1


def test_external_dtd_is_refused(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "TOP-SECRET">')
    doc = wxr(item(1), head=f'<!DOCTYPE rss SYSTEM "{dtd.as_uri()}">\n')
    assert "external DTD" in refusal(write(tmp_path, doc))


def test_plain_doctype_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, wxr(item(1), head="<!DOCTYPE rss>\n"))
    assert len(read_wxr(path).articles) == 1


@needs_fixtures
def test_truncated_file_is_refused_with_a_line(tmp_path: Path) -> None:
    data = fixture("small-export.xml").read_bytes()
    path = write(tmp_path, data[: len(data) // 2])
    message = refusal(path)
    assert "not well-formed XML at line" in message
    # Nothing comes out of a broken file: the first pass checks it all.
    with pytest.raises(ImportFailed):
        next(iter_wxr(path))


def test_bytes_that_do_not_match_the_declared_encoding(tmp_path: Path) -> None:
    latin1 = wxr(item(1, title="Caf\u00e9")).encode("latin-1")
    message = refusal(write(tmp_path, latin1))
    assert "do not match the declared encoding" in message
    assert "line" in message


def test_unknown_declared_encoding(tmp_path: Path) -> None:
    doc = wxr(item(1), encoding="x-no-such-charset").encode()
    assert "x-no-such-charset" in refusal(write(tmp_path, doc))


def test_a_correctly_declared_latin1_file_is_read(tmp_path: Path) -> None:
    doc = wxr(item(1, title="Caf\u00e9"), encoding="ISO-8859-1").encode("latin-1")
    (article,) = read_wxr(write(tmp_path, doc)).articles
    assert article.title == "Caf\u00e9"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"", "not an XML file"),
        (b'{"articles": []}', "not well-formed XML at line 1"),
        (b"<html><body>hi</body></html>", "root element is <html>"),
    ],
)
def test_not_wxr_at_all(tmp_path: Path, text: bytes, expected: str) -> None:
    assert expected in refusal(write(tmp_path, text))


def test_oversized_text_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, wxr(item(1, content="x" * 10_500_000)))
    assert "safety limit" in refusal(path)


def test_undefined_entity_is_refused(tmp_path: Path) -> None:
    doc = wxr(item(1)).replace("<![CDATA[Text.]]>", "caf&eacute;")
    assert "eacute" in refusal(write(tmp_path, doc))


def test_cancel_stops_reading(tmp_path: Path) -> None:
    path = write(tmp_path, wxr("".join(item(i) for i in range(1, 6))))
    with pytest.raises(Cancelled):
        list(iter_wxr(path, cancelled=lambda: True))


# ----------------------------------------------------------------------------- mapping


@pytest.mark.parametrize(
    ("wp_status", "status"),
    [
        ("publish", "published"),
        ("draft", "draft"),
        ("pending", "copyedit"),
        ("future", "scheduled"),
        ("private", "draft"),
        ("trash", "spiked"),
        ("something-new", "draft"),
    ],
)
def test_status_mapping(tmp_path: Path, wp_status: str, status: str) -> None:
    (article,) = read_wxr(write(tmp_path, wxr(item(1, status=wp_status)))).articles
    assert article.status == status
    assert (PRIVATE_TAG in article.tags) == (wp_status == "private")


def test_only_posts_and_pages_are_articles(tmp_path: Path) -> None:
    body = (
        item(1, post_type="post")
        + item(2, post_type="page")
        + item(3, post_type="attachment", status="inherit")
        + item(4, post_type="nav_menu_item")
        + item(5, post_type="wp_block")
        + item(6, status="auto-draft")
        + item(7, post_type="revision", status="inherit")
    )
    articles = read_wxr(write(tmp_path, wxr(body))).articles
    assert [(a.kind, a.source_key) for a in articles] == [
        ("post", "wxr:https://example.org:1"),
        ("page", "wxr:https://example.org:2"),
    ]


def test_dates(tmp_path: Path) -> None:
    body = (
        item(1, extra="<wp:post_date_gmt>2024-02-29 23:59:58</wp:post_date_gmt>")
        + item(2, status="draft", extra="<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>")
        + item(
            3,
            extra="<pubDate>Wed, 05 Jun 2024 16:04:48 +0200</pubDate>"
            "<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>",
        )
    )
    a, b, c = read_wxr(write(tmp_path, wxr(body))).articles
    assert a.published_at == datetime(2024, 2, 29, 23, 59, 58, tzinfo=UTC)
    assert b.published_at is None
    assert c.published_at == datetime(2024, 6, 5, 14, 4, 48, tzinfo=UTC)


def comment(cid: str, parent: str, text: str, approved: str = "1", ctype: str = "") -> str:
    return (
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[Reader {cid}]]></wp:comment_author>"
        f"<wp:comment_author_email>r{cid}@example.com</wp:comment_author_email>"
        f"<wp:comment_author_IP>10.0.0.{cid}</wp:comment_author_IP>"
        f"<wp:comment_date_gmt>2024-01-0{cid} 10:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[{text}]]></wp:comment_content>"
        f"<wp:comment_approved>{approved}</wp:comment_approved>"
        f"<wp:comment_type>{ctype}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
    )


def test_comment_threads_come_parents_first(tmp_path: Path) -> None:
    comments = (
        comment("3", "2", "grandchild")
        + comment("2", "1", "child")
        + comment("1", "0", "top")
        + comment("4", "9", "parent not in the file")
        + comment("5", "6", "loop a")
        + comment("6", "5", "loop b")
    )
    (article,) = read_wxr(write(tmp_path, wxr(item(1, extra=comments)))).articles
    order = [(c.key, c.parent_key) for c in article.comments]
    assert order[:4] == [("1", None), ("2", "1"), ("3", "2"), ("4", None)]
    assert {k for k, _ in order[4:]} == {"5", "6"}
    seen: set[str] = set()
    for key, parent in order:
        assert parent is None or parent in seen
        seen.add(key)
    top = article.comments[0]
    assert (top.author_name, top.author_email, top.author_ip) == (
        "Reader 1",
        "r1@example.com",
        "10.0.0.1",
    )
    assert top.posted_at == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)


def test_comment_statuses_and_kinds(tmp_path: Path) -> None:
    comments = (
        comment("1", "0", "a", "1")
        + comment("2", "0", "b", "0")
        + comment("3", "0", "c", "spam")
        + comment("4", "0", "d", "trash")
        + comment("5", "0", "e", "post-trashed")
        + comment("6", "0", "f", "1", "pingback")
        + comment("7", "0", "g", "1", "trackback")
        + comment("8", "0", "h", "1", "comment")
    )
    (article,) = read_wxr(write(tmp_path, wxr(item(1, extra=comments)))).articles
    assert [c.status for c in article.comments] == [
        "approved",
        "pending",
        "spam",
        "trash",
        "trash",
        "approved",
        "approved",
        "approved",
    ]
    kinds = [c.kind for c in article.comments]
    assert kinds == ["comment"] * 5 + ["pingback", "trackback", "comment"]


def test_untitled_posts_get_a_title(tmp_path: Path) -> None:
    (article,) = read_wxr(write(tmp_path, wxr(item(7, title="")))).articles
    assert article.title == "Untitled post 7"


def attachment(post_id: int, url: str, *, caption: str = "", alt: str = "") -> str:
    return item(
        post_id,
        title=f"file {post_id}",
        content="A long description.",
        post_type="attachment",
        status="inherit",
        extra=f"<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>"
        f"<wp:attachment_url>{url}</wp:attachment_url>"
        "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>",
    )


def test_figures_from_shortcodes_blocks_and_attachments(tmp_path: Path) -> None:
    content = (
        "First paragraph.\n\n"
        '[caption id="attachment_21" align="alignnone" width="300"]'
        '<a href="https://example.org/a.jpg"><img class="size-medium wp-image-21" '
        'src="https://example.org/a-300x200.jpg" alt="" /></a> Harbour at dawn[/caption]\n\n'
        "Second paragraph.\n\n"
        '<img class="wp-image-22" src="https://example.org/b-1024x768.jpg" alt="Own alt" />\n\n'
        '<img src="https://elsewhere.example/c.jpg" alt="not ours" />\n\n'
        "Third paragraph."
    )
    # The attachments come after the post, as WordPress exports them by id.
    body = (
        item(20, content=content)
        + attachment(21, "https://example.org/a.jpg", alt="Boats")
        + attachment(22, "https://example.org/b.jpg", caption="Market day")
    )
    (article,) = read_wxr(write(tmp_path, wxr(body))).articles
    assert html_to_paragraphs(article.body_html) == [
        "First paragraph.",
        "Second paragraph.",
        "Third paragraph.",
    ]
    assert '<img src="https://elsewhere.example/c.jpg" alt="not ours">' in article.body_html
    first, second = article.figures
    assert first == FigureData(
        caption="Harbour at dawn", alt="Boats", anchor=1, source_url="https://example.org/a.jpg"
    )
    assert second == FigureData(
        caption="Market day", alt="Own alt", anchor=2, source_url="https://example.org/b.jpg"
    )


def test_block_editor_image(tmp_path: Path) -> None:
    content = (
        "<!-- wp:paragraph -->\n<p>Intro.</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:image {"id":5} -->\n<figure class="wp-block-image">'
        '<img src="https://example.org/x.jpg" alt="X" class="wp-image-5"/>'
        '<figcaption class="wp-element-caption">The <em>caption</em></figcaption></figure>\n'
        "<!-- /wp:image -->\n\n"
        '<!-- wp:table --><figure class="wp-block-table"><table><tr><td>cell</td></tr>'
        "</table></figure><!-- /wp:table -->"
    )
    (article,) = read_wxr(write(tmp_path, wxr(item(1, content=content)))).articles
    (figure,) = article.figures
    assert (figure.caption, figure.alt, figure.anchor) == ("The caption", "X", 1)
    assert "cell" in html_to_text(article.body_html)


def test_wpautop() -> None:
    assert wpautop("one\n\ntwo") == "<p>one</p>\n<p>two</p>\n"
    assert wpautop("line\nbreak") == "<p>line<br />\nbreak</p>\n"
    assert wpautop("<blockquote>q</blockquote>\n\nafter") == (
        "<blockquote><p>q</p></blockquote>\n<p>after</p>\n"
    )
    assert wpautop("<ul>\n<li>a</li>\n<li>b</li>\n</ul>") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
    assert wpautop("<pre>keep\n\n  this</pre>") == "<pre>keep\n\n  this</pre>\n"
    assert wpautop('<a\nhref="x">link</a> text') == '<p><a\nhref="x">link</a> text</p>\n'
    assert wpautop("  \n ") == ""


def test_wpautop_plain_text_shortcut_agrees_with_the_full_rules() -> None:
    from editor_app.formats.wpautop import _wpautop_html

    rng = random.Random(7)
    pieces = ["a", "b", " ", "\t", "\n", "\n\n", "&", ">", "\u00e9", "  \n", "\n \n"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 16)))
        if text.strip():
            assert wpautop(text) == _wpautop_html(text), repr(text)


def test_looks_like_wxr() -> None:
    assert looks_like_wxr(wxr(item(1)).encode())
    assert looks_like_wxr(b"\xef\xbb\xbf" + wxr("").encode())
    assert looks_like_wxr(wxr("").encode("utf-16"))
    plain_rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
    assert not looks_like_wxr(plain_rss)
    assert not looks_like_wxr(b'{"articles": []}')
    assert not looks_like_wxr(b"<html><!-- wordpress.org/export/1.2/ --><body></body></html>")
    assert not looks_like_wxr(b"")


# ----------------------------------------------------------------------------- writer

TRICKY = (
    "Ends ]]> with \\backslash\\ \u2014 emoji \U0001f600 \u202eRTL\u202c \u05e9\u05dc\u05d5\u05dd"
)


def sample_bundle() -> Bundle:
    zoe = AuthorData(name="Zo\u00eb \u00c5ngstr\u00f6m", email="zoe@mag.example", bio="Writer")
    omar = AuthorData(name="\u0639\u0645\u0631 \u0627\u0644\u0641\u0627\u0631\u0648\u0642")
    comments = (
        CommentData(key="3", parent_key="2", body="reply to a reply", status="approved"),
        CommentData(
            key="1",
            body="First! ]]> \\o/ \U0001f389",
            author_name="Ann",
            author_email="ann@reader.example",
            author_ip="192.0.2.7",
            author_url="https://ann.example",
            posted_at=datetime(2024, 5, 1, 8, 30, tzinfo=UTC),
            status="approved",
        ),
        CommentData(key="2", parent_key="1", body="a reply", status="approved"),
        CommentData(key="4", body="buy pills", author_email="spam@bot.example", status="spam"),
        CommentData(key="5", parent_key="4", body="reply under spam", status="approved"),
        CommentData(key="6", body="waiting", author_ip="198.51.100.9", status="pending"),
        CommentData(key="7", body="pinged", status="approved", kind="pingback"),
    )
    body = (
        f"<p>{TRICKY.replace(']]>', ']]&gt;')}</p>\n<p>Second <em>paragraph</em> &amp; more.</p>"
        "\n<blockquote><p>A quote</p></blockquote>\n<ul><li>one</li><li>two</li></ul>"
    )
    first = ArticleData(
        title=TRICKY,
        body_html=body,
        dek="The dek: ]]> too",
        slug="tricky-one",
        status="published",
        section="Politik & Gesellschaft",
        tags=("Wahl 2024", "\u0627\u0646\u062a\u062e\u0627\u0628\u0627\u062a", "C:\\path"),
        authors=(zoe, omar),
        figures=(
            FigureData(
                caption="Harbour at dawn",
                credit="Photo: Agency/Name",
                alt="Boats",
                anchor=1,
                source_url="https://cdn.example/harbour.jpg",
            ),
            FigureData(caption="Caption only", anchor=9),
        ),
        comments=comments,
        published_at=datetime(2024, 5, 1, 6, 0, tzinfo=UTC),
        kind="post",
    )
    others = tuple(
        ArticleData(
            title=f"Status {status}",
            body_html=f"<p>{status}</p>",
            slug=f"s-{status}",
            status=status,
            section="Politik & Gesellschaft",
            authors=(zoe,),
            kind="page" if status == "ready" else "post",
        )
        for status in ("draft", "editing", "copyedit", "ready", "scheduled", "spiked")
    )
    private = ArticleData(title="Private", body_html="<p>p</p>", tags=(PRIVATE_TAG, "x"))
    return Bundle(articles=(first, *others, private), authors=(zoe,))


def export(bundle: Bundle, *, for_publication: bool) -> bytes:
    out = io.BytesIO()
    write_wxr(
        bundle,
        out,
        site_url="https://mag.example/",
        site_title="The Magazine & Co",
        for_publication=for_publication,
    )
    return out.getvalue()


def test_round_trip(tmp_path: Path) -> None:
    bundle = sample_bundle()
    data = export(bundle, for_publication=False)
    etree.fromstring(data)  # well-formed on its own
    assert b"]]]]><![CDATA[>" in data
    channel = WxrChannel()
    path = write(tmp_path, data)
    back = list(iter_wxr(path, channel=channel))
    assert channel.version == "1.2"
    assert channel.site() == "https://mag.example"
    assert len(back) == len(bundle.articles)

    first, again = bundle.articles[0], back[0]
    assert again.title == TRICKY
    assert html_to_paragraphs(again.body_html) == html_to_paragraphs(first.body_html)
    assert "<blockquote>" in again.body_html and "<li>two</li>" in again.body_html
    assert again.dek == first.dek
    assert (again.slug, again.status, again.kind) == ("tricky-one", "published", "post")
    assert (again.section, again.tags) == (first.section, first.tags)
    assert [a.name for a in again.authors] == [a.name for a in first.authors]
    assert again.authors[0].email == "zoe@mag.example"
    assert again.published_at == first.published_at
    assert again.figures == (
        FigureData(
            caption="Harbour at dawn",
            credit="Photo: Agency/Name",
            alt="Boats",
            anchor=1,
            source_url="https://cdn.example/harbour.jpg",
        ),
        FigureData(caption="Caption only", anchor=4),
    )
    # Threads: the same tree, named by the text; parents before children. The file holds the
    # comments as cleaned HTML (">" as "&gt;"): their text is what came in.
    bodies = {c.key: comment_forms(c.body).text for c in again.comments}
    tree = {(bodies[c.key], bodies.get(c.parent_key or "")) for c in again.comments}
    expected = {
        (c.body, next((p.body for p in first.comments if p.key == c.parent_key), None))
        for c in first.comments
    }
    assert tree == expected
    seen: set[str] = set()
    for c in again.comments:
        assert c.parent_key is None or c.parent_key in seen
        seen.add(c.key)
    ann = next(c for c in again.comments if c.author_name == "Ann")
    assert ann.body == "First! ]]&gt; \\o/ \U0001f389"
    assert comment_forms(ann.body).text == "First! ]]> \\o/ \U0001f389"
    assert (ann.author_email, ann.author_ip, ann.author_url) == (
        "ann@reader.example",
        "192.0.2.7",
        "https://ann.example",
    )
    assert ann.posted_at == datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    assert {c.status for c in again.comments} == {"approved", "spam", "pending"}
    assert next(c for c in again.comments if c.body == "pinged").kind == "pingback"

    statuses = [a.status for a in back[1:]]
    assert statuses == ["draft", "draft", "draft", "draft", "scheduled", "spiked", "draft"]
    assert back[4].kind == "page"
    assert back[-1].tags == ("x", PRIVATE_TAG)
    assert [a.name for a in read_wxr(path).authors] == [
        "Zo\u00eb \u00c5ngstr\u00f6m",
        "\u0639\u0645\u0631 \u0627\u0644\u0641\u0627\u0631\u0648\u0642",
    ]
    # Importing the export twice names the same articles.
    assert [a.source_key for a in back] == [a.source_key for a in iter_wxr(path)]
    assert len({a.source_key for a in back}) == len(back)


def test_publication_export_keeps_private_data_out() -> None:
    data = export(sample_bundle(), for_publication=True)
    for secret in (b"ann@reader.example", b"192.0.2.7", b"zoe@mag.example", b"198.51.100.9"):
        assert secret not in data
    assert b"spam@bot.example" not in data
    assert b"buy pills" not in data and b"waiting" not in data
    assert b"https://ann.example" in data  # a commenter's website is public on the site
    root = etree.fromstring(data)
    ns = {"wp": WP12}
    assert root.findall(".//wp:author_email", ns) == []
    for c in root.iterfind(".//wp:comment", ns):
        assert c.findtext("wp:comment_approved", namespaces=ns) == "1"
        assert c.findtext("wp:comment_author_email", namespaces=ns) == ""
        assert c.findtext("wp:comment_author_IP", namespaces=ns) == ""


def test_publication_export_reattaches_replies_to_dropped_comments(tmp_path: Path) -> None:
    data = export(sample_bundle(), for_publication=True)
    first = read_wxr(write(tmp_path, data)).articles[0]
    orphan = next(c for c in first.comments if c.body == "reply under spam")
    assert orphan.parent_key is None
    assert {c.status for c in first.comments} == {"approved"}
    assert len(first.comments) == 5


def test_comment_ids_grow_from_parent_to_child() -> None:
    # WordPress's importer sorts comments by id and only links a reply to an earlier id.
    root = etree.fromstring(export(sample_bundle(), for_publication=False))
    ns = {"wp": WP12}
    for c in root.iterfind(".//wp:comment", ns):
        cid = int(c.findtext("wp:comment_id", namespaces=ns) or 0)
        parent = int(c.findtext("wp:comment_parent", namespaces=ns) or 0)
        assert parent < cid


def test_write_to_a_path_and_drop_characters_xml_cannot_carry(tmp_path: Path) -> None:
    bundle = Bundle(
        articles=(ArticleData(title="Bell\x07 and\x00 null", body_html="<p>ok\x0b</p>"),)
    )
    target = tmp_path / "out.xml"
    write_wxr(bundle, target, site_url="https://mag.example", site_title="M")
    assert [p.name for p in tmp_path.iterdir()] == ["out.xml"]
    (article,) = read_wxr(target).articles
    assert article.title == "Bell and null"
    assert article.source_key == "wxr:https://mag.example:1"


def test_author_logins_are_unique_and_ascii() -> None:
    bundle = Bundle(
        articles=(
            ArticleData(
                title="t",
                body_html="<p>x</p>",
                authors=(
                    AuthorData(name="Ana Lima"),
                    AuthorData(name="ana lima!"),
                    AuthorData(name="\u738b\u5c0f\u660e"),
                ),
            ),
        )
    )
    root = etree.fromstring(export(bundle, for_publication=True))
    logins = [e.text for e in root.iterfind(f".//{{{WP12}}}author_login")]
    assert logins == ["ana-lima", "ana-lima-2", "author"]


# ----------------------------------------------------------------------------- memory


def test_streaming_keeps_memory_flat(tmp_path: Path) -> None:
    count = 20_000
    path = tmp_path / "big.xml"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(wxr("").split("</channel>")[0])
        para = "Lorem ipsum dolor sit amet, consectetur adipiscing elit."
        for i in range(1, count + 1):
            fh.write(
                item(
                    i,
                    title=f"Post {i}",
                    content=f"{para}\n\n{para}",
                    extra=f"<wp:post_date_gmt>2024-01-01 00:00:00</wp:post_date_gmt>"
                    f'<category domain="post_tag" nicename="t{i % 50}">T{i % 50}</category>'
                    + comment("1", "0", "Nice."),
                )
            )
        fh.write("</channel>\n</rss>\n")
    assert path.stat().st_size > 10_000_000
    limit = 50 * 1024 * 1024

    # The streaming layer over every item.
    tracemalloc.start()
    try:
        seen = sum(1 for _ in iter_wxr_items(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    assert peak < limit / 10, f"peak {peak / 1e6:.1f} MB"

    # The article layer: its first pass reads the whole file; mapping is per item, so a
    # share of the articles is enough to see that nothing piles up (and keeps the test fast).
    tracemalloc.start()
    try:
        assert sum(1 for _ in itertools.islice(iter_wxr(path), 2_000)) == 2_000
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit / 5, f"peak {peak / 1e6:.1f} MB"


def test_read_wxr_refuses_a_pipe_without_waiting_for_it(tmp_path: Path) -> None:
    fifo = tmp_path / "export.xml"
    os.mkfifo(fifo)

    def unblock() -> None:
        # Had the reader opened the pipe, it would wait for a writer: be one, after a while,
        # so that a regression fails this test instead of hanging the suite.
        time.sleep(5)
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=unblock, daemon=True).start()
    with pytest.raises(ImportFailed, match=r"^export.xml: is a pipe \(FIFO\), not a file"):
        read_wxr(fifo)
