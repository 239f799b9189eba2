"""Reading articles: the list, one article in full."""

from __future__ import annotations

from editor_app.domain.errors import NotFound
from editor_app.services.dto import ArticleDetail, ArticleRow, Page
from editor_app.services.mapping import article_row, author_brief, figure_view
from editor_app.store.repositories import Cursor
from editor_app.store.uow import UowFactory


class ArticleService:
    def __init__(self, uow: UowFactory):
        self._uow = uow

    def page(
        self, *, status: str | None = None, after: Cursor | None = None, limit: int = 200
    ) -> Page[ArticleRow]:
        with self._uow() as uow:
            articles = uow.articles.page(status=status, after=after, limit=limit)
            counts = uow.articles.comment_counts(a.id for a in articles)
            rows = tuple(article_row(a, counts) for a in articles)
        cursor = (rows[-1].updated_at, rows[-1].id) if len(rows) == limit else None
        return Page(rows, cursor)

    def rows(self, ids: list[int]) -> tuple[ArticleRow, ...]:
        with self._uow() as uow:
            articles = uow.articles.by_ids(ids)
            counts = uow.articles.comment_counts(ids)
            return tuple(article_row(a, counts) for a in articles)

    def count(self, status: str | None = None) -> int:
        with self._uow() as uow:
            return uow.articles.count(status)

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
