"""The services of one store, built once by app.py or the command line."""

from __future__ import annotations

from dataclasses import dataclass, field

from editor_app.services.articles import ArticleService
from editor_app.services.authors import AuthorService
from editor_app.services.comments import CommentService
from editor_app.services.dto import Counts
from editor_app.services.editing import EditorService
from editor_app.services.exports import ExportService
from editor_app.services.files import UserFiles
from editor_app.services.importing import ImportService
from editor_app.services.moderation import ModerationService, ScorerHolder
from editor_app.services.quotes import QuoteService
from editor_app.services.search import SearchService
from editor_app.services.style import StyleService
from editor_app.store.uow import UowFactory


@dataclass(frozen=True)
class Services:
    uow: UowFactory
    articles: ArticleService
    authors: AuthorService
    comments: CommentService
    imports: ImportService
    search: SearchService
    exports: ExportService
    moderation: ModerationService
    editor: EditorService
    quotes: QuoteService
    style: StyleService
    # The user's files (pictures, pages, CSV) read and written through a check that they are
    # not the store's own.
    files: UserFiles = field(default_factory=UserFiles)

    @classmethod
    def build(cls, uow: UowFactory, scorer: ScorerHolder | None = None) -> Services:
        moderation = ModerationService(uow, scorer or ScorerHolder())
        return cls(
            uow=uow,
            articles=ArticleService(uow),
            authors=AuthorService(uow),
            comments=CommentService(uow),
            imports=ImportService(uow, moderation),
            moderation=moderation,
            editor=EditorService(uow),
            search=SearchService(uow),
            exports=ExportService(uow),
            files=UserFiles.of(uow),
            quotes=QuoteService(uow),
            style=StyleService(uow),
        )

    def counts(self) -> Counts:
        with self.uow() as uow:
            return Counts(
                articles=uow.articles.count(),
                authors=uow.authors.count(),
                comments=uow.comments.counts_by_status(),
            )
