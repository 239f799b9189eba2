"""The search box: articles and comments through the engine's full-text index."""

from __future__ import annotations

from editor_app.domain.text import byline
from editor_app.services.dto import ArticleRow, SearchResults
from editor_app.services.mapping import comment_row
from editor_app.store.uow import UowFactory


class SearchService:
    def __init__(self, uow: UowFactory):
        self._uow = uow

    def search(self, query: str, *, limit: int = 50) -> SearchResults:
        with self._uow() as uow:
            article_ids = uow.search.articles(query, limit=limit)
            # Articles in the Trash, and their comments, are not found.
            found = uow.articles.list_rows(article_ids)
            counts = uow.articles.comment_counts(article_ids)
            articles = [
                ArticleRow(
                    id=aid,
                    title=title,
                    status=status,
                    byline=byline(names),
                    comments=counts.get(aid, (0, 0))[0],
                    pending=counts.get(aid, (0, 0))[1],
                    updated_at=updated_at,
                )
                for aid, title, status, updated_at, deleted_at, names in found
                if deleted_at is None
            ]
            comment_ids = uow.search.comments(query, limit=limit)
            comments = uow.comments.by_ids(comment_ids)
            trashed = uow.articles.in_trash(c.article_id for c in comments)
            comments = [c for c in comments if c.article_id not in trashed]
            titles = uow.articles.titles(c.article_id for c in comments)
            return SearchResults(
                query=query,
                articles=tuple(articles),
                comments=tuple(comment_row(c, titles) for c in comments),
            )
