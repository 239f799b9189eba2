"""The harness itself: a real WordPress answers its REST API with an application password."""

from __future__ import annotations

from tests.wordpress.wpsite import WordPressSite


def test_site_answers_with_application_password(wordpress: WordPressSite) -> None:
    me = wordpress.rest("GET", "/wp/v2/users/me", params={"context": "edit"})
    assert me["slug"] == "editor"
    assert "administrator" in me["roles"]
