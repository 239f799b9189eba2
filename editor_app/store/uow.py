"""The unit of work: one session for one user action, rolled back unless committed."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from editor_app.domain.errors import Conflict, StoreError
from editor_app.store.repositories import (
    ArticleRepository,
    AuthorRepository,
    CommentRepository,
    SearchRepository,
    SettingsRepository,
)


class UnitOfWork:
    """Opens a session on enter; `commit()` makes the work stick, leaving rolls it back."""

    session: Session
    articles: ArticleRepository
    authors: AuthorRepository
    comments: CommentRepository
    search: SearchRepository
    settings: SettingsRepository

    def __init__(self, session_factory: sessionmaker[Session]):
        self._factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.articles = ArticleRepository(self.session)
        self.authors = AuthorRepository(self.session)
        self.comments = CommentRepository(self.session)
        self.search = SearchRepository(self.session)
        self.settings = SettingsRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def flush(self) -> None:
        self.session.flush()

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError as exc:
            self.session.rollback()
            raise Conflict("someone else saved this first", current_version=-1) from exc
        except OperationalError as exc:
            self.session.rollback()
            raise StoreError(f"the store refused the change: {exc.orig}") from exc

    def rollback(self) -> None:
        self.session.rollback()


UowFactory = Callable[[], UnitOfWork]


def make_uow_factory(engine: Engine) -> UowFactory:
    factory = sessionmaker(engine, expire_on_commit=False)
    return lambda: UnitOfWork(factory)
