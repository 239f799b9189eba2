"""Statuses of articles and comments, and the editorial workflow between them."""

from __future__ import annotations

from enum import StrEnum


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    EDITING = "editing"
    COPYEDIT = "copyedit"
    READY = "ready"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    SPIKED = "spiked"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class CommentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    TRASH = "trash"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Where an article may go from each status. Spiking is possible from anywhere short of
# publication, and a spiked piece can be revived as a draft.
_WORKFLOW: dict[ArticleStatus, frozenset[ArticleStatus]] = {
    ArticleStatus.DRAFT: frozenset({ArticleStatus.EDITING, ArticleStatus.SPIKED}),
    ArticleStatus.EDITING: frozenset(
        {ArticleStatus.DRAFT, ArticleStatus.COPYEDIT, ArticleStatus.SPIKED}
    ),
    ArticleStatus.COPYEDIT: frozenset(
        {ArticleStatus.EDITING, ArticleStatus.READY, ArticleStatus.SPIKED}
    ),
    ArticleStatus.READY: frozenset(
        {
            ArticleStatus.COPYEDIT,
            ArticleStatus.SCHEDULED,
            ArticleStatus.PUBLISHED,
            ArticleStatus.SPIKED,
        }
    ),
    ArticleStatus.SCHEDULED: frozenset(
        {ArticleStatus.READY, ArticleStatus.PUBLISHED, ArticleStatus.SPIKED}
    ),
    ArticleStatus.PUBLISHED: frozenset({ArticleStatus.EDITING}),
    ArticleStatus.SPIKED: frozenset({ArticleStatus.DRAFT}),
}


def allowed_transitions(status: ArticleStatus) -> frozenset[ArticleStatus]:
    return _WORKFLOW[status]


def can_move(src: ArticleStatus, dst: ArticleStatus) -> bool:
    return src == dst or dst in _WORKFLOW[src]
