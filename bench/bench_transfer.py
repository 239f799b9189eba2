"""Imports and exports at scale: a WordPress export of 10,000 posts and 200,000 comments.

    python bench/bench_transfer.py [--posts 10000 --comments 200000] [--seed 1] [--quick]
        [--probe-quick] [--skip-probe] [--skip-exports]

1. Writes a WXR 1.2 file into bench/out (once per size and seed; later runs reuse it), streamed
   item by item as WordPress writes it: classic-editor bodies of 300-1,500 words with
   paragraphs separated by blank lines, the odd ``<blockquote>``, ``<em>`` and link; authors,
   categories and tags; threaded comments (a parent's id always below its replies'), statuses
   ``1``, ``0``, ``spam`` and ``trash``, commenters with e-mails at example.com/.org/.net and
   IPs from the documentation ranges (RFC 5737, RFC 3849). The text comes from the invented
   vocabulary of ``generate.py``.
2. Imports it into a fresh SQLite store in a fresh process, the way the app does
   (``Database(url)``, ``Services.build(db.uow).imports.import_paths([wxr])``): wall time and
   peak RSS (``ru_maxrss`` of the child). Then again with the scorer replaced by a stub that
   returns zero scores ("without scoring"), to show what the scorer costs.
3. A raw baseline in a fresh process: ``lxml.etree.iterparse`` over the same file (elements
   cleared as it goes) and the same article and comment rows inserted with plain
   ``executemany`` through the raw DBAPI connection of a store made by ``Database(url)``, in
   one transaction. The ratio import/baseline is printed.
4. The GUI thread while the import runs as the app runs it: a child with
   ``QT_QPA_PLATFORM=offscreen``, a ``QApplication``, the app's jobs panel and status corner,
   and a 10 ms precise ``QTimer`` recording when it fires, while ``JobManager`` runs the
   import on its pool thread. A stall is a gap between ticks minus the 10 ms.
5. Exports from the imported store: every article to Markdown and to HTML (a folder), every
   article to WXR (one file), one article to PDF and to DOCX (median of 5, for an article of
   median length and for the longest).

``--quick`` makes every step use 2,000 posts and 40,000 comments; ``--probe-quick`` only the
GUI probe (its import takes as long as the plain one). Children report one JSON line each.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import itertools
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import IO, Any

from benchlib import OUT, PYTHON, ROOT, TREE_ENV, Table, clean_env, load_generator, tree_of

from editor_app.domain.text import slugify

QUICK = (2_000, 40_000)
FULL = (10_000, 200_000)
# Part of the file name: a change to what the generator writes must not reuse old files.
GEN_VERSION = 1
SITE = "https://courier.example.org"
WP = "http://wordpress.org/export/1.2/"
END = datetime(2026, 1, 1, tzinfo=UTC)
# The site's local time, as WordPress writes post_date beside post_date_gmt.
LOCAL = timedelta(hours=1)
TICK_MS = 10

# WordPress post statuses of the export, and comment_approved values.
POST_STATUSES = ["publish"] * 85 + ["draft"] * 6 + ["pending"] * 3 + ["future"] * 2
POST_STATUSES += ["private"] * 2 + ["trash"] * 2
COMMENT_APPROVED = ["1"] * 75 + ["0"] * 15 + ["spam"] * 6 + ["trash"] * 4
REPLY_SHARE = 0.4
MAX_DEPTH = 4

TARGETS = {
    "ratio": "<= 3x baseline",
    "rss": "< 300 MB",
    "stall": "<= 50 ms",
    "export": "<= 4 s (10,000)",
    "pdf": "< 1 s",
    "docx": "< 0.5 s",
}


# --------------------------------------------------------------------------------------
# 1. The WXR file


def wxr_path(posts: int, comments: int, seed: int) -> Path:
    return OUT / f"transfer-{posts}p-{comments}c-s{seed}-v{GEN_VERSION}.xml"


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _wp_time(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M:%S")


class WxrWriter:
    """Writes a WordPress export item by item; nothing but the current item is in memory."""

    def __init__(self, out: IO[bytes], posts: int, comments: int, seed: int):
        self.out = out
        self.posts = posts
        self.n_comments = comments
        self.gen = load_generator()
        self.rng = random.Random(seed)
        self.text = self.gen.Text(self.rng)
        self.comment_id = 0
        self.stats: Counter[str] = Counter()

    def write(self, s: str) -> None:
        self.out.write(s.encode("utf-8"))

    def run(self) -> Counter[str]:
        gen, rng = self.gen, self.rng
        self.authors = self._authors(max(1, self.posts // 25))
        statuses = rng.choices(POST_STATUSES, k=self.posts)
        published = [i for i, s in enumerate(statuses) if s == "publish"] or [0]
        # Comments per post: heavy-tailed, a few posts get most of them.
        weights = [rng.lognormvariate(0, 1.3) for _ in published]
        per_post = Counter(rng.choices(published, weights=weights, k=self.n_comments))
        self.pool = gen.commenter_pool(rng, gen.pool_size(self.n_comments))
        self.who = gen._zipf_indices(len(self.pool), 0.8)
        self.sents, self.counts = self.text.sentence_pool(
            max(2_000, min(300_000, self.n_comments // 3))
        )
        self.sections = list(gen._SECTIONS)
        self.tags = list(gen._TAGS)
        self._header()
        slugs: set[str] = set()
        year_start = END - timedelta(days=365)
        for i in range(self.posts):
            when = year_start + timedelta(seconds=rng.random() * 364 * 86400)
            self._item(i + 1, statuses[i], when, per_post.get(i, 0), slugs)
        self.write("</channel>\n</rss>\n")
        return self.stats

    def _authors(self, n: int) -> list[tuple[str, str, str, str]]:
        gen, rng = self.gen, self.rng
        out = []
        for k in range(1, n + 1):
            first, last = rng.choice(gen._FIRST_NAMES), rng.choice(gen._LAST_NAMES)
            login = f"{first}{last[0]}{k}".lower()
            out.append((login, f"{login}@newsroom.example", first, last))
        return out

    def _header(self) -> None:
        slug = slugify
        parts = [
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            "<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of "
            "your site. (Synthetic: bench/bench_transfer.py) -->\n"
            '<rss version="2.0"\n'
            f'\txmlns:excerpt="{WP}excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            f'\txmlns:wp="{WP}"\n>\n\n<channel>\n'
            "\t<title>Harbourtown Courier</title>\n"
            f"\t<link>{SITE}</link>\n"
            "\t<description>News from the harbour</description>\n"
            f"\t<pubDate>{format_datetime(END)}</pubDate>\n"
            "\t<language>en-GB</language>\n"
            "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{SITE}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n\n"
        ]
        for k, (login, email, first, last) in enumerate(self.authors, 1):
            parts.append(
                f"\t<wp:author><wp:author_id>{k}</wp:author_id>"
                f"<wp:author_login>{_cdata(login)}</wp:author_login>"
                f"<wp:author_email>{_cdata(email)}</wp:author_email>"
                f"<wp:author_display_name>{_cdata(f'{first} {last}')}</wp:author_display_name>"
                f"<wp:author_first_name>{_cdata(first)}</wp:author_first_name>"
                f"<wp:author_last_name>{_cdata(last)}</wp:author_last_name></wp:author>\n"
            )
        term = 0
        for name in self.sections:
            term += 1
            parts.append(
                f"\t<wp:category><wp:term_id>{term}</wp:term_id>"
                f"<wp:category_nicename>{_cdata(slug(name))}</wp:category_nicename>"
                "<wp:category_parent></wp:category_parent>"
                f"<wp:cat_name>{_cdata(name)}</wp:cat_name></wp:category>\n"
            )
        for name in self.tags:
            term += 1
            parts.append(
                f"\t<wp:tag><wp:term_id>{term}</wp:term_id>"
                f"<wp:tag_slug>{_cdata(slug(name))}</wp:tag_slug>"
                f"<wp:tag_name>{_cdata(name)}</wp:tag_name></wp:tag>\n"
            )
        parts.append("\n\t<generator>https://wordpress.org/?v=6.4.2</generator>\n\n")
        self.write("".join(parts))

    def _body(self) -> str:
        """Classic-editor content: paragraphs separated by blank lines, no ``<p>``."""
        rng, text = self.rng, self.text
        words = 300 + int(rng.random() * 1201)
        self.stats["words"] += words
        paras = []
        while words > 0:
            k = min(words, 40 + int(rng.random() * 110))
            words -= k
            para = text.sentences(k)
            r = rng.random()
            if r < 0.08:
                para = f"<blockquote>{para}</blockquote>"
                self.stats["blockquotes"] += 1
            elif r < 0.14:
                cut = para.find(" ", len(para) // 2)
                if cut > 0:
                    href = f"{SITE}/?p={rng.randrange(1, 9999)}"
                    para = f'{para[:cut]} (<a href="{href}">more</a>){para[cut:]}'
            elif r < 0.2:
                first, _, rest = para.partition(" ")
                para = f"<em>{first}</em> {rest}"
            elif r < 0.22:
                cut = para.find(". ")
                if cut > 0:  # a single newline: WordPress makes it a <br />
                    para = para[: cut + 1] + "\n" + para[cut + 2 :]
            paras.append(para)
        return "\n\n".join(paras)

    def _item(self, post_id: int, status: str, when: datetime, n_comments: int, slugs: set[str]):
        rng, text = self.rng, self.text
        title = text.title()
        slug = base = slugify(title, 70)
        n = 2
        while slug in slugs:
            slug = f"{base}-{n}"
            n += 1
        slugs.add(slug)
        login = self.authors[rng.randrange(len(self.authors))][0]
        link = f"{SITE}/?p={post_id}"
        draft = status in ("draft", "pending")
        gmt = "0000-00-00 00:00:00" if draft else _wp_time(when)
        excerpt = text.sentences(12 + int(rng.random() * 18)) if rng.random() < 0.3 else ""
        parts = [
            "\t<item>\n",
            f"\t\t<title>{_cdata(title)}</title>\n",
            f"\t\t<link>{link}</link>\n",
            f"\t\t<pubDate>{format_datetime(when)}</pubDate>\n",
            f"\t\t<dc:creator>{_cdata(login)}</dc:creator>\n",
            f'\t\t<guid isPermaLink="false">{link}</guid>\n',
            "\t\t<description></description>\n",
            f"\t\t<content:encoded>{_cdata(self._body())}</content:encoded>\n",
            f"\t\t<excerpt:encoded>{_cdata(excerpt)}</excerpt:encoded>\n",
            f"\t\t<wp:post_id>{post_id}</wp:post_id>\n",
            f"\t\t<wp:post_date>{_cdata(_wp_time(when + LOCAL))}</wp:post_date>\n",
            f"\t\t<wp:post_date_gmt>{_cdata(gmt)}</wp:post_date_gmt>\n",
            f"\t\t<wp:post_modified>{_cdata(_wp_time(when + LOCAL))}</wp:post_modified>\n",
            f"\t\t<wp:post_modified_gmt>{_cdata(_wp_time(when))}</wp:post_modified_gmt>\n",
            "\t\t<wp:comment_status><![CDATA[open]]></wp:comment_status>\n",
            "\t\t<wp:ping_status><![CDATA[closed]]></wp:ping_status>\n",
            f"\t\t<wp:post_name>{_cdata('' if draft else slug)}</wp:post_name>\n",
            f"\t\t<wp:status>{_cdata(status)}</wp:status>\n",
            "\t\t<wp:post_parent>0</wp:post_parent>\n",
            "\t\t<wp:menu_order>0</wp:menu_order>\n",
            "\t\t<wp:post_type><![CDATA[post]]></wp:post_type>\n",
            "\t\t<wp:post_password><![CDATA[]]></wp:post_password>\n",
            "\t\t<wp:is_sticky>0</wp:is_sticky>\n",
        ]
        cats = [rng.choice(self.sections)]
        if rng.random() < 0.15:
            cats.append(rng.choice(self.sections))
        for name in dict.fromkeys(cats):
            parts.append(
                f'\t\t<category domain="category" nicename="{slugify(name)}">'
                f"{_cdata(name)}</category>\n"
            )
        for name in rng.sample(self.tags, int(rng.random() * 4)):
            parts.append(
                f'\t\t<category domain="post_tag" nicename="{slugify(name)}">'
                f"{_cdata(name)}</category>\n"
            )
        parts.append(
            "\t\t<wp:postmeta><wp:meta_key><![CDATA[_edit_last]]></wp:meta_key>"
            "<wp:meta_value><![CDATA[1]]></wp:meta_value></wp:postmeta>\n"
        )
        if n_comments:
            self._comments(parts, when, n_comments)
        parts.append("\t</item>\n")
        self.write("".join(parts))
        self.stats["posts"] += 1
        self.stats[f"post:{status}"] += 1

    def _comments(self, parts: list[str], published: datetime, n: int) -> None:
        rng, pool, who = self.rng, self.pool, self.who
        rand = rng.random
        sents, counts = self.sents, self.counts
        # Most comments come in the first day or two, some long after.
        delays = sorted(
            rng.expovariate(1 / 72_000) if rand() < 0.85 else rand() * 180 * 86400 for _ in range(n)
        )
        depth: dict[int, int] = {}
        thread: list[int] = []  # ids of this post's comments that may take a reply
        for delay in delays:
            self.comment_id += 1
            cid = self.comment_id
            parent = 0
            if thread and rand() < REPLY_SHARE:
                parent = thread[-1 - int(rand() * min(30, len(thread)))]
                self.stats["replies"] += 1
            d = depth[parent] + 1 if parent else 0
            if d < MAX_DEPTH:
                depth[cid] = d
                thread.append(cid)
            c = pool[who[int(rand() * len(who))]]
            want = min(200, max(5, int(math.exp(3.3 + 0.8 * rng.gauss(0, 1)))))
            body: list[str] = []
            got = 0
            while got < want:
                j = int(rand() * len(sents))
                body.append(sents[j])
                got += counts[j]
            if got > 90 and rand() < 0.6:  # a long comment in two paragraphs
                half = len(body) // 2
                content = " ".join(body[:half]) + "\n\n" + " ".join(body[half:])
            else:
                content = " ".join(body)
            approved = COMMENT_APPROVED[int(rand() * 100)]
            self.stats[f"comment:{approved}"] += 1
            self.stats["comments"] += 1
            at = min(published + timedelta(seconds=delay), END - timedelta(seconds=1))
            parts.append(
                "\t\t<wp:comment>\n"
                f"\t\t\t<wp:comment_id>{cid}</wp:comment_id>\n"
                f"\t\t\t<wp:comment_author>{_cdata(c.name)}</wp:comment_author>\n"
                f"\t\t\t<wp:comment_author_email>{_cdata(c.email)}</wp:comment_author_email>\n"
                f"\t\t\t<wp:comment_author_url>{c.url}</wp:comment_author_url>\n"
                f"\t\t\t<wp:comment_author_IP>{_cdata(c.ip)}</wp:comment_author_IP>\n"
                f"\t\t\t<wp:comment_date>{_cdata(_wp_time(at + LOCAL))}</wp:comment_date>\n"
                f"\t\t\t<wp:comment_date_gmt>{_cdata(_wp_time(at))}</wp:comment_date_gmt>\n"
                f"\t\t\t<wp:comment_content>{_cdata(content)}</wp:comment_content>\n"
                f"\t\t\t<wp:comment_approved>{_cdata(approved)}</wp:comment_approved>\n"
                "\t\t\t<wp:comment_type><![CDATA[comment]]></wp:comment_type>\n"
                f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n"
                "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
                "\t\t</wp:comment>\n"
            )


def ensure_wxr(posts: int, comments: int, seed: int) -> tuple[Path, float | None]:
    """The WXR file for these parameters and the seconds it took to write (None: reused)."""
    path = wxr_path(posts, comments, seed)
    if path.exists():
        return path, None
    OUT.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    print(f"writing {path.name} (once; later runs reuse it)…", file=sys.stderr)
    t = time.perf_counter()
    with part.open("wb", buffering=1 << 20) as fh:
        stats = WxrWriter(fh, posts, comments, seed).run()
    elapsed = time.perf_counter() - t
    part.rename(path)
    summary = ", ".join(f"{k} {v:,}" for k, v in sorted(stats.items()))
    print(f"  {elapsed:.1f} s, {path.stat().st_size / 1e6:,.0f} MB: {summary}", file=sys.stderr)
    return path, elapsed


# --------------------------------------------------------------------------------------
# Children: each prints one line "RESULT {json}" on stdout.


def _rss_now() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def _peak_rss() -> int:
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024  # KiB on Linux


def _report(**values: Any) -> None:
    print("RESULT " + json.dumps(values), flush=True)


class _ZeroScorer:
    """Stands in for the scorer: every comment scores 0 with no reasons (bench only)."""

    def score_many(self, texts: Sequence[str]) -> list[Any]:
        from editor_app.moderation.scorer import ScoreResult

        zero = ScoreResult(0.0)
        return [zero] * len(texts)


def _services(url: str, scoring: bool) -> Any:
    from editor_app.services.container import Services
    from editor_app.services.moderation import ScorerHolder
    from editor_app.store.database import Database

    db = Database(url)
    holder = None if scoring else ScorerHolder(_ZeroScorer)  # type: ignore[arg-type]
    return db, Services.build(db.uow, scorer=holder)


def _cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return float(r.ru_utime + r.ru_stime)


def _sys_cpu() -> float:
    import resource

    return float(resource.getrusage(resource.RUSAGE_SELF).ru_stime)


def _proc_cpu(pid: int) -> tuple[float, float]:
    """(user + system, system) of a process and its children it has waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    user, system, child_user, child_system = (int(f) for f in fields[11:15])
    return (user + system + child_user + child_system) / tick, (system + child_system) / tick


