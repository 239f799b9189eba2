"""Moderation of site comments reaches the real site through the outbox; a change made on
the site meanwhile is a conflict and is not overwritten; the outbox survives a kill -9 and a
site that is down."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.wordpress.conftest import Desk
from tests.wordpress.wpsite import ADMIN, Seeder, WordPressSite


def _local(desk: Desk, remote_id: int) -> int:
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        link = uow.sites.links(site.id, "comment", [remote_id]).get(remote_id)
        assert link is not None
        return link.local_id


def _remote(wp: WordPressSite, remote_id: int) -> dict[str, object]:
    return dict(wp.rest("GET", f"/wp/v2/comments/{remote_id}", params={"context": "edit"}))


def test_each_moderation_action_reaches_the_site(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    post = seed.post("Council votes on the marina")
    held = seed.comment(post, "Will the marina be public?", status="hold")
    other = seed.comment(post, "About time this was decided.", status="approved")
    desk.sites.pull("gazette")
    mod = desk.services.moderation
    c_held, c_other = _local(desk, held), _local(desk, other)

    def push_and_read(remote_id: int) -> dict[str, object]:
        result = desk.sites.push("gazette")
        assert result.failed == 0 and result.conflicts == 0, result.messages
        return _remote(wordpress, remote_id)

    for action, wp_status in (
        ("approve", "approved"),
        ("spam", "spam"),
        ("trash", "trash"),
        ("hold", "hold"),
    ):
        mod.act([c_held], action, actor="desk")
        assert desk.sites.status("gazette").outbox.get("waiting") == 1
        assert push_and_read(held)["status"] == wp_status
    mod.act([c_other], "spam", actor="undoer")
    mod.undo(actor="undoer")  # spam, then undone: the site ends approved again
    assert push_and_read(other)["status"] == "approved"
    mod.edit(c_other, "About time this was decided. [edited]", actor="desk")
    got = push_and_read(other)
    assert "[edited]" in str(got["content"])  # type: ignore[index]
    with desk.db.uow() as uow:
        from editor_app.store.models import Author

        uow.authors.add(Author(name="Desk Editor", name_key="desk editor", email="desk@x.org"))
        uow.commit()
        editor = uow.authors.by_email("desk@x.org")
        assert editor is not None
        editor_id = editor.id
    reply = mod.reply(c_held, "It will: the plans say so.", author_id=editor_id, actor="desk")
    desk.sites.push("gazette")
    replies = wordpress.rest(
        "GET", "/wp/v2/comments", params={"parent": held, "status": "any", "context": "edit"}
    )
    assert [r["content"]["raw"] for r in replies] == ["It will: the plans say so."]
    mine = reply.rows[-1].id  # the reply (its parent, approved by replying, comes first)
    state = desk.sites.states("comment", [mine])[mine]
    assert state.state == "sent" and state.remote_id == replies[0]["id"]
    # Nothing left, nothing sent twice.
    again = desk.sites.push("gazette")
    assert (again.sent, again.waiting) == (0, 0)


def test_a_change_made_on_the_site_meanwhile_is_a_conflict(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    post = seed.post("Harbour fees rise")
    remote = seed.comment(post, "Fees were low for years.", status="approved")
    desk.sites.pull("gazette")
    desk.sites.push("gazette")  # whatever the rules decided on other held comments
    local = _local(desk, remote)
    # Another moderator marks it spam in wp-admin; ours trashes it here.
    wordpress.rest("POST", f"/wp/v2/comments/{remote}", json={"status": "spam"})
    desk.services.moderation.act([local], "trash", actor="desk")
    result = desk.sites.push("gazette")
    assert result.conflicts == 1 and result.sent == 0
    assert "changed on the site to spam" in result.messages[0]
    # No editor is recorded for a comment: what the site has now and when we last saw it.
    assert "when we last saw it at 20" in result.messages[0]
    assert "the site has it now as spam: “Fees were low for years.”" in result.messages[0]
    assert "WordPress does not record who edits a comment" in result.messages[0]
    assert _remote(wordpress, remote)["status"] == "spam"  # not overwritten
    state = desk.sites.states("comment", [local])[local]
    assert state.state == "conflict" and "not overwritten" in state.error
    # Take theirs: the site's spam here too; nothing more to send.
    assert desk.sites.resolve("gazette", local, "theirs", actor="desk") == 1
    with desk.db.uow() as uow:
        c = uow.comments.get(local)
        assert c is not None and c.status == "spam"
    assert desk.sites.push("gazette").sent == 0
    # Keep mine: ours goes over the site's change at the next push.
    desk.services.moderation.act([local], "approve", actor="desk")
    wordpress.rest("POST", f"/wp/v2/comments/{remote}", json={"status": "hold"})
    assert desk.sites.push("gazette").conflicts == 1
    assert desk.sites.resolve("gazette", local, "mine", actor="desk") == 1
    assert desk.sites.push("gazette").sent == 1
    assert _remote(wordpress, remote)["status"] == "approved"
    # Words edited on the site, then here: a conflict too.
    other = seed.comment(post, "Original words.", status="approved")
    desk.sites.pull("gazette")
    wordpress.rest("POST", f"/wp/v2/comments/{other}", json={"content": "Their words."})
    desk.services.moderation.edit(_local(desk, other), "Our words.", actor="desk")
    result = desk.sites.push("gazette")
    assert result.conflicts == 1
    assert _remote(wordpress, other)["content"]["raw"] == "Their words."  # type: ignore[index]


def _cli(
    db: str, env: dict[str, str], *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "editor_app", "--db", db, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


def test_outbox_survives_kill_9_and_a_stopped_site(
    seed: Seeder, wordpress: WordPressSite, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {
        **os.environ,
        "EDITOR_APP_CONFIG_DIR": str(tmp_path / "config"),
        "EDITOR_APP_KEYRING": "0",
    }
    post = seed.post("Bridge closed for repairs")
    remote = seed.comment(post, "Which bridge exactly?", status="hold")
    added = _cli(
        db,
        env,
        "site",
        "add",
        "gz",
        wordpress.url,
        "--user",
        ADMIN,
        "--password-stdin",
        stdin=wordpress.app_password + "\n",
    )
    assert added.returncode == 0, added.stderr
    assert wordpress.app_password not in added.stdout + added.stderr
    assert _cli(db, env, "site", "pull", "gz", "--json").returncode == 0
    shown = _cli(db, env, "list", "comments", "--json")
    local = next(c["id"] for c in json.loads(shown.stdout) if c["body"] == "Which bridge exactly?")
    detail = json.loads(_cli(db, env, "show", "comment", str(local), "--json").stdout)
    assert (detail["site"], detail["remote_id"]) == ("gz", remote)

    # The site is down: the change waits, and says why.
    assert _cli(db, env, "moderate", "approve", str(local)).returncode == 0
    wordpress.stop()
    try:
        down = _cli(db, env, "site", "push", "gz", "--json")
        assert json.loads(down.stdout)["failed"] == 1
        assert down.returncode == 1 and down.stderr.count("\n") == 1
        assert down.stderr.startswith("error: ") and "does not answer" in down.stderr
        st = json.loads(_cli(db, env, "site", "status", "gz", "--json").stdout)
        assert st["outbox"]["failed"] == 1 and "does not answer" in st["last_error"]
    finally:
        wordpress.start()
    # The site hangs; the push is killed with -9 mid-send.
    assert _cli(db, env, "moderate", "spam", str(local)).returncode == 0
    assert wordpress.process is not None
    os.killpg(wordpress.process.pid, signal.SIGSTOP)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "editor_app", "--db", db, "site", "push", "gz"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(4)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        os.killpg(wordpress.process.pid, signal.SIGCONT)
    up = json.loads(_cli(db, env, "site", "push", "gz", "--json").stdout)
    assert up["failed"] == 0 and up["waiting"] == 0
    assert _remote(wordpress, remote)["status"] == "spam"
    st = json.loads(_cli(db, env, "site", "status", "gz", "--json").stdout)
    assert st["outbox"]["waiting"] == 0 and st["outbox"]["sent"] == 2
