"""Author profiles: editing, validation, photos, matching on import, merge and undo, bios."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import text

from editor_app.domain.errors import Conflict, InvalidInput
from editor_app.domain.profile import ProfileInput, ValidationFailed
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData, FigureData
from editor_app.formats.ninjs import author_bios
from editor_app.services.container import Services
from editor_app.store.database import Database

BODY = (
    "<p>The ferry pier vote was close.</p><blockquote><p>“A fair deal,” she said.</p></blockquote>"
)


def article(title: str, *authors: AuthorData, status: str = "draft") -> ArticleData:
    return ArticleData(
        title=title,
        body_html=BODY,
        authors=authors,
        status=status,
        source_key=f"test:{title}",
        comments=(
            CommentData(
                key="1",
                body="Secret commenter here",
                author_name="Reader",
                author_email="reader-secret@example.com",
                author_ip="192.0.2.44",
            ),
        ),
    )


MARA = AuthorData(name="Mara Lindqvist", email="mara@ledger.example", bio="Mara writes.")
TOMAS = AuthorData(name="Tomás Reyes", bio="Tomás photographs the harbour.")


@pytest.fixture
def s(db_url: str) -> Iterator[Services]:
    db = Database(db_url)
    yield Services.build(db.uow)
    db.dispose()


def _load(s: Services, *articles: ArticleData) -> list[int]:
    return list(s.imports.import_bundles([Bundle(articles=articles)]).article_ids)


def _bio(item: dict[str, object]) -> str:
    """The (only) author's biography in a NINJS item."""
    (bio,) = author_bios(item).values()
    return bio


def _author_id(s: Services, name: str) -> int:
    return next(r.id for r in s.authors.list() if r.name == name)


def _profile(s: Services, author_id: int, **changes: object) -> ProfileInput:
    return s.authors.detail(author_id).profile(**changes)


def test_editing_a_profile_changes_every_byline(s: Services) -> None:
    ids = _load(s, article("Pier vote", MARA), article("Quay rebuild", MARA, TOMAS))
    mara = _author_id(s, "Mara Lindqvist")
    version = s.authors.detail(mara).version
    s.authors.update(
        mara,
        _profile(s, mara, name="Mara Lindqvist-Berg", role="harbour reporter"),
        expected_version=version,
    )
    for article_id in ids:
        names = [a.name for a in s.articles.detail(article_id).authors]
        assert names[0] == "Mara Lindqvist-Berg"
    assert [r.byline for r in s.articles.rows(ids)][1] == "Mara Lindqvist-Berg and Tomás Reyes"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"email": "mara at ledger"}, "email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"links": ("https://social.example/@mara", "ftp://nope")}, "links"),
    ],
)
def test_invalid_profiles_name_the_field_and_change_nothing(
    s: Services, changes: dict[str, object], field: str
) -> None:
    _load(s, article("Pier vote", MARA))
    mara = _author_id(s, "Mara Lindqvist")
    before = s.authors.detail(mara)
    with pytest.raises(ValidationFailed) as info:
        s.authors.update(mara, _profile(s, mara, **changes), expected_version=before.version)
    assert [e.field for e in info.value.errors] == [field]
    assert str(info.value).startswith(f"{field}: ")
    assert s.authors.detail(mara) == before


def test_a_stale_profile_save_is_a_conflict(s: Services) -> None:
    _load(s, article("Pier vote", MARA))
    mara = _author_id(s, "Mara Lindqvist")
    v = s.authors.detail(mara).version
    s.authors.update(mara, _profile(s, mara, role="editor"), expected_version=v)
    with pytest.raises(Conflict):
        s.authors.update(mara, _profile(s, mara, role="stale"), expected_version=v)
    assert s.authors.detail(mara).role == "editor"


