"""The editor's use cases on both engines: saves, revisions, autosave, conflicts, diffs."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PIL import Image

from editor_app.domain.errors import InvalidInput, NotFound
from editor_app.domain.profile import ProfileInput, ValidationFailed
from editor_app.services.container import Services
from editor_app.services.editing import EditConflict, FigureDraft
from editor_app.store.database import Database

BODY = (
    "<p>The council met on <em>Tuesday</em>.</p>"
    "<blockquote><p>“We cannot wait,” said the harbour master.</p></blockquote>"
    "<h2>What comes next</h2><ul><li>A vote</li><li>A budget</li></ul>"
)


@pytest.fixture
def s(db_url: str) -> Iterator[Services]:
    db = Database(db_url)
    yield Services.build(db.uow)
    db.dispose()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def new_article(s: Services, **fields: object):  # type: ignore[no-untyped-def]
    author = s.authors.create(ProfileInput(name="Mara Lindqvist"))
    fields.setdefault("body_html", BODY)
    draft = replace(
        s.editor.new_draft(),
        title="Ferry pier vote",
        dek="A close call",
        tags=("harbour", "council"),
        section="City",
        author_ids=(author.id,),
        figures=(
            FigureDraft(
                None, "The pier", "Photo desk", "A wooden pier", 1, png(), "image/png", True
            ),
        ),
        **fields,
    )
    return s.editor.save(draft, actor="mara")


def test_save_and_open_give_the_same_article(s: Services) -> None:
    saved = new_article(s)
    d = s.editor.open(saved.draft.article_id or 0)
    assert (d.title, d.dek, d.slug, d.section) == (
        "Ferry pier vote",
        "A close call",
        "ferry-pier-vote",
        "City",
    )
    assert d.body_html == BODY
    assert set(d.tags) == {"harbour", "council"}
    (fig,) = d.figures
    assert (fig.caption, fig.credit, fig.alt, fig.anchor, fig.has_image) == (
        "The pier",
        "Photo desk",
        "A wooden pier",
        1,
        True,
    )
    assert s.editor.figure_image(fig.id or 0) == (png(), "image/png")
    detail = s.articles.detail(d.article_id or 0)
    assert [a.name for a in detail.authors] == ["Mara Lindqvist"]


def test_every_save_is_a_revision_with_every_field(s: Services) -> None:
    saved = new_article(s)
    aid = saved.draft.article_id or 0
    second = s.editor.save(
        replace(saved.draft, title="Ferry pier vote delayed", tags=("harbour",)), actor="ed"
    )
    revs = s.editor.revisions(aid)
    assert [r.saved_by for r in revs] == ["ed", "mara"]
    diffs = {f.field: f for f in s.editor.diff(aid, revs[1].id, revs[0].id)}
    assert set(diffs) == {"title", "tags"}  # the slug stays, as WordPress keeps it
    assert [(op.kind, op.text) for op in diffs["title"].ops if op.kind != "equal"] == [
        ("insert", " delayed")
    ]
    restored = s.editor.restore(aid, revs[1].id, actor="ed")
    assert restored.draft.title == "Ferry pier vote"
    assert s.editor.revisions(aid)[0].note == f"Restored revision {revs[1].id}"
    assert second.revision_id in [r.id for r in s.editor.revisions(aid)]


def test_a_stale_save_raises_a_conflict_with_theirs(s: Services) -> None:
    saved = new_article(s)
    mine = replace(saved.draft, dek="My dek")
    s.editor.save(replace(saved.draft, title="Their title"), actor="bo")
    with pytest.raises(EditConflict) as info:
        s.editor.save(mine, actor="ana")
    assert info.value.theirs.title == "Their title"
    assert "title" in info.value.changed_fields and "dek" in info.value.changed_fields
    assert s.editor.open(saved.draft.article_id or 0).title == "Their title"
    kept = s.editor.save_as_new_revision_over(mine, actor="ana")
    assert kept.draft.dek == "My dek" and kept.draft.title == "Ferry pier vote"
    notes = [r.note for r in s.editor.revisions(saved.draft.article_id or 0)]
    assert notes[0].startswith("Kept my version") and len(notes) == 3


def test_validation_names_the_field_and_saves_nothing(s: Services) -> None:
    saved = new_article(s)
    with pytest.raises(ValidationFailed) as info:
        s.editor.save(replace(s.editor.new_draft(), title="  "), actor="ed")
    assert info.value.errors[0].field == "title"
    with pytest.raises(ValidationFailed, match="slug"):
        s.editor.save(replace(s.editor.new_draft(), title="Ferry pier vote"), actor="ed")
    with pytest.raises(ValidationFailed, match="cannot go to published"):
        s.editor.save(replace(saved.draft, status="published"), actor="ed")
    assert s.articles.count() == 1


def test_bodies_are_sanitised_on_save(s: Services) -> None:
    saved = new_article(s)
    evil = '<p onclick="x()">Hi <a href="javascript:alert(1)">there</a><script>bad()</script></p>'
    d = s.editor.save(replace(saved.draft, body_html=evil), actor="ed").draft
    assert "onclick" not in d.body_html and "javascript" not in d.body_html
    assert "script" not in d.body_html and "Hi" in d.body_html


def test_autosave_of_a_never_saved_article_is_recoverable(s: Services) -> None:
    draft = replace(
        s.editor.new_draft(), title="Night market", body_html="<p>Stalls and lanterns.</p>"
    )
    s.editor.autosave(draft, actor="ana")
    (info,) = s.editor.recoverable(actor="ana")
    assert info.article_id is None and info.title == "Night market"
    assert {f.field for f in info.diff} >= {"title", "body"}
    back = s.editor.recover(info.draft_key)
    assert back.body_html == "<p>Stalls and lanterns.</p>"
    saved = s.editor.save(back, actor="ana")
    assert s.editor.recoverable(actor="ana") == ()  # a save clears its autosave
    assert saved.draft.article_id is not None


def test_autosave_newer_than_the_last_save_shows_the_difference(s: Services) -> None:
    saved = new_article(s)
    s.editor.autosave(replace(saved.draft, body_html=BODY + "<p>One more line.</p>"), actor="mara")
    (info,) = s.editor.recoverable(actor="mara")
    body = next(f for f in info.diff if f.field == "body")
    assert [op.text for op in body.ops if op.kind == "insert"] == ["\n\nOne more line."]
    s.editor.discard_autosave(info.draft_key)
    assert s.editor.recoverable(actor="mara") == ()


def test_hundreds_of_revisions_stay_fast(s: Services) -> None:
    words = " ".join(f"word{i}" for i in range(10_000))
    saved = new_article(s, body_html=f"<p>{words}</p>")
    d = saved.draft
    for i in range(120):
        d = s.editor.save(replace(d, dek=f"Dek {i}"), actor="ed").draft
    started = time.perf_counter()
    revs = s.editor.revisions(d.article_id or 0)
    listed = time.perf_counter() - started
    assert len(revs) == 121
    started = time.perf_counter()
    s.editor.diff(d.article_id or 0, revs[-1].id, revs[0].id)
    diffed = time.perf_counter() - started
    # Generous bounds: they catch loading every snapshot, not a slow machine.
    assert listed < 1.0 and diffed < 3.0


def test_dictionary_words_and_text_stats(s: Services) -> None:
    s.editor.add_dictionary_word("Avedian", actor="ed")
    s.editor.add_dictionary_word("Avedian", actor="ed")
    assert s.editor.dictionary_words() == ("Avedian",)
    stats = s.editor.text_stats("Բարեւ ձեզ. 我们的报纸")
    assert stats.words == 2 + 5
    with pytest.raises(NotFound):
        s.editor.open(4242)


def test_a_revision_diff_shows_a_new_link_and_a_heading(s: Services) -> None:
    first = new_article(s).draft
    changed = first.body_html.replace("Tuesday", '<a href="https://example.org/t">Tuesday</a>')
    changed = changed.replace("<h2>What comes next</h2>", "<h3>What comes next</h3>")
    s.editor.save(replace(first, body_html=changed), actor="ana")
    older, newer = sorted(r.id for r in s.editor.revisions(first.article_id))
    [body] = [d for d in s.editor.diff(first.article_id, older, newer) if d.field == "body"]
    marked = [(o.text, o.note) for o in body.ops if o.kind == "format"]
    assert marked == [
        ("Tuesday", "link to https://example.org/t"),
        ("", "Heading 2 → Heading 3"),
    ]


def test_spelling_language_and_my_author_are_kept_in_the_store(s: Services) -> None:
    assert s.editor.spelling_language() == "en_US"
    assert not s.editor.has_spelling_language()
    s.editor.set_spelling_language("en_GB", actor="ana")
    assert s.editor.spelling_language() == "en_GB"
    with pytest.raises(InvalidInput, match="unknown spelling language"):
        s.editor.set_spelling_language("klingon", actor="ana")
    assert s.editor.spelling_language() == "en_GB"

    author = s.authors.create(ProfileInput(name="Ana Ferreira"))
    assert s.editor.my_author("ana") is None
    s.editor.set_my_author("ana", author.id)
    assert s.editor.my_author("ana") == author.id
    assert s.editor.my_author("bo") is None
    with pytest.raises(NotFound):
        s.editor.set_my_author("ana", 999_999)
    assert s.editor.my_author("ana") == author.id
    s.editor.set_my_author("ana", None)
    assert s.editor.my_author("ana") is None
