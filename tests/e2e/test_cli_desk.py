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


def test_style_report_json_for_a_piece_and_a_status(
    db_url: str, seed: Path, tmp_path: Path
) -> None:
    article_id = _seed_id(db_url, seed)
    report = ok_json(db_url, "style", str(article_id))
    assert (report["article_id"], report["status"], report["ignored"]) == (
        article_id,
        "published",
        0,
    )
    names = [i for i in report["issues"] if i["rule"] == "names"]
    assert {i["text"] for i in names} == {"Erdogan", "Cavusoglu"}
    assert names[0]["fixes"] == ["Erdoğan"] and names[0]["paragraph"] == 2
    assert set(report["issues"][0]) == {
        "rule", "paragraph", "start", "end", "text", "message", "fixes", "level"
    }  # fmt: skip
    by_status = ok_json(db_url, "style", "--status", "published")
    assert [r["article_id"] for r in by_status] == [article_id]
    assert ok_json(db_url, "style", "--status", "draft") == []

    # The newsroom replaces the sheet: the plain spelling is its house form.
    sheet = tmp_path / "house.yaml"
    sheet.write_text("names:\n  - use: Erdogan\n    flag: [Erdoğan]\n", encoding="utf-8")
    proc = run(db_url, "style", "--load-sheet", str(sheet), "--as", "chief")
    assert proc.returncode == 0, proc.stderr
    assert ok_json(db_url, "style", str(article_id))["issues"] == []
    printed = run(db_url, "style", "--print-sheet")
    assert printed.stdout == sheet.read_text(encoding="utf-8")
    # Quotes now know the house form too: Erdogan is the people list's spelling.
    quotes = ok_json(db_url, "quotes", str(article_id))
    assert not [f for q in quotes for f in q["flags"] if "Erdoğan" in f["message"]]


def test_style_refuses_a_bad_sheet_and_bad_arguments(sqlite_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("numbers: [ap\n", encoding="utf-8")
    proc = run(sqlite_url, "style", "--load-sheet", str(bad))
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: the style sheet is not valid YAML at line 2")
    assert len(proc.stderr.strip().splitlines()) == 1
    assert run(sqlite_url, "style", "--print-sheet").stdout.startswith("# Copydesk house style")
    both = run(sqlite_url, "style", "3", "--status", "draft")
    assert both.returncode == 1 and "give one of" in both.stderr
    unknown = run(sqlite_url, "style", "--status", "nope")
    assert unknown.returncode == 1 and "unknown status 'nope'" in unknown.stderr
