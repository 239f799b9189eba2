"""The copy desk's commands as a fact-checker's script uses them: `quotes` and `style`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.e2e.test_cli import ok_json, run


def _seed_id(db_url: str, seed: Path) -> int:
    (article_id,) = ok_json(db_url, "import", str(seed))["article_ids"]
    return int(article_id)


def test_quotes_json_and_csv_on_the_seed(db_url: str, seed: Path) -> None:
    article_id = _seed_id(db_url, seed)
    quotes = ok_json(db_url, "quotes", str(article_id))
    assert len(quotes) == 23
    assert set(quotes[0]) >= {"text", "speaker", "verb", "date", "paragraph", "flags"}
    assert (quotes[0]["speaker"], quotes[0]["verb"], quotes[0]["date"]) == (
        "Recep Tayyip Erdogan",
        "told",
        "July 25",
    )
    speakers = {q["speaker"] for q in quotes}
    assert {"Mevlut Cavusoglu", "Recep Tayyip Erdogan and Nikol Pashinyan"} <= speakers
    assert [q["paragraph"] for q in quotes if q["speaker"] is None] == [3, 10]
    assert all(q["flags"][0]["kind"] == "no_speaker" for q in quotes if q["speaker"] is None)

    proc = run(db_url, "quotes", str(article_id), "--csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 23
    assert rows[0]["speaker"] == "Recep Tayyip Erdogan" and rows[0]["paragraph"] == "2"
    assert rows[1]["flags"].startswith("no_speaker")


def test_quotes_of_an_unknown_article_is_one_line_error(sqlite_url: str) -> None:
    proc = run(sqlite_url, "quotes", "42", "--json")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "error: no article with id 42"
    assert proc.stdout == ""
