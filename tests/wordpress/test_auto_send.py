"""The rules' automatic decisions on comments the site holds reach the site only when the
site's setting says so; a moderator's own decisions always do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from editor_app.domain.queries import CommentFilter
from editor_app.store.models import Comment
from tests.wordpress.conftest import Desk
from tests.wordpress.wpsite import ADMIN, Seeder, WordPressSite


def _comment(desk: Desk, remote_id: int) -> Comment:
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        link = uow.sites.links(site.id, "comment", [remote_id]).get(remote_id)
        assert link is not None
        c = uow.comments.get(link.local_id)
        assert c is not None
        uow.session.expunge(c)
        return c


def test_automatic_decisions_stay_suggestions_unless_the_site_says_send(
    desk: Desk, seed: Seeder
) -> None:
    assert desk.sites.status("gazette").site.auto_send is False  # the default
    post = seed.post("Ferry on Sundays")
    held = seed.comment(post, "Will the ferry run on Sundays too?", status="hold")
    desk.sites.pull("gazette")
    # The rules would approve it: here it waits in the held queue with their suggestion...
    c = _comment(desk, held)
    assert c.status == "pending" and "Rules suggest: approved" in c.reasons
    flt_rows = desk.services.comments.page(CommentFilter(held_only=True), limit=500).rows
    assert c.id in [r.id for r in flt_rows]
    # ...and nothing goes to the site, which keeps it held.
    assert desk.sites.status("gazette").outbox.get("waiting", 0) == 0
    assert desk.sites.push("gazette").sent == 0
    assert seed.comment_status(held) == "hold"
    # A moderator's decision is sent.
    desk.services.moderation.act([c.id], "approve", actor="desk")
    assert desk.sites.push("gazette").sent == 1
    assert seed.comment_status(held) == "approved"

    # Switched on: the rules' verdict on the next held comment goes to the site.
    assert desk.sites.set_options("gazette", auto_send=True).auto_send is True
    later = seed.comment(post, "And on holidays?", status="hold")
    desk.sites.pull("gazette")
    assert _comment(desk, later).status == "approved"
    assert desk.sites.push("gazette").sent == 1
    assert seed.comment_status(later) == "approved"


def test_site_add_auto_send_and_site_set_from_the_command_line(
    wordpress: WordPressSite, tmp_path: Path
) -> None:
    env = {**os.environ, "EDITOR_APP_CONFIG_DIR": str(tmp_path / "c"), "EDITOR_APP_KEYRING": "0"}
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "editor_app", "--db", db, "site", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=180,
        )

    pw = wordpress.app_password + "\n"
    plain = run("add", "quiet", wordpress.url, "--user", ADMIN, "--password-stdin", stdin=pw)
    assert plain.returncode == 0, plain.stderr
    assert "stay here as suggestions" in plain.stdout
    loud = run(
        "add", "loud", wordpress.url, "--user", ADMIN, "--password-stdin", "--auto-send", "--json",
        stdin=pw,
    )  # fmt: skip
    assert loud.returncode == 0, loud.stderr
    assert json.loads(loud.stdout)["auto_send"] is True
    sites = {s["name"]: s for s in json.loads(run("list", "--json").stdout)}
    assert (sites["quiet"]["auto_send"], sites["loud"]["auto_send"]) == (False, True)
    changed = run("set", "loud", "--auto-send", "off", "--pull-every", "15", "--json")
    assert changed.returncode == 0, changed.stderr
    got = json.loads(changed.stdout)
    assert (got["auto_send"], got["pull_every_minutes"]) == (False, 15)
    bad = run("set", "loud", "--pull-every", "5000")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1
    nothing = run("set", "loud")
    assert nothing.returncode == 1 and "--auto-send" in nothing.stderr
    again = json.loads(run("status", "loud", "--json").stdout)
    assert (again["auto_send"], again["pull_every_minutes"]) == (False, 15)
