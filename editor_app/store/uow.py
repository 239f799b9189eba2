"""The unit of work: one session for one user action, rolled back unless committed."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from editor_app.domain.errors import Conflict, Contended, StoreError
from editor_app.store.bulk import BulkWriter
from editor_app.store.engine import store_files
from editor_app.store.repositories import (
    ArticleRepository,
    AuthorRepository,
    CommentRepository,
    SearchRepository,
    SettingsRepository,
)
from editor_app.store.sites import SiteRepository


class UnitOfWork:
    """Opens a session on enter; `commit()` makes the work stick, leaving rolls it back."""

    session: Session
    articles: ArticleRepository
    bulk: BulkWriter
    authors: AuthorRepository
    comments: CommentRepository
    search: SearchRepository
    settings: SettingsRepository
    sites: SiteRepository

    def __init__(self, session_factory: sessionmaker[Session], store_files: tuple[Path, ...] = ()):
        self._factory = session_factory
        # The store's own files on disk (SQLite), which no import or export may touch.
        self.store_files = store_files

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.articles = ArticleRepository(self.session)
        self.bulk = BulkWriter(self.session)
        self.authors = AuthorRepository(self.session)
        self.comments = CommentRepository(self.session)
        self.search = SearchRepository(self.session)
        self.settings = SettingsRepository(self.session)
        self.sites = SiteRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        except DBAPIError:
            pass  # the connection is gone; closing below discards it
        finally:
            self.session.close()
        if isinstance(exc, StaleDataError):
            # Another workstation saved the same row between our read and our write.
            raise Conflict(
                "someone else saved this at the same moment; reload to see their change",
                current_version=-1,
            ) from exc
        if isinstance(exc, DBAPIError) and _unreachable(exc):
            # A dropped server is something the user can act on (wait, retry), not a bug.
            raise StoreError(
                f"lost the connection to the store ({_first_line(exc.orig)}); "
                "nothing was saved, your work is kept: try again when it is back"
            ) from exc
        if isinstance(exc, OperationalError) and _busy(exc):
            raise StoreError(BUSY) from exc
        if isinstance(exc, DBAPIError) and _contended(exc):
            raise Contended(CONTENDED) from exc

    def flush(self) -> None:
        self.session.flush()

    def commit(self) -> None:
        self.bulk.reset()
        try:
            self.session.commit()
        except StaleDataError as exc:
            self.session.rollback()
            raise Conflict("someone else saved this first", current_version=-1) from exc
        except OperationalError as exc:
            with contextlib.suppress(DBAPIError):
                self.session.rollback()
            if _unreachable(exc):
                raise StoreError(
                    f"lost the connection to the store ({_first_line(exc.orig)}); "
                    "nothing was saved, your work is kept: try again when it is back"
                ) from exc
            if _busy(exc):
                raise StoreError(BUSY) from exc
            if _contended(exc):
                raise Contended(CONTENDED) from exc
            raise StoreError(f"the store refused the change: {_first_line(exc.orig)}") from exc

    def rollback(self) -> None:
        self.bulk.reset()
        self.session.rollback()


UowFactory = Callable[[], UnitOfWork]


def make_uow_factory(engine: Engine) -> UowFactory:
    factory = sessionmaker(engine, expire_on_commit=False)
    files = store_files(engine)
    return lambda: UnitOfWork(factory, files)


def _first_line(orig: object) -> str:
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


# SQLite has one writer at a time: a long import holds the store until it commits.
BUSY = (
    "the store is busy with another change (an import still running?); "
    "nothing was saved, your work is kept: try again when it is done"
)


def _busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


CONTENDED = (
    "another workstation changed the same rows at the same moment; nothing was saved: try again"
)


def _contended(exc: DBAPIError) -> bool:
    """PostgreSQL broke a deadlock (40P01) or a serialisation failure (40001): retryable."""
    return getattr(exc.orig, "sqlstate", None) in ("40P01", "40001")


def _unreachable(exc: DBAPIError) -> bool:
    """A lost or refused connection, as opposed to a constraint or a bad query."""
    if exc.connection_invalidated:
        return True
    text = str(exc.orig).lower()
    return any(
        s in text
        for s in (
            "connection refused",
            "server closed the connection",
            "terminating connection",
            "connection is closed",
            "could not connect",
            "connection timed out",
            "consuming input failed",
            "the connection is lost",
        )
    )
