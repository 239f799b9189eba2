"""NINJS 2.0: only what IPTC's 2.0 schema defines, shaped as it defines it.

IPTC publishes the schema at http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json (JSON Schema
draft 4, "approved at IPTC Standards Committee October 2021"). Neither that address nor
GitHub answers from the build machines, so the test cannot load the file itself; NINJS_20
below is our own statement of the part of it Copydesk writes: the property names and types
of the standard, and, as there, no other property anywhere (additionalProperties false at
the top and in every list item; associations need a name). If Copydesk writes a property
the standard does not have, or puts one in the wrong shape, validation fails.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from editor_app.formats.bundle import ArticleData, AuthorData, FigureData
from editor_app.formats.ninjs import SCHEMA_URI, author_bios, dumps_ninjs, to_ninjs


def _items(**props: Any) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "object", "additionalProperties": False, "properties": props},
    }


STR = {"type": "string"}
TEXTS = _items(role=STR, contenttype=STR, value=STR)
TEXTS["items"]["required"] = ["value"]
NINJS_20: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "additionalProperties": False,
    "required": ["uri"],
    "properties": {
        "uri": {"type": "string", "format": "uri"},
        "type": {
            "enum": ["text", "audio", "video", "picture", "graphic", "composite", "component"]
        },
        "version": STR,
        "firstcreated": {"type": "string", "format": "date-time"},
        "versioncreated": {"type": "string", "format": "date-time"},
        "pubstatus": {"enum": ["usable", "withheld", "canceled"]},
        "language": STR,
        "headlines": TEXTS,
        "descriptions": TEXTS,
        "bodies": _items(role=STR, contenttype=STR, value=STR, charcount={}, wordcount={}),
        "people": _items(name=STR, rel=STR, uri=STR, literal=STR),
        "subjects": _items(name=STR, rel=STR, uri=STR, literal=STR),
        "by": STR,
        "slugline": STR,
        "associations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                # An association may use every property of a ninjs item (itself, "#").
                "properties": {"name": STR},
            },
        },
        "standard": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"name": STR, "version": STR, "schema": STR},
        },
    },
}
# What an association other than its name may hold: a ninjs item without `uri`.
ASSOCIATION = {
    **NINJS_20,
    "required": ["name"],
    "properties": {**NINJS_20["properties"], "name": STR, "copyrightnotice": STR, "title": STR},
}


def _article(**changes: Any) -> ArticleData:
    base = ArticleData(
        title="Ferry fares rise again",
        body_html="<p>Fares rise <em>again</em>.</p><blockquote><p>“Too much,” she said.</p>"
        "</blockquote>",
        dek="The third rise this year",
        slug="ferry-fares",
        status="published",
        section="City",
        tags=("ferries", "prices"),
        authors=(
            AuthorData(name="Ana Ruiz", role="transport reporter", bio="<p>Ana rides them.</p>"),
            AuthorData(name="Bo Lind", byline_name="B. Lind", bio="Bo counts fares."),
        ),
        figures=(FigureData(caption="The quay at dawn", credit="Photo desk", alt="A ferry"),),
        published_at=datetime(2026, 3, 1, 8, 30, tzinfo=UTC),
    )
    return ArticleData(**{**base.__dict__, **changes})


def _check(item: dict[str, Any]) -> None:
    jsonschema.Draft4Validator(NINJS_20).validate(item)
    for a in item.get("associations", []):
        jsonschema.Draft4Validator(ASSOCIATION).validate(a)
    for key in ("firstcreated", "versioncreated"):
        if key in item:
            datetime.fromisoformat(item[key])


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"status": "draft", "authors": (), "figures": (), "tags": (), "section": "", "dek": ""},
        {"status": "spiked", "published_at": None},
    ],
)
def test_items_hold_only_what_ninjs_20_defines(changes: dict[str, Any]) -> None:
    item = to_ninjs(
        _article(**changes),
        uri="urn:copydesk:article:7",
        version=3,
        created=datetime(2026, 2, 27, 9, 0, tzinfo=UTC),
    )
    _check(item)
    assert item["standard"] == {"name": "ninjs", "version": "2.0", "schema": SCHEMA_URI}


def test_bylines_bios_terms_and_figures_are_all_there() -> None:
    item = to_ninjs(_article(), uri="urn:copydesk:article:7", version=3)
    _check(item)
    assert item["by"] == "Ana Ruiz and B. Lind"
    assert item["people"] == [
        {"name": "Ana Ruiz", "rel": "author"},
        {"name": "B. Lind", "rel": "author"},
    ]
    assert author_bios(item) == {"Ana Ruiz": "Ana rides them.", "B. Lind": "Bo counts fares."}
    assert {"name": "City", "rel": "section"} in item["subjects"]
    assert [s["name"] for s in item["subjects"] if s["rel"] == "tag"] == ["ferries", "prices"]
    (figure,) = [a for a in item["associations"] if a["type"] == "picture"]
    assert figure["copyrightnotice"] == "Photo desk"
    assert {"role": "alt", "value": "A ferry"} in figure["descriptions"]
    assert item["versioncreated"] == "2026-03-01T08:30:00+00:00"
    assert item["pubstatus"] == "usable"


def test_the_check_catches_a_property_ninjs_20_does_not_have() -> None:
    item = to_ninjs(_article(), uri="urn:copydesk:article:7", version=3)
    for bad in ({"authors": []}, {"keywords": ["x"]}, {"firstpublished": "2026-03-01"}):
        with pytest.raises(jsonschema.ValidationError):
            _check({**item, **bad})
    with pytest.raises(jsonschema.ValidationError):
        _check({**item, "subjects": [{"name": "City", "relevance": 100}]})


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(st.dictionaries(st.text(max_size=8), _JSON, max_size=6))
def test_ninjs_text_is_the_standard_indented_json(item: dict[str, object]) -> None:
    assert dumps_ninjs(item) == json.dumps(item, ensure_ascii=False, indent=2) + "\n"


def test_ninjs_text_leaves_unusual_values_to_the_standard_library() -> None:
    item = {"a": 1.5, "b": [float("inf")], "c": {1: "x"}, "d": True, "e": "é\u2028\x00"}
    assert dumps_ninjs(item) == json.dumps(item, ensure_ascii=False, indent=2) + "\n"
