"""Articles: the list, one article in full, and moves through the workflow."""

from __future__ import annotations

from datetime import UTC, datetime

from editor_app.domain.errors import Conflict, InvalidInput, NotFound
from editor_app.domain.statuses import ArticleStatus, allowed_transitions, can_move
from editor_app.services.dto import ArticleDetail, ArticleRow, Page, RevisionInfo
from editor_app.services.mapping import article_row, author_brief, figure_view
from editor_app.services.revisions import make_revision
from editor_app.store.repositories import Cursor
from editor_app.store.uow import UowFactory


class ArticleService:
    def __init__(self, uow: UowFactory):
        self._uow = uow

    def page(
        self,
        *,
        status: str | None = None,
        after: Cursor | None = None,
        limit: int = 200,
        trash: bool = False,
    ) -> Page[ArticleRow]:
        """A page of the list, or with `trash` of the Trash."""
        with self._uow() as uow:
            articles = uow.articles.page(status=status, after=after, limit=limit, trash=trash)
            counts = uow.articles.comment_counts(a.id for a in articles)
            rows = tuple(article_row(a, counts) for a in articles)
        cursor = (rows[-1].updated_at, rows[-1].id) if len(rows) == limit else None
        return Page(rows, cursor)

    def rows(self, ids: list[int]) -> tuple[ArticleRow, ...]:
        with self._uow() as uow:
            articles = uow.articles.by_ids(ids)
            counts = uow.articles.comment_counts(ids)
            return tuple(article_row(a, counts) for a in articles)

    def count(self, status: str | None = None, *, trash: bool = False) -> int:
        with self._uow() as uow:
            return uow.articles.count(status, trash=trash)

    # The Trash --------------------------------------------------------------------------
    def delete(self, article_id: int, *, actor: str) -> ArticleRow:
        """Move an article to the Trash: out of lists, search, counts and exports, kept whole
        (bylines, figures, revisions, comments) until restored or deleted for good."""
        with self._uow() as uow:
            a = uow.articles.get(article_id)
            if a is None:
                raise NotFound(f"no article with id {article_id}")
            if a.deleted_at is not None:
                raise InvalidInput(f"“{a.title}” is already in the Trash")
            a.deleted_at = datetime.now(UTC)
            uow.flush()
            uow.articles.add_revision(make_revision(a, saved_by=actor, note="Moved to the Trash"))
            uow.flush()
            row = article_row(a, uow.articles.comment_counts([a.id]))
            uow.commit()
        return row

    def restore(self, article_id: int, *, actor: str) -> ArticleRow:
        """Take an article out of the Trash, back where it was."""
        with self._uow() as uow:
            a = uow.articles.get(article_id)
            if a is None:
                raise NotFound(f"no article with id {article_id}")
            if a.deleted_at is None:
                raise InvalidInput(f"“{a.title}” is not in the Trash")
            a.deleted_at = None
            uow.flush()
            uow.articles.add_revision(
                make_revision(a, saved_by=actor, note="Restored from the Trash")
            )
            uow.flush()
            row = article_row(a, uow.articles.comment_counts([a.id]))
            uow.commit()
        return row

    def delete_for_good(self, article_id: int) -> str:
        """Delete an article in the Trash permanently, with its comments; returns its title.

        Only from the Trash: a live article is moved there first, so nothing is lost by one
        slip of the hand.
        """
        with self._uow() as uow:
            a = uow.articles.get(article_id)
            if a is None:
                raise NotFound(f"no article with id {article_id}")
            if a.deleted_at is None:
                raise InvalidInput(
                    f"“{a.title}” is not in the Trash; delete it first (it goes to the Trash)"
                )
            title = a.title
            uow.articles.delete_for_good(article_id)
            uow.commit()
        return title

    def detail(self, article_id: int) -> ArticleDetail:
        with self._uow() as uow:
            a = uow.articles.get(article_id, full=True)
            if a is None:
                raise NotFound(f"no article with id {article_id}")
            return ArticleDetail(
                id=a.id,
                title=a.title,
                dek=a.dek,
                slug=a.slug,
                status=a.status,
                kind=a.kind,
                section=a.section,
                tags=tuple(t.tag for t in a.tags),
                body_html=a.body_html,
                body_text=a.body_text,
                authors=tuple(author_brief(b.author) for b in a.bylines),
                figures=tuple(figure_view(f) for f in a.figures),
                comment_count=uow.comments.count(article_id=a.id),
                created_at=a.created_at,
                updated_at=a.updated_at,
                published_at=a.published_at,
                version=a.version,
            )

    def set_status(
        self, article_id: int, status: str, *, actor: str, expected_version: int | None = None
    ) -> ArticleDetail:
        """Move an article along the workflow; each move is a revision with who and when.

        Publishing records the bylines with the bios of the day, so an export of an old piece
        shows the bio its readers saw.
        """
        try:
            target = ArticleStatus(status)
        except ValueError:
            choices = ", ".join(s.value for s in ArticleStatus)
            raise InvalidInput(f"unknown status {status!r}; use one of {choices}") from None
        with self._uow() as uow:
            a = uow.articles.get(article_id, full=True)
            if a is None:
                raise NotFound(f"no article with id {article_id}")
            if expected_version is not None and a.version != expected_version:
                raise Conflict(f"“{a.title}” was changed elsewhere", current_version=a.version)
            current = ArticleStatus(a.status)
            if not can_move(current, target):
                allowed = ", ".join(sorted(s.value for s in allowed_transitions(current)))
                raise InvalidInput(
                    f"a {current.value} article cannot go to {target.value}; it can go to {allowed}"
                )
            if current != target:
                a.status = target.value
                now = datetime.now(UTC)
                a.updated_at = now
                if target == ArticleStatus.PUBLISHED and a.published_at is None:
                    a.published_at = now
                uow.flush()
                uow.articles.add_revision(
                    make_revision(a, saved_by=actor, note=f"{current.label} → {target.label}")
                )
                uow.flush()
            uow.commit()
        return self.detail(article_id)

    def revisions(self, article_id: int) -> tuple[RevisionInfo, ...]:
        with self._uow() as uow:
            return tuple(
                RevisionInfo(
                    id=r.id,
                    saved_at=r.saved_at,
                    saved_by=r.saved_by,
                    note=r.note,
                    status=str(r.snapshot.get("status", "")),
                )
                for r in uow.articles.revisions(article_id)
            )
