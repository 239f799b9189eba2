"""Reading author profiles and the articles under each byline."""

from __future__ import annotations

from editor_app.domain.errors import NotFound
from editor_app.services.dto import AuthorArticle, AuthorDetail, AuthorRow
from editor_app.store.uow import UowFactory


class AuthorService:
    def __init__(self, uow: UowFactory):
        self._uow = uow

    def list(self, search: str = "") -> tuple[AuthorRow, ...]:
        with self._uow() as uow:
            counts = uow.authors.article_counts()
            return tuple(
                AuthorRow(id=a.id, name=a.name, role=a.role, articles=counts.get(a.id, 0))
                for a in uow.authors.all(search=search)
            )

    def count(self) -> int:
        with self._uow() as uow:
            return uow.authors.count()

    def detail(self, author_id: int) -> AuthorDetail:
        with self._uow() as uow:
            a = uow.authors.get(author_id)
            if a is None:
                raise NotFound(f"no author with id {author_id}")
            articles = tuple(
                AuthorArticle(
                    id=x.id,
                    title=x.title,
                    status=x.status,
                    updated_at=x.updated_at,
                    published_at=x.published_at,
                )
                for x in uow.authors.articles_of(a.id)
            )
            return AuthorDetail(
                id=a.id,
                name=a.name,
                byline_name=a.byline_name,
                role=a.role,
                bio=a.bio,
                email=a.email,
                website=a.website,
                links=tuple(a.links or ()),
                location=a.location,
                languages=a.languages,
                active=a.active,
                has_photo=a.photo_mime is not None,
                articles=articles,
                version=a.version,
            )
