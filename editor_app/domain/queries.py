"""What a comment queue shows: the filters and the order a moderator picked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

SORTS = ("newest", "oldest", "risk")


@dataclass(frozen=True)
class CommentFilter:
    status: str | None = None
    article_id: int | None = None
    search: str = ""
    # Kept for callers that only choose the direction; `sort` wins when it is set.
    newest_first: bool = True
    sort: str = ""
    commenter: str = ""
    since: datetime | None = None
    until: datetime | None = None
    min_score: float | None = None
    max_score: float | None = None
    reason: str = ""
    # Pending comments that a rule or the score held (WordPress has no such queue; Coral does).
    held_only: bool = False

    @property
    def order(self) -> str:
        if self.sort in SORTS:
            return self.sort
        return "newest" if self.newest_first else "oldest"
