"""Bodies of the documented subset survive the editor and the store unchanged."""

from __future__ import annotations

import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor_app.services.container import Services
from editor_app.ui.editor.body_edit import BodyEdit
from editor_app.ui.editor.html_io import normalise_body_html

pytestmark = pytest.mark.ui

WORDS = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzÀéßΩжあ中\u201c\u201d\u2019&<>0123456789.,"
    ),
    min_size=1,
    max_size=8,
)


@st.composite
def inline(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        text = html.escape(" ".join(draw(st.lists(WORDS, min_size=1, max_size=4))), quote=False)
        style = draw(st.sampled_from(["", "strong", "em", "both", "a"]))
        if style == "both":
            text = f"<strong><em>{text}</em></strong>"
        elif style == "a":
            text = f'<a href="https://example.org/{draw(st.integers(0, 99))}">{text}</a>'
        elif style:
            text = f"<{style}>{text}</{style}>"
        parts.append(text)
    sep = draw(st.sampled_from([" ", "<br>"]))
    return sep.join(parts)


@st.composite
def documents(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["p", "h2", "h3", "blockquote", "ul", "ol"]))
        if kind == "blockquote":
            inner = "".join(f"<p>{draw(inline())}</p>" for _ in range(draw(st.integers(1, 3))))
            blocks.append(f"<blockquote>{inner}</blockquote>")
        elif kind in ("ul", "ol"):
            inner = "".join(f"<li>{draw(inline())}</li>" for _ in range(draw(st.integers(1, 3))))
            blocks.append(f"<{kind}>{inner}</{kind}>")
        else:
            blocks.append(f"<{kind}>{draw(inline())}</{kind}>")
    return "\n".join(blocks)


@pytest.fixture
def body(qtbot) -> BodyEdit:
    edit = BodyEdit(None)
    qtbot.addWidget(edit)
    return edit


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=documents())
def test_editor_round_trip(body: BodyEdit, doc: str) -> None:
    expected = normalise_body_html(doc)
    body.load(doc, [])
    out, figures = body.body_and_figures()
    assert out == expected
    assert figures == ()
    # and again: what the editor writes, it reads back the same
    body.load(out, [])
    assert body.body_and_figures()[0] == expected


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=documents())
def test_store_round_trip(body: BodyEdit, services: Services, doc: str) -> None:
    from dataclasses import replace

    body.load(doc, [])
    written, _figures = body.body_and_figures()
    draft = replace(services.editor.new_draft(), title="Round trip", body_html=written)
    saved = services.editor.save(draft, actor="tester").draft
    assert saved.article_id is not None
    opened = services.editor.open(saved.article_id)
    body.load(opened.body_html, [])
    assert body.body_and_figures()[0] == written
    services.editor.save(
        replace(opened, slug=f"done-{opened.article_id}", status="spiked"), actor="tester"
    )


def test_pasted_html_is_reduced_to_the_subset(body: BodyEdit) -> None:
    from PySide6.QtCore import QMimeData

    mime = QMimeData()
    mime.setHtml(
        '<div style="color:red"><h1>Big</h1><p onclick="x()">Hi <b>there</b>'
        '<a href="javascript:alert(1)">bad</a></p><script>evil()</script></div>'
    )
    body.insertFromMimeData(mime)
    assert body.body_and_figures()[0] == "<h2>Big</h2>\n<p>Hi <strong>there</strong>bad</p>"
