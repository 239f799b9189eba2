"""Publishing to a real WordPress: a new piece with two figures, an update, a conflict after
an edit on the site, unpublish; one-line errors for a wrong password and a URL that is not
WordPress; the password in no store, backup or output."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from editor_app.domain.errors import Conflict
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, FigureData
from tests.wordpress.conftest import Desk
from tests.wordpress.helpers import assert_comment_under, ready_article
from tests.wordpress.wpsite import ADMIN, Seeder, WordPressSite, png


def _article(desk: Desk, email: str) -> int:
    slug = f"quay-{uuid.uuid4().hex[:6]}"
    result = desk.services.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title="The quay reopens",
                        body_html="<p>First paragraph.</p><p>Second paragraph.</p>",
                        dek="After two years of works.",
                        slug=slug,
                        status="ready",
                        section="Harbour News",
                        tags=("quay", f"works-{slug}"),
                        authors=(AuthorData(name="Lena Brandt", email=email),),
                        figures=(
                            FigureData(
                                caption="The new quay",
                                credit="Photo: Ana Ruiz",
                                alt="Stone quay in sun",
                                anchor=1,
                                image=png((10, 120, 200)),
                                image_mime="image/png",
                            ),
                            FigureData(
                                caption="Opening day",
                                credit="Photo: Ivo Lind",
                                alt="Crowd on the quay",
                                anchor=2,
                                image=png((200, 200, 10)),
                                image_mime="image/png",
                            ),
                        ),
                        source_key=f"test:{slug}",
                    ),
                )
            )
        ]
    )
    return result.article_ids[0]


def _post(wp: WordPressSite, post_id: int) -> dict[str, Any]:
    return dict(wp.rest("GET", f"/wp/v2/posts/{post_id}", params={"context": "edit"}))


def test_publish_a_piece_with_two_figures_update_and_conflict(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    email = f"lena{uuid.uuid4().hex[:6]}@gazette.example"
    lena = seed.user("Lena Brandt", email)
    article_id = _article(desk, email)
    sent = desk.sites.publish("gazette", article_id, "publish")
    post = _post(wordpress, sent.remote_id)
    assert sent.status == "publish" and post["status"] == "publish"
    assert sent.link == post["link"]
    assert post["title"]["raw"] == "The quay reopens"
    assert post["excerpt"]["raw"] == "After two years of works."
    assert post["author"] == lena
    cats = [wordpress.rest("GET", f"/wp/v2/categories/{c}")["name"] for c in post["categories"]]
    tags = [wordpress.rest("GET", f"/wp/v2/tags/{t}")["name"] for t in post["tags"]]
    assert cats == ["Harbour News"] and "quay" in tags and len(tags) == 2
    content = post["content"]["raw"]
    assert content.count("<img") == 2 and "First paragraph." in content
    media = [
        wordpress.rest("GET", f"/wp/v2/media/{m}", params={"context": "edit"})
        for m in _media_ids(desk, article_id)
    ]
    assert [(m["alt_text"], m["caption"]["raw"]) for m in media] == [
        ("Stone quay in sun", 'The new quay <small class="credit">Photo: Ana Ruiz</small>'),
        ("Crowd on the quay", 'Opening day <small class="credit">Photo: Ivo Lind</small>'),
    ]
    assert post["featured_media"] == media[0]["id"]
    assert all(m["source_url"] in content for m in media)

    # An update: same post, same media, the new title.
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None
        a.title = "The quay reopens at last"
        uow.commit()
    again = desk.sites.publish("gazette", article_id)
    assert again.remote_id == sent.remote_id
    assert _post(wordpress, sent.remote_id)["title"]["raw"] == "The quay reopens at last"
    assert _media_ids(desk, article_id) == [m["id"] for m in media]

    # Someone edits it on the site: our update is a conflict and overwrites nothing.
    wordpress.rest("POST", f"/wp/v2/posts/{sent.remote_id}", json={"title": "Edited on the site"})
    with pytest.raises(Conflict, match="changed on the site"):
        desk.sites.publish("gazette", article_id)
    assert _post(wordpress, sent.remote_id)["title"]["raw"] == "Edited on the site"
    # Take theirs: the site's title here, ours kept as a revision; then publish again (no
    # conflict now), keep mine with --force after another edit there, and back to draft.
    desk.sites.take_theirs("gazette", article_id)
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None and a.title == "Edited on the site"
        assert "Took the site's version" in [r.note for r in uow.articles.revisions(article_id)]
        a.title = "The quay reopens at last"
        uow.commit()
    desk.sites.publish("gazette", article_id)
    wordpress.rest("POST", f"/wp/v2/posts/{sent.remote_id}", json={"title": "Edited again"})
    with pytest.raises(Conflict):
        desk.sites.publish("gazette", article_id)
    desk.sites.publish("gazette", article_id, force=True)
    assert _post(wordpress, sent.remote_id)["title"]["raw"] == "The quay reopens at last"
    assert desk.sites.unpublish("gazette", article_id).status == "draft"
    assert _post(wordpress, sent.remote_id)["status"] == "draft"


def _media_ids(desk: Desk, article_id: int) -> list[int]:
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id, full=True)
        assert a is not None
        links = uow.sites.local_links("figure", [f.id for f in a.figures])
        return [links[f.id].remote_id for f in a.figures]


@pytest.fixture
def not_wordpress(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "index.html").write_text("<html><body>Just a page</body></html>")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


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


def test_wrong_password_not_wordpress_and_no_password_anywhere(
    wordpress: WordPressSite, seed: Seeder, tmp_path: Path, not_wordpress: str
) -> None:
    store = tmp_path / "cli.sqlite3"
    db = f"sqlite:///{store}"
    config = tmp_path / "config"
    env = {**os.environ, "EDITOR_APP_CONFIG_DIR": str(config), "EDITOR_APP_KEYRING": "0"}
    outputs: list[str] = []

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        r = _cli(db, env, *args, stdin=stdin)
        outputs.append(r.stdout + r.stderr)
        return r

    wrong = run(
        "site",
        "add",
        "gz",
        wordpress.url,
        "--user",
        ADMIN,
        "--password-stdin",
        stdin="abcd efgh ijkl mnop qrst uvwx\n",
    )
    assert wrong.returncode == 1
    assert wrong.stderr.count("\n") == 1 and wrong.stderr.startswith("error: ")
    assert "refused the user or the application password" in wrong.stderr
    other = run(
        "site",
        "add",
        "gz",
        not_wordpress,
        "--user",
        ADMIN,
        "--password-stdin",
        stdin="abcd efgh ijkl mnop qrst uvwx\n",
    )
    assert other.returncode == 1 and other.stderr.count("\n") == 1
    assert "is not a WordPress site" in other.stderr
    down = run(
        "site",
        "add",
        "gz",
        f"http://127.0.0.1:{_closed_port()}",
        "--user",
        ADMIN,
        "--password-stdin",
        stdin="abcd efgh ijkl mnop qrst uvwx\n",
    )
    assert down.returncode == 1 and down.stderr.count("\n") == 1
    assert "does not answer" in down.stderr
    assert json.loads(run("site", "list", "--json").stdout) == []  # nothing was kept

    post = seed.post("Ferry timetable")
    seed.comment(post, "Is the timetable final?", status="hold")
    added = run(
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
    assert f"a file only you can read ({config / 'site-passwords.json'})" in added.stdout
    assert stat.S_IMODE((config / "site-passwords.json").stat().st_mode) == 0o600
    assert run("site", "pull", "gz").returncode == 0
    assert run("site", "push", "gz").returncode in (0, 1)
    assert run("site", "status", "gz").returncode == 0
    backup = tmp_path / "backup.json"
    assert run("backup", str(backup)).returncode == 0
    secret = wordpress.app_password
    for blob in (store.read_bytes(), backup.read_bytes(), "\n".join(outputs).encode()):
        assert secret.encode() not in blob
    for extra in tmp_path.rglob("*.sqlite3-wal"):
        assert secret.encode() not in extra.read_bytes()
    # The password is where we said, and nowhere in the store's folder.
    assert secret in (config / "site-passwords.json").read_text()


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_password_in_the_logs(
    desk: Desk, seed: Seeder, wordpress: WordPressSite, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    post = seed.post("Tide tables")
    seed.comment(post, "Are the tables for this week?", status="hold")
    with caplog.at_level(logging.DEBUG):
        desk.sites.pull("gazette")
        desk.sites.push("gazette")
        desk.sites.status("gazette")
    assert caplog.records  # httpx and the app did log
    assert wordpress.app_password not in caplog.text
    assert wordpress.app_password.replace(" ", "") not in caplog.text


def test_a_scheduled_piece_goes_as_future_with_its_date(
    desk: Desk, wordpress: WordPressSite
) -> None:
    from datetime import UTC, datetime, timedelta

    when = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    slug = f"regatta-{uuid.uuid4().hex[:6]}"
    result = desk.services.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title="Regatta on Saturday",
                        body_html="<p>Boats at noon.</p>",
                        slug=slug,
                        status="scheduled",
                        published_at=when,
                        source_key=f"test:{slug}",
                    ),
                )
            )
        ]
    )
    sent = desk.sites.publish("gazette", result.article_ids[0])
    post = _post(wordpress, sent.remote_id)
    assert sent.status == "future" and post["status"] == "future"
    assert post["date_gmt"] == when.strftime("%Y-%m-%dT%H:%M:%S")


@pytest.mark.parametrize("own_key", [True, False], ids=["imported", "made-here"])
def test_a_readers_comment_on_a_post_published_from_here_comes_to_its_article(
    desk: Desk, seed: Seeder, own_key: bool
) -> None:
    """The article has a source key of its own (imported from a file) or none (written here):
    either way a comment on its post is pulled under it, not under a new empty article."""
    desk.sites.pull("gazette")  # what the site had before
    slug = f"ferry-{uuid.uuid4().hex[:6]}"
    article_id = ready_article(
        desk,
        title="Ferry fares frozen",
        body_html="<p>Fares stay as they are.</p>",
        slug=slug,
        source_key=f"test:{slug}" if own_key else "",
    )
    post = desk.sites.publish("gazette", article_id, "publish").remote_id
    remark = seed.comment(post, "Good news for the islands.", status="approved")
    pulled = desk.sites.pull("gazette")
    assert (pulled.articles, pulled.comments) == (0, 1)
    assert_comment_under(desk, remark, article_id)
    assert desk.sites.pull("gazette").comments == 0


def _published_from_here(desk: Desk, title: str, body_html: str, slug: str) -> tuple[int, int]:
    """After a pull of what the site had, an article written here (no source key), its
    slug `slug` and a suffix of its own, is published. (article id, post id)"""
    desk.sites.pull("gazette")
    article_id = ready_article(
        desk,
        title=title,
        body_html=body_html,
        slug=f"{slug}-{uuid.uuid4().hex[:6]}",
        source_key="",
    )
    return article_id, desk.sites.publish("gazette", article_id, "publish").remote_id


def test_giving_an_article_made_here_the_sites_key_leaves_its_version_alone(
    desk_on: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """A comment on the post of an article written here (no source key) makes the pull give
    the article the site's key. Its version stays: an edit on the site afterwards comes in
    (not "changed both here and on the site"), and an editor who had it open is not refused."""
    desk = desk_on
    article_id, post = _published_from_here(
        desk, "Ferry fares frozen", "<p>Fares stay as they are.</p>", "ferry"
    )
    opened = desk.services.editor.open(article_id)
    seed.comment(post, "Good news for the islands.", status="approved")
    assert desk.sites.pull("gazette").comments == 1
    with desk.db.uow() as uow:
        article = uow.articles.get(article_id)
        assert article is not None and article.source_key and article.version == opened.version
    wordpress.rest("POST", f"/wp/v2/posts/{post}", json={"title": "Ferry fares frozen to May"})
    pulled = desk.sites.pull("gazette")
    assert pulled.updated == 1 and not pulled.messages
    with desk.db.uow() as uow:
        article = uow.articles.get(article_id)
        assert article is not None and article.title == "Ferry fares frozen to May"


def test_a_comment_goes_to_the_linked_article_not_an_empty_one_an_older_pull_made(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """An older pull gave a comment on a post published from here a new, empty article
    holding the site's key. The article the post is linked to takes the key from it: the
    next comment goes under the article."""
    article_id, post = _published_from_here(desk, "Tolls dropped", "<p>No tolls.</p>", "tolls")
    key = f"wxr:{wordpress.url.rstrip('/')}:{post}"
    desk.services.imports.import_bundles(
        [Bundle(articles=(ArticleData(title="Tolls dropped", body_html="", source_key=key),))]
    )
    remark = seed.comment(post, "About time.", status="approved")
    assert desk.sites.pull("gazette").comments == 1
    assert_comment_under(desk, remark, article_id)


def test_an_article_imported_from_a_wxr_file_keeps_its_key_when_the_post_is_pulled(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """An article imported from a WXR export holds the site's key of a post; an article
    written here is published as that post too (a duplicate for the user to settle). A
    pull of a comment on it leaves the imported article its key: only an empty article an
    older pull made gives it up."""
    _, post = _published_from_here(desk, "Ferry fares", "<p>Fares rise in May.</p>", "ferry")
    key = f"wxr:{wordpress.url.rstrip('/')}:{post}"
    (imported,) = desk.services.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title="Ferry fares", body_html="<p>Fares rise in May.</p>", source_key=key
                    ),
                )
            )
        ]
    ).article_ids
    seed.comment(post, "Again?", status="approved")
    desk.sites.pull("gazette")
    with desk.db.uow() as uow:
        kept = uow.articles.get(imported)
        assert kept is not None and kept.source_key == key
