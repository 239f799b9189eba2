"""Pull from a local WordPress, and the time from a moderation key to the site having it.

Starts the same real WordPress the tests use (Debian's package, MariaDB, PHP's own server;
tests/wordpress/wpsite.py), fills it with POSTS posts and COMMENTS comments through
WordPress's own PHP functions (wp_insert_post, wp_insert_comment: what a site's readers and
editors produce), then measures with Copydesk's services:

* the first pull into an empty store: time, HTTP requests, what it brought;
* a pull with nothing new (the incremental path), and one after 50 new comments;
* a moderation action on a site comment until the REST API reports the new status, through
  act() + push() as the window's background send does (the window adds its 1 s debounce).

Usage: .venv/bin/python bench/bench_site.py [--posts 1000] [--comments 20000] [--keys 20]
Prints figures; asserts nothing. Needs root (it writes /etc/wordpress/config-*.php).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from editor_app.remote.credentials import Credentials  # noqa: E402
from editor_app.services.container import Services  # noqa: E402
from editor_app.services.sites import SiteService  # noqa: E402
from editor_app.store.database import Database  # noqa: E402


def _wpsite() -> Any:
    """The tests' WordPress harness, by its file: `tests/` is a namespace package, and a
    dependency that ships a top-level `tests` package (spylls does) would shadow it."""
    spec = importlib.util.spec_from_file_location(
        "copydesk_wpsite", ROOT / "tests" / "wordpress" / "wpsite.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


_wp = _wpsite()
ADMIN, make_site, unavailable = _wp.ADMIN, _wp.make_site, _wp.unavailable

FILL = r"""
global $wpdb;
$wpdb->query('START TRANSACTION');
wp_defer_comment_counting(true);
wp_suspend_cache_invalidation(true);
$posts = %(posts)d; $comments = %(comments)d;
$ids = [];
for ($i = 0; $i < $posts; $i++) {
    $ids[] = wp_insert_post([
        'post_title' => "Bench story $i",
        'post_content' => "<p>Paragraph one of story $i.</p>\n\n<p>Paragraph two.</p>",
        'post_status' => ($i %% 10 == 0) ? 'draft' : 'publish',
        'post_author' => 1,
    ]);
}
$statuses = ['1', '1', '1', '0', 'spam', 'trash'];
$last = [];
for ($j = 0; $j < $comments; $j++) {
    $post = $ids[$j %% count($ids)];
    $parent = (isset($last[$post]) && $j %% 3 == 0) ? $last[$post] : 0;
    $last[$post] = wp_insert_comment([
        'comment_post_ID' => $post,
        'comment_parent' => $parent,
        'comment_author' => 'Reader ' . ($j %% 997),
        'comment_author_email' => 'reader' . ($j %% 997) . '@example.org',
        'comment_author_IP' => '192.0.2.' . ($j %% 250 + 1),
        'comment_content' => "Comment $j on the story, with a few words to read.",
        'comment_approved' => $statuses[$j %% 6],
        'comment_date_gmt' => gmdate('Y-m-d H:i:s', time() - ($comments - $j)),
    ]);
}
wp_defer_comment_counting(false);
$wpdb->query('COMMIT');
echo count($ids), " ", $comments;
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--comments", type=int, default=20000)
    ap.add_argument("--keys", type=int, default=20)
    ap.add_argument(
        "--auto-send",
        action="store_true",
        help="send the rules' decisions on held comments to the site (the site setting)",
    )
    args = ap.parse_args()
    # A kill (SIGTERM) still drops the bench's database and stops its PHP server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    reason = unavailable()
    if reason:
        print(f"cannot run: {reason}")
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        work = Path(tmp)
        os.environ["EDITOR_APP_KEYRING"] = "0"
        t0 = time.perf_counter()
        site = make_site(work)
        try:
            print(f"WordPress up in {time.perf_counter() - t0:.1f} s at {site.url}")
            t0 = time.perf_counter()
            made = site.php(FILL % {"posts": args.posts, "comments": args.comments}, timeout=3600)
            print(f"filled ({made.strip()} posts/comments) in {time.perf_counter() - t0:.1f} s")
            db = Database(f"sqlite:///{work / 'store.sqlite3'}")
            services = Services.build(db.uow)
            sites = SiteService(
                services.uow, services.imports, Credentials(work / "config", use_keyring=False)
            )
            sites.add("bench", site.url, ADMIN, site.app_password, auto_send=args.auto_send)
            for label in ("first pull", "pull, nothing new"):
                t0 = time.perf_counter()
                r = sites.pull("bench")
                dt = time.perf_counter() - t0
                print(
                    f"{label}: {dt:.1f} s, {r.requests} requests; {r.articles} articles, "
                    f"{r.comments} comments, {r.updated} updated, {r.skipped} skipped"
                )
            post_id = int(site.php("echo get_posts(['numberposts' => 1])[0]->ID;"))
            site.php(
                f"for ($k = 0; $k < 50; $k++) wp_insert_comment(['comment_post_ID' => {post_id},"
                " 'comment_content' => \"late comment $k\", 'comment_approved' => '0',"
                " 'comment_author' => 'Late reader']);"
            )
            t0 = time.perf_counter()
            r = sites.pull("bench")
            print(
                f"pull after 50 new comments: {time.perf_counter() - t0:.2f} s, "
                f"{r.requests} requests; {r.comments} comments, {r.updated} updated"
            )
            with db.uow() as uow:
                s = uow.sites.by_name("bench")
                assert s is not None
                queued = uow.sites.outbox_counts(s.id).get("waiting", 0)
            t0 = time.perf_counter()
            # What the rules decided on the site's held comments (none unless --auto-send).
            p = sites.push("bench")
            dt = time.perf_counter() - t0
            print(
                f"push of {queued} auto-moderation decisions on held comments: {dt:.1f} s "
                f"({p.sent} sent, {p.conflicts} conflicts; {queued / max(dt, 1e-9):.0f}/s)"
            )
            with db.uow() as uow:
                s = uow.sites.by_name("bench")
                assert s is not None
                links = [
                    (lnk.local_id, lnk.remote_id)
                    for lnk in uow.sites.open_comment_links(s.id)[: args.keys]
                ]
            if not links:
                with db.uow() as uow:
                    from editor_app.store.models import SiteLink

                    links = [
                        (x.local_id, x.remote_id)
                        for x in uow.session.query(SiteLink)
                        .filter(SiteLink.kind == "comment")
                        .limit(args.keys)
                    ]
            latencies = []
            with site.api() as api:
                for local, remote in links:
                    with db.uow() as uow:
                        c = uow.comments.get(local)
                        action = "spam" if c is not None and c.status != "spam" else "approve"
                    want = {"spam": "spam", "approve": "approved"}[action]
                    t0 = time.perf_counter()
                    services.moderation.act([local], action, actor="bench")
                    sites.push("bench")
                    while True:
                        got = api.get(
                            "/",
                            params={
                                "rest_route": f"/wp/v2/comments/{remote}",
                                "context": "edit",
                            },
                        ).json()
                        if got["status"] == want:
                            break
                    latencies.append(time.perf_counter() - t0)
            if latencies:
                print(
                    f"key to site ({len(latencies)} actions, act + push + read back): median "
                    f"{statistics.median(latencies) * 1000:.0f} ms, max "
                    f"{max(latencies) * 1000:.0f} ms (the window adds a 1 s debounce)"
                )
            db.dispose()
        finally:
            site.destroy()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
