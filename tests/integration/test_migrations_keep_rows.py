"""Schema migrations, up and down, keep every row of a populated store (on both engines).

A batch (copy-and-move) rebuild on SQLite drops the old table; with foreign keys on, that DROP
cascades to every row that refers to it (a site's links and outbox, an article's comments).
"""

from __future__ import annotations

from sqlalchemy import text

from editor_app.formats.bundle import ArticleData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.store import migrate
from editor_app.store.database import Database
from editor_app.store.engine import make_engine
from editor_app.store.models import OutboxEntry, Site, SiteLink

_TABLES = ("articles", "comments", "sites", "site_links", "site_outbox")


def _populate(db: Database) -> None:
    services = Services.build(db.uow)
    services.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title="Ferry timetable",
                        body_html="<p>The ferry runs again.</p>",
                        source_key="mig:1",
                        comments=(
                            CommentData(key="1", body="Thank you for covering the ferry."),
                            CommentData(key="2", body="When does it run on Sundays?"),
                        ),
                    ),
                )
            )
        ]
    )
    with db.uow() as uow:
        site = uow.sites.add(Site(name="gazette", url="https://gazette.example", user="desk"))
        uow.flush()
        article_id = uow.session.execute(text("SELECT id FROM articles")).scalar_one()
        comment_ids = list(uow.session.execute(text("SELECT id FROM comments")).scalars())
        uow.sites.add_link(SiteLink(site_id=site.id, kind="post", local_id=article_id, remote_id=7))
        for n, cid in enumerate(comment_ids):
            uow.sites.add_link(
                SiteLink(site_id=site.id, kind="comment", local_id=cid, remote_id=100 + n)
            )
            uow.sites.queue(
                OutboxEntry(
                    site_id=site.id,
                    kind="comment",
                    op="status",
                    local_id=cid,
                    payload={"status": "approved"},
                    state="waiting",
                    actor="desk",
                )
            )
        uow.commit()


def _counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in _TABLES}


def _to(engine, revision: str, *, down: bool) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    cfg = migrate._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        if down:
            command.downgrade(cfg, revision)
        else:
            command.upgrade(cfg, revision)


def test_migrating_a_populated_store_down_and_up_loses_no_row(db_url: str) -> None:
    db = Database(db_url)
    _populate(db)
    db.dispose()
    engine = make_engine(db_url)
    try:
        before = _counts(engine)
        assert before == {
            "articles": 1, "comments": 2, "sites": 1, "site_links": 3, "site_outbox": 2
        }  # fmt: skip
        _to(engine, "0012", down=True)
        assert _counts(engine) == before
        # The app's own path from a populated 0012 store to the newest schema.
        assert migrate.upgrade(engine) == ("0012", migrate.HEAD)
        assert _counts(engine) == before
        _to(engine, "0011", down=True)
        assert _counts(engine) == before
        assert migrate.upgrade(engine) == ("0011", migrate.HEAD)
        assert _counts(engine) == before
        with engine.connect() as conn:
            row = conn.execute(text("SELECT auto_send, pull_every_minutes FROM sites")).one()
            assert (bool(row[0]), row[1]) == (False, 0)
            waiting = conn.execute(
                text("SELECT count(*) FROM site_outbox WHERE state = 'waiting'")
            ).scalar_one()
            assert waiting == 2
    finally:
        engine.dispose()
