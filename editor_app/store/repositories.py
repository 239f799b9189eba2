"""Queries, kept behind small repositories so services never touch SQLAlchemy."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    cast,
    column,
    delete,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session, defer, selectinload

from editor_app.domain.queries import CommentFilter
from editor_app.domain.text import normalise_name
from editor_app.store.models import (
    Article,
    ArticleTag,
    Author,
    AuthorMerge,
    Autosave,
    Byline,
    Comment,
    CommentCount,
    Commenter,
    DictionaryWord,
    Figure,
    ModerationAction,
    Revision,
    Setting,
)

# (sort value, id) of the last row a page ended on.
Cursor = tuple[Any, int]


def _trashed_articles() -> Select[int]:
    return select(Article.id).where(Article.deleted_at.is_not(None))


@dataclass(frozen=True)
class ExportRow:
    """An article as exports read it (`ArticleRepository.export_rows`): plain values.

    `bylines`: (name, byline_name, role, bio) in byline order; `figures`: (caption, credit,
    alt, anchor, source_url[, image, image_mime]) in figure order; `published_bylines`: the
    `authors` of the newest revision saved as published, or None.
    """

    title: str
    body_html: str
    dek: str
    slug: str
    status: str
    section: str
    kind: str
    published_at: datetime | None
    updated_at: datetime | None
    bylines: tuple[tuple[str, str, str, str], ...]
    figures: tuple[tuple[Any, ...], ...]
    tags: tuple[str, ...]
    revisions: int
    published_bylines: object


def _in_trash(trash: bool) -> ColumnElement[bool]:
    return Article.deleted_at.is_not(None) if trash else Article.deleted_at.is_(None)


class ArticleRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, article: Article) -> Article:
        self.session.add(article)
        return article

    def get(self, article_id: int, *, full: bool = False) -> Article | None:
        if not full:
            return self.session.get(Article, article_id)
        stmt = (
            select(Article)
            .where(Article.id == article_id)
            .options(
                selectinload(Article.bylines).selectinload(Byline.author),
                selectinload(Article.figures),
                selectinload(Article.tags),
            )
        )
        return self.session.scalars(stmt).first()

    def by_source_key(self, key: str) -> Article | None:
        return self.session.scalars(select(Article).where(Article.source_key == key)).first()

    def slugs_like(self, base: str) -> set[str]:
        stmt = select(Article.slug).where(
            or_(Article.slug == base, Article.slug.like(base.replace("%", "") + "-%"))
        )
        return set(self.session.scalars(stmt))

    def count(self, status: str | None = None, *, trash: bool = False) -> int:
        """Articles not in the Trash (with `trash`: those in it)."""
        stmt = select(func.count(Article.id)).where(_in_trash(trash))
        if status:
            stmt = stmt.where(Article.status == status)
        return int(self.session.scalar(stmt) or 0)

    def page(
        self,
        *,
        status: str | None = None,
        after: Cursor | None = None,
        limit: int = 200,
        trash: bool = False,
    ) -> list[Article]:
        """Newest change first, keyset-paged on (updated_at, id); the Trash apart."""
        stmt = select(Article).options(selectinload(Article.bylines).selectinload(Byline.author))
        stmt = stmt.where(_in_trash(trash))
        if status:
            stmt = stmt.where(Article.status == status)
        if after is not None:
            stmt = stmt.where(tuple_(Article.updated_at, Article.id) < tuple_(*after))
        stmt = stmt.order_by(Article.updated_at.desc(), Article.id.desc()).limit(limit)
        return list(self.session.scalars(stmt))

    def all_ids(self) -> list[int]:
        """Every article not in the Trash."""
        stmt = select(Article.id).where(_in_trash(False)).order_by(Article.id)
        return list(self.session.scalars(stmt))

    def in_trash(self, ids: Iterable[int]) -> set[int]:
        """Which of these articles are in the Trash."""
        wanted = list(set(ids))
        found: set[int] = set()
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            stmt = select(Article.id).where(Article.id.in_(part), _in_trash(True))
            found.update(self.session.scalars(stmt))
        return found

    def delete_for_good(self, article_id: int) -> None:
        """Gone with its bylines, figures, tags, revisions and comments (the schema cascades)."""
        self.session.execute(delete(Article).where(Article.id == article_id))

    def by_ids(self, ids: Sequence[int], *, bodies: bool = True) -> list[Article]:
        """`bodies=False`: for a list (search results), without the bodies' text (loaded
        only if asked for)."""
        stmt = (
            select(Article)
            .where(Article.id.in_(ids))
            .options(selectinload(Article.bylines).selectinload(Byline.author))
        )
        if not bodies:
            stmt = stmt.options(defer(Article.body_html), defer(Article.body_text))
        found = {a.id: a for a in self.session.scalars(stmt)}
        return [found[i] for i in ids if i in found]

    def list_rows(
        self, ids: Sequence[int]
    ) -> list[tuple[int, str, str, datetime, datetime | None, list[str]]]:
        """(id, title, status, updated_at, deleted_at, byline names) of these articles, in
        the order of `ids`: what a list shows, as plain values (no ORM object for each
        article, byline and author: most of the search box's time)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        cols = (Article.id, Article.title, Article.status, Article.updated_at, Article.deleted_at)
        found = {r[0]: r for r in self.session.execute(select(*cols).where(Article.id.in_(wanted)))}
        names: dict[int, list[str]] = {}
        stmt = (
            select(Byline.article_id, Author.byline_name, Author.name)
            .join(Author, Author.id == Byline.author_id)
            .where(Byline.article_id.in_(wanted))
            .order_by(Byline.article_id, Byline.position)
        )
        for article_id, byline_name, name in self.session.execute(stmt):
            names.setdefault(article_id, []).append(byline_name or name)
        return [(*found[i], names.get(i, [])) for i in ids if i in found]

    def search_texts(self, ids: Sequence[int], *, limit: int = 20_000) -> dict[int, str]:
        """id -> the dek and the opening `limit` characters of the body's plain text: where a
        search result's snippet is looked for."""
        if not ids:
            return {}
        body = func.substr(Article.body_text, 1, limit)
        stmt = select(Article.id, Article.dek, body).where(Article.id.in_(list(ids)))
        return {i: f"{dek or ''}\n{text or ''}" for i, dek, text in self.session.execute(stmt)}

    def comment_counts(self, ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """article id -> (all comments, pending comments)."""
        ids = list(ids)
        if not ids:
            return {}
        # Counted per (article, status), the `(article_id, status)` index's own order: an
        # expression per comment (status = 'pending') made it five times slower.
        stmt = (
            select(Comment.article_id, Comment.status, func.count())
            .where(Comment.article_id.in_(ids))
            .group_by(Comment.article_id, Comment.status)
        )
        out: dict[int, tuple[int, int]] = {}
        for article_id, status, n in self.session.execute(stmt):
            total, pending = out.get(article_id, (0, 0))
            out[article_id] = (total + n, pending + (n if status == "pending" else 0))
        return out

    def titles(self, ids: Iterable[int]) -> dict[int, str]:
        ids = list(set(ids))
        if not ids:
            return {}
        stmt = select(Article.id, Article.title).where(Article.id.in_(ids))
        return {row[0]: row[1] for row in self.session.execute(stmt)}

    def add_revision(self, revision: Revision) -> None:
        self.session.add(revision)

    def revisions(self, article_id: int) -> list[Revision]:
        stmt = (
            select(Revision)
            .where(Revision.article_id == article_id)
            .order_by(Revision.saved_at.desc(), Revision.id.desc())
        )
        return list(self.session.scalars(stmt))

    def revision_count(self, article_id: int) -> int:
        stmt = select(func.count(Revision.id)).where(Revision.article_id == article_id)
        return int(self.session.scalar(stmt) or 0)

    def revision(self, revision_id: int) -> Revision | None:
        return self.session.get(Revision, revision_id)

    def slug_taken(self, slug: str, *, other_than: int | None) -> bool:
        stmt = select(Article.id).where(Article.slug == slug)
        if other_than is not None:
            stmt = stmt.where(Article.id != other_than)
        return self.session.scalar(stmt.limit(1)) is not None

    def all_tags(self) -> list[str]:
        return list(
            self.session.scalars(select(ArticleTag.tag).distinct().order_by(ArticleTag.tag))
        )

    def sections(self) -> list[str]:
        stmt = (
            select(Article.section)
            .where(Article.section != "")
            .distinct()
            .order_by(Article.section)
        )
        return list(self.session.scalars(stmt))

    def autosave(self, draft_key: str) -> Autosave | None:
        return self.session.get(Autosave, draft_key)

    def add_autosave(self, autosave: Autosave) -> None:
        self.session.add(autosave)

    def delete_autosave(self, draft_key: str) -> None:
        self.session.execute(delete(Autosave).where(Autosave.draft_key == draft_key))

    def autosaves(
        self, *, actor: str | None = None, article_id: int | None = None
    ) -> list[Autosave]:
        stmt = select(Autosave)
        if actor is not None:
            stmt = stmt.where(Autosave.actor == actor)
        if article_id is not None:
            stmt = stmt.where(Autosave.article_id == article_id)
        return list(self.session.scalars(stmt.order_by(Autosave.saved_at.desc())))

    def dictionary(self) -> list[str]:
        return list(self.session.scalars(select(DictionaryWord.word).order_by(DictionaryWord.word)))

    def add_word(self, word: DictionaryWord) -> None:
        self.session.merge(word)

    def latest_published_revision(self, article_id: int) -> Revision | None:
        """The newest revision saved while the article was published (bios of that day)."""
        for rev in self.revisions(article_id):
            if rev.snapshot.get("status") == "published":
                return rev
        return None

    def published_bylines(self, ids: Iterable[int]) -> dict[int, object]:
        """article id -> the bylines (`authors`) of its newest revision saved as published.

        One query for many articles, reading only that part of each snapshot; articles never
        saved as published are missing from the answer.
        """
        wanted = sorted(set(ids))
        out: dict[int, object] = {}
        status = Revision.snapshot["status"].as_string()
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            newest = (
                select(
                    Revision.article_id.label("article_id"),
                    Revision.snapshot["authors"].label("authors"),
                    func.row_number()
                    .over(
                        partition_by=Revision.article_id,
                        order_by=(Revision.saved_at.desc(), Revision.id.desc()),
                    )
                    .label("n"),
                )
                .where(Revision.article_id.in_(part), status == "published")
                .subquery()
            )
            stmt = select(newest.c.article_id, newest.c.authors).where(newest.c.n == 1)
            for article_id, authors in self.session.execute(stmt):
                out[int(article_id)] = authors
        return out

    def export_rows(self, ids: Sequence[int], *, images: bool) -> list[ExportRow]:
        """Articles as an export reads them, in the order of `ids`: plain values, no ORM
        objects. Bylines, figures, tags, revision counts and the published bylines come in
        one query each for the whole batch (the ORM's `full_by_ids` built every object and
        counted revisions one article at a time: a fifth of a 10,000-article export)."""
        wanted = list(dict.fromkeys(ids))
        cols = (
            Article.id,
            Article.title,
            Article.body_html,
            Article.dek,
            Article.slug,
            Article.status,
            Article.section,
            Article.kind,
            Article.published_at,
            Article.updated_at,
        )
        found = {r[0]: r for r in self.session.execute(select(*cols).where(Article.id.in_(wanted)))}
        bylines: dict[int, list[tuple[str, str, str, str]]] = {}
        by_stmt = (
            select(Byline.article_id, Author.name, Author.byline_name, Author.role, Author.bio)
            .join(Author, Author.id == Byline.author_id)
            .where(Byline.article_id.in_(wanted))
            .order_by(Byline.article_id, Byline.position)
        )
        for aid, *author in self.session.execute(by_stmt):
            bylines.setdefault(aid, []).append(tuple(author))  # type: ignore[arg-type]
        figures: dict[int, list[tuple[Any, ...]]] = {}
        fcols: list[Any] = [
            Figure.article_id,
            Figure.caption,
            Figure.credit,
            Figure.alt,
            Figure.anchor,
            Figure.source_url,
        ]
        if images:
            fcols += [Figure.image, Figure.image_mime]
        fig_stmt = (
            select(*fcols)
            .where(Figure.article_id.in_(wanted))
            .order_by(Figure.article_id, Figure.position, Figure.id)
        )
        for aid, *fig in self.session.execute(fig_stmt):
            figures.setdefault(aid, []).append(tuple(fig))
        tags: dict[int, list[str]] = {}
        tag_stmt = (
            select(ArticleTag.article_id, ArticleTag.tag)
            .where(ArticleTag.article_id.in_(wanted))
            .order_by(ArticleTag.article_id, ArticleTag.tag)
        )
        for aid, tag in self.session.execute(tag_stmt):
            tags.setdefault(aid, []).append(tag)
        rev_stmt = (
            select(Revision.article_id, func.count(Revision.id))
            .where(Revision.article_id.in_(wanted))
            .group_by(Revision.article_id)
        )
        revisions = {int(aid): int(n) for aid, n in self.session.execute(rev_stmt)}
        published = self.published_bylines(
            i for i in wanted if i in found and found[i][5] == "published"
        )
        return [
            ExportRow(
                title=found[i][1],
                body_html=found[i][2],
                dek=found[i][3],
                slug=found[i][4],
                status=found[i][5],
                section=found[i][6],
                kind=found[i][7],
                published_at=found[i][8],
                updated_at=found[i][9],
                bylines=tuple(bylines.get(i, ())),
                figures=tuple(figures.get(i, ())),
                tags=tuple(tags.get(i, ())),
                revisions=revisions.get(i, 0),
                published_bylines=published.get(i),
            )
            for i in ids
            if i in found
        ]

    def full_by_ids(self, ids: Sequence[int]) -> list[Article]:
        """Articles with bylines (and authors), figures and tags, in the order of `ids`."""
        stmt = (
            select(Article)
            .where(Article.id.in_(list(ids)))
            .options(
                selectinload(Article.bylines).selectinload(Byline.author),
                selectinload(Article.figures),
                selectinload(Article.tags),
            )
        )
        found = {a.id: a for a in self.session.scalars(stmt)}
        return [found[i] for i in ids if i in found]

    def missing(self, ids: Sequence[int]) -> list[int]:
        """The ids of `ids` no article has, in their order."""
        present: set[int] = set()
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            present.update(self.session.scalars(select(Article.id).where(Article.id.in_(part))))
        return [i for i in ids if i not in present]

    def figure(self, figure_id: int) -> Figure | None:
        return self.session.get(Figure, figure_id)


class AuthorRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, author: Author) -> Author:
        self.session.add(author)
        return author

    def get(self, author_id: int) -> Author | None:
        return self.session.get(Author, author_id)

    def by_email(self, email: str) -> Author | None:
        if not email:
            return None
        stmt = select(Author).where(func.lower(Author.email) == email.lower()).order_by(Author.id)
        return self.session.scalars(stmt).first()

    def by_name_key(self, key: str) -> Author | None:
        stmt = select(Author).where(Author.name_key == key).order_by(Author.id)
        return self.session.scalars(stmt).first()

    def count(self) -> int:
        return int(self.session.scalar(select(func.count(Author.id))) or 0)

    def all(self, *, search: str = "") -> list[Author]:
        stmt = select(Author)
        if search:
            key = normalise_name(search)  # accents and case folded as the names are
            stmt = stmt.where(Author.name_key.contains(key, autoescape=True))
        return list(self.session.scalars(stmt.order_by(Author.name_key, Author.id)))

    def last_published(self) -> dict[int, datetime]:
        stmt = (
            select(Byline.author_id, func.max(Article.published_at))
            .join(Article, Article.id == Byline.article_id)
            .where(Article.status == "published", _in_trash(False))
            .group_by(Byline.author_id)
        )
        return {row[0]: row[1] for row in self.session.execute(stmt) if row[1] is not None}

    def article_counts(self) -> dict[int, int]:
        stmt = (
            select(Byline.author_id, func.count(Byline.article_id))
            .join(Article, Article.id == Byline.article_id)
            .where(_in_trash(False))
            .group_by(Byline.author_id)
        )
        return {row[0]: int(row[1]) for row in self.session.execute(stmt)}

    def delete(self, author: Author) -> None:
        self.session.delete(author)

    def photo(self, author_id: int) -> tuple[bytes, str] | None:
        row = self.session.execute(
            select(Author.photo, Author.photo_mime).where(Author.id == author_id)
        ).first()
        if row is None or row[0] is None:
            return None
        return bytes(row[0]), row[1] or "image/png"

    def article_ids_of(self, author_ids: Sequence[int]) -> list[int]:
        stmt = select(Byline.article_id).where(Byline.author_id.in_(list(author_ids))).distinct()
        return sorted(self.session.scalars(stmt))

    def bylines_of(self, article_ids: Sequence[int]) -> list[Byline]:
        stmt = (
            select(Byline)
            .where(Byline.article_id.in_(list(article_ids)))
            .order_by(Byline.article_id, Byline.position)
        )
        return list(self.session.scalars(stmt))

    def replace_bylines(self, article_id: int, author_ids: Sequence[int]) -> None:
        """Set an article's ordered bylines, bypassing the ORM collection (merge and undo)."""
        self.session.execute(delete(Byline).where(Byline.article_id == article_id))
        self.session.flush()
        for pos, author_id in enumerate(author_ids):
            self.session.add(Byline(article_id=article_id, position=pos, author_id=author_id))
        self.session.flush()

    def add_merge(self, merge: AuthorMerge) -> None:
        self.session.add(merge)

    def get_merge(self, merge_id: int) -> AuthorMerge | None:
        return self.session.get(AuthorMerge, merge_id)

    def merges(self) -> list[AuthorMerge]:
        return list(self.session.scalars(select(AuthorMerge).order_by(AuthorMerge.id.desc())))

    def articles_of(self, author_id: int) -> list[Article]:
        stmt = (
            select(Article)
            .join(Byline, Byline.article_id == Article.id)
            .where(Byline.author_id == author_id, _in_trash(False))
            .order_by(Article.updated_at.desc(), Article.id.desc())
        )
        return list(self.session.scalars(stmt))


class CommentRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, comment: Comment) -> Comment:
        self.session.add(comment)
        return comment

    def get(self, comment_id: int) -> Comment | None:
        return self.session.get(Comment, comment_id)

    def fingerprints(self, article_id: int) -> dict[str, int]:
        stmt = select(Comment.fingerprint, Comment.id).where(Comment.article_id == article_id)
        return {row[0]: row[1] for row in self.session.execute(stmt)}

    def of_article(self, article_id: int) -> list[Comment]:
        stmt = (
            select(Comment)
            .where(Comment.article_id == article_id)
            .order_by(Comment.posted_at, Comment.id)
        )
        return list(self.session.scalars(stmt))

    def children(self, parent_id: int) -> list[Comment]:
        stmt = (
            select(Comment)
            .where(Comment.parent_id == parent_id)
            .order_by(Comment.posted_at, Comment.id)
        )
        return list(self.session.scalars(stmt))

    def counts_by_status(self) -> dict[str, int]:
        """From the counter table the engine keeps: constant time at any queue size, less
        the comments of articles in the Trash (few articles, counted by their index)."""
        stmt = select(CommentCount.status, func.sum(CommentCount.n)).group_by(CommentCount.status)
        counts = {row[0]: int(row[1]) for row in self.session.execute(stmt) if row[1]}
        trashed = (
            select(Comment.status, func.count())
            .where(Comment.article_id.in_(_trashed_articles()))
            .group_by(Comment.status)
        )
        for status, n in self.session.execute(trashed):
            counts[status] = counts.get(status, 0) - int(n)
        return {k: v for k, v in counts.items() if v}

    def held_count(self) -> int:
        stmt = select(CommentCount.n).where(
            CommentCount.status == "pending", CommentCount.flagged.is_(True)
        )
        trashed = select(func.count()).where(
            Comment.article_id.in_(_trashed_articles()),
            Comment.status == "pending",
            Comment.flagged.is_(True),
        )
        return int(self.session.scalar(stmt) or 0) - int(self.session.scalar(trashed) or 0)

    def page(
        self,
        flt: CommentFilter,
        *,
        ids: Sequence[int] | None = None,
        after: Cursor | None = None,
        limit: int = 200,
    ) -> list[Comment]:
        """Keyset page: the cost of page N does not grow with N.

        Newest and oldest page on (posted_at, id). Highest risk pages on (score, id) over the
        scored comments first, then the unscored ones by id, so NULLs never break the keyset.
        """
        order = flt.order
        if order in ("newest", "oldest") and flt.search.strip() and ids is None:
            found = self._search_window(flt, after, limit)
            if found is not None:
                return found
        base = self._filtered(flt, ids)
        if order in ("newest", "oldest"):
            stmt = base
            if after is not None:
                key = tuple_(Comment.posted_at, Comment.id)
                stmt = stmt.where(
                    key < tuple_(*after) if order == "newest" else key > tuple_(*after)
                )
            if order == "newest":
                stmt = stmt.order_by(Comment.posted_at.desc(), Comment.id.desc())
            else:
                stmt = stmt.order_by(Comment.posted_at, Comment.id)
            return list(self.session.scalars(stmt.limit(limit)))
        rows: list[Comment] = []
        if after is None or after[0] is not None:
            scored = base.where(Comment.score.is_not(None))
            if after is not None:
                scored = scored.where(tuple_(Comment.score, Comment.id) < tuple_(*after))
            scored = scored.order_by(Comment.score.desc(), Comment.id.desc()).limit(limit)
            rows = list(self.session.scalars(scored))
        if len(rows) < limit:
            unscored = base.where(Comment.score.is_(None))
            if after is not None and after[0] is None:
                unscored = unscored.where(Comment.id < after[1])
            unscored = unscored.order_by(Comment.id.desc()).limit(limit - len(rows))
            rows.extend(self.session.scalars(unscored))
        return rows

    def _search_window(
        self, flt: CommentFilter, after: Cursor | None, limit: int
    ) -> list[Comment] | None:
        """SQLite, a word most comments hold: the page from the queue's own order, checked
        against the full-text index a window at a time; None where that does not pay.

        The queue's first `window` rows without the search (an index walk, under a ms) are
        matched against the full-text index over their id range only (FTS5 seeks to it), and
        the first `limit` rows that match are the page, exactly as the whole query would give
        them: a row after the window cannot come before one inside it. A window that holds
        too few matches grows; past `_WINDOW_MAX` rows the ordinary query runs instead. This
        never materialises every match (840,000 ids for `the` in a 1M store, ~0.3 s).
        """
        if self.session.get_bind().dialect.name != "sqlite":
            return None
        tokens = search_tokens(flt.search)
        if not tokens:
            return None
        expr = fts_expression("sqlite", tokens)
        if not _many_matches(self.session, expr):
            return None  # a few matches: looking each one up is cheaper
        newest = flt.order == "newest"
        plain = self._filtered(replace(flt, search=""), None).with_only_columns(Comment.id)
        if after is not None:
            key = tuple_(Comment.posted_at, Comment.id)
            plain = plain.where(key < tuple_(*after) if newest else key > tuple_(*after))
        if newest:
            plain = plain.order_by(Comment.posted_at.desc(), Comment.id.desc())
        else:
            plain = plain.order_by(Comment.posted_at, Comment.id)
        in_range = text(
            "SELECT rowid FROM comments_fts WHERE comments_fts MATCH :q "
            "AND rowid BETWEEN :lo AND :hi"
        )
        conn = self.session.connection()  # plain ids: no ORM rows to build
        window = max(_WINDOW_MIN, 2 * limit)
        while window <= _WINDOW_MAX:
            ids = list(conn.execute(plain.limit(window)).scalars())
            if not ids:
                return []
            hits = set(
                conn.execute(in_range, {"q": expr, "lo": min(ids), "hi": max(ids)}).scalars()
            )
            wanted = [i for i in ids if i in hits][:limit]
            if len(wanted) == limit or len(ids) < window:
                found = {
                    c.id: c
                    for c in self.session.scalars(select(Comment).where(Comment.id.in_(wanted)))
                }
                return [found[i] for i in wanted if i in found]
            # Large enough for the matches seen so far to fill a page, with a margin.
            window = max(2 * window, window * limit * 3 // (2 * max(len(wanted), 1)))
        return None

    def _filtered(self, flt: CommentFilter, ids: Sequence[int] | None) -> Select[Comment]:
        conds: list[ColumnElement[bool]] = []
        if flt.status:
            conds.append(Comment.status == flt.status)
        if flt.held_only:
            conds.append(Comment.status == "pending")
            conds.append(Comment.flagged.is_(True))
        if flt.article_id is not None:
            conds.append(Comment.article_id == flt.article_id)
        else:
            # The comments of an article in the Trash leave the queues with it.
            conds.append(Comment.article_id.not_in(_trashed_articles()))
        if flt.commenter:
            conds.append(Comment.commenter_key == flt.commenter)
        if flt.since is not None:
            conds.append(Comment.posted_at >= flt.since)
        if flt.until is not None:
            conds.append(Comment.posted_at < flt.until)
        if flt.min_score is not None:
            conds.append(Comment.score >= flt.min_score)
        if flt.max_score is not None:
            conds.append(Comment.score <= flt.max_score)
        if flt.reason:
            conds.append(cast(Comment.reasons, String).ilike(f"%{flt.reason}%", escape="\\"))
        if flt.search.strip():
            conds.append(comment_search_condition(self.session, flt.search))
        if ids is not None:
            conds.append(Comment.id.in_(list(ids)))
        stmt = select(Comment)
        return stmt.where(and_(*conds)) if conds else stmt

    def count_matching(self, flt: CommentFilter) -> int:
        if flt == CommentFilter(held_only=True):
            return self.held_count()
        sub = self._filtered(flt, None).with_only_columns(Comment.id).subquery()
        return int(self.session.scalar(select(func.count()).select_from(sub)) or 0)

    def article_choices(self) -> list[tuple[int, str]]:
        """(id, title) of the articles that have comments, for the queue's article filter."""
        has = select(Comment.article_id).distinct().subquery()
        stmt = (
            select(Article.id, Article.title)
            .where(Article.id.in_(select(has.c.article_id)), _in_trash(False))
            .order_by(Article.title)
        )
        return [(r[0], r[1]) for r in self.session.execute(stmt)]

    def count(self, *, status: str | None = None, article_id: int | None = None) -> int:
        stmt = select(func.count(Comment.id))
        if status:
            stmt = stmt.where(Comment.status == status)
        if article_id is not None:
            stmt = stmt.where(Comment.article_id == article_id)
        return int(self.session.scalar(stmt) or 0)

    def add_action(self, action: ModerationAction) -> None:
        self.session.add(action)

    def by_ids(self, ids: Sequence[int]) -> list[Comment]:
        found = {
            c.id: c for c in self.session.scalars(select(Comment).where(Comment.id.in_(list(ids))))
        }
        return [found[i] for i in ids if i in found]

    def by_ids_for_update(self, ids: Sequence[int]) -> list[Comment]:
        """The comments as they are now, held for this transaction: another moderator's
        action on one of them waits for ours to commit, and ours for theirs, so neither is
        lost or refused (PostgreSQL row locks, taken in id order so two batches cannot
        deadlock). SQLite: its one write lock, taken before reading, does the same."""
        if self.session.get_bind().dialect.name == "sqlite":
            # A write that matches nothing opens the write transaction (waits busy_timeout).
            self.session.execute(text("UPDATE comments SET version = version WHERE 0"))
        stmt = (
            select(Comment)
            .where(Comment.id.in_(list(ids)))
            .order_by(Comment.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        found = {c.id: c for c in self.session.scalars(stmt)}
        return [found[i] for i in ids if i in found]

    def lock_counts(self, statuses: Iterable[str]) -> None:
        """PostgreSQL: hold the per-status counters (migration 0007) that moving comments
        between `statuses` will update. Their trigger updates them in the order of each
        move; taken here in one order, after the comments, two moderators wait for each
        other instead of deadlocking. SQLite: its write lock is held already."""
        if self.session.get_bind().dialect.name == "sqlite":
            return
        self.session.execute(
            select(CommentCount.status)
            .where(CommentCount.status.in_(sorted(set(statuses))))
            .order_by(CommentCount.status, CommentCount.flagged)
            .with_for_update()
        )

    def commenters(self, keys: Iterable[str]) -> dict[str, Commenter]:
        keys = [k for k in set(keys) if k]
        if not keys:
            return {}
        stmt = select(Commenter).where(Commenter.key.in_(keys))
        return {c.key: c for c in self.session.scalars(stmt)}

    def add_commenter(self, commenter: Commenter) -> None:
        self.session.add(commenter)

    def keys_with_status(
        self, keys: Iterable[str], status: str, *, exclude: Sequence[int] = ()
    ) -> set[str]:
        keys = [k for k in set(keys) if k]
        if not keys:
            return set()
        if self.session.get_bind().dialect.name == "postgresql":
            # One index probe per key, stopping at its first such comment. The DISTINCT below
            # made PostgreSQL read every comment of that status (a fresh store has no
            # statistics, so it scanned them all through the status index): each batch of an
            # import read more than the one before, 0.1 s a batch at 40,000 comments.
            # SQLite answers the DISTINCT from the (commenter_key, status) index alone.
            found = self.session.scalars(
                text(
                    "SELECT k FROM unnest(CAST(:keys AS text[])) AS k CROSS JOIN LATERAL "
                    "(SELECT 1 FROM comments c WHERE c.commenter_key = k AND c.status = :status"
                    " AND c.id <> ALL(CAST(:exclude AS bigint[])) LIMIT 1) AS hit"
                ),
                {"keys": sorted(keys), "status": status, "exclude": list(exclude)},
            )
            return {str(k) for k in found}
        stmt = select(Comment.commenter_key).where(
            Comment.commenter_key.in_(keys), Comment.status == status
        )
        if exclude:
            stmt = stmt.where(Comment.id.not_in(list(exclude)))
        return set(self.session.scalars(stmt.distinct()))

    def bodies_by(
        self, article_id: int, keys: Iterable[str]
    ) -> list[tuple[int, str, str, datetime]]:
        """(id, commenter key, body, posted_at) of the given commenters on one article."""
        keys = [k for k in set(keys) if k]
        if not keys:
            return []
        stmt = select(Comment.id, Comment.commenter_key, Comment.body, Comment.posted_at).where(
            Comment.article_id == article_id, Comment.commenter_key.in_(keys)
        )
        return [(r[0], r[1], r[2], r[3]) for r in self.session.execute(stmt)]

    def times_of(self, key: str, since: datetime, until: datetime) -> list[datetime]:
        stmt = select(Comment.posted_at).where(
            Comment.commenter_key == key, Comment.posted_at >= since, Comment.posted_at <= until
        )
        return list(self.session.scalars(stmt))

    def status_counts_of(self, key: str) -> dict[str, int]:
        stmt = (
            select(Comment.status, func.count(Comment.id))
            .where(Comment.commenter_key == key)
            .group_by(Comment.status)
        )
        return {r[0]: int(r[1]) for r in self.session.execute(stmt)}

    def recent_of(self, key: str, limit: int = 20) -> list[Comment]:
        stmt = (
            select(Comment)
            .where(Comment.commenter_key == key)
            .order_by(Comment.posted_at.desc(), Comment.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

    def last_batch(self, actor: str) -> list[ModerationAction]:
        latest = (
            select(ModerationAction.batch)
            .where(
                ModerationAction.actor == actor,
                ModerationAction.undone.is_(False),
                ModerationAction.batch != "",
                ModerationAction.action != "auto",
            )
            .order_by(ModerationAction.id.desc())
            .limit(1)
        )
        batch = self.session.scalar(latest)
        if batch is None:
            return []
        stmt = select(ModerationAction).where(ModerationAction.batch == batch)
        return list(self.session.scalars(stmt.order_by(ModerationAction.id)))

    def last_action_on(self, comment_id: int) -> ModerationAction | None:
        stmt = (
            select(ModerationAction)
            .where(ModerationAction.comment_id == comment_id)
            .order_by(ModerationAction.id.desc())
            .limit(1)
        )
        return self.session.scalar(stmt)

    def action_report(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[tuple[str, str, str, int]]:
        """(actor, day, action, count): what each moderator did each day."""
        day = func.date(ModerationAction.at)
        stmt = select(ModerationAction.actor, day, ModerationAction.action, func.count())
        if since is not None:
            stmt = stmt.where(ModerationAction.at >= since)
        if until is not None:
            stmt = stmt.where(ModerationAction.at < until)
        stmt = stmt.group_by(ModerationAction.actor, day, ModerationAction.action).order_by(
            day, ModerationAction.actor, ModerationAction.action
        )
        return [(r[0], str(r[1]), r[2], int(r[3])) for r in self.session.execute(stmt)]

    def pending_ids(self, *, after_id: int = 0, limit: int = 1000) -> list[int]:
        """Pending comments in id order, less those of articles in the Trash."""
        stmt = (
            select(Comment.id)
            .where(
                Comment.status == "pending",
                Comment.id > after_id,
                Comment.article_id.not_in(_trashed_articles()),
            )
            .order_by(Comment.id)
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

    def ids_after(self, after_id: int, limit: int = 1000) -> list[int]:
        stmt = select(Comment.id).where(Comment.id > after_id).order_by(Comment.id).limit(limit)
        return list(self.session.scalars(stmt))

    def writers_and_openings(
        self, ids: Iterable[int], length: int = 100
    ) -> dict[int, tuple[str, str]]:
        """Each comment's writer and the start of its text, read in chunks of ids."""
        wanted = sorted(set(ids))
        found: dict[int, tuple[str, str]] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            stmt = select(Comment.id, Comment.author_name, func.substr(Comment.body, 1, length))
            for cid, name, opening in self.session.execute(stmt.where(Comment.id.in_(part))):
                found[cid] = (name or "", opening or "")
        return found

    def actions(
        self, *, comment_id: int | None = None, since: datetime | None = None
    ) -> list[ModerationAction]:
        stmt = select(ModerationAction)
        if comment_id is not None:
            stmt = stmt.where(ModerationAction.comment_id == comment_id)
        if since is not None:
            stmt = stmt.where(ModerationAction.at >= since)
        return list(self.session.scalars(stmt.order_by(ModerationAction.at, ModerationAction.id)))


class SettingsRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, key: str) -> Setting | None:
        return self.session.get(Setting, key)

    def add(self, setting: Setting) -> None:
        self.session.add(setting)


# A word, and a `*` right after it when the user asks for every word it begins.
_TOKEN = re.compile(r"(\w+)(\*?)", re.UNICODE)


def search_tokens(query: str) -> list[str]:
    """Words of a search box entry, `word*` kept as a prefix; other punctuation and FTS
    operators are not the user's intent."""
    return [w.lower() + star for w, star in _TOKEN.findall(query)][:12]


def fts_expression(dialect: str, tokens: list[str]) -> str:
    """Whole words, and a prefix where the user typed `*` (`harb*`): FTS5 syntax on SQLite,
    tsquery syntax on PostgreSQL. `the` no longer also finds their, then and these."""
    terms = [(t.rstrip("*"), t.endswith("*")) for t in tokens]
    if dialect == "sqlite":
        return " AND ".join(f'"{w}"*' if prefix else f'"{w}"' for w, prefix in terms)
    return " & ".join(f"{w}:*" if prefix else w for w, prefix in terms)


# Above this many full-text matches the queue walks its own index instead (see below).
_MANY_MATCHES = 2000


# The queue's windowed search (`CommentRepository._search_window`) walks at least this many
# rows at a time, and at most this many before it runs the ordinary query instead.
_WINDOW_MIN = 400
_WINDOW_MAX = 128_000


def _many_matches(session: Session, expr: str) -> bool:
    """SQLite: does the FTS5 query match at least `_MANY_MATCHES` comments (counted up to
    that many, a few ms)?"""
    probe = text(
        "SELECT count(*) FROM (SELECT rowid FROM comments_fts WHERE comments_fts MATCH :q LIMIT :n)"
    )
    return (session.scalar(probe, {"q": expr, "n": _MANY_MATCHES}) or 0) >= _MANY_MATCHES


def comment_search_condition(session: Session, query: str) -> ColumnElement[bool]:
    """A WHERE clause for the queue: the full-text index as a filter, no cap, no rank sort.

    The queue keeps its own order (newest, oldest, risk) and keyset paging on top of it.
    """
    tokens = search_tokens(query)
    if not tokens:
        return Comment.id.is_(None)  # nothing searchable: nothing matches
    dialect = session.get_bind().dialect.name
    expr = fts_expression(dialect, tokens)
    if dialect == "sqlite":
        sub = text("SELECT rowid FROM comments_fts WHERE comments_fts MATCH :fts_q").bindparams(
            fts_q=expr
        )
        matches = sub.columns(column("rowid", Integer))
        # A few matches drive the query: look each up, sort them. Many (a word in most
        # comments) would make that 1-2 s on a 1M store; then `id + 0` turns the matches into
        # a filter on the queue's own index walk (newest first, per status, per article),
        # which stops after a page: ~0.2 s. Counting up to the threshold costs a few ms.
        many = _many_matches(session, expr)
        return (Comment.id + 0 if many else Comment.id).in_(matches)
    tsv: ColumnElement[Any] = literal_column("comments.search_tsv")
    return tsv.op("@@", return_type=Boolean)(func.to_tsquery("simple", expr))


# The global search ranks at most this many of the newest matching rows (see below).
RANK_WINDOW = 500
# The comment's own columns a search hit carries (CommentRow's fields after its article's).
_HIT_FIELDS = (
    "parent_id",
    "author_name",
    "status",
    "score",
    "reasons",
    "body",
    "posted_at",
    "kind",
    "version",
    "commenter_key",
    "author_email",
    "author_url",
    "author_ip",
    "edited_by",
    "original_body",
    "body_original",
)


class SearchRepository:
    """Full text through the engine's own index: SQLite FTS5 or PostgreSQL tsvector."""

    def __init__(self, session: Session):
        self.session = session

    @property
    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def _ranked(
        self, table: str, query: str, limit: int, sqlite_rank: str, *, newest: int | None = None
    ) -> list[int]:
        """Ids of the best matches; with `newest`, the best among that many newest matches."""
        tokens = search_tokens(query)
        if not tokens:
            return []
        if self._dialect == "sqlite":
            matches = (
                f"SELECT rowid, {sqlite_rank} AS r FROM {table}_fts WHERE {table}_fts MATCH :q"
            )
            if newest is not None:
                matches += " ORDER BY rowid DESC LIMIT :w"
            sql = text(f"SELECT rowid FROM ({matches}) ORDER BY r LIMIT :n")
        else:
            matches = (
                f"SELECT id, search_tsv FROM {table} WHERE search_tsv @@ to_tsquery('simple', :q)"
            )
            if newest is not None:
                matches += " ORDER BY id DESC LIMIT :w"
            sql = text(
                f"SELECT id FROM ({matches}) AS m "
                "ORDER BY ts_rank(search_tsv, to_tsquery('simple', :q)) DESC, id LIMIT :n"
            )
        expr = fts_expression(self._dialect, tokens)
        if newest is not None and self._dialect == "sqlite" and self._many(table, expr):
            # bm25 first counts every row that holds each word (60 ms for `the` in a 1M
            # store, whatever the window) and then weighs such a word at next to nothing
            # (it is in most rows): the newest matches come first instead.
            sql = text(
                f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH :q "
                "ORDER BY rowid DESC LIMIT :n"
            )
        params = {"q": expr, "n": limit, "w": newest}
        return [int(r[0]) for r in self.session.execute(sql, params)]

    def _many(self, table: str, expr: str) -> bool:
        """SQLite: does the query match at least `_MANY_MATCHES` rows (counted up to that)?"""
        probe = text(
            f"SELECT count(*) FROM (SELECT rowid FROM {table}_fts "
            f"WHERE {table}_fts MATCH :q LIMIT :n)"
        )
        return (self.session.scalar(probe, {"q": expr, "n": _MANY_MATCHES}) or 0) >= _MANY_MATCHES

    def articles(self, query: str, limit: int = 50) -> list[int]:
        """The best matches among the newest `RANK_WINDOW` matching articles; the newest
        where thousands match. Title matches weigh most, then the dek, then the body."""
        return self._ranked(
            "articles", query, limit, "bm25(articles_fts, 10.0, 4.0, 1.0)", newest=RANK_WINDOW
        )

    def comment_hits(self, ids: Sequence[int]) -> list[Any]:
        """These comments as plain values (CommentRow's fields by name, `article_title`
        among them), in the order of `ids`; comments of articles in the Trash left out.
        One query, no ORM object: the comment, the Trash and the titles read apart took
        a quarter of the search box's time."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        # The article's title and Trash per comment found (correlated, by primary key): as
        # a join, SQLite planned from the articles and scanned every comment (130 ms).
        article = select(Article.title).where(Article.id == Comment.article_id)
        stmt = select(
            Comment.id,
            Comment.article_id,
            article.where(_in_trash(False)).scalar_subquery().label("article_title"),
            *(getattr(Comment, name) for name in _HIT_FIELDS),
        ).where(Comment.id.in_(wanted))
        found = {r.id: r for r in self.session.execute(stmt) if r.article_title is not None}
        return [found[i] for i in wanted if i in found]

    def comments(self, query: str, limit: int = 200) -> list[int]:
        """The best matches among the newest `RANK_WINDOW` matching comments; the newest
        matches where thousands match.

        Ranking every match of a word that most comments hold (840,000 of a 1M store) took
        over a second; a newsroom looks for recent talk first, so only the newest matches
        are ranked (the queue's search filter finds every match, in its own order).
        """
        return self._ranked("comments", query, limit, "rank", newest=RANK_WINDOW)
