"""Names of the engines' own full-text objects, which live outside the models on purpose."""

from __future__ import annotations

_PREFIXES = (
    "articles_fts",
    "comments_fts",
    "search_tsv",
    "ix_articles_search",
    "ix_comments_search",
)


def is_search_object(name: str | None) -> bool:
    return (name or "").startswith(_PREFIXES)
