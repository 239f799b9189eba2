"""Author profiles: reading, editing with validation, photos, and merging duplicates."""

from __future__ import annotations

from base64 import b64decode, b64encode
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from editor_app.domain.errors import Conflict, InvalidInput, NotFound
from editor_app.domain.profile import ProfileInput, check_profile
from editor_app.domain.sorting import natural_key
from editor_app.domain.statuses import ArticleStatus
from editor_app.domain.text import normalise_name
from editor_app.formats.htmlbody import sanitize_inline_html
from editor_app.formats.images import square_avatar
from editor_app.services.dto import AuthorArticle, AuthorDetail, AuthorRow
from editor_app.store.models import Author, AuthorMerge
from editor_app.store.uow import UnitOfWork, UowFactory

# Fields a merge can take from the other profile; the rest stay as the kept one has them.
MERGE_FIELDS = (
    "name",
    "byline_name",
    "role",
    "bio",
    "email",
    "website",
    "links",
    "location",
    "languages",
    "photo",
)
_ROW_FIELDS = (*MERGE_FIELDS[:-1], "name_key", "active", "photo_mime")
IN_PROGRESS = frozenset(
    {ArticleStatus.DRAFT, ArticleStatus.EDITING, ArticleStatus.COPYEDIT, ArticleStatus.READY}
)
SORTS = ("name", "articles", "last_published")


@dataclass(frozen=True)
class MergeResult:
    merge_id: int
    kept_id: int
    merged_id: int
    moved_bylines: int
    taken: tuple[str, ...]


def _row(a: Author) -> dict[str, Any]:
    data: dict[str, Any] = {f: getattr(a, f) for f in _ROW_FIELDS}
    data["links"] = list(a.links or [])
    data["id"] = a.id
    data["photo"] = b64encode(a.photo).decode() if a.photo else None
    data["created_at"] = a.created_at.isoformat()
    return data


