"""The shared newsroom: several workstations on one store, PostgreSQL for real."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from editor_app.domain.errors import Conflict, StoreError
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store.changes import ChangeWatcher
from editor_app.store.database import Database

CORPUS = [
    ("Harbour council approves ferry pier", "The vote on the pier was six to five."),
    ("Night market returns to the old quay", "Stalls sell grilled fish and lanterns."),
    ("Library budget grows for the first time", "Readers asked for longer opening hours."),
    ("Storm damage closes the coastal road", "Crews expect the road to reopen on Friday."),
]


def bundle(title: str, body: str, comments: tuple[CommentData, ...] = ()) -> Bundle:
    return Bundle(
        articles=(
            ArticleData(
                title=title,
                body_html=f"<p>{body}</p>",
                authors=(AuthorData(name="Mara Lindqvist"),),
                source_key=f"t:{title}",
                comments=comments,
                status="ready",
            ),
        )
    )


@pytest.fixture
def two(db_url: str) -> Iterator[tuple[Services, Services, Database]]:
    """Two workstations: two engines on the same store."""
    a, b = Database(db_url), Database(db_url)
    yield Services.build(a.uow), Services.build(b.uow), b
    a.dispose()
    b.dispose()


def wait_for(poll: ChangeWatcher, seconds: float = 2.0) -> frozenset[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        changed = poll.poll()
        if changed:
            return changed
        time.sleep(0.05)
    return frozenset()


def test_another_workstations_change_is_seen_within_two_seconds(
    two: tuple[Services, Services, Database],
) -> None:
    a, _b, b_db = two
    watcher = ChangeWatcher(b_db.engine)
    try:
        assert watcher.poll() == frozenset()
        a.imports.import_bundles([bundle(*CORPUS[0])])
        changed = wait_for(watcher)
        assert changed and ("*" in changed or "articles" in changed)
        assert watcher.poll() == frozenset()  # quiet again until the next change
        (row,) = a.articles.page().rows
        a.articles.set_status(row.id, "published", actor="ana")
        assert wait_for(watcher)
    finally:
        watcher.close()


def test_a_stale_article_save_never_overwrites(two: tuple[Services, Services, Database]) -> None:
    a, b, _ = two
    a.imports.import_bundles([bundle(*CORPUS[0])])
    seen = b.articles.page().rows[0]
    version = b.articles.detail(seen.id).version
    a.articles.set_status(seen.id, "published", actor="ana")
    with pytest.raises(Conflict):
        b.articles.set_status(seen.id, "copyedit", actor="bo", expected_version=version)
    assert a.articles.detail(seen.id).status == "published"


def test_two_moderators_on_one_comment(two: tuple[Services, Services, Database]) -> None:
    a, b, _ = two
    a.imports.import_bundles(
        [bundle(*CORPUS[1], comments=(CommentData(key="1", body="Lovely", status="pending"),))]
    )
    row_seen_by_b = b.comments.page(CommentFilter()).rows[0]
    a.moderation.act([row_seen_by_b.id], "approve", actor="ana")
    with pytest.raises(Conflict, match="by ana"):
        b.moderation.act(
            [row_seen_by_b.id],
            "trash",
            actor="bo",
            seen_versions={row_seen_by_b.id: row_seen_by_b.version},
        )
    assert a.comments.get(row_seen_by_b.id).status == "approved"


def test_full_text_search_gives_the_same_results_on_both_engines(
    sqlite_url: str, pg_url: str
) -> None:
    found: list[list[list[str]]] = []
    for url in (sqlite_url, pg_url):
        db = Database(url)
        s = Services.build(db.uow)
        s.imports.import_bundles([bundle(t, b) for t, b in CORPUS])
        found.append(
            [
                sorted(a.title for a in s.search.search(q).articles)
                for q in ("pier", "road", "the", "lib", "quay lanterns", "nothing")
            ]
        )
        db.dispose()
    assert found[0] == found[1]
    assert found[0][0] == ["Harbour council approves ferry pier"]


def test_an_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        Database("postgresql+psycopg://postgres@127.0.0.1:1/nothing?connect_timeout=2")


@pytest.mark.postgres
def test_losing_the_server_mid_action_is_a_clear_error_and_nothing_half_done(pg_url: str) -> None:
    db = Database(pg_url)
    s = Services.build(db.uow)
    s.imports.import_bundles([bundle(*CORPUS[0])])
    admin = create_engine(pg_url)
    with pytest.raises(StoreError, match="lost the connection"), db.uow() as uow:
        pid = uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with admin.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        uow.session.execute(text("SELECT 1"))
    # The pool recovers: the next action works.
    assert s.articles.count() == 1
    admin.dispose()
    db.dispose()


@pytest.mark.postgres
def test_the_app_role_cannot_change_the_schema(pg_url: str, tmp_path: Path) -> None:
    owner = Database(pg_url)  # migrations run as the owner
    schema = pg_url.rsplit("%3D", 1)[1]
    role = f"copydesk_app_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}'))
        conn.execute(
            text(
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO {role}'
            )
        )
        conn.execute(text(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{schema}" TO {role}'))
    app_url = pg_url.replace("postgres@", f"{role}@")
    try:
        app = Database(app_url)  # the schema is current: nothing to migrate
        s = Services.build(app.uow)
        s.imports.import_bundles([bundle(*CORPUS[2])])
        assert s.articles.count() == 1
        with (
            pytest.raises(Exception, match=r"(?i)permission denied|must be owner"),
            app.engine.begin() as c,
        ):
            c.execute(text("ALTER TABLE articles ADD COLUMN sneaky integer"))
        app.dispose()
    finally:
        owner.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()
