"""Page dumps: the shared seed page, pages written for these tests, and inputs to refuse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from editor_app.domain.errors import ImportFailed
from editor_app.domain.text import slugify
from editor_app.formats.bundle import ArticleData, CommentData
from editor_app.formats.htmlbody import html_to_paragraphs
from editor_app.formats.pagedump import looks_like_page, parse_page, read_page_file, role_from_bio

pytestmark = pytest.mark.unit

PAGES = Path(__file__).resolve().parent / "pages"
SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "000_737975484842bf06.txt"
FORM_WORDS = ("Leave a Reply", "Your email address", "Post Comment", "Required fields")


def _page(name: str) -> ArticleData:
    return read_page_file(PAGES / name)


def _all_text(article: ArticleData) -> str:
    parts = [article.title, article.body_html]
    parts += [f"{f.caption} {f.credit}" for f in article.figures]
    parts += [f"{a.name} {a.bio}" for a in article.authors]
    parts += [c.body for c in article.comments]
    return "\n".join(parts)


def _replies(article: ArticleData, key: str) -> list[CommentData]:
    return [c for c in article.comments if c.parent_key == key]


def _assert_thread_consistent(article: ArticleData) -> None:
    seen: set[str] = set()
    for comment in article.comments:
        assert comment.key not in seen
        if comment.parent_key is None:
            assert "." not in comment.key
        else:
            assert comment.parent_key in seen  # parents come first
            assert comment.key.rsplit(".", 1)[0] == comment.parent_key
        assert comment.status is None
        for line in comment.body.split("\n"):
            assert line == line.strip()
        seen.add(comment.key)


# ----------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"shared seed page not available at {SEED.resolve()}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> ArticleData:
    return parse_page(seed_text, source_name=SEED.name)


def _seed_lines(seed_text: str) -> list[str]:
    return [line.rstrip(" \u00a0").strip() for line in seed_text.split("\n")]


def test_seed_title_and_key(seed: ArticleData, seed_text: str) -> None:
    first_line = seed_text.split("\n", 1)[0].rstrip(" \u00a0")
    assert seed.title == first_line
    assert seed.source_key == "page:" + slugify(first_line)
    assert seed.status == "published"


def test_seed_body_paragraphs_in_order(seed: ArticleData, seed_text: str) -> None:
    paragraphs = html_to_paragraphs(seed.body_html)
    assert len(paragraphs) == 26
    lines = _seed_lines(seed_text)
    positions = [lines.index(p) for p in paragraphs]  # each one is a whole line of the page
    assert positions == sorted(positions)
    assert not any(p.endswith("\u00a0") for p in paragraphs)


def test_seed_figures(seed: ArticleData, seed_text: str) -> None:
    assert len(seed.figures) == 2
    lines = _seed_lines(seed_text)
    first, second = seed.figures
    assert f"{first.caption} ({first.credit})" in lines
    assert not first.credit.startswith("Photo")
    photo_line = next(line for line in lines if "(Photo: " in line)
    at = photo_line.rindex("(Photo: ")
    assert second.caption == photo_line[:at].strip()
    assert second.credit == photo_line[at + len("(Photo: ") : -1]
    assert 0 < first.anchor < second.anchor < 26


def test_seed_author(seed: ArticleData, seed_text: str) -> None:
    assert len(seed.authors) == 1
    author = seed.authors[0]
    assert author.name == "Lillian Avedian"
    lines = _seed_lines(seed_text)
    second_name = [i for i, line in enumerate(lines) if line == author.name][1]
    assert author.bio == lines[second_name + 2]


def test_seed_comment_threading(seed: ArticleData) -> None:
    _assert_thread_consistent(seed)
    assert len(seed.comments) == 14
    top = [c for c in seed.comments if c.parent_key is None]
    assert [c.key for c in top] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [len(_replies(seed, c.key)) for c in top] == [2, 0, 1, 1, 0, 3, 0]
    assert all(c.parent_key in {None, "1", "3", "4", "6"} for c in seed.comments)
    assert all(c.author_name == "" for c in seed.comments)


def test_seed_comment_paragraphs(seed: ArticleData) -> None:
    by_key = {c.key: c for c in seed.comments}
    assert by_key["2"].body.count("\n\n") == 2
    assert by_key["7"].body.count("\n\n") == 2
    assert "\n" in by_key["3"].body and "\n\n" not in by_key["3"].body  # a line break only
    listed = by_key["1.2"]
    assert re.search(r":\n1\. ", listed.body)
    assert "\n\n2. " in listed.body and "\n\n3. " in listed.body
    assert listed.body.split("\n\n")[-1].startswith("P.S.")
    assert sum("P.S." in c.body for c in seed.comments) == 1


def test_seed_has_no_form_text(seed: ArticleData) -> None:
    text = _all_text(seed)
    assert not any(word in text for word in FORM_WORDS)


def test_seed_is_detected(seed_text: str) -> None:
    assert looks_like_page(seed_text)


# ----------------------------------------------------------------------------- own pages


def test_plain_page_without_captions_or_comments() -> None:
    article = _page("plain_council.txt")
    assert article.title == "Millbrook council approves new riverside park budget"
    assert len(html_to_paragraphs(article.body_html)) == 5
    assert article.figures == ()
    assert article.comments == ()
    assert [a.name for a in article.authors] == ["Marta Quell"]
    assert article.authors[0].bio.startswith("Marta Quell covers")


def test_caption_credit_styles() -> None:
    article = _page("festival_captions.txt")
    credits = [f.credit for f in article.figures]
    assert credits == [
        "Jane Doe",
        "AP Photo/John Smith",
        "Harbourlight Archive",
        "Port Authority/Lena Varga",
    ]
    assert article.figures[0].caption == "Dancers of the Salt Street ensemble rehearse on the pier"
    assert [f.anchor for f in article.figures] == [1, 2, 3, 4]


def test_parentheticals_in_prose_are_not_captions() -> None:
    paragraphs = html_to_paragraphs(_page("festival_captions.txt").body_html)
    assert len(paragraphs) == 5
    assert paragraphs[1].endswith("(the shipping firm that owned the warehouses).")
    assert paragraphs[2].endswith("(speaking to reporters at the gate)")
    assert paragraphs[3].endswith("(see the festival website for the full list)")


def test_multi_paragraph_bio_and_form_text_dropped() -> None:
    article = _page("festival_captions.txt")
    assert article.authors[0].bio.count("\n\n") == 1
    assert article.comments == ()
    text = _all_text(article)
    assert not any(word in text for word in (*FORM_WORDS, "Save my name", "Email *"))


def test_deep_thread() -> None:
    article = _page("deep_thread.txt")
    _assert_thread_consistent(article)
    keys = [(c.key, c.parent_key) for c in article.comments]
    assert keys == [
        ("1", None),
        ("1.1", "1"),
        ("1.1.1", "1.1"),
        ("1.1.1.1", "1.1.1"),
        ("1.2", "1"),
        ("2", None),
        ("2.1", "2"),
        ("2.1.1", "2.1"),
        ("3", None),
    ]
    by_key = {c.key: c for c in article.comments}
    # Continuation paragraphs at each depth, and line breaks kept inside paragraphs.
    assert by_key["1"].body.count("\n\n") == 1 and by_key["1"].body.count("\n") == 3
    assert by_key["1.1"].body.count("\n\n") == 1
    assert by_key["1.1.1"].body.count("\n\n") == 1
    assert by_key["1.1.1.1"].body.count("\n\n") == 1
    assert by_key["1.1.1.1"].body.split("\n\n")[0].count("\n") == 1
    assert "4 thoughts" not in _all_text(article)
    assert not any(word in _all_text(article) for word in FORM_WORDS)


def test_commenter_byline_is_taken_off_the_body() -> None:
    comment = {c.key: c for c in _page("deep_thread.txt").comments}["3"]
    assert comment.author_name == "Alex Morrow"
    assert comment.body == "Has anyone asked the ferry workers what they think?"


def test_commenter_byline_with_date() -> None:
    text = (
        "Title of a page\n\nOne body paragraph.\n\n"
        "  1. Sam Ortiz on July 5, 2022 at 3:12 pm\n    Nice piece.\n"
    )
    comment = parse_page(text).comments[0]
    assert comment.author_name == "Sam Ortiz"
    assert comment.posted_at is not None
    assert (comment.posted_at.month, comment.posted_at.hour) == (7, 15)
    assert comment.body == "Nice piece."


def test_trailing_no_break_spaces_everywhere() -> None:
    article = _page("nbsp_cider.txt")
    assert article.title == "Orchard cooperative opens a cider press for members"
    paragraphs = html_to_paragraphs(article.body_html)
    assert len(paragraphs) == 3
    assert paragraphs[1].count("\n") == 1  # a line break inside the paragraph
    assert [(f.caption, f.credit) for f in article.figures] == [
        ("Members unload crates at the barn", "Hollow Lane Cooperative")
    ]
    assert [a.name for a in article.authors] == ["Jonah Pettersen"]
    assert [(c.key, c.parent_key) for c in article.comments] == [
        ("1", None),
        ("1.1", "1"),
        ("2", None),
    ]
    assert article.comments[2].body == "How do I sign up?\nIs there a waiting list?"
    assert "\u00a0" not in _all_text(article)


def test_page_without_author_keeps_numbered_list_in_body() -> None:
    article = _page("no_author_thread.txt")
    assert article.authors == ()
    paragraphs = html_to_paragraphs(article.body_html)
    assert len(paragraphs) == 6
    assert paragraphs[2].startswith("1. ") and paragraphs[3].startswith("2. ")
    assert paragraphs[4].endswith("(approved in the spring budget).")
    assert "2 Comments" not in _all_text(article)
    _assert_thread_consistent(article)
    assert [(c.key, c.parent_key) for c in article.comments] == [
        ("1", None),
        ("1.1", "1"),
        ("2", None),
        ("2.1", "2"),
    ]
    # Bullets right under a reply's line are a list in that reply, not replies to it.
    assert article.comments[3].body.count("\n") == 2
    assert "\n- not on public holidays" in article.comments[3].body


def test_all_own_pages_are_detected() -> None:
    for path in PAGES.glob("*.txt"):
        assert looks_like_page(path.read_text(encoding="utf-8")), path.name


def test_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("\ufeffA title\r\n\r\nA paragraph.\r\n".encode())
    article = read_page_file(path)
    assert article.title == "A title"
    assert html_to_paragraphs(article.body_html) == ["A paragraph."]


# ----------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("  \n\u00a0\n\t\n", "empty"),
        ("Title\n\nbody\x00more", "binary"),
        ("\x01\x02\x03\x04\x05\x06\x07\x08 junk\n", "control characters"),
        ("Only a title\n\n", "no body paragraph"),
        ("  1. A comment without a page\n", "not an article page"),
        ("Title\n\nLeave a Reply\n\nYour email address will not be published.\n", "no body"),
    ],
)
def test_bad_text_is_refused(text: str, fragment: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        parse_page(text, source_name="x.txt")
    message = str(caught.value)
    assert fragment in message
    assert message.startswith("x.txt: ")
    assert "\n" not in message


def _refusal(path: Path) -> str:
    with pytest.raises(ImportFailed) as caught:
        read_page_file(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in _refusal(path)


def test_latin1_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Café council\n\nThe café reopened.\n".encode("latin-1"))
    assert "not UTF-8 text" in _refusal(path)


def test_folder_is_refused(tmp_path: Path) -> None:
    assert "is a folder" in _refusal(tmp_path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "empty" in _refusal(path)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "<html><body>Title</body></html>\n\nx",
        '{"title": "x"}\n\nbody',
        "---\ntitle: x\n---\n\nbody",
        "Title only\n",
        "Title\nno blank line\n",
        "Title\n\n\x00",
    ],
)
def test_not_detected(text: str) -> None:
    assert not looks_like_page(text)


@pytest.mark.parametrize(
    ("bio", "role"),
    [
        ("Mara Lind is a freelance photographer based in Tromsø.", "freelance photographer"),
        ("Mara Lind is the editor-in-chief of the Ledger.", "editor-in-chief"),
        ("Mara Lind writes about the sea.", ""),
        ("A staff writer, Mara Lind is new here.", ""),
    ],
)
def test_role_comes_from_the_first_sentence_of_the_bio(bio: str, role: str) -> None:
    assert role_from_bio("Mara Lind", bio) == role


def test_the_seed_author_role_is_read_from_her_bio(seed_text: str) -> None:
    article = parse_page(seed_text)
    assert article.authors[0].role == "assistant editor"
