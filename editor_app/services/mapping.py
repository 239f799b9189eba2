"""ORM rows to frozen DTOs, inside the unit of work, while the session is open."""

from __future__ import annotations

from editor_app.domain.text import byline
from editor_app.services.dto import (
    ArticleRow,
    AuthorBrief,
    CommentRow,
    FigureView,
)
from editor_app.store.models import Article, Author, Comment, Figure


def byline_of(article: Article) -> str:
    return byline([b.author.byline_name or b.author.name for b in article.bylines])


def article_row(article: Article, counts: dict[int, tuple[int, int]]) -> ArticleRow:
    total, pending = counts.get(article.id, (0, 0))
    return ArticleRow(
        id=article.id,
        title=article.title,
        status=article.status,
        byline=byline_of(article),
        comments=total,
        pending=pending,
        updated_at=article.updated_at,
        deleted_at=article.deleted_at,
    )


def author_brief(author: Author) -> AuthorBrief:
    return AuthorBrief(id=author.id, name=author.name, role=author.role, bio=author.bio)


def figure_view(figure: Figure) -> FigureView:
    return FigureView(
        id=figure.id,
        caption=figure.caption,
        credit=figure.credit,
        alt=figure.alt,
        anchor=figure.anchor,
        has_image=figure.image_mime is not None,
    )


def comment_row(comment: Comment, titles: dict[int, str]) -> CommentRow:
    return CommentRow(
        id=comment.id,
        article_id=comment.article_id,
        article_title=titles.get(comment.article_id, ""),
        parent_id=comment.parent_id,
        author_name=comment.author_name,
        status=comment.status,
        score=comment.score,
        reasons=tuple(comment.reasons or ()),
        body=comment.body,
        posted_at=comment.posted_at,
        kind=comment.kind,
        version=comment.version,
        commenter_key=comment.commenter_key,
        author_email=comment.author_email,
        author_url=comment.author_url,
        author_ip=comment.author_ip,
        edited_by=comment.edited_by,
        original_body=comment.original_body,
        body_original=comment.body_original,
    )
