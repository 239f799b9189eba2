"""The house style of a store: its sheet (versioned, with who and when), checks and ignores.

The sheet is a store setting, so every workstation on a shared store checks against the same
rules; each save keeps the text it replaced. "Ignore in this piece" is remembered per article,
also as a setting, so it follows the piece from one workstation to the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import yaml

from editor_app.copydesk.style import (
    Issue,
    SheetError,
    StyleSheet,
    check_body,
    default_sheet_text,
    parse_sheet,
)
from editor_app.domain.errors import Conflict, InvalidInput, NotFound
from editor_app.domain.statuses import ArticleStatus
from editor_app.store.models import Setting
from editor_app.store.uow import UnitOfWork, UowFactory

__all__ = ["Issue", "SheetInfo", "StyleReport", "StyleService"]

STYLE_KEY = "house_style"
IGNORE_PREFIX = "style_ignores:"
_HISTORY = 20


@dataclass(frozen=True)
class SheetVersion:
    text: str
    saved_by: str
    saved_at: str  # ISO time


@dataclass(frozen=True)
class SheetInfo:
    text: str
    version: int  # 0: the shipped default, never saved in this store
    updated_by: str
    updated_at: datetime | None
    history: tuple[SheetVersion, ...]  # earlier texts, newest first


@dataclass(frozen=True)
class StyleReport:
    article_id: int
    title: str
    status: str
    issues: tuple[Issue, ...]
    ignored: int  # findings the desk chose to ignore in this piece


def names_of(text: str) -> list[dict[str, Any]]:
    """The sheet's preferred names, kept beside its text for the quote ledger's people list."""
    data = yaml.safe_load(text) or {}
    names = data.get("names") if isinstance(data, dict) else None
    if not isinstance(names, list):
        return []
    return [
        {"use": str(n["use"]), "flag": [str(f) for f in (n.get("flag") or [])]}
        for n in names
        if isinstance(n, dict) and "use" in n
    ]


class StyleService:
    def __init__(self, uow: UowFactory):
        self._uow = uow

    # The sheet ---------------------------------------------------------------------------

    def sheet_info(self) -> SheetInfo:
        with self._uow() as uow:
            return self._info(uow)

    @staticmethod
    def _info(uow: UnitOfWork) -> SheetInfo:
        row = uow.settings.get(STYLE_KEY)
        if row is None:
            return SheetInfo(default_sheet_text(), 0, "", None, ())
        history = row.value.get("history")
        return SheetInfo(
            text=str(row.value.get("yaml", "")),
            version=row.version,
            updated_by=row.updated_by,
            updated_at=row.updated_at,
            history=tuple(
                SheetVersion(str(h.get("yaml", "")), str(h.get("by", "")), str(h.get("at", "")))
                for h in (history if isinstance(history, list) else [])
                if isinstance(h, dict)
            ),
        )

    def sheet(self) -> StyleSheet:
        return parse_sheet(self.sheet_info().text)

    def save_sheet(
        self, text: str, *, actor: str, expected_version: int | None = None
    ) -> SheetInfo:
        """Replace the sheet; a sheet that cannot be used is refused and nothing changes."""
        try:
            parse_sheet(text)
        except SheetError as exc:
            raise InvalidInput(str(exc)) from None
        with self._uow() as uow:
            row = uow.settings.get(STYLE_KEY)
            current = row.version if row else 0
            if expected_version is not None and expected_version != current:
                who = row.updated_by if row else ""
                raise Conflict(
                    f"the house style was changed by {who or 'someone else'} meanwhile",
                    current_version=current,
                    saved_by=who,
                )
            now = datetime.now(UTC)
            if row is None:
                history: list[dict[str, str]] = []
                row = Setting(key=STYLE_KEY, value={}, updated_by=actor)
                uow.settings.add(row)
            else:
                old = row.value.get("history")
                history = list(old) if isinstance(old, list) else []
                history.insert(
                    0,
                    {
                        "yaml": str(row.value.get("yaml", "")),
                        "by": row.updated_by,
                        "at": row.updated_at.isoformat() if row.updated_at else "",
                    },
                )
            row.value = {"yaml": text, "names": names_of(text), "history": history[:_HISTORY]}
            row.updated_by = actor
            row.updated_at = now
            uow.flush()
            uow.commit()
            return self._info(uow)

    # Checks ------------------------------------------------------------------------------

    def check_body(self, body_html: str, *, article_id: int | None = None) -> tuple[Issue, ...]:
        """The findings in a body as it stands (the editor's text), less the ignored ones."""
        with self._uow() as uow:
            sheet = parse_sheet(self._info(uow).text)
            ignored = self._ignored(uow, article_id) if article_id is not None else frozenset()
        return tuple(check_body(body_html, sheet, ignored=ignored))

    def report(self, article_id: int) -> StyleReport:
        with self._uow() as uow:
            article = uow.articles.get(article_id)
            if article is None:
                raise NotFound(f"no article with id {article_id}")
            sheet = parse_sheet(self._info(uow).text)
            return self._report(
                uow, sheet, article.id, article.title, article.status, article.body_html
            )

    def reports_in_status(self, status: str) -> Iterator[StyleReport]:
        """A report for every piece in a workflow status, newest change first."""
        if status not in {s.value for s in ArticleStatus}:
            choices = ", ".join(s.value for s in ArticleStatus)
            raise InvalidInput(f"unknown status {status!r}; use one of {choices}")
        with self._uow() as uow:
            sheet = parse_sheet(self._info(uow).text)
            after = None
            while True:
                page = uow.articles.page(status=status, after=after, limit=100)
                for a in page:
                    yield self._report(uow, sheet, a.id, a.title, a.status, a.body_html)
                if len(page) < 100:
                    return
                after = (page[-1].updated_at, page[-1].id)

    def _report(
        self,
        uow: UnitOfWork,
        sheet: StyleSheet,
        article_id: int,
        title: str,
        status: str,
        body: str,
    ) -> StyleReport:
        ignored = self._ignored(uow, article_id)
        every = check_body(body, sheet)
        kept = tuple(i for i in every if i.key not in ignored)
        return StyleReport(article_id, title, status, kept, len(every) - len(kept))

    # Ignore in this piece ----------------------------------------------------------------

    @staticmethod
    def _ignored(uow: UnitOfWork, article_id: int) -> frozenset[str]:
        row = uow.settings.get(f"{IGNORE_PREFIX}{article_id}")
        keys = row.value.get("keys") if row is not None else None
        return frozenset(str(k) for k in keys) if isinstance(keys, list) else frozenset()

    def ignored(self, article_id: int) -> frozenset[str]:
        with self._uow() as uow:
            return self._ignored(uow, article_id)

    def set_ignored(self, article_id: int, key: str, ignore: bool, *, actor: str) -> frozenset[str]:
        """Remember (or forget) that `key` is fine in this piece."""
        with self._uow() as uow:
            if uow.articles.get(article_id) is None:
                raise NotFound(f"no article with id {article_id}")
            name = f"{IGNORE_PREFIX}{article_id}"
            row = uow.settings.get(name)
            keys = set(self._ignored(uow, article_id))
            if ignore:
                keys.add(key)
            else:
                keys.discard(key)
            if row is None:
                row = Setting(key=name, value={}, updated_by=actor)
                uow.settings.add(row)
            row.value = {"keys": sorted(keys)}
            row.updated_by = actor
            row.updated_at = datetime.now(UTC)
            uow.flush()
            uow.commit()
            return frozenset(keys)