def test_bio_rich_text_is_sanitised(s: Services) -> None:
    _load(s, article("Pier vote", MARA))
    mara = _author_id(s, "Mara Lindqvist")
    bio = '<p>Writes <em>long</em> reads. <a href="https://x.example" onclick="evil()">Site</a>'
    bio += "<script>alert(1)</script></p>"
    d = s.authors.update(
        mara, _profile(s, mara, bio=bio), expected_version=s.authors.detail(mara).version
    )
    assert "<em>long</em>" in d.bio and 'href="https://x.example"' in d.bio
    assert "onclick" not in d.bio and "script" not in d.bio


def _picture(width: int, height: int, fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def test_photo_is_cropped_to_a_square_and_kept_in_the_store(s: Services) -> None:
    _load(s, article("Pier vote", MARA))
    mara = _author_id(s, "Mara Lindqvist")
    d = s.authors.set_photo(mara, _picture(900, 600))
    assert d.has_photo
    data, mime = s.authors.photo(mara) or (b"", "")
    img = Image.open(io.BytesIO(data))
    assert img.width == img.height == 512 and mime == "image/jpeg"
    with pytest.raises(InvalidInput, match="not a picture"):
        s.authors.set_photo(mara, b"%PDF-1.4 not an image")
    assert s.authors.photo(mara) == (data, mime)


def test_import_matches_by_email_then_by_name_and_says_so(s: Services) -> None:
    _load(s, article("Pier vote", MARA, TOMAS))
    renamed = AuthorData(name="M. Lindqvist", email="MARA@ledger.example")
    respelled = AuthorData(name="  tomas   REYES ")
    result = s.imports.import_bundles([Bundle(articles=(article("Quay", renamed, respelled),))])
    assert result.authors == 0
    mara, tomas = _author_id(s, "Mara Lindqvist"), _author_id(s, "Tomás Reyes")
    assert any(f"profile {mara} by email" in m for m in result.messages)
    assert any(f"profile {tomas} by name" in m for m in result.messages)
    assert len(s.authors.list()) == 2


def _bylines(db_url: str) -> list[tuple[int, int, int]]:
    db = Database(db_url)
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT article_id, position, author_id FROM bylines ORDER BY 1, 2")
        )
        out = [(int(r[0]), int(r[1]), int(r[2])) for r in rows]
    db.dispose()
    return out


def test_merge_moves_bylines_keeps_chosen_fields_and_undo_restores(
    s: Services, db_url: str
) -> None:
    dup = AuthorData(name="Mara L.", email="mara.l@other.example", bio="The longer, better bio.")
    _load(
        s,
        article("Pier vote", MARA),
        article("Quay", dup),
        article("Both", MARA, TOMAS, dup),
    )
    mara, other = _author_id(s, "Mara Lindqvist"), _author_id(s, "Mara L.")
    before_bylines = _bylines(db_url)
    before_mara = s.authors.detail(mara)
    result = s.authors.merge(mara, other, take=("bio",), actor="ed")
    assert result.moved_bylines == 2
    after = s.authors.detail(mara)
    assert after.bio == "The longer, better bio." and after.name == "Mara Lindqvist"
    assert sorted(a.title for a in after.articles) == ["Both", "Pier vote", "Quay"]
    assert [r.name for r in s.authors.list()] == ["Mara Lindqvist", "Tomás Reyes"]
    both = next(a.id for a in after.articles if a.title == "Both")
    assert [a.name for a in s.articles.detail(both).authors] == ["Mara Lindqvist", "Tomás Reyes"]

    restored = s.authors.undo_merge(result.merge_id)
    assert restored.id == other and restored.name == "Mara L."
    assert _bylines(db_url) == before_bylines
    assert s.authors.detail(mara).bio == before_mara.bio
    with pytest.raises(InvalidInput, match="already undone"):
        s.authors.undo_merge(result.merge_id)


def test_merge_refuses_bad_requests(s: Services) -> None:
    _load(s, article("Pier vote", MARA, TOMAS))
    mara = _author_id(s, "Mara Lindqvist")
    with pytest.raises(InvalidInput):
        s.authors.merge(mara, mara)
    with pytest.raises(InvalidInput, match="cannot take"):
        s.authors.merge(mara, _author_id(s, "Tomás Reyes"), take=("password",))


