"""Exports of articles and author pages, built from the store through the formats."""

from __future__ import annotations

from typing import Any

from editor_app.domain.errors import NotFound
from editor_app.formats.authorpage import PublishedItem, render_author_page
from editor_app.formats.bundle import ArticleData, AuthorData, FigureData
from editor_app.formats.ninjs import to_ninjs
from editor_app.store.models import Article
from editor_app.store.uow import UnitOfWork, UowFactory

URI_BASE = "urn:copydesk:article:"


class ExportService:
    def __init__(self, uow: UowFactory):
        self._uow = uow

    def article_data(self, article_id: int) -> ArticleData:
        """The article as a partner gets it: no comments, bylines as they stood when published."""
        with self._uow() as uow:
            a = uow.articles.get(article_id, full=True)
            if a is None:
                raise NotFound(f"no article with id {article_id}")
            return self._data(uow, a)

    def _data(self, uow: UnitOfWork, a: Article) -> ArticleData:
        authors = tuple(
            AuthorData(
                name=b.author.name,
                byline_name=b.author.byline_name,
                role=b.author.role,
                bio=b.author.bio,
            )
            for b in a.bylines
        )
        if a.status == "published":
            rev = uow.articles.latest_published_revision(a.id)
            snap = rev.snapshot.get("authors") if rev else None
            if isinstance(snap, list):
                authors = tuple(
                    AuthorData(
                        name=str(x.get("name", "")),
                        byline_name=str(x.get("byline_name", "")),
                        role=str(x.get("role", "")),
                        bio=str(x.get("bio", "")),
                    )
                    for x in snap
                    if isinstance(x, dict)
                )
        return ArticleData(
            title=a.title,
            body_html=a.body_html,
            dek=a.dek,
            slug=a.slug,
            status=a.status,
            section=a.section,
            tags=tuple(t.tag for t in a.tags),
            authors=authors,
            figures=tuple(
                FigureData(caption=f.caption, credit=f.credit, alt=f.alt, anchor=f.anchor)
                for f in a.figures
            ),
            published_at=a.published_at,
            kind=a.kind,
        )

    def ninjs(self, article_id: int) -> dict[str, Any]:
        with self._uow() as uow:
            a = uow.articles.get(article_id, full=True)
            if a is None:
                raise NotFound(f"no article with id {article_id}")
            return to_ninjs(
                self._data(uow, a),
                uri=f"{URI_BASE}{a.id}",
                version=a.version,
                created=a.created_at,
                updated=a.updated_at,
            )

    def author_page(self, author_id: int) -> str:
        with self._uow() as uow:
            au = uow.authors.get(author_id)
            if au is None:
                raise NotFound(f"no author with id {author_id}")
            photo = uow.authors.photo(author_id)
            data = AuthorData(
                name=au.name,
                byline_name=au.byline_name,
                role=au.role,
                bio=au.bio,
                url=au.website,
                links=tuple(au.links or ()),
                location=au.location,
                photo=photo[0] if photo else None,
                photo_mime=photo[1] if photo else None,
            )
            published = [
                PublishedItem(title=x.title, published_at=x.published_at)
                for x in uow.authors.articles_of(author_id)
                if x.status == "published"
            ]
        published.sort(
            key=lambda p: p.published_at.timestamp() if p.published_at else 0, reverse=True
        )
        return render_author_page(data, published)