def _export_cpu() -> tuple[float, float]:
    """(CPU, of it system) of this process and of the processes an export converts in: its
    own children (spawn) and the multiprocessing fork server's, with the server itself (it
    starts with the first export and imports the format modules). An export converted in
    this process alone is `_cpu()`, `_sys_cpu()`."""
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    system = me.ru_stime + kids.ru_stime
    server = sys.modules.get("multiprocessing.forkserver")
    pid = getattr(getattr(server, "_forkserver", None), "_forkserver_pid", None)
    if pid:
        time.sleep(0.05)  # the server reaps its children when told they ended
        server_cpu, server_sys = _proc_cpu(pid)
        cpu, system = cpu + server_cpu, system + server_sys
    return cpu, system


class _ServerCpu:
    """CPU time of the PostgreSQL backends a child talks to (the server runs on this machine:
    /proc/PID/stat), from when each is first seen; 0 on SQLite or where /proc is not.

    Under load from other processes a wall time says little; the CPU of the client plus its
    backend is what the import costs the machine, and it adds up whether or not they overlap.
    """

    def __init__(self) -> None:
        self.start: dict[int, float] = {}

    @staticmethod
    def _cpu_of(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def see(self, pid: int | None) -> None:
        if pid and pid not in self.start:
            self.start[pid] = self._cpu_of(pid)

    def watch(self, engine: Any) -> None:
        from sqlalchemy import event

        if engine.dialect.name != "postgresql":
            return

        @event.listens_for(engine, "checkout")
        def _checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
            self.see(dbapi_conn.info.backend_pid)

    def used(self) -> float:
        return sum(max(0.0, self._cpu_of(pid) - t) for pid, t in self.start.items())


class _Progress:
    """The import's progress callback: when the first article came, a line every 1,000,
    and when half the articles were in (a store that slows down as it fills shows there)."""

    def __init__(self, label: str, server: _ServerCpu | None = None):
        self.label = label
        self.server = server  # its backend's CPU is counted into the halves too
        self.half_cpu = 0.0
        self.start = time.perf_counter()
        self.first: float | None = None
        self.half: float | None = None
        self.done = 0

    def __call__(self, done: int, total: int, title: str) -> None:
        now = time.perf_counter()
        if self.first is None:
            self.first = now - self.start
        if self.half is None and total and done >= total // 2:
            self.half = now - self.start
            self.half_cpu = _cpu() + (self.server.used() if self.server else 0.0)
        self.done = done
        if done and done % 1000 == 0 and title:
            print(f"  {self.label}: {done:,} articles, {now - self.start:,.0f} s", file=sys.stderr)


def child_import(wxr: str, url: str, scoring: bool) -> None:
    from sqlalchemy import event

    from editor_app.services.importing import ImportOptions

    db, services = _services(url, scoring)
    statements = [0]

    @event.listens_for(db.engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        statements[0] += 1

    server = _ServerCpu()
    server.watch(db.engine)
    rss_before = _rss_now()
    progress = _Progress("import" if scoring else "import without scoring", server)
    t, cpu = time.perf_counter(), _cpu()
    result = services.imports.import_paths([Path(wxr)], ImportOptions(), progress=progress)
    elapsed = time.perf_counter() - t
    server_cpu = server.used()
    half_cpu = progress.half_cpu - cpu if progress.half_cpu else (_cpu() - cpu + server_cpu) / 2
    cpu = _cpu() - cpu
    half = progress.half if progress.half is not None else elapsed / 2
    peak = _peak_rss()
    db.dispose()
    _report(
        seconds=elapsed,
        cpu=cpu,
        server_cpu=server_cpu,
        halves=[half, elapsed - half],
        cpu_halves=[half_cpu, cpu + server_cpu - half_cpu],
        first_article=progress.first,
        rss_before=rss_before,
        peak_rss=peak,
        articles=result.articles,
        comments=result.comments,
        authors=result.authors,
        statements=statements[0],
    )


def child_baseline(wxr: str, url: str, *, bare: bool = True) -> None:
    """Parse with lxml and insert the same article and comment rows with executemany
    (SQLite) or COPY (PostgreSQL: into bare tables, or with `bare=False` into the app's own,
    with their indexes, search column and triggers)."""
    from lxml import etree

    from editor_app.domain.commenters import commenter_key
    from editor_app.formats.wxr.common import _COMMENT_STATUS_IN, _STATUS_IN  # the same statuses
    from editor_app.store.database import Database

    db = Database(url)  # the app's schema (migrations, FTS triggers), then the raw driver
    raw = db.engine.raw_connection()
    con: Any = raw.driver_connection
    server = _ServerCpu()
    if db.dialect == "postgresql":
        server.see(con.info.backend_pid)
    rss_before = _rss_now()
    t, cpu = time.perf_counter(), _cpu()
    wp, content = "{" + WP + "}", "{http://purl.org/rss/1.0/modules/content/}encoded"
    excerpt = "{" + WP + "excerpt/}encoded"
    c_tags = {
        wp + k: k
        for k in (
            "comment_id",
            "comment_author",
            "comment_author_email",
            "comment_author_url",
            "comment_author_IP",
            "comment_date_gmt",
            "comment_content",
            "comment_approved",
            "comment_type",
            "comment_parent",
        )
    }
    i_tags = {
        "title": "title",
        content: "content",
        excerpt: "excerpt",
        wp + "post_id": "post_id",
        wp + "post_date_gmt": "date",
        wp + "post_name": "slug",
        wp + "status": "status",
        wp + "post_type": "kind",
    }
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    article_sql = (
        "INSERT INTO articles (id, title, dek, slug, body_html, body_text, status, kind, "
        "section, excerpt, source_key, created_at, updated_at, published_at, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, 1)"
    )
    comment_sql = (
        "INSERT INTO comments (id, article_id, parent_id, author_name, author_email, "
        "author_url, author_ip, body, posted_at, status, kind, score, reasons, fingerprint, "
        "version, commenter_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '[]', ?, 1, ?)"
    )
    article_cols = article_sql.split("(", 1)[1].split(")", 1)[0]
    comment_cols = comment_sql.split("(", 1)[1].split(")", 1)[0]
    articles: list[tuple[Any, ...]] = []
    comments: list[tuple[Any, ...]] = []
    n_articles = n_comments = 0
    cur = con.cursor()
    postgres = db.dialect == "postgresql"
    prefix = "bare_" if postgres and bare else ""
    if postgres:
        # Bare tables: the app's columns and primary keys, no other index, no trigger, no
        # generated search column, no foreign key: the floor of COPY on this server.
        for table in ("articles", "comments") if bare else ():
            cur.execute(f"CREATE TABLE bare_{table} (LIKE {table} INCLUDING DEFAULTS)")
            cur.execute(f"ALTER TABLE bare_{table} ADD PRIMARY KEY (id)")
        con.commit()
        rss_before = _rss_now()
        server.start.clear()
        server.see(con.info.backend_pid)
        t, cpu = time.perf_counter(), _cpu()
    else:
        cur.execute("BEGIN")

    def copy(table: str, cols: str, rows: list[tuple[Any, ...]]) -> None:
        with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)

    def flush() -> None:
        if postgres:
            copy(f"{prefix}articles", article_cols, [(*a[:9], "", *a[9:], 1) for a in articles])
            copy(
                f"{prefix}comments",
                comment_cols,
                [(*c[:11], None, "[]", *c[11:12], 1, c[12]) for c in comments],
            )
        else:
            cur.executemany(article_sql, articles)
            cur.executemany(comment_sql, comments)
        articles.clear()
        comments.clear()

    with open(wxr, "rb") as fh:
        for _event, el in etree.iterparse(
            fh, events=("end",), tag="item", resolve_entities=False, no_network=True
        ):
            v: dict[str, str] = {}
            section = ""
            for child in el:
                tag = child.tag
                name = i_tags.get(tag)
                if name is not None:
                    v[name] = (child.text or "").strip()
                elif tag == "category" and not section and child.get("domain") == "category":
                    section = (child.text or "").strip()
                elif tag == wp + "comment":
                    c = {c_tags.get(x.tag): (x.text or "").strip() for x in child}
                    body = c["comment_content"]
                    name, email = c["comment_author"], c["comment_author_email"]
                    key = f"{c['comment_id']}\x1f{body}".encode()
                    comments.append(
                        (
                            int(c["comment_id"]),
                            int(v["post_id"]),
                            int(c["comment_parent"]) or None,
                            name,
                            email,
                            c["comment_author_url"],
                            c["comment_author_IP"],
                            body,
                            c["comment_date_gmt"] + ".000000",
                            _COMMENT_STATUS_IN[c["comment_approved"]],
                            c["comment_type"] or "comment",
                            hashlib.sha256(key).hexdigest()[:40],
                            commenter_key(email, name),
                        )
                    )
            date = v.get("date", "")
            published = None if date.startswith("0000") else date + ".000000"
            body = v.get("content", "")
            articles.append(
                (
                    int(v["post_id"]),
                    v.get("title", ""),
                    v.get("excerpt", ""),
                    v.get("slug") or f"post-{v['post_id']}",
                    body,
                    body,
                    _STATUS_IN.get(v.get("status", ""), "draft"),
                    v.get("kind", "post"),
                    section,
                    f"wxr:{SITE}:{v['post_id']}",
                    now,
                    now,
                    published,
                )
            )
            n_articles += 1
            el.clear(keep_tail=False)
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]
            if len(comments) >= 5_000 or len(articles) >= 500:
                n_comments += len(comments)
                flush()
    n_comments += len(comments)
    flush()
    if postgres:
        con.commit()
    else:
        cur.execute("COMMIT")
    elapsed = time.perf_counter() - t
    cpu = _cpu() - cpu
    server_cpu = server.used()
    peak = _peak_rss()
    raw.close()
    db.dispose()
    _report(
        seconds=elapsed,
        cpu=cpu,
        server_cpu=server_cpu,
        rss_before=rss_before,
        peak_rss=peak,
        articles=n_articles,
        comments=n_comments,
    )