def test_a_published_piece_keeps_the_bio_of_its_day(s: Services) -> None:
    (published_id,) = _load(s, article("Pier vote", MARA, status="ready"))
    (draft_id,) = _load(s, article("Next week", MARA))
    s.articles.set_status(published_id, "published", actor="ed")
    mara = _author_id(s, "Mara Lindqvist")
    s.authors.update(
        mara,
        _profile(s, mara, bio="Mara now edits the harbour desk."),
        expected_version=s.authors.detail(mara).version,
    )
    old = s.exports.ninjs(published_id)
    assert _bio(old) == "Mara writes."
    assert _bio(s.exports.ninjs(draft_id)) == "Mara now edits the harbour desk."
    notes = [r.note for r in s.articles.revisions(published_id)]
    assert notes[0] == "Ready → Published"


def test_an_export_of_many_takes_each_pieces_newest_published_bylines(
    s: Services, tmp_path: Path
) -> None:
    first, second = _load(s, article("Pier vote", MARA, status="ready"), article("Ferry", MARA))
    s.articles.set_status(first, "published", actor="ed")
    mara = _author_id(s, "Mara Lindqvist")

    def new_bio(bio: str) -> None:
        expected = s.authors.detail(mara).version
        s.authors.update(mara, _profile(s, mara, bio=bio), expected_version=expected)

    def publish(article_id: int) -> None:  # from a draft, or again after a correction
        for status in ("editing", "copyedit", "ready", "published"):
            s.articles.set_status(article_id, status, actor="ed")

    new_bio("Mara now edits the harbour desk.")
    publish(second)  # published after the change: the new bio is the one of its day
    s.exports.export([first, second], "ninjs", tmp_path)
    bios = {
        doc["headlines"][0]["value"]: _bio(doc)
        for doc in (json.loads(p.read_text()) for p in tmp_path.glob("*.ninjs.json"))
    }
    assert bios == {"Pier vote": "Mara writes.", "Ferry": "Mara now edits the harbour desk."}
    new_bio("Mara has left.")
    publish(first)  # corrected and published again: its newest published revision counts
    assert _bio(s.exports.ninjs(first)) == "Mara has left."
    assert _bio(s.exports.ninjs(second)) == "Mara now edits the harbour desk."


def test_workflow_refuses_impossible_moves(s: Services) -> None:
    (aid,) = _load(s, article("Pier vote", MARA))
    with pytest.raises(InvalidInput, match="cannot go to published"):
        s.articles.set_status(aid, "published", actor="ed")
    assert s.articles.detail(aid).status == "draft"


def test_exports_never_carry_commenter_data(s: Services) -> None:
    (aid,) = _load(s, article("Pier vote", MARA, status="published"))
    mara = _author_id(s, "Mara Lindqvist")
    out = json.dumps(s.exports.ninjs(aid)) + s.exports.author_page(mara)
    for secret in ("reader-secret@example.com", "192.0.2.44", "Secret commenter"):
        assert secret not in out
    assert "mara@ledger.example" not in out  # an author's email is private too


def test_author_page_lists_published_articles_with_photo_and_links(s: Services) -> None:
    _load(s, article("Pier vote", MARA, status="published"), article("Unfinished", MARA))
    mara = _author_id(s, "Mara Lindqvist")
    s.authors.update(
        mara,
        _profile(s, mara, website="https://mara.example", links=("https://social.example/@m",)),
        expected_version=s.authors.detail(mara).version,
    )
    s.authors.set_photo(mara, _picture(200, 300, "PNG"))
    page = s.exports.author_page(mara)
    assert "<h1>Mara Lindqvist</h1>" in page and "Mara writes." in page
    assert "Pier vote" in page and "Unfinished" not in page
    assert 'src="data:image/' in page and 'href="https://mara.example"' in page


def test_author_list_searches_and_sorts(s: Services) -> None:
    _load(s, article("One", MARA), article("Two", TOMAS), article("Three", TOMAS))
    assert [r.name for r in s.authors.list(search="tom")] == ["Tomás Reyes"]
    assert [r.name for r in s.authors.list(sort="articles")] == ["Tomás Reyes", "Mara Lindqvist"]
    with pytest.raises(InvalidInput):
        s.authors.list(sort="shoe size")


