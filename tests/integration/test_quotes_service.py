"""The quote ledger against the store: integrity since publication, other pieces, people."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from editor_app.domain.errors import NotFound
from editor_app.domain.profile import ProfileInput
from editor_app.services.container import Services
from editor_app.store.database import Database

BODY = (
    "<p>The harbour board met on Tuesday.</p>"
    "<p>\u201cWe will open the east gate before the winter storms arrive,\u201d "
    "board chair Miriam Osei said on Tuesday.</p>"
    "<p>\u201cThe levy stays where it is,\u201d she said.</p>"
)


@pytest.fixture
def s(db_url: str) -> Iterator[Services]:
    db = Database(db_url)
    yield Services.build(db.uow)
    db.dispose()


def _publish(s: Services, body: str, title: str = "Gate vote") -> int:
    author = s.authors.create(ProfileInput(name="Mara Lindqvist"))
    draft = replace(s.editor.new_draft(), title=title, body_html=body, author_ids=(author.id,))
    saved = s.editor.save(draft, actor="mara")
    article_id = saved.draft.article_id
    assert article_id is not None
    for status in ("editing", "copyedit", "ready", "published"):
        s.articles.set_status(article_id, status, actor="desk")
    return article_id


def test_a_quote_changed_after_publication_shows_its_diff_and_who(s: Services) -> None:
    article_id = _publish(s, BODY)
    assert all(not q.flags for q in s.quotes.ledger(article_id).quotes)
    # A later save (the piece stays live) changes the words of the first quote.
    draft = s.editor.open(article_id)
    edited = draft.body_html.replace("before the winter storms", "before the spring tides")
    s.editor.save(replace(draft, body_html=edited), actor="rowan")
    ledger = s.quotes.ledger(article_id)
    assert ledger.published_revision_id is not None
    first, second = ledger.quotes
    (changed,) = [f for f in first.flags if f.kind == "changed"]
    assert changed.by.startswith("rowan (")
    assert changed.old_text.startswith("We will open the east gate before the winter storms")
    assert "before the [-winter-]{+spring+} [-storms-]{+tides+} arrive," in changed.message
    assert not second.flags
    # Words typed in the editor and not yet saved: the change is nobody's save yet.
    unsaved = edited.replace("levy stays where it is", "levy stays exactly where it is")
    live = s.quotes.ledger(article_id, body_html=unsaved)
    assert [f.by for f in live.quotes[1].flags if f.kind == "changed"] == ["unsaved edits"]


def test_a_piece_never_published_has_no_integrity_flags(s: Services) -> None:
    author = s.authors.create(ProfileInput(name="Mara Lindqvist"))
    draft = replace(s.editor.new_draft(), title="Draft", body_html=BODY, author_ids=(author.id,))
    article_id = s.editor.save(draft, actor="mara").draft.article_id
    ledger = s.quotes.ledger(article_id)
    assert ledger.published_revision_id is None
    assert [q.speaker for q in ledger.quotes] == ["Miriam Osei", "Miriam Osei"]


def test_a_quote_two_pieces_carry_with_different_words(s: Services) -> None:
    first = _publish(s, BODY)
    other_body = BODY.replace("before the winter storms arrive", "before winter storms arrive")
    author = s.authors.create(ProfileInput(name="Tom Reyes"))
    draft = replace(
        s.editor.new_draft(), title="Gate follow-up", body_html=other_body, author_ids=(author.id,)
    )
    second = s.editor.save(draft, actor="tom").draft.article_id
    quotes = s.quotes.ledger(second).quotes
    (flag,) = [f for f in quotes[0].flags if f.kind == "differs_elsewhere"]
    assert flag.article_id == first
    assert "Gate vote" in flag.message and "[-the -]" in flag.message
    # The identical second quote is not flagged.
    assert not [f for f in quotes[1].flags if f.kind == "differs_elsewhere"]
    # Once the first piece carries the same words, the flag goes (its new version is read).
    draft = s.editor.open(first)
    s.editor.save(replace(draft, body_html=other_body), actor="mara")
    again = s.quotes.ledger(second).quotes
    assert not [f for q in again for f in q.flags if f.kind == "differs_elsewhere"]


def test_speaker_against_the_store_people_list(s: Services) -> None:
    s.authors.create(ProfileInput(name="Miriam Osei-Mensah"))
    s.authors.create(ProfileInput(name="Miriam Oseii"))
    article_id = _publish(s, BODY)
    flags = [f.message for f in s.quotes.ledger(article_id).quotes[0].flags]
    assert any("Oseii" in m for m in flags)


def test_unknown_article_is_a_clear_error(s: Services) -> None:
    with pytest.raises(NotFound, match="no article with id 999"):
        s.quotes.ledger(999)
