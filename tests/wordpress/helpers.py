"""Set-up the publish tests share: an article imported with the words given, site clients
that fail at a given point of a send, and the checks on where a pulled comment went."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from editor_app.formats.bundle import ArticleData, Bundle
from editor_app.remote.wordpress import RemotePost, WordPressClient
from editor_app.services.sites import SiteService
from tests.wordpress.conftest import Desk


def ready_article(desk: Desk, *, title: str, body_html: str, slug: str, source_key: str) -> int:
    """An article ready to publish, imported with these words (and no more)."""
    (article_id,) = desk.services.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title=title,
                        body_html=body_html,
                        slug=slug,
                        status="ready",
                        source_key=source_key,
                    ),
                )
            )
        ]
    ).article_ids
    return article_id


def with_client(desk: Desk, client: type[WordPressClient]) -> SiteService:
    """The desk's sites, talking to the site through `client`."""
    return SiteService(desk.services.uow, desk.services.imports, desk.sites.credentials, client)


def fails_after_the_post(
    made: list[int], failure: Callable[[], BaseException]
) -> type[WordPressClient]:
    """A client whose post saves reach the site (each post's id noted in `made`) and then
    fail with `failure()`, as if the site's answer were lost."""

    class FailsAfter(WordPressClient):
        def save_post(
            self, fields: Mapping[str, Any], post_id: int | None = None, kind: str = "posts"
        ) -> RemotePost:
            post = super().save_post(fields, post_id, kind)
            made.append(post.id)
            raise failure()

    return FailsAfter


def down_while(
    down: list[bool], failure: Callable[[], BaseException] = lambda: RuntimeError("site down")
) -> type[WordPressClient]:
    """A client whose post saves fail with `failure()` before the site makes anything, while
    `down[0]`."""

    class Down(WordPressClient):
        def save_post(
            self, fields: Mapping[str, Any], post_id: int | None = None, kind: str = "posts"
        ) -> RemotePost:
            if down[0]:
                raise failure()  # before the post was made
            return super().save_post(fields, post_id, kind)

    return Down


def assert_comment_under(desk: Desk, remark: int, article_id: int) -> None:
    """The site's comment `remark` was pulled under the article."""
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        local = uow.sites.links(site.id, "comment", [remark])[remark].local_id
        comment = uow.comments.get(local)
        assert comment is not None and comment.article_id == article_id


def assert_not_skipped(desk: Desk, remark: int) -> None:
    """The site's comment `remark` is not noted as skipped (it waits to be pulled)."""
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        assert remark not in uow.sites.remote_ids(site.id, "skipped-comment")
