"""Exports of articles and author pages, built from the store through the formats.

Publication formats never carry a commenter's email, IP or user agent: the article data they
get has no comments at all, except WXR, which gets approved comments without those fields.
Every file is written to a temporary name and moved over the target only when complete; an
export of many files goes into a temporary folder and into place only when all are written.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from editor_app.domain.errors import Cancelled, InvalidInput, NotFound
from editor_app.formats.authorpage import PublishedItem, render_author_page
from editor_app.formats.bundle import ArticleData, AuthorData, CommentData, FigureData
from editor_app.formats.comment_html import clean_comment_html, clean_url
from editor_app.formats.ninjs import to_ninjs
from editor_app.formats.render import FORMAT_MODULES, URI_BASE, render
from editor_app.services.export_pool import CHUNK, ConversionPool, cores
from editor_app.services.files import UserFiles, atomic_writer, staged_folder, write_atomic
from editor_app.services.options import EXPORT_FORMATS
from editor_app.store.models import Article
from editor_app.store.repositories import ExportRow
from editor_app.store.uow import UnitOfWork, UowFactory

EXTENSIONS = {
    "html": ".html",
    "markdown": ".md",
    "docx": ".docx",
    "pdf": ".pdf",
    "ninjs": ".ninjs.json",
    "wxr": ".xml",
    "json": ".json",
}
# PDF needs Qt's PDF writer, which lives above the services: the caller hands it in.
PdfWriter = Callable[[ArticleData, Path], object]
Progress = Callable[[int, int, str], None]


def _never() -> bool:
    return False


# Folder exports of at least this many articles are converted by processes of their own,
# one per core (`export_pool`): below it, starting them costs more than they save (here,
# loaded: 500 Markdown articles took 0.40 s in one process, 0.54 s split with the processes'
# server running, 1.2 s with it starting; 2,000 took the same either way).
PROCESS_THRESHOLD = 2000
# The formats those processes convert (PDF needs Qt, in the caller's process).
PROCESS_FORMATS = frozenset(FORMAT_MODULES)


class ExportService:
    def __init__(
        self,
        uow: UowFactory,
        *,
        process_threshold: int = PROCESS_THRESHOLD,
        processes: int | None = None,
        chunk: int | None = None,
    ):
        """`process_threshold`: the size from which a folder export is converted by
        `processes` processes (default one per core; fewer than two converts in this
        process), `chunk` articles at a time."""
        self._uow = uow
        self.process_threshold = process_threshold
        self.processes = cores() if processes is None else processes
        self.chunk = chunk

    def article_data(self, article_id: int, *, images: bool = False) -> ArticleData:
        """The article as a partner gets it: no comments, bylines as they stood when published.
        `images`: with the figures' image bytes, as a folder export of Markdown or HTML."""
        with self._uow() as uow:
            a = uow.articles.get(article_id, full=True)
            if a is None:
                raise NotFound(f"no article with id {article_id}")
            return self._data(uow, a, images=images)

    def _data(
        self,
        uow: UnitOfWork,
        a: Article,
        *,
        images: bool = False,
        comments: bool = False,
        bylines: dict[int, object] | None = None,
    ) -> ArticleData:
        """`bylines`: the published bylines of a batch of articles, looked up together."""
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
            if bylines is None:
                bylines = uow.articles.published_bylines([a.id])
            snap = bylines.get(a.id)
            if isinstance(snap, list):
                authors = _snapshot_authors(snap)
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
                FigureData(
                    caption=f.caption,
                    credit=f.credit,
                    alt=f.alt,
                    anchor=f.anchor,
                    image=bytes(f.image) if images and f.image is not None else None,
                    image_mime=f.image_mime if images else None,
                    source_url=f.source_url,
                )
                for f in a.figures
            ),
            comments=self._approved_comments(uow, a.id) if comments else (),
            published_at=a.published_at,
            source_key=f"copydesk:{a.id}",
            kind=a.kind,
            updated_at=a.updated_at,
            revision=uow.articles.revision_count(a.id),
        )

    @staticmethod
    def _approved_comments(uow: UnitOfWork, article_id: int) -> tuple[CommentData, ...]:
        """Approved comments with their threads; no email, IP or user agent, ever."""
        rows = [c for c in uow.comments.of_article(article_id) if c.status == "approved"]
        ids = {c.id for c in rows}
        return tuple(
            CommentData(
                key=str(c.id),
                # Rows from before migration 0008 have no HTML: their body is cleaned now.
                body=c.body_html if c.body_html is not None else clean_comment_html(c.body),
                parent_key=str(c.parent_id) if c.parent_id in ids else None,
                author_name=c.author_name,
                author_url=clean_url(c.author_url),
                posted_at=c.posted_at,
                status="approved",
                kind=c.kind if c.kind in ("comment", "pingback", "trackback") else "comment",
            )
            for c in rows
        )

    def all_ids(self) -> list[int]:
        with self._uow() as uow:
            return uow.articles.all_ids()

    def _iter_data(
        self, ids: Sequence[int], *, images: bool, comments: bool
    ) -> Iterator[ArticleData]:
        """Articles one session-batch at a time, so ten thousand never sit in memory."""
        for start in range(0, len(ids), 200):
            chunk = ids[start : start + 200]
            with self._uow() as uow:
                articles = uow.articles.full_by_ids(chunk)
                if len(articles) != len(chunk):
                    missing = uow.articles.missing(chunk)
                    raise NotFound(f"no article with id {missing[0]}")
                bylines = uow.articles.published_bylines(
                    a.id for a in articles if a.status == "published"
                )
                for a in articles:
                    yield self._data(uow, a, images=images, comments=comments, bylines=bylines)
                uow.session.expunge_all()

    def _iter_rows(self, ids: Sequence[int], *, images: bool) -> Iterator[ArticleData]:
        """As `_iter_data` without comments, read as plain rows (`export_rows`): the same
        articles, 500 at a time, without building an ORM object for each part of them."""
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            with self._uow() as uow:
                rows = uow.articles.export_rows(chunk, images=images)
                if len(rows) != len(chunk):
                    missing = uow.articles.missing(chunk)
                    raise NotFound(f"no article with id {missing[0]}")
            for aid, row in zip(chunk, rows, strict=True):
                yield _row_data(aid, row, images=images)

    def export(
        self,
        ids: Sequence[int],
        fmt: str,
        target: Path,
        *,
        pdf: PdfWriter | None = None,
        site_url: str = "https://example.org",
        site_title: str = "Copydesk",
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = _never,
    ) -> list[Path]:
        """Write articles in a format: one file, or one file per article into a folder.

        WXR and JSON put every article into one file. Nothing replaces an existing file
        until the export is complete; a failed or cancelled export leaves the folder as it
        was.
        """
        if fmt not in EXPORT_FORMATS:
            raise InvalidInput(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
        if not ids:
            raise InvalidInput("no articles to export")
        with self._uow() as uow:
            missing = uow.articles.missing(ids)
            trashed = sorted(uow.articles.in_trash(ids))
        if missing:
            raise NotFound(f"no article with id {missing[0]}")
        if trashed:
            raise InvalidInput(f"article {trashed[0]} is in the Trash; restore it to export it")
        target = Path(target)
        own = UserFiles.of(self._uow)
        if fmt in ("wxr", "json"):
            if target.is_dir():
                target = target / f"copydesk-export{EXTENSIONS[fmt]}"
            own.check(target)

            def items() -> Iterator[ArticleData]:
                for n, data in enumerate(self._iter_data(ids, images=False, comments=True)):
                    if cancelled():
                        raise Cancelled("export cancelled; nothing was written")
                    if progress:
                        progress(n, len(ids), data.title)
                    yield data

            # Streamed into a temporary file: one article (with its comments) in memory.
            with atomic_writer(target) as fh:
                if fmt == "wxr":
                    from editor_app.formats.wxr import write_wxr_stream

                    # One pass for the header's authors and terms (no comments), one for the
                    # items.
                    write_wxr_stream(
                        self._iter_data(ids, images=False, comments=False),
                        items(),
                        fh,
                        site_url=site_url,
                        site_title=site_title,
                    )
                else:
                    from editor_app.formats.jsonbundle import write_bundle_json_to

                    text = io.TextIOWrapper(fh, encoding="utf-8", newline="\n")
                    try:
                        write_bundle_json_to(text, items())
                    finally:
                        text.detach()  # flushes; the file itself stays the writer's
            if progress:
                progress(len(ids), len(ids), "")
            return [target]
        one_file = len(ids) == 1 and not target.is_dir()
        if not one_file and not target.is_dir():
            raise InvalidInput("several articles go to a folder: give an existing folder")
        if fmt == "pdf" and pdf is None:
            raise InvalidInput("PDF export needs the Qt PDF writer")
        articles = self._iter_rows(ids, images=fmt != "ninjs")
        if one_file:
            own.check(target)
            data = next(iter(articles))
            if progress:
                progress(0, 1, data.title)
            if pdf is not None and fmt == "pdf":
                pdf(data, target)
            else:
                write_atomic(target, self.render(data, fmt, article_id=ids[0]))
            if progress:
                progress(1, 1, "")
            return [target]
        # Many files: all of them into a temporary folder, then into place together (see
        # `StagedFolder`); a failure or Cancel leaves the folder as it was.
        written: list[Path] = []
        check = own.checker(target)
        total = len(ids)
        with contextlib.ExitStack() as stack:
            stage = stack.enter_context(staged_folder(target))
            # (id, article, its file's bytes when converted already)
            files: Iterator[tuple[int, ArticleData, bytes | None]]
            if (
                fmt in PROCESS_FORMATS
                and self.processes > 1
                and total >= max(2, self.process_threshold)
                and getattr(self.render, "__func__", None) is ExportService.render  # not replaced
            ):
                # Converted by processes of their own (Cancel or a failure ends them): the
                # same files in the same order.
                pool = stack.enter_context(
                    ConversionPool(fmt, self.processes, chunk=self.chunk or CHUNK)
                )
                files = pool.convert(zip(ids, articles, strict=True), total, cancelled)
            else:
                files = ((aid, data, None) for aid, data in zip(ids, articles, strict=True))
            for n, (aid, data, payload) in enumerate(files):
                if cancelled():
                    raise Cancelled(
                        f"export cancelled after {n} of {total} articles; nothing was written"
                    )
                name = f"{data.slug or 'article'}{EXTENSIONS[fmt]}"
                check(name)
                if progress:
                    progress(n, total, data.title)
                if pdf is not None and fmt == "pdf":
                    pdf(data, stage.path(name))
                else:
                    stage.write(
                        name,
                        payload if payload is not None else self.render(data, fmt, article_id=aid),
                    )
                written.append(target / name)
        if progress:
            progress(total, total, "")
        return written

    def render(self, data: ArticleData, fmt: str, *, article_id: int = 0) -> str | bytes:
        return render(data, fmt, article_id=article_id)

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


def _snapshot_authors(snap: list[Any]) -> tuple[AuthorData, ...]:
    """The bylines a published article was published with (its snapshot's entries)."""
    return tuple(
        AuthorData(
            name=str(x.get("name", "")),
            byline_name=str(x.get("byline_name", "")),
            role=str(x.get("role", "")),
            bio=str(x.get("bio", "")),
        )
        for x in snap
        if isinstance(x, dict)
    )


def _row_data(article_id: int, row: ExportRow, *, images: bool) -> ArticleData:
    """An `ExportRow` as the formats take it: what `ExportService._data` makes of the ORM
    objects, field for field (a test holds the two equal)."""
    authors = tuple(
        AuthorData(name=name, byline_name=byline_name, role=role, bio=bio)
        for name, byline_name, role, bio in row.bylines
    )
    snap = row.published_bylines
    if row.status == "published" and isinstance(snap, list):
        authors = _snapshot_authors(snap)
    figures = []
    for f in row.figures:
        caption, credit, alt, anchor, source_url = f[:5]
        image, mime = (f[5], f[6]) if images else (None, None)
        figures.append(
            FigureData(
                caption=caption,
                credit=credit,
                alt=alt,
                anchor=anchor,
                image=bytes(image) if image is not None else None,
                image_mime=mime,
                source_url=source_url,
            )
        )
    return ArticleData(
        title=row.title,
        body_html=row.body_html,
        dek=row.dek,
        slug=row.slug,
        status=row.status,
        section=row.section,
        tags=row.tags,
        authors=authors,
        figures=tuple(figures),
        published_at=row.published_at,
        source_key=f"copydesk:{article_id}",
        kind=row.kind,
        updated_at=row.updated_at,
        revision=row.revisions,
    )
