"""The WordPress client's parts that need no site: the API link, addresses, dates; and where
the password is kept when there is no keyring."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from editor_app.remote.credentials import Credentials
from editor_app.remote.wordpress import SiteError, _api_link, normalise_url, parse_gmt


def test_the_api_is_found_from_the_link_header() -> None:
    pretty = ['<https://example.org/wp-json/>; rel="https://api.w.org/"']
    plain = [
        '<http://127.0.0.1:8080/?rest_route=/>; rel="https://api.w.org/", '
        '<http://127.0.0.1:8080/?p=1>; rel="shortlink"'
    ]
    assert _api_link(pretty) == "https://example.org/wp-json/"
    assert _api_link(plain) == "http://127.0.0.1:8080/?rest_route=/"
    assert _api_link(['<https://example.org/feed>; rel="alternate"']) is None


def test_addresses_and_dates() -> None:
    assert normalise_url(" https://example.org/ ") == "https://example.org"
    with pytest.raises(SiteError, match="is not a web address"):
        normalise_url("example.org")
    assert parse_gmt("2026-11-30T05:01:02") == datetime(2026, 11, 30, 5, 1, 2, tzinfo=UTC)
    assert parse_gmt("") is None and parse_gmt("not a date") is None


def test_without_a_keyring_the_password_is_a_private_file(tmp_path: Path) -> None:
    creds = Credentials(tmp_path / "cfg", use_keyring=False)
    assert creds.where() == f"a file only you can read ({tmp_path / 'cfg' / 'site-passwords.json'})"
    creds.set("https://example.org/", "desk", "abcd efgh")
    creds.set("https://other.org", "desk", "ijkl mnop")
    assert creds.get("https://example.org", "desk") == "abcd efgh"
    assert stat.S_IMODE(creds.file.stat().st_mode) == 0o600
    creds.delete("https://example.org", "desk")
    assert creds.get("https://example.org", "desk") is None
    assert creds.get("https://other.org", "desk") == "ijkl mnop"
