"""The store's house style: its sheet versions, reports per piece and per status, ignores."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from editor_app.domain.errors import Conflict, InvalidInput, NotFound
from editor_app.domain.profile import ProfileInput
from editor_app.services.container import Services
from editor_app.store.database import Database

BODY = "<p>President Erdogan sent an e-mail on July 25th.</p><p>Irregardless, 3 ships sailed.</p>"


@pytest.fixture
def s(db_url: str) -> Iterator[Services]:
    db = Database(db_url)
    yield Services.build(db.uow)
    db.dispose()


def _article(s: Services, body: str = BODY, title: str = "Ships") -> int:
    author = s.authors.create(ProfileInput(name="Mara Lindqvist"))
    draft = replace(s.editor.new_draft(), title=title, body_html=body, author_ids=(author.id,))
    article_id = s.editor.save(draft, actor="mara").draft.article_id
    assert article_id is not None
    return article_id


def test_the_default_sheet_until_a_newsroom_saves_its_own(s: Services) -> None:
    info = s.style.sheet_info()
    assert info.version == 0 and "Erdoğan" in info.text
    article_id = _article(s)
    rules = [(i.paragraph, i.rule, i.text) for i in s.style.report(article_id).issues]
    assert rules == [
        (1, "names", "Erdogan"),
        (1, "terms", "e-mail"),
        (1, "dates", "July 25th"),
        (2, "words", "Irregardless"),
        (2, "numbers", "3"),
    ]
    # The newsroom prefers the plain spelling: its sheet replaces the default.
    saved = s.style.save_sheet("names:\n  - use: Erdogan\n    flag: [Erdoğan]\n", actor="chief")
    assert (saved.version, saved.updated_by) == (1, "chief")
    assert s.style.report(article_id).issues == ()
    again = s.style.save_sheet("numbers: ap\n", actor="deputy")
    assert [h.saved_by for h in again.history] == ["chief"]
    assert again.history[0].text.startswith("names:")
    assert [i.text for i in s.style.report(article_id).issues] == ["3"]


def test_a_bad_sheet_is_refused_and_the_store_keeps_its_sheet(s: Services) -> None:
    s.style.save_sheet("numbers: ap\n", actor="chief")
    with pytest.raises(InvalidInput, match="not valid YAML at line 2"):
        s.style.save_sheet("numbers: [ap\n", actor="chief")
    info = s.style.sheet_info()
    assert (info.text, info.version, info.history) == ("numbers: ap\n", 1, ())
    with pytest.raises(Conflict, match="changed by chief"):
        s.style.save_sheet("numbers: off\n", actor="other", expected_version=0)


def test_ignore_in_this_piece_is_remembered_for_that_piece_only(s: Services) -> None:
    first, second = _article(s), _article(s, title="More ships")
    issue = next(i for i in s.style.report(first).issues if i.rule == "numbers")
    s.style.set_ignored(first, issue.key, True, actor="mara")
    report = s.style.report(first)
    assert "numbers" not in [i.rule for i in report.issues] and report.ignored == 1
    assert "numbers" in [i.rule for i in s.style.report(second).issues]
    assert "numbers" not in [i.rule for i in s.style.check_body(BODY, article_id=first)]
    s.style.set_ignored(first, issue.key, False, actor="mara")
    assert "numbers" in [i.rule for i in s.style.report(first).issues]
    with pytest.raises(NotFound):
        s.style.set_ignored(999, issue.key, True, actor="mara")


def test_report_for_every_piece_in_a_status(s: Services) -> None:
    a = _article(s)
    b = _article(s, body="<p>All is well.</p>", title="Calm")
    s.articles.set_status(b, "editing", actor="desk")
    reports = list(s.style.reports_in_status("draft"))
    assert [(r.article_id, len(r.issues)) for r in reports] == [(a, 5)]
    assert [r.article_id for r in s.style.reports_in_status("editing")] == [b]
    with pytest.raises(InvalidInput, match="unknown status 'nope'"):
        list(s.style.reports_in_status("nope"))
