"""Moderators see what a reader really sent when the import cleaned it."""

from __future__ import annotations

from pathlib import Path

from editor_app.services.container import Services
from editor_app.store.database import Database
from editor_app.ui.moderation.html import detail_html

COLOURS = {"accent": "#c00", "base": "#fff", "box": "#eee", "box_border": "#ccc", "muted": "#888"}


def test_the_detail_pane_shows_the_cleaned_comment_and_its_original_escaped(
    db: Database, tmp_path: Path
) -> None:
    s = Services.build(db.uow)
    path = tmp_path / "c.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0"'
        ' xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>S</title>'
        "<wp:wxr_version>1.2</wp:wxr_version><item><title>Post</title>"
        "<wp:post_id>1</wp:post_id><wp:status>publish</wp:status><wp:post_type>post"
        "</wp:post_type><wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>"
        "<![CDATA[Hello <script>alert(1)</script><b>there</b>]]></wp:comment_content>"
        "</wp:comment><wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_content>"
        "Plain words</wp:comment_content></wp:comment></item></channel></rss>",
        encoding="utf-8",
    )
    (aid,) = s.imports.import_paths([path]).article_ids
    first, second = (n.comment for n in s.comments.tree(aid))
    page = detail_html(s.comments.context(first.id), [], COLOURS, "#ff0")
    assert "Hello there" in page
    assert "Cleaned on import; original:" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page
    plain = detail_html(s.comments.context(second.id), [], COLOURS, "#ff0")
    assert "Cleaned on import" not in plain
