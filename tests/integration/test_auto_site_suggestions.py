"""Run rules (`moderate auto`) on comments pulled from a site: the site's choice is kept."""

from __future__ import annotations

from editor_app.formats.bundle import ArticleData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.store.database import Database
from editor_app.store.models import Site, SiteLink

_KIND = "Great reporting, thank you for covering the ferry."


def _store(url: str, *, auto_send: bool) -> tuple[Database, Services, list[int]]:
    db = Database(url)
    services = Services.build(db.uow)
    services.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title="Ferry",
                        body_html="<p>x</p>",
                        source_key="t:1",
                        comments=(
                            CommentData(key="1", body=_KIND, suggest_only=True),
                            CommentData(
                                key="2", body="Clear and useful, thanks.", suggest_only=True
                            ),
                        ),
                    ),
                )
            )
        ]
    )
    with db.uow() as uow:
        ids = [c.id for c in uow.comments.by_ids(range(1, 50))]
        site = uow.sites.add(
            Site(name="gazette", url="https://g.example", user="desk", auto_send=auto_send)
        )
        uow.flush()
        for n, cid in enumerate(ids):
            uow.sites.add_link(
                SiteLink(
                    site_id=site.id,
                    kind="comment",
                    local_id=cid,
                    remote_id=100 + n,
                    remote_state="hold",
                )
            )
        uow.commit()
    return db, services, ids


def test_run_rules_leaves_a_held_site_comment_a_suggestion(sqlite_url: str) -> None:
    db, services, ids = _store(sqlite_url, auto_send=False)
    with db.uow() as uow:
        for c in uow.comments.by_ids(ids):
            c.reasons = []  # as if pulled before the rules knew better
        uow.commit()
    summary = services.moderation.auto()
    assert summary.approved == 0
    with db.uow() as uow:
        comments = uow.comments.by_ids(ids)
        assert [c.status for c in comments] == ["pending", "pending"]
        assert all("Rules suggest: approved" in c.reasons for c in comments)
        assert all(c.flagged for c in comments)
        assert uow.sites.outbox(1) == []
    db.dispose()


def test_run_rules_sends_the_verdict_when_the_site_says_so(sqlite_url: str) -> None:
    db, services, ids = _store(sqlite_url, auto_send=True)
    assert services.moderation.auto().approved == 2
    with db.uow() as uow:
        assert [c.status for c in uow.comments.by_ids(ids)] == ["approved", "approved"]
        assert [e.payload for e in uow.sites.outbox(1)] == [{"status": "approved"}] * 2
    db.dispose()


def test_run_rules_skips_the_comments_of_an_article_in_the_trash(sqlite_url: str) -> None:
    db, services, ids = _store(sqlite_url, auto_send=True)
    with db.uow() as uow:
        article_id = uow.comments.by_ids(ids)[0].article_id
    services.articles.delete(article_id, actor="desk")
    summary = services.moderation.auto()
    assert summary.checked == 0
    with db.uow() as uow:
        assert [c.status for c in uow.comments.by_ids(ids)] == ["pending", "pending"]
        assert uow.sites.outbox(1) == []
    db.dispose()
