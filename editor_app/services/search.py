"""The search box: articles and comments through the engine's full-text index."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from editor_app.domain.snippet import find_snippet
from editor_app.domain.text import byline
from editor_app.services.dto import ArticleHit, CommentRow, SearchResults
from editor_app.store.repositories import search_tokens
from editor_app.store.uow import UowFactory


class SearchService:
    def __init__(self, uow: UowFactory):
        self._uow = uow

    def search(self, query: str, *, limit: int = 50) -> SearchResults:
        with self._uow() as uow:
            article_ids = uow.search.articles(query, limit=limit)
            # Articles in the Trash, and their comments, are not found.
            articles = [
                ArticleHit(aid, title, status, byline(names), updated_at)
                for aid, title, status, updated_at, deleted_at, names in uow.articles.list_rows(
                    article_ids
                )
                if deleted_at is None
            ]
            texts = uow.articles.search_texts([a.id for a in articles])
            # Comments of articles in the Trash are left out by the query.
            hits = uow.search.comment_hits(uow.search.comments(query, limit=limit))
            comments = tuple(_comment_row(h._mapping) for h in hits)
        terms = search_tokens(query)
        return SearchResults(
            query=query,
            articles=tuple(articles),
            comments=comments,
            article_snippets=tuple(find_snippet(texts.get(a.id, ""), terms) for a in articles),
            comment_snippets=tuple(find_snippet(c.body, terms) for c in comments),
        )


def _comment_row(values: Mapping[str, Any]) -> CommentRow:
    """As `mapping.comment_row`, from the plain values of `SearchRepository.comment_hits`."""
    row = dict(values)
    row["reasons"] = tuple(row["reasons"] or ())
    return CommentRow(**row)