def child_probe(wxr: str, url: str) -> None:
    """The import through JobManager while a 10 ms timer in the GUI thread records its ticks."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget

    from editor_app.services.importing import ImportOptions
    from editor_app.ui.job_status import JobStatus
    from editor_app.ui.jobs_panel import JobsPanel
    from editor_app.workers.jobs import JobManager

    app = QApplication(sys.argv[:1])
    db, services = _services(url, True)
    jobs = JobManager()
    window = QMainWindow()
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.addWidget(JobsPanel(jobs))  # the app's own widgets take the progress signals
    window.setCentralWidget(central)
    window.statusBar().addPermanentWidget(JobStatus(jobs))
    window.resize(1000, 700)
    window.show()
    ticks: list[float] = []
    marks: dict[str, float] = {}
    outcome: list[str] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    # Garbage collections (any thread; they hold the GIL): a suspect for long gaps.
    pauses: list[tuple[int, float]] = []
    gc_start = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_start[0] = time.perf_counter()
        else:
            pauses.append((info["generation"], time.perf_counter() - gc_start[0]))

    gc.callbacks.append(on_gc)

    def run(progress: Any, cancelled: Any) -> Any:
        return services.imports.import_paths(
            [Path(wxr)], ImportOptions(), progress=progress, cancelled=cancelled
        )

    def start() -> None:
        marks["start"] = time.perf_counter()
        marks["rss_before"] = _rss_now()  # the window and the scorer are in by now
        jobs.job_finished.connect(ended)
        jobs.job_failed.connect(ended)
        jobs.start(f"Importing {Path(wxr).name}", run)

    # As `editor_app.app.run_gui` does: the scorer loads in a job at start, and what start-up
    # made is frozen out of the collector's reach (gc.freeze) once, and again after the load.
    warm = jobs.start("Loading the comment scorer", lambda _p, _c: services.moderation.warm_up())
    gc.freeze()
    warm.signals.finished.connect(lambda _result: gc.freeze())

    export_dir = tempfile.TemporaryDirectory(prefix="copydesk-probe-export-", dir=OUT)

    def export(progress: Any, cancelled: Any) -> Any:
        ids = services.exports.all_ids()
        return services.exports.export(
            ids, "markdown", Path(export_dir.name), progress=progress, cancelled=cancelled
        )

    def ended(_handle: Any, what: object) -> None:
        if "end" not in marks:
            marks["end"] = time.perf_counter()
            outcome.append(str(what)[:200])
            # Then every article exported to Markdown through the same JobManager.
            marks["export_start"] = time.perf_counter()
            jobs.start("Exporting to Markdown", export)
            return
        marks["export_end"] = time.perf_counter()
        QTimer.singleShot(500, app.quit)  # a little idle time after the jobs too

    timer.start()
    # The import starts once the scorer is in (the app's start-up is over), after one idle
    # second in which the timer's own jitter is measured.
    warm.signals.finished.connect(lambda _result: QTimer.singleShot(1000, start))
    app.exec()
    timer.stop()
    gc.callbacks.remove(on_gc)
    peak = _peak_rss()
    db.dispose()
    quiet = marks["start"] - 0.9  # the idle second before the import (the scorer is in)
    idle = [b - a for a, b in itertools.pairwise(ticks) if quiet <= a and b < marks["start"]]
    busy = [
        b - a for a, b in itertools.pairwise(ticks) if a >= marks["start"] and b <= marks["end"]
    ]
    worst = sorted(busy, reverse=True)[:5]
    exporting = [
        b - a
        for a, b in itertools.pairwise(ticks)
        if a >= marks["export_start"] and b <= marks["export_end"]
    ]
    export_dir.cleanup()
    _report(
        export_seconds=marks["export_end"] - marks["export_start"],
        export_gaps=_gap_stats(exporting),
        seconds=marks["end"] - marks["start"],
        outcome=outcome[0] if outcome else "",
        peak_rss=peak,
        rss_before=marks["rss_before"],
        idle=_gap_stats(idle),
        busy=_gap_stats(busy),
        worst=worst,
        gc_max=max((d for _g, d in pauses), default=0.0),
        gc_long=sum(1 for _g, d in pauses if d > 0.050),
        gc_full=sum(1 for g, _d in pauses if g == 2),
    )


def _gap_stats(gaps: list[float]) -> dict[str, float]:
    if len(gaps) < 2:
        top = max(gaps, default=0.0)
        return {"n": len(gaps), "max": top, "p99": 0.0, "p999": 0.0, "median": 0.0, "over60": 0}
    q = statistics.quantiles(gaps, n=1000)
    return {
        "n": len(gaps),
        "median": statistics.median(gaps),
        "p99": q[989],
        "p999": q[998],
        "max": max(gaps),
        "over60": sum(1 for g in gaps if g > 0.060),
    }


def child_exports(url: str, folder_only: bool = False) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from sqlalchemy import text

    from editor_app.workers.pdf import write_pdf

    db, services = _services(url, True)
    exports = services.exports
    ids = exports.all_ids()
    with db.engine.connect() as conn:
        by_size = conn.execute(
            text("SELECT id, length(body_text) FROM articles ORDER BY length(body_text), id")
        ).all()
    picks = {"median": by_size[len(by_size) // 2], "longest": by_size[-1]}
    out: dict[str, Any] = {"articles": len(ids), "chars": {k: v[1] for k, v in picks.items()}}
    where = os.environ.get("BENCH_EXPORT_DIR") or OUT
    with tempfile.TemporaryDirectory(prefix="copydesk-export-", dir=where) as tmp:
        # The baseline: the same articles read (one query) and written one file each, as
        # they are, with no conversion; one sync at the end, as the app's exports do.
        folder = Path(tmp) / "raw"
        folder.mkdir()
        t, cpu, sys_cpu = time.perf_counter(), _cpu(), _sys_cpu()
        with db.engine.connect() as conn:
            for slug, body in conn.execute(text("SELECT slug, body_html FROM articles")):
                (folder / f"{slug}.html").write_text(body, encoding="utf-8")
        os.sync()
        out["raw"], out["raw_cpu"] = time.perf_counter() - t, _cpu() - cpu
        out["raw_sys"] = _sys_cpu() - sys_cpu
        out["raw_bytes"] = sum(p.stat().st_size for p in folder.iterdir())
        for fmt in ("markdown", "html", "ninjs"):
            folder = Path(tmp) / fmt
            folder.mkdir()
            (cpu, sys_cpu), t = _export_cpu(), time.perf_counter()
            written = exports.export(ids, fmt, folder)
            out[fmt] = time.perf_counter() - t
            # With the processes it converted in, if any (a large export is spread over cores).
            cpu_after, sys_after = _export_cpu()
            out[f"{fmt}_cpu"] = cpu_after - cpu
            # System time is mostly the filesystem creating files: it varies with the folder
            # and the machine's other work far more than the conversion does.
            out[f"{fmt}_sys"] = sys_after - sys_cpu
            out[f"{fmt}_files"] = len(written)
            out[f"{fmt}_bytes"] = sum(p.stat().st_size for p in written)
        if folder_only:
            db.dispose()
            _report(**out)
            return
        for fmt, writer in (("pdf", write_pdf), ("docx", None)):
            for label, (aid, _chars) in picks.items():
                times = []
                for n in range(5):
                    target = Path(tmp) / f"one-{label}-{n}.{fmt}"
                    t = time.perf_counter()
                    exports.export([aid], fmt, target, pdf=writer)
                    times.append(time.perf_counter() - t)
                out[f"{fmt}_{label}"] = times
        rss_before_wxr = _peak_rss()
        t = time.perf_counter()
        (target,) = exports.export(ids, "wxr", Path(tmp) / "all.xml")
        out["wxr"] = time.perf_counter() - t
        out["wxr_bytes"] = target.stat().st_size
        out["peak_before_wxr"] = rss_before_wxr
        out["peak_rss"] = _peak_rss()
    db.dispose()
    _report(**out)


CHILDREN: dict[str, Callable[[argparse.Namespace], None]] = {
    "import": lambda a: child_import(a.wxr, a.db, scoring=True),
    "import-noscore": lambda a: child_import(a.wxr, a.db, scoring=False),
    "baseline": lambda a: child_baseline(a.wxr, a.db),
    "baseline-app": lambda a: child_baseline(a.wxr, a.db, bare=False),
    "probe": lambda a: child_probe(a.wxr, a.db),
    "exports": lambda a: child_exports(a.db),
    "folder-exports": lambda a: child_exports(a.db, folder_only=True),
}


# --------------------------------------------------------------------------------------
# The parent


def fresh_store(name: str) -> str:
    path = OUT / name
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


PG_URL = os.environ.get("EDITOR_APP_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def fresh_pg_store(name: str) -> str:
    """A new, empty schema in the PostgreSQL database of PG_URL; its URL searches only it."""
    import psycopg

    schema = "bench_" + name.replace("-", "_")
    with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql")) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        con.execute(f"CREATE SCHEMA {schema}")
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def drop_store(url: str) -> None:
    if url.startswith("postgresql"):
        import psycopg

        schema = url.rsplit("%3D", 1)[1]
        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql")) as con:
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        return
    path = url.removeprefix("sqlite:///")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_child(kind: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run this script as a child; its stderr passes through, its RESULT line is returned."""
    argv = [PYTHON, str(Path(__file__).resolve()), "--child", kind, *args]
    t = time.perf_counter()
    proc = subprocess.run(
        argv, stdout=subprocess.PIPE, text=True, env=env or clean_env(), cwd=ROOT, check=False
    )
    wall = time.perf_counter() - t
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"child {kind} failed (exit {proc.returncode})")
    result: dict[str, Any] = json.loads(lines[-1][len("RESULT ") :])
    result["process"] = wall
    return result


def mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def secs(s: float) -> str:
    return f"{s * 1000:,.0f} ms" if s < 10 else f"{s:,.1f} s"


def _import_rows(
    table: Table,
    engine: str,
    imp: dict[str, Any],
    nos: dict[str, Any],
    base: dict[str, Any],
    raw: str,
) -> None:
    """The import rows of one engine, each against that engine's raw baseline of this run."""

    def halves(r: dict[str, Any]) -> str:
        first, second = r["halves"]
        cpu_first, cpu_second = r.get("cpu_halves", (0.0, 0.0))
        return (
            f"first half of the articles {secs(first)}, second half {secs(second)} "
            f"(CPU {secs(cpu_first)} / {secs(cpu_second)})"
        )

    table.add(
        f"{engine}: import (app, with scoring)",
        secs(imp["seconds"]),
        "",
        f"{imp['comments'] / imp['seconds']:,.0f} comments/s; first article after "
        f"{secs(imp['first_article'])}; {imp['statements']:,} SQL statements; {halves(imp)}",
    )
    table.add(
        "  CPU (this process)",
        secs(imp["cpu"]),
        "",
        f"x{imp['cpu'] / base['cpu']:.1f} the baseline's {secs(base['cpu'])}",
    )
    if base.get("server_cpu"):
        both, base_both = imp["cpu"] + imp["server_cpu"], base["cpu"] + base["server_cpu"]
        table.add(
            "  CPU, this process + its PostgreSQL backend",
            secs(both),
            TARGETS["ratio"],
            f"x{both / base_both:.1f} the baseline's {secs(base_both)} "
            f"(backend {secs(imp['server_cpu'])} / {secs(base['server_cpu'])}); without "
            f"scoring {secs(nos['cpu'] + nos['server_cpu'])}, "
            f"x{(nos['cpu'] + nos['server_cpu']) / base_both:.1f}",
        )
    table.add("  peak RSS", mb(imp["peak_rss"]), TARGETS["rss"], f"{mb(imp['rss_before'])} before")
    table.add(
        "  ratio to raw baseline (wall)",
        f"x{imp['seconds'] / base['seconds']:.1f}",
        TARGETS["ratio"],
        "",
    )
    table.add(
        "  import without scoring (stub scorer)",
        secs(nos["seconds"]),
        "",
        f"{nos['comments'] / nos['seconds']:,.0f} comments/s; "
        f"x{nos['seconds'] / base['seconds']:.1f} baseline; {halves(nos)}",
    )
    table.add("  peak RSS", mb(nos["peak_rss"]), TARGETS["rss"], f"{mb(nos['rss_before'])} before")
    table.add(
        "  scoring's share",
        secs(imp["seconds"] - nos["seconds"]),
        "",
        f"{(imp['seconds'] - nos['seconds']) / imp['seconds']:.0%} of the import",
    )
    table.add(
        f"  raw baseline ({raw})",
        secs(base["seconds"]),
        "",
        f"{base['comments'] / base['seconds']:,.0f} comments/s; CPU {secs(base['cpu'])}",
    )
    table.add("  peak RSS", mb(base["peak_rss"]), "", f"{mb(base['rss_before'])} before")


