"""Sections and tags with an ampersand: WordPress keeps and gives their names HTML-escaped
("Roads &amp; Bridges"); publishing finds the term again, and a pull takes the name as
written."""

from __future__ import annotations

import uuid

from editor_app.remote.wordpress import WordPressClient
from tests.wordpress.conftest import Desk
from tests.wordpress.test_publish_merge import _article, _edit
from tests.wordpress.wpsite import ADMIN, WordPressSite


def _set(desk: Desk, article_id: int, section: str, tags: tuple[str, ...]) -> None:
    from editor_app.store.models import ArticleTag

    with desk.db.uow() as uow:
        a = uow.articles.get(article_id, full=True)
        assert a is not None
        a.section = section
        a.tags[:] = [ArticleTag(tag=t) for t in tags]
        uow.commit()


def test_a_section_with_an_ampersand_publishes_again_and_pulls_back_as_written(
    desk: Desk, wordpress: WordPressSite
) -> None:
    n = uuid.uuid4().hex[:6]
    section, tag = f"Roads & Bridges {n}", f"Q&A {n}"
    first, second = _article(desk), _article(desk)
    _set(desk, first, section, (tag,))
    _set(desk, second, section, (tag,))

    sent = desk.sites.publish("gazette", first, "publish")
    other = desk.sites.publish("gazette", second, "publish")  # was: term_exists
    again = desk.sites.publish("gazette", first, "publish")
    assert again.remote_id == sent.remote_id

    a = wordpress.rest("GET", f"/wp/v2/posts/{sent.remote_id}", params={"context": "edit"})
    b = wordpress.rest("GET", f"/wp/v2/posts/{other.remote_id}", params={"context": "edit"})
    assert a["categories"] == b["categories"] and a["tags"] == b["tags"]
    named = wordpress.rest("GET", "/wp/v2/categories", params={"search": n, "context": "edit"})
    assert len(named) == 1  # one term, found again rather than made twice

    with wordpress.api() as client:
        _edit(client, sent.remote_id, title="Edited on the site")
    desk.sites.pull("gazette")
    with desk.db.uow() as uow:
        got = uow.articles.get(first, full=True)
        assert got is not None and got.title == "Edited on the site"
        assert got.section == section
        assert [t.tag for t in got.tags] == [tag]
    desk.sites.publish("gazette", first, "publish")


def test_making_a_term_the_site_has_gives_the_one_it_has(wordpress: WordPressSite) -> None:
    name = f"Arts & Culture {uuid.uuid4().hex[:6]}"
    with WordPressClient(wordpress.url, ADMIN, wordpress.app_password) as client:
        made = client.create_term("category", name)
        assert made.name == name
        assert [t.name for t in client.terms("category") if t.id == made.id] == [name]
        assert client.create_term("category", name).id == made.id
