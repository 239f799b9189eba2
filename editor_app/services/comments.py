"""Comment queues, threads and the basic moderation actions, each one audited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from editor_app.domain.errors import InvalidInput, NotFound
from editor_app.domain.statuses import CommentStatus
from editor_app.services.dto import (
    CommentContext,
    CommentFilter,
    CommentNode,
    CommentRow,
    Page,
)
from editor_app.services.mapping import article_row, comment_row
from editor_app.store.models import ModerationAction
from editor_app.store.repositories import Cursor
from editor_app.store.uow import UnitOfWork, UowFactory

_ACTION_OF = {
    CommentStatus.APPROVED: "approve",
    CommentStatus.PENDING: "hold",
    CommentStatus.SPAM: "spam",
    CommentStatus.TRASH: "trash",
}


def build_tree(rows: list[CommentRow]) -> tuple[CommentNode, ...]:
    """Nest comments under their parents; a comment whose parent is gone stands at the top."""
    ids = {r.id for r in rows}
    children: dict[int | None, list[CommentRow]] = defaultdict(list)
    for r in rows:
        children[r.parent_id if r.parent_id in ids else None].append(r)

    # Depth-first order without recursion (a reply chain may be thousands deep), then nodes
    # built from the deepest up, so each node's replies exist before it does.
    order: list[CommentRow] = []
    stack = list(reversed(children[None]))
    while stack:
        r = stack.pop()
        order.append(r)
        stack.extend(reversed(children.get(r.id, [])))
    built: dict[int, CommentNode] = {}
    for r in reversed(order):
        built[r.id] = CommentNode(r, tuple(built.pop(c.id) for c in children.get(r.id, [])))
    return tuple(built[r.id] for r in children[None])


def walk(nodes: tuple[CommentNode, ...]) -> Iterator[tuple[CommentNode, int]]:
    """Each node of a thread with its depth, in reading order, without recursion."""
    stack = [(n, 0) for n in reversed(nodes)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((r, depth + 1) for r in reversed(node.replies))


class CommentService:
    def __init__(self, uow: UowFactory):
        self._uow = uow

    def page(
        self, flt: CommentFilter, *, after: Cursor | None = None, limit: int = 200
    ) -> Page[CommentRow]:
        with self._uow() as uow:
            comments = uow.comments.page(flt, after=after, limit=limit)
            titles = uow.articles.titles(c.article_id for c in comments)
            rows = tuple(comment_row(c, titles) for c in comments)
        cursor: tuple[Any, int] | None = None
        if len(rows) == limit:
            last = rows[-1]
            cursor = (last.score, last.id) if flt.order == "risk" else (last.posted_at, last.id)
        return Page(rows, cursor)

    def count(self, status: str | None = None) -> int:
        with self._uow() as uow:
            return uow.comments.count(status=status)

    def count_matching(self, flt: CommentFilter) -> int:
        """How many comments a queue with these filters holds (e.g. Held by rules)."""
        with self._uow() as uow:
            return uow.comments.count_matching(flt)

    def article_choices(self) -> tuple[tuple[int, str], ...]:
        with self._uow() as uow:
            return tuple(uow.comments.article_choices())

    def counts(self) -> dict[str, int]:
        with self._uow() as uow:
            found = uow.comments.counts_by_status()
        return {s.value: found.get(s.value, 0) for s in CommentStatus}

    def get(self, comment_id: int) -> CommentRow:
        with self._uow() as uow:
            c = uow.comments.get(comment_id)
            if c is None:
                raise NotFound(f"no comment with id {comment_id}")
            return comment_row(c, uow.articles.titles([c.article_id]))

    def tree(self, article_id: int) -> tuple[CommentNode, ...]:
        with self._uow() as uow:
            comments = uow.comments.of_article(article_id)
            titles = uow.articles.titles([article_id])
            rows = [comment_row(c, titles) for c in comments]
        return build_tree(rows)

    def context(self, comment_id: int) -> CommentContext:
        with self._uow() as uow:
            c = uow.comments.get(comment_id)
            if c is None:
                raise NotFound(f"no comment with id {comment_id}")
            titles = uow.articles.titles([c.article_id])
            ancestors: list[CommentRow] = []
            seen = {c.id}
            parent_id = c.parent_id
            while parent_id is not None and parent_id not in seen:
                parent = uow.comments.get(parent_id)
                if parent is None:
                    break
                seen.add(parent.id)
                ancestors.append(comment_row(parent, titles))
                parent_id = parent.parent_id
            replies = self._subtree(uow, c.id, titles)
            article = uow.articles.get(c.article_id)
            counts = uow.articles.comment_counts([c.article_id])
            return CommentContext(
                comment=comment_row(c, titles),
                ancestors=tuple(reversed(ancestors)),
                replies=replies,
                article=article_row(article, counts) if article else None,
            )

    def _subtree(
        self, uow: UnitOfWork, parent_id: int, titles: dict[int, str]
    ) -> tuple[CommentNode, ...]:
        """Every reply below a comment, however deep, read level by level (no recursion)."""
        rows: list[CommentRow] = []
        seen = {parent_id}
        stack = [parent_id]
        while stack:
            for ch in uow.comments.children(stack.pop()):
                if ch.id not in seen:
                    seen.add(ch.id)
                    rows.append(comment_row(ch, titles))
                    stack.append(ch.id)
        # The direct replies' parent is not among the rows: build_tree puts them at the top.
        return build_tree(rows)

    def set_status(
        self, ids: list[int], status: str, *, actor: str, reason: str = ""
    ) -> list[CommentRow]:
        """Move comments to a queue, all or none; every change lands in the audit log."""
        try:
            target = CommentStatus(status)
        except ValueError:
            raise InvalidInput(
                f"unknown comment status {status!r}; use one of "
                + ", ".join(s.value for s in CommentStatus)
            ) from None
        with self._uow() as uow:
            changed = []
            for cid in ids:
                c = uow.comments.get(cid)
                if c is None:
                    raise NotFound(f"no comment with id {cid}")
                if c.status != target.value:
                    uow.comments.add_action(
                        ModerationAction(
                            comment_id=c.id,
                            actor=actor,
                            action=_ACTION_OF[target],
                            from_status=c.status,
                            to_status=target.value,
                            reason=reason,
                        )
                    )
                    c.status = target.value
                changed.append(c)
            uow.flush()
            titles = uow.articles.titles(c.article_id for c in changed)
            rows = [comment_row(c, titles) for c in changed]
            uow.commit()
        return rows