def exports_only(wxr: Path, size: str, rev: str | None, runs: int) -> int:
    """The folder exports alone, this tree against `rev`'s, alternating, `runs` times."""
    path = OUT / f"transfer-import-{size}.sqlite3"
    if not path.exists():
        print(f"importing {wxr.name} once (no scoring) for the exports…", file=sys.stderr)
        url = fresh_store(f"transfer-import-{size}.sqlite3.part")
        run_child("import-noscore", "--wxr", str(wxr), "--db", url)
        Path(url.removeprefix("sqlite:///")).rename(path)
    url = f"sqlite:///{path}"
    trees: dict[str, dict[str, str] | None] = {"this tree": None}
    if rev:
        trees[rev] = clean_env(QT_QPA_PLATFORM="offscreen", **{TREE_ENV: str(tree_of(rev))})
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
    for n in range(runs):
        for name, env in trees.items():
            print(f"folder exports, {name} ({n + 1}/{runs})…", file=sys.stderr)
            env = env or clean_env(QT_QPA_PLATFORM="offscreen")
            results[name].append(run_child("folder-exports", "--db", url, env=env))
    table = Table(
        "figure", "tree", "median", "CPU", "of it system", "ratio to the baseline", "target"
    )
    for name, res in results.items():
        raw = statistics.median(r["raw"] for r in res)
        raw_cpu = statistics.median(r["raw_cpu"] for r in res)
        raw_sys = statistics.median(r.get("raw_sys", 0.0) for r in res)
        n_articles = res[0]["articles"]
        table.add(
            "baseline: bodies read and written as they are",
            name,
            secs(raw),
            secs(raw_cpu),
            secs(raw_sys),
            "x1.0",
            "",
        )
        for fmt, label in (("markdown", "Markdown"), ("html", "HTML"), ("ninjs", "NINJS")):
            wall = statistics.median(r[fmt] for r in res)
            cpu = statistics.median(r[f"{fmt}_cpu"] for r in res)
            sys_cpu = statistics.median(r.get(f"{fmt}_sys", 0.0) for r in res)
            table.add(
                f"export {n_articles:,} articles to {label}",
                name,
                secs(wall),
                secs(cpu),
                secs(sys_cpu),
                f"x{wall / raw:.1f} wall, x{cpu / raw_cpu:.1f} CPU",
                TARGETS["export"],
            )
    where = os.environ.get("BENCH_EXPORT_DIR") or OUT
    print(
        f"store: {path.name}; exports into {where}; {runs} run(s) each, median; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(table.render())
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--posts", type=int, default=FULL[0])
    p.add_argument("--comments", type=int, default=FULL[1])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--quick", action="store_true", help="2,000 posts and 40,000 comments")
    p.add_argument("--probe-quick", action="store_true", help="the GUI probe at --quick size")
    p.add_argument("--skip-probe", action="store_true")
    p.add_argument("--skip-exports", action="store_true")
    p.add_argument(
        "--before",
        metavar="TREE",
        help="run the SQLite import (with scoring) and the GUI probe on this source tree of the "
        "package too (first on PYTHONPATH), before the current one: before/after in one run",
    )
    p.add_argument(
        "--engine",
        choices=["sqlite", "postgresql", "sqlite,postgresql"],
        default="sqlite,postgresql",
        help="which engines the imports run on (PostgreSQL: EDITOR_APP_BENCH_PG or the test db)",
    )
    p.add_argument(
        "--exports-only",
        action="store_true",
        help="only the folder exports (Markdown, HTML, NINJS) and their baseline, from the "
        "imported store of an earlier run at this size (imported without scoring if none)",
    )
    p.add_argument(
        "--compare-rev",
        metavar="REV",
        help="the same on git revision REV's tree too, in one run: with --exports-only the "
        "exports (in turn), else the imports on PostgreSQL (with and without scoring) and the "
        "SQLite import with scoring, each before this tree's",
    )
    p.add_argument("--runs", type=int, default=1, help="with --exports-only: repeats of each")
    p.add_argument(
        "--export-dir",
        metavar="FOLDER",
        help="where the exports write (default bench/out): creating a file costs what the "
        "folder's filesystem makes it cost",
    )
    p.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    p.add_argument("--wxr", help=argparse.SUPPRESS)
    p.add_argument("--db", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        CHILDREN[args.child](args)
        return 0
    posts, comments = QUICK if args.quick else (args.posts, args.comments)
    wxr, gen_time = ensure_wxr(posts, comments, args.seed)
    size = f"{posts}p-{comments}c"
    if args.export_dir:
        os.environ["BENCH_EXPORT_DIR"] = str(Path(args.export_dir).resolve())
    if args.exports_only:
        return exports_only(wxr, size, args.compare_rev, args.runs)
    print(f"WXR {wxr.name}: {mb(wxr.stat().st_size)}", file=sys.stderr)

    stores = {k: fresh_store(f"transfer-{k}-{size}.sqlite3") for k in ("import", "noscore")}
    stores["baseline"] = fresh_store(f"transfer-baseline-{size}.sqlite3")
    imp = nos = base = old = None
    before_env: dict[str, str] | None = None
    if args.compare_rev:
        before_env = clean_env(**{TREE_ENV: str(tree_of(args.compare_rev))})
    elif args.before:
        before_env = clean_env()
        before_env["PYTHONPATH"] = args.before
    if "sqlite" in args.engine:
        if before_env is not None:
            print("before: import (with scoring)…", file=sys.stderr)
            old_store = fresh_store(f"transfer-before-{size}.sqlite3")
            old = run_child("import", "--wxr", str(wxr), "--db", old_store, env=before_env)
            drop_store(old_store)
        print("import (with scoring)…", file=sys.stderr)
        imp = run_child("import", "--wxr", str(wxr), "--db", stores["import"])
        print("import without scoring…", file=sys.stderr)
        nos = run_child("import-noscore", "--wxr", str(wxr), "--db", stores["noscore"])
        drop_store(stores["noscore"])
        print("raw baseline…", file=sys.stderr)
        base = run_child("baseline", "--wxr", str(wxr), "--db", stores["baseline"])
        drop_store(stores["baseline"])
    pg: dict[str, dict[str, Any]] = {}
    if "postgresql" in args.engine:
        runs: list[tuple[str, str, dict[str, str] | None]] = []
        if before_env is not None:
            runs += [(f"before {k}", k, before_env) for k in ("import", "import-noscore")]
        runs += [(k, k, None) for k in ("import", "import-noscore", "baseline", "baseline-app")]
        for name, kind, env in runs:
            url = fresh_pg_store(f"transfer_{kind}")
            print(f"PostgreSQL {name}…", file=sys.stderr)
            pg[name] = run_child(kind, "--wxr", str(wxr), "--db", url, env=env)
            drop_store(url)

    probes: list[tuple[str, dict[str, Any]]] = []
    probe_size = size
    if not args.skip_probe:
        probe_wxr = wxr
        if args.probe_quick and not args.quick:
            probe_wxr, _ = ensure_wxr(*QUICK, args.seed)
            probe_size = f"{QUICK[0]}p-{QUICK[1]}c"
        for prefix, tree in ([("before: ", args.before)] if args.before else []) + [("", None)]:
            probe_db = fresh_store(f"transfer-probe-{probe_size}.sqlite3")
            print(f"{prefix}GUI probe ({probe_size})…", file=sys.stderr)
            env = clean_env(QT_QPA_PLATFORM="offscreen")
            if tree:
                env["PYTHONPATH"] = tree
            probes.append(
                (
                    prefix,
                    run_child("probe", "--wxr", str(probe_wxr), "--db", probe_db, env=env),
                )
            )
            drop_store(probe_db)

    exp = None
    if not args.skip_exports and imp is not None:
        print("exports…", file=sys.stderr)
        exp = run_child(
            "exports", "--db", stores["import"], env=clean_env(QT_QPA_PLATFORM="offscreen")
        )

    store_file = Path(stores["import"].removeprefix("sqlite:///"))
    print()
    print(
        f"WXR: {posts:,} posts, {comments:,} comments, {mb(wxr.stat().st_size)}"
        + (f", written in {gen_time:.1f} s" if gen_time is not None else " (reused)")
        + (f"; imported store {mb(store_file.stat().st_size)}" if store_file.exists() else "")
    )
    table = Table("figure", "value", "target", "note")
    if imp is not None and nos is not None and base is not None:
        if old is not None:
            table.add(
                "before: SQLite import (app, with scoring)",
                secs(old["seconds"]),
                "",
                f"CPU {secs(old['cpu'])}: x{old['cpu'] / base['cpu']:.1f} the baseline's; "
                f"peak RSS {mb(old['peak_rss'])}",
            )
        _import_rows(table, "SQLite", imp, nos, base, "lxml iterparse + executemany")
    if pg:
        base_both = pg["baseline"]["cpu"] + pg["baseline"]["server_cpu"]
        for kind, label in (("import", "with scoring"), ("import-noscore", "stub scorer")):
            if f"before {kind}" in pg:
                was, now = pg[f"before {kind}"], pg[kind]
                first, second = was["halves"]
                table.add(
                    f"before: PostgreSQL import ({label})",
                    secs(was["seconds"]),
                    "",
                    f"x{was['seconds'] / pg['baseline']['seconds']:.1f} the raw baseline "
                    f"(now x{now['seconds'] / pg['baseline']['seconds']:.1f}); CPU "
                    f"{secs(was['cpu'])} + backend {secs(was.get('server_cpu', 0.0))}, "
                    f"x{(was['cpu'] + was.get('server_cpu', 0.0)) / base_both:.1f} the "
                    f"baseline's (now x{(now['cpu'] + now['server_cpu']) / base_both:.1f}); "
                    f"halves {secs(first)} / {secs(second)}, CPU "
                    + " / ".join(secs(h) for h in was.get("cpu_halves", ())),
                )
        _import_rows(
            table,
            "PostgreSQL",
            pg["import"],
            pg["import-noscore"],
            pg["baseline"],
            "lxml iterparse + COPY into bare tables",
        )
        app_copy = pg["baseline-app"]
        table.add(
            "  COPY into the app's own tables instead",
            secs(app_copy["seconds"]),
            "",
            f"indexes, search column, triggers; the import is "
            f"x{pg['import']['seconds'] / app_copy['seconds']:.1f} this",
        )
    for prefix, probe in probes:
        busy, idle = probe["busy"], probe["idle"]
        tick = TICK_MS / 1000
        note = f"{probe_size}" + (" (quick size)" if probe_size != size else "")
        table.add(f"{prefix}GUI probe: import through JobManager", secs(probe["seconds"]), "", note)
        table.add(
            "  max stall (gap - 10 ms)",
            secs(max(0.0, busy["max"] - tick)),
            TARGETS["stall"],
            f"{busy['n']:,} ticks; {busy['over60']} gaps > 60 ms; idle max "
            f"{secs(idle['max'] - tick)}",
        )
        table.add(
            "  p99 / p99.9 stall",
            f"{secs(max(0.0, busy['p99'] - tick))} / {secs(max(0.0, busy['p999'] - tick))}",
            "",
            "worst gaps " + ", ".join(secs(g) for g in probe["worst"]),
        )
        exporting = probe["export_gaps"]
        table.add(
            f"{prefix}GUI probe: then a Markdown export of it all",
            secs(probe["export_seconds"]),
            TARGETS["stall"],
            f"max stall {secs(max(0.0, exporting['max'] - tick))}; {exporting['n']:,} ticks; "
            f"{exporting['over60']} gaps > 60 ms",
        )
        table.add(
            "  longest garbage collection",
            secs(probe["gc_max"]),
            "",
            f"{probe['gc_long']} collections > 50 ms; {probe['gc_full']} full (generation 2)",
        )
        table.add(
            "  peak RSS (Qt included)",
            mb(probe["peak_rss"]),
            "",
            f"{mb(probe['rss_before'])} before the import (window and scorer loaded)",
        )
    if exp is not None:
        n = exp["articles"]
        table.add(
            f"export baseline: {n:,} bodies read and written as they are",
            secs(exp["raw"]),
            "",
            f"{mb(exp['raw_bytes'])}; CPU {secs(exp['raw_cpu'])}",
        )
        for fmt, label in (("markdown", "Markdown"), ("html", "HTML"), ("ninjs", "NINJS")):
            table.add(
                f"export {n:,} articles to {label}",
                secs(exp[fmt]),
                TARGETS["export"],
                f"x{exp[fmt] / exp['raw']:.1f} the baseline; CPU {secs(exp[f'{fmt}_cpu'])}; "
                f"{mb(exp[f'{fmt}_bytes'])}",
            )
        table.add(
            f"export {n:,} articles to WXR (one file)",
            secs(exp["wxr"]),
            "",
            f"{mb(exp['wxr_bytes'])}; peak RSS {mb(exp['peak_before_wxr'])} → "
            f"{mb(exp['peak_rss'])}",
        )
        for fmt in ("pdf", "docx"):
            for label in ("median", "longest"):
                times = exp[f"{fmt}_{label}"]
                table.add(
                    f"export one article to {fmt.upper()} ({label})",
                    secs(statistics.median(times)),
                    TARGETS[fmt],
                    f"median of 5 ({secs(min(times))}-{secs(max(times))}); "
                    f"{exp['chars'][label]:,} characters of text",
                )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print(table.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
