"""A reply chain hundreds deep shows in the moderation detail and the article's thread view."""

from __future__ import annotations

from pathlib import Path

from editor_app.services.container import Services
from editor_app.services.importing import ImportOptions
from editor_app.store.database import Database
from editor_app.ui.article_html import comment_context_html
from editor_app.ui.moderation.html import MAX_INDENT, detail_html

COLOURS = {
    "accent": "#c00",
    "base": "#fff",
    "box": "#eee",
    "box_border": "#ccc",
    "muted": "#888",
    "placeholder": "#999",
}
DEPTH = 600


def _deep_wxr(path: Path) -> None:
    comments = "".join(
        f"<wp:comment><wp:comment_id>{i}</wp:comment_id>"
        f"<wp:comment_author>R{i}</wp:comment_author>"
        f"<wp:comment_content>reply {i}</wp:comment_content>"
        f"<wp:comment_parent>{i - 1 if i > 1 else 0}</wp:comment_parent></wp:comment>"
        for i in range(1, DEPTH + 1)
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0"'
        ' xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>S</title>'
        "<wp:wxr_version>1.2</wp:wxr_version><item><title>Deep</title>"
        "<wp:post_id>1</wp:post_id><wp:status>publish</wp:status>"
        f"<wp:post_type>post</wp:post_type>{comments}</item></channel></rss>",
        encoding="utf-8",
    )


def test_every_reply_of_a_600_deep_chain_shows_with_bounded_indentation(
    db: Database, tmp_path: Path
) -> None:
    s = Services.build(db.uow)
    path = tmp_path / "deep.xml"
    _deep_wxr(path)
    (aid,) = s.imports.import_paths([path], ImportOptions(comments_status="approved")).article_ids
    tree = s.comments.tree(aid)
    ids = []
    node = tree[0]
    while True:
        ids.append(node.comment.id)
        if not node.replies:
            break
        node = node.replies[0]
    assert len(ids) == DEPTH
    top = s.comments.context(ids[0])
    page = detail_html(top, [], COLOURS, "#ff0")
    assert all(f"reply {i}<" in page for i in (1, 2, 300, DEPTH))
    assert f"margin-left:{(MAX_INDENT + 1) * 22}px" not in page
    bottom = s.comments.context(ids[-1])
    assert len(bottom.ancestors) == DEPTH - 1
    article_view = comment_context_html(bottom, COLOURS)
    assert all(f"reply {i}" in article_view for i in (1, 300, DEPTH))
    middle = comment_context_html(s.comments.context(ids[DEPTH // 2]), COLOURS)
    assert f"reply {DEPTH}" in middle and "reply 1<" in middle
