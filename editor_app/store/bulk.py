"""Bulk writes for long imports: ids handed out first, rows written with plain executemany.

The ORM's unit of work costs a round trip (and a Python object) per row; an import of a
WordPress site writes hundreds of thousands of rows whose ids it knows how to give out
itself. Ids come from the engine's own counter (a PostgreSQL sequence) or, on SQLite, from
the largest id once this transaction holds the write lock, so no other writer can take them.

On PostgreSQL the rows go in with `COPY` (psycopg 3), one statement per table and batch:
psycopg's `executemany` sends one INSERT per row, and each statement fires the tables'
statement-level triggers (queue counts, change notifications) once more.

On SQLite a batch goes first into a TEMP table of the connection (no index, no trigger), then
into its table with one INSERT … SELECT. An FTS5 table writes what it has gathered at the end
of every statement, so `executemany` (a statement per row) made a segment per comment and
kept merging them: 4.6 s of SQLite's CPU for 40,000 comments, 1.3 s this way. The staging
table lives in the import's transaction like the rest, so a rollback empties it too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from sqlalchemy import JSON, Column, Table, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from editor_app.store.models import (
    Article,
    ArticleTag,
    Byline,
    Comment,
    Figure,
    ModerationAction,
    Revision,
)

_TABLES: dict[str, Any] = {
    "articles": Article,
    "article_tags": ArticleTag,
    "bylines": Byline,
    "comments": Comment,
    "figures": Figure,
    "moderation_actions": ModerationAction,
    "revisions": Revision,
}
# Tables whose ids the writer hands out.
_WITH_IDS = ("articles", "comments", "figures")
# The first key of the advisory locks that claim slugs ("slug" in ASCII).
_SLUG_LOCKS = 0x736C7567
# Large IN lists are split so that no engine meets its parameter limit.
_IN_CHUNK = 500


class _NotGiven(Exception):
    """The article has a source key by now (its savepoint is rolled back)."""


def _chunks(values: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class BulkWriter:
    """Writes rows of one unit of work in bulk; lives as long as its session."""

    def __init__(self, session: Session):
        self.session = session
        self._next: dict[str, int] = {}
        self._locked = False

    def reset(self) -> None:
        """The transaction ended: the lock and the ids handed out with it are gone."""
        self._next.clear()
        self._locked = False

    @property
    def _sqlite(self) -> bool:
        return self.session.get_bind().dialect.name == "sqlite"

    def _lock(self) -> None:
        """SQLite: take the write lock now, so the largest id stays the largest until commit."""
        if self._locked or not self._sqlite:
            return
        # A write that matches nothing still opens the write transaction (RESERVED lock).
        self.session.execute(text("UPDATE articles SET version = version WHERE 0"))
        self._locked = True

    def begin_write(self) -> None:
        """SQLite: a unit of work that will write takes the write lock before it reads, so a
        writer that commits meanwhile makes it wait (busy timeout) rather than fail: SQLite
        cannot turn a read begun before another's commit into a write."""
        self._lock()

    def reserve(self, table: str, n: int) -> list[int]:
        """`n` ids for new rows of `table` that nobody else will be given."""
        if table not in _WITH_IDS:
            raise ValueError(f"ids are not handed out for {table}")
        if n <= 0:
            return []
        if not self._sqlite:
            seq = self.session.scalar(select(func.pg_get_serial_sequence(table, "id")))
            stmt = text("SELECT nextval(CAST(:seq AS regclass)) FROM generate_series(1, :n)")
            return [int(v) for v in self.session.scalars(stmt, {"seq": seq, "n": n})]
        self._lock()
        model = _TABLES[table]
        if table not in self._next:
            self.session.flush()  # rows the ORM still holds take their ids first
            top = self.session.scalar(select(func.max(model.id))) or 0
            self._next[table] = int(top) + 1
        start = self._next[table]
        self._next[table] = start + n
        return list(range(start, start + n))

    def insert(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        """Writes `rows` (dicts with the same keys): one COPY on PostgreSQL, else one
        executemany. Columns a row leaves out get the model's default, as with an INSERT."""
        if not rows:
            return
        target: Table = _TABLES[table].__table__
        if self._sqlite:
            self._staged(target, rows)
        else:
            self._copy(target, rows)

    def _staged(self, target: Table, rows: Sequence[dict[str, Any]]) -> None:
        """SQLite: executemany into a TEMP table, then one INSERT … SELECT (see above)."""
        dialect = self.session.get_bind().dialect
        given, filled, names = _columns(target, rows[0])
        # The dialect's own processors, as an INSERT binds: SQLite's DATETIME text format,
        # not the sqlite3 module's (keyset pages compare the stored text).
        binds = [
            target.columns[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in names
        ]
        defaults = [_default_of(c) for c in filled]
        stage = f'temp."copydesk_stage_{target.name}"'
        cols = ", ".join(f'"{name}"' for name in names)
        self.session.flush()  # what the ORM holds goes first, as an INSERT through it would
        conn = self.session.connection()
        # Every column of the table, so a later batch may name others; typeless copies
        # of the table's own affinities, so a value lands as a direct INSERT would put it.
        conn.exec_driver_sql(
            f'CREATE TEMP TABLE IF NOT EXISTS {stage} AS SELECT * FROM main."{target.name}" WHERE 0'
        )
        raw = conn.connection.driver_connection
        assert raw is not None
        cur = raw.cursor()
        try:
            cur.execute(f"DELETE FROM {stage}")
            cur.executemany(
                f"INSERT INTO {stage} ({cols}) VALUES ({', '.join('?' * len(names))})",
                (
                    [
                        f(v) if f else v
                        for f, v in zip(
                            binds,
                            [row[k] for k in given] + [make() for make in defaults],
                            strict=True,
                        )
                    ]
                    for row in rows
                ),
            )
            cur.execute(
                f'INSERT INTO main."{target.name}" ({cols}) '
                f"SELECT {cols} FROM {stage} ORDER BY rowid"
            )
            cur.execute(f"DELETE FROM {stage}")
        finally:
            cur.close()

    def _copy(self, target: Table, rows: Sequence[dict[str, Any]]) -> None:
        from psycopg import sql

        dialect = self.session.get_bind().dialect
        given, filled, names = _columns(target, rows[0])
        convert = [_to_copy(target.columns[name], dialect) for name in names]
        stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(target.name), sql.SQL(", ").join(map(sql.Identifier, names))
        )
        defaults = [_default_of(c) for c in filled]
        raw = self.session.connection().connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur, cur.copy(stmt) as copy:
            for row in rows:
                values = [row[k] for k in given] + [make() for make in defaults]
                copy.write_row([f(v) if f else v for f, v in zip(convert, values, strict=True)])

    # -- lookups an import needs once per batch of articles, not once per article --------

    def articles_by_source_key(self, keys: Iterable[str]) -> dict[str, tuple[int, str]]:
        """source key -> (id, title) of the articles already in the store."""
        wanted = sorted({k for k in keys if k})
        out: dict[str, tuple[int, str]] = {}
        for part in _chunks(wanted):
            stmt = select(Article.source_key, Article.id, Article.title).where(
                Article.source_key.in_(part)
            )
            for key, article_id, title in self.session.execute(stmt):
                out[str(key)] = (int(article_id), str(title))
        return out

    def give_source_key(self, article_id: int, key: str, *, from_id: int | None = None) -> bool:
        """Give an article that has none the source key `key` (taken from article `from_id`
        first, when given). Plain UPDATEs: the articles' versions, which an open editor and
        a site's link go by, stay. False when the article has a key by now or another one
        holds `key`."""
        t = cast(Table, Article.__table__)  # the table itself: no version counter
        try:
            with self.session.begin_nested():
                if from_id is not None:
                    self.session.execute(
                        update(t)
                        .where(t.c.id == from_id)
                        .where(t.c.source_key == key)
                        .values(source_key=None)
                    )
                result = self.session.execute(
                    update(t)
                    .where(t.c.id == article_id)
                    .where(
                        or_(
                            t.c.source_key.is_(None),
                            t.c.source_key == "",
                        )
                    )
                    .values(source_key=key)
                )
                if int(getattr(result, "rowcount", 0) or 0) != 1:
                    raise _NotGiven
        except (IntegrityError, _NotGiven):
            return False
        return True

    def slugs_taken(self, slugs: Iterable[str]) -> set[str]:
        wanted = sorted(set(slugs))
        out: set[str] = set()
        for part in _chunks(wanted):
            out.update(self.session.scalars(select(Article.slug).where(Article.slug.in_(part))))
        return out

    def refused_slugs(self, slugs: Sequence[str]) -> set[str]:
        """Those of `slugs` a new article cannot take: stored already, or (PostgreSQL) being
        written by another import that has not committed yet.

        PostgreSQL: a transaction-scoped advisory lock per slug claims it until this import
        commits or rolls back; another import that meets the claim picks the next suffix at
        once instead of waiting for us (or failing on `articles_slug_key` after). The stored
        slugs are read after the claims, in a statement of their own, so that one committed
        the instant before a claim is seen. SQLite: its one writer holds the store already.
        """
        wanted = sorted(set(slugs))
        refused: set[str] = set()
        if not self._sqlite:
            for part in _chunks(wanted):
                claims = self.session.execute(
                    text(
                        "SELECT s, pg_try_advisory_xact_lock(:space, hashtext(s)) "
                        "FROM unnest(CAST(:slugs AS text[])) AS s"
                    ),
                    {"space": _SLUG_LOCKS, "slugs": list(part)},
                )
                refused.update(str(slug) for slug, claimed in claims if not claimed)
        return refused | self.slugs_taken(s for s in wanted if s not in refused)

    def fingerprints(self, article_ids: Iterable[int]) -> dict[int, dict[str, int]]:
        """article id -> {fingerprint: comment id} of the comments already stored."""
        wanted = sorted(set(article_ids))
        out: dict[int, dict[str, int]] = {i: {} for i in wanted}
        for part in _chunks(wanted):
            stmt = select(Comment.article_id, Comment.fingerprint, Comment.id).where(
                Comment.article_id.in_(part)
            )
            for article_id, fp, comment_id in self.session.execute(stmt):
                out[int(article_id)][str(fp)] = int(comment_id)
        return out


def _columns(
    target: Table, first: dict[str, Any]
) -> tuple[list[str], list[Column[Any]], list[str]]:
    """The columns a batch names, those it leaves to the model's Python-side default (as an
    INSERT would fill them), and both names in the order the values come."""
    given = list(first)
    filled = [
        c
        for c in target.columns
        if c.name not in first and c.default is not None and not c.default.is_sequence
    ]
    return given, filled, given + [c.name for c in filled]


def _to_copy(column: Column[Any], dialect: Any) -> Callable[[Any], Any] | None:
    """What a value of `column` needs before COPY takes it (what an INSERT's binding does)."""
    kind = column.type
    if isinstance(kind, TypeDecorator):
        decorator = kind
        return lambda v: decorator.process_bind_param(v, dialect)
    if isinstance(kind, JSON):
        return lambda v: None if v is None else json.dumps(v)
    return None


def _default_of(column: Column[Any]) -> Callable[[], Any]:
    """The model's Python-side default of `column`, as a function of nothing."""
    default: Any = column.default
    if default.is_callable:
        return lambda: default.arg(None)
    value = default.arg
    return lambda: value