def test_cli_merge_and_unmerge(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    db = Database(url)
    s = Services.build(db.uow)
    _load(s, article("A", MARA), article("B", AuthorData(name="Mara L")))
    keep, other = _author_id(s, "Mara Lindqvist"), _author_id(s, "Mara L")
    db.dispose()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "editor_app", "--db", url, *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    merged = json.loads(cli("authors", "merge", str(keep), str(other), "--json").stdout)
    shown = json.loads(cli("show", "author", str(keep), "--json").stdout)
    assert sorted(a["title"] for a in shown["articles"]) == ["A", "B"]
    assert shown["email"] == "mara@ledger.example"
    assert cli("authors", "unmerge", str(merged["merge_id"])).returncode == 0
    listed = json.loads(cli("list", "authors", "--json").stdout)
    assert sorted(a["name"] for a in listed) == ["Mara L", "Mara Lindqvist"]
    bad = cli("authors", "merge", str(keep), "9999")
    assert bad.returncode == 1 and bad.stderr.startswith("error: no author with id 9999")


def test_a_page_imported_without_a_date_keeps_it_unknown(s: Services) -> None:
    """The import time is not a publication date: nothing says "last published" today."""
    [article_id] = _load(s, article("Undated pier", MARA, status="published"))
    assert s.articles.detail(article_id).published_at is None
    [row] = [r for r in s.authors.list() if r.name == "Mara Lindqvist"]
    assert row.last_published is None
    assert s.authors.detail(row.id).last_published is None


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000000030101005d4a7c6e0000000049454e44ae426082"
)


@pytest.mark.parametrize("fmt", ["markdown", "html", "ninjs"])
def test_a_folder_export_writes_each_article_as_it_reads_alone(
    s: Services, tmp_path: Path, fmt: str
) -> None:
    """Folder exports read their articles as plain rows, a batch at a time; each file is
    what the article read on its own (through the ORM) renders to, byte for byte: bylines of
    the day it was published, figures (with their pictures) in order, tags, revisions."""
    pictured = ArticleData(
        title="Quay <b>rebuild</b>: 'yes' or no?",
        body_html=BODY + "<p>Second paragraph &amp; more.</p>",
        dek="A dek: with # signs",
        slug="quay-rebuild",
        section="City",
        tags=("quay", "council", "Ärende"),
        authors=(TOMAS, MARA),
        figures=(
            FigureData(
                caption="The quay",
                credit="Tomás",
                alt="Pier",
                anchor=1,
                image=PNG,
                image_mime="image/png",
            ),
            FigureData(caption="From afar", anchor=0, source_url="https://example.org/q.jpg"),
        ),
        status="ready",
        source_key="test:quay",
    )
    published, draft, plain = _load(
        s, article("Pier vote", MARA, status="ready"), article("Next week", MARA), pictured
    )
    s.articles.set_status(published, "published", actor="ed")
    s.articles.set_status(plain, "published", actor="ed")
    mara = _author_id(s, "Mara Lindqvist")
    s.authors.update(
        mara,
        _profile(s, mara, bio="Mara now edits the harbour desk."),
        expected_version=s.authors.detail(mara).version,
    )
    ids = [plain, draft, published]
    written = s.exports.export(ids, fmt, tmp_path)
    for article_id, path in zip(ids, written, strict=True):
        alone = s.exports.article_data(article_id, images=fmt != "ninjs")
        expected = s.exports.render(alone, fmt, article_id=article_id)
        data = expected.encode() if isinstance(expected, str) else expected
        assert path.read_bytes() == data
    if fmt != "markdown":  # Markdown has no bios
        assert "Mara writes." in written[2].read_text()  # the bio of the day it was published
        assert "Mara now edits" in written[1].read_text()
    assert "data:image/png;base64," in written[0].read_text() or fmt == "ninjs"