class AuthorService:
    def __init__(self, uow: UowFactory):
        self._uow = uow

    # Reading -----------------------------------------------------------------

    def list(self, search: str = "", sort: str = "name") -> tuple[AuthorRow, ...]:
        if sort not in SORTS:
            raise InvalidInput(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
        with self._uow() as uow:
            counts = uow.authors.article_counts()
            last = uow.authors.last_published()
            rows = [
                AuthorRow(
                    id=a.id,
                    name=a.name,
                    role=a.role,
                    articles=counts.get(a.id, 0),
                    email=a.email,
                    active=a.active,
                    last_published=last.get(a.id),
                    has_photo=a.photo_mime is not None,
                    updated_at=a.updated_at,
                )
                for a in uow.authors.all(search=search)
            ]
        if sort == "name":
            rows.sort(key=lambda r: natural_key(r.name))
        elif sort == "articles":
            rows.sort(key=lambda r: (-r.articles, natural_key(r.name)))
        elif sort == "last_published":
            floor = datetime.min.replace(tzinfo=UTC)
            rows.sort(key=lambda r: (r.last_published or floor, r.id), reverse=True)
        return tuple(rows)

    def count(self) -> int:
        with self._uow() as uow:
            return uow.authors.count()

    def detail(self, author_id: int) -> AuthorDetail:
        with self._uow() as uow:
            return self._detail(uow, author_id)

    def _detail(self, uow: UnitOfWork, author_id: int) -> AuthorDetail:
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
        published = [x for x in articles if x.status == ArticleStatus.PUBLISHED]
        dates = [x.published_at for x in published if x.published_at]
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
            published_count=len(published),
            in_progress_count=sum(1 for x in articles if x.status in IN_PROGRESS),
            last_published=max(dates) if dates else None,
        )

    def photo(self, author_id: int) -> tuple[bytes, str] | None:
        with self._uow() as uow:
            return uow.authors.photo(author_id)

    # Editing -----------------------------------------------------------------

    def create(self, profile: ProfileInput) -> AuthorDetail:
        p = check_profile(profile)
        with self._uow() as uow:
            author = Author(name=p.name, name_key=normalise_name(p.name), links=[])
            self._apply(author, p)
            uow.authors.add(author)
            uow.flush()
            detail = self._detail(uow, author.id)
            uow.commit()
        return detail

    def update(
        self, author_id: int, profile: ProfileInput, *, expected_version: int
    ) -> AuthorDetail:
        """Save a profile edit; every byline shows it at once (bylines point at the profile).

        A save against a stale version raises Conflict instead of overwriting.
        """
        p = check_profile(profile)
        with self._uow() as uow:
            author = uow.authors.get(author_id)
            if author is None:
                raise NotFound(f"no author with id {author_id}")
            if author.version != expected_version:
                raise Conflict(
                    f"“{author.name}” was changed elsewhere (version {author.version}, "
                    f"you edited {expected_version})",
                    current_version=author.version,
                )
            if p.byline_name == author.byline_name == author.name:
                # A byline that was never set apart from the name follows a renamed profile.
                p = replace(p, byline_name=p.name)
            self._apply(author, p)
            author.updated_at = datetime.now(UTC)
            uow.flush()
            detail = self._detail(uow, author.id)
            uow.commit()
        return detail

    @staticmethod
    def _apply(author: Author, p: ProfileInput) -> None:
        author.name = p.name
        author.name_key = normalise_name(p.name)
        author.byline_name = p.byline_name or p.name
        author.role = p.role
        author.bio = sanitize_inline_html(p.bio)
        author.email = p.email
        author.website = p.website
        author.links = list(p.links)
        author.location = p.location
        author.languages = p.languages
        author.active = p.active

    def set_photo(self, author_id: int, data: bytes | None) -> AuthorDetail:
        """Crop a picture to a square avatar and keep it in the store (None removes it)."""
        image = square_avatar(data) if data is not None else None
        with self._uow() as uow:
            author = uow.authors.get(author_id)
            if author is None:
                raise NotFound(f"no author with id {author_id}")
            author.photo = image[0] if image else None
            author.photo_mime = image[1] if image else None
            author.updated_at = datetime.now(UTC)
            uow.flush()
            detail = self._detail(uow, author.id)
            uow.commit()
        return detail

    # Merging -----------------------------------------------------------------

    def merge(
        self, keep_id: int, other_id: int, *, take: tuple[str, ...] = (), actor: str = ""
    ) -> MergeResult:
        """Fold `other` into `keep`: chosen fields, every byline, a record to undo it by."""
        unknown = [f for f in take if f not in MERGE_FIELDS]
        if unknown:
            raise InvalidInput(
                f"cannot take {', '.join(unknown)}; choose from {', '.join(MERGE_FIELDS)}"
            )
        if keep_id == other_id:
            raise InvalidInput("a profile cannot be merged into itself")
        with self._uow() as uow:
            keep = uow.authors.get(keep_id)
            other = uow.authors.get(other_id)
            if keep is None or other is None:
                raise NotFound(f"no author with id {keep_id if keep is None else other_id}")
            article_ids = uow.authors.article_ids_of([keep_id, other_id])
            before = [
                [b.article_id, b.position, b.author_id] for b in uow.authors.bylines_of(article_ids)
            ]
            record = AuthorMerge(
                kept_id=keep.id,
                merged_id=other.id,
                merged_name=other.name,
                actor=actor,
                kept_before=_row(keep),
                merged_row=_row(other),
                bylines_before=before,
            )
            moved = 0
            for article_id in article_ids:
                order = [a for (art, _pos, a) in before if art == article_id]
                moved += order.count(other.id)
                merged = list(dict.fromkeys(keep.id if a == other.id else a for a in order))
                uow.authors.replace_bylines(article_id, merged)
            for field in take:
                if field == "photo":
                    keep.photo, keep.photo_mime = other.photo, other.photo_mime
                elif field == "links":
                    keep.links = list(dict.fromkeys([*(keep.links or []), *(other.links or [])]))
                else:
                    setattr(keep, field, getattr(other, field))
            keep.name_key = normalise_name(keep.name)
            keep.updated_at = datetime.now(UTC)
            uow.authors.add_merge(record)
            uow.flush()
            uow.authors.delete(other)
            uow.flush()
            result = MergeResult(record.id, keep.id, other_id, moved, tuple(take))
            uow.commit()
        return result

    def undo_merge(self, merge_id: int) -> AuthorDetail:
        """Bring the merged profile back as it was and give every byline back to it."""
        with self._uow() as uow:
            record = uow.authors.get_merge(merge_id)
            if record is None:
                raise NotFound(f"no merge with id {merge_id}")
            if record.undone_at is not None:
                raise InvalidInput(f"merge {merge_id} was already undone")
            keep = uow.authors.get(record.kept_id)
            if keep is None:
                raise InvalidInput(f"the kept profile {record.kept_id} no longer exists")
            if uow.authors.get(record.merged_id) is not None:
                raise InvalidInput(f"a profile with id {record.merged_id} exists again")
            row = dict(record.merged_row)
            restored = Author(
                id=record.merged_id,
                photo=b64decode(str(row["photo"])) if row.get("photo") else None,
                created_at=datetime.fromisoformat(str(row["created_at"])),
                **{f: row[f] for f in _ROW_FIELDS},
            )
            uow.authors.add(restored)
            for field in _ROW_FIELDS:
                setattr(keep, field, record.kept_before[field])
            kept_photo = record.kept_before.get("photo")
            keep.photo = b64decode(str(kept_photo)) if kept_photo else None
            keep.updated_at = datetime.now(UTC)
            uow.flush()
            by_article: dict[int, list[int]] = {}
            for article_id, _pos, author_id in record.bylines_before:
                by_article.setdefault(article_id, []).append(author_id)
            for article_id, authors in by_article.items():
                if uow.articles.get(article_id) is not None:
                    uow.authors.replace_bylines(article_id, authors)
            record.undone_at = datetime.now(UTC)
            uow.flush()
            detail = self._detail(uow, restored.id)
            uow.commit()
        return detail
