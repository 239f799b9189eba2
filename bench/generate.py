"""A synthetic newsroom written straight into a Copydesk store, for benchmarks.

    python bench/generate.py --db sqlite:///bench/out/store.sqlite3 --articles 2000 \
        --comments 1000000 [--seed 1]

The schema comes from ``Database(url)`` (the Alembic migrations), so the store is exactly
what the app would open; the rows then go in through the raw driver connection (SQLite:
``executemany`` in large transactions with ``synchronous=OFF``; PostgreSQL: ``COPY``),
never through the ORM. All text is built from an invented vocabulary by a seeded
``random.Random``: the same arguments make the same store.

What it makes: authors (some with a distinct byline name), articles (600-2,000 word bodies
in ``<p>`` paragraphs with the odd ``<blockquote>``; mostly published, the rest spread over
the workflow), tags, bylines and threaded comments: about 60% top level, replies 1-4 deep,
each parent an earlier comment of the same article; 5-200 words; mostly pending; names,
e-mails and IP addresses (RFC 5737 / RFC 3849 documentation ranges) from small pools so
commenters come back; posted over the year before ``END``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import math
import multiprocessing as mp
import queue
import random
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from editor_app.domain.commenters import commenter_key
from editor_app.domain.text import normalise_name, slugify
from editor_app.formats.htmlbody import html_to_text
from editor_app.store.database import Database

ROOT = Path(__file__).resolve().parents[1]
MIGRATION = ROOT / "db" / "versions" / "0001_initial.py"

# The generated year ends here (fixed, so a seed always makes the same store).
END = datetime(2026, 1, 1, tzinfo=UTC)
YEAR_US = 365 * 24 * 3600 * 1_000_000
_EPOCH = datetime(1970, 1, 1)

BATCH = 50_000
TOP_LEVEL_SHARE = 0.6
MAX_DEPTH = 4

# --------------------------------------------------------------------------------------
# Vocabulary: ordinary English words plus invented ones (place names, products, slang),
# ranked so that a Zipf-like draw looks like running text.


def _words(text: str) -> list[str]:
    return text.split()


_FUNCTION_WORDS = _words("""
the of and to a in is that it for on was with as be this have are not but at by from they
we you i he she or an will would there their what about if so all more one can just no who
been has do like than when people it's them out up also into some could any only other our
which then its these because very even much over how most after should still those were may
""")

_CONTENT_WORDS = _words("""
council harbour ferry budget mayor school library road bridge river market season weather
tram station tenants housing rent festival museum theatre concert orchestra gallery winter
summer autumn spring morning evening night week month year vote plan report story reader
editor column review letter interview photo question answer reason problem idea point fact
number price cost tax money fund grant project street square park garden coast island port
fishing boat crew pier storm flood rain wind snow heat trees water power grid energy solar
bus train cycle lane traffic parking neighbours residents families children parents teachers
students nurses doctors clinic hospital shop bakery cafe restaurant kitchen recipe bread
cheese apples harvest farm village town city district region country border history archive
record memory future change growth decline debate meeting hearing committee board chair
member minister office election campaign poll result majority minority support opposition
agree disagree think believe know remember wonder hope worry expect suggest explain argue
claim say said says told asked wrote read saw heard found made took gave came went left
kept built opened closed moved paid started finished missed good bad better worse great
small large long short old new young early late local national public private fair clear
simple hard easy true false right wrong important interesting strange obvious likely quiet
busy cheap expensive free open closed safe dangerous honest careful really probably always
never often sometimes already again perhaps almost enough quite rather actually certainly
article piece writer author headline section page link comment thread reply moderator
""")

_SYLLABLES_ONSET = _words("b br c ch d dr f fl g gr h j k l m n p pr qu r s sh st t tr v w z")
_SYLLABLES_VOWEL = _words("a e i o u ai ea ie oo ou")
_SYLLABLES_CODA = ["", "", "n", "r", "l", "s", "m", "x", "nd", "rk", "st", "th"]

_FIRST_NAMES = _words("""
Ada Alvar Amina Anouk Bea Bruno Carmen Cyril Dalia Dev Edda Emil Farah Felix Greta Hugo Ida
Ilan Ines Jonas Juno Kaia Kofi Lena Leon Lior Luca Mara Mateo Mina Nadia Nils Noor Olga Omar
Pia Quinn Rafa Rosa Rui Sana Selma Soren Tala Teo Uma Vera Viggo Wren Xavi Yara Yusuf Zara
Zeno Alba Basil Cleo Dario Elin Ferdi Gaia Hanne Ivo Jorun Kasimir Linnea Magnus Nuria Oskar
""")
_LAST_NAMES = _words("""
Abernethy Brandvold Castellan Dunmore Eskildsen Fairweather Galloway Holmqvist Ibarra
Jaskolski Kettering Lindqvist Marchetti Norrbom Okafor Pellegrini Quennell Rasmussen
Santangelo Thornbury Ulvaeus Valderrama Westergaard Yardley Zubiri Ashgrove Bellweather
Corrigan Delacroix Eriksdal Fenwick Grisewood Halloran Ingersoll Juhlin Kowalczyk
Larkspur Moravec Nightingale Oyelaran Pemberton Rowntree Silvermoor Tavernier Underhill
""")
_SECTIONS = ["News", "Local", "Opinion", "Culture", "Science", "Sport", "Business", "Travel"]
_ROLES = ["Staff writer", "Reporter", "Columnist", "Editor", "Correspondent", "Contributor"]
_TAGS = _words("""
harbour council transport housing schools health climate arts books music food sport
elections budget weather history science courts business tourism environment
""")
_ARTICLE_STATUSES = (
    ["published"] * 70
    + ["draft"] * 8
    + ["editing"] * 6
    + ["copyedit"] * 4
    + ["ready"] * 4
    + ["scheduled"] * 3
    + ["spiked"] * 5
)
# Mostly pending: the moderation backlog a workstation exists for.
_COMMENT_STATUSES = ["pending"] * 62 + ["approved"] * 28 + ["spam"] * 6 + ["trash"] * 4
_SPAM_REASONS = ['["links"]', '["blocklist"]', '["links", "repeated"]', '["shouting"]']


def _invented_words(count: int) -> list[str]:
    rng = random.Random(20260101)  # the vocabulary never depends on --seed
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        word = "".join(
            rng.choice(_SYLLABLES_ONSET) + rng.choice(_SYLLABLES_VOWEL)
            for _ in range(rng.choice((2, 2, 2, 3)))
        ) + rng.choice(_SYLLABLES_CODA)
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


INVENTED = _invented_words(4000)
VOCABULARY = _FUNCTION_WORDS + _CONTENT_WORDS + INVENTED


def _zipf_bag(words: Sequence[str], size: int = 250_000) -> list[str]:
    """Each word repeated in proportion to 1/(rank+3): a uniform draw from it is Zipf-like."""
    weights = [1.0 / (rank + 3) for rank in range(len(words))]
    scale = size / sum(weights)
    bag: list[str] = []
    for word, w in zip(words, weights, strict=True):
        bag.extend([word] * max(1, round(w * scale)))
    return bag


_BAG = _zipf_bag(VOCABULARY)
_ENDINGS = "." * 15 + "?" * 3 + "!" + "…"


class Text:
    """Sentences and paragraphs of the invented vocabulary."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._rand = rng.random
        self._choices = rng.choices

    def sentences(self, n_words: int) -> str:
        words = self._choices(_BAG, k=n_words)
        rand = self._rand
        out = []
        i = 0
        while i < n_words:
            k = 4 + int(rand() * 14)
            chunk = words[i : i + k]
            i += k
            if len(chunk) > 6 and rand() < 0.3:
                chunk[2 + int(rand() * (len(chunk) - 4))] += ","
            s = " ".join(chunk)
            out.append(s[0].upper() + s[1:] + _ENDINGS[int(rand() * len(_ENDINGS))])
        return " ".join(out)

    def sentence_pool(self, size: int) -> tuple[list[str], list[int]]:
        """``size`` sentences and their word counts, for comments to draw from."""
        rand = self._rand
        sents, counts = [], []
        for _ in range(size):
            k = 4 + int(rand() * 14)
            sents.append(self.sentences(k))
            counts.append(k)
        return sents, counts

    def title(self) -> str:
        words = self._choices(_BAG, k=4 + int(self._rand() * 6))
        words.insert(int(self._rand() * len(words)), self.rng.choice(INVENTED))
        words = [w.capitalize() if len(w) > 3 else w for w in words]
        return " ".join([words[0].capitalize(), *words[1:]])


def _ts_sqlite(us: int) -> str:
    # SQLAlchemy's SQLite DATETIME storage format: naive UTC, always with microseconds.
    return (_EPOCH + timedelta(microseconds=us)).isoformat(" ", "microseconds")


def _ts_pg(us: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)


def _us(dt: datetime) -> int:
    return (dt - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


# --------------------------------------------------------------------------------------
# Rows. Each generator yields tuples in the column order of its INSERT.

AUTHOR_COLS = (
    "id, name, name_key, byline_name, role, bio, email, website, links, location, "
    "languages, active, photo, photo_mime, created_at, updated_at, version"
)
ARTICLE_COLS = (
    "id, title, dek, slug, body_html, body_text, status, kind, section, excerpt, source_key, "
    "created_at, updated_at, published_at, version"
)
BYLINE_COLS = "article_id, position, author_id"
TAG_COLS = "article_id, tag"
COMMENT_COLS = (
    "id, article_id, parent_id, author_name, author_email, author_url, author_ip, body, "
    "posted_at, status, kind, score, reasons, fingerprint, version, commenter_key"
)
COMMENTER_COLS = "id, key, display_name, banned, trusted, note, updated_at, updated_by"


@dataclass
class Plan:
    articles: int
    comments: int
    seed: int = 1


@dataclass
class Newsroom:
    """What the comment pass needs from the article pass."""

    published: list[tuple[int, int]]  # (article id, published_at in µs), commentable


def gen_authors(rng: random.Random, text: Text, n: int, ts: Callable[[int], Any]) -> list[tuple]:
    rows = []
    start = _us(END) - 3 * YEAR_US
    for aid in range(1, n + 1):
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        name = f"{first} {last}"
        # Some write under a byline of their own.
        byline = f"{first[0]}. {last}" if rng.random() < 0.25 else ""
        created = start + int(rng.random() * YEAR_US)
        email = f"{first}.{last}{aid}@newsroom.example".lower() if rng.random() < 0.8 else ""
        rows.append(
            (
                aid,
                name,
                normalise_name(name),
                byline,
                rng.choice(_ROLES),
                text.sentences(15 + int(rng.random() * 40)),
                email,
                f"https://{last.lower()}.example.net" if rng.random() < 0.3 else "",
                "[]",
                rng.choice(["", "Harbourtown", "Northfield", "Eastmoor"]),
                rng.choice(["", "en", "en, fr", "en, es"]),
                rng.random() < 0.9,
                None,
                None,
                ts(created),
                ts(created + int(rng.random() * YEAR_US)),
                1,
            )
        )
    return rows


def gen_articles(
    rng: random.Random,
    text: Text,
    n: int,
    n_authors: int,
    ts: Callable[[int], Any],
) -> tuple[list[tuple], list[tuple], list[tuple], Newsroom]:
    articles, bylines, tags = [], [], []
    published: list[tuple[int, int]] = []
    year_start = _us(END) - YEAR_US
    for aid in range(1, n + 1):
        title = text.title()
        paras = []
        words = 600 + int(rng.random() * 1401)
        while words > 0:
            k = min(words, 40 + int(rng.random() * 110))
            words -= k
            body = text.sentences(k)
            if rng.random() < 0.08:
                paras.append(f"<blockquote><p>{body}</p></blockquote>")
            else:
                paras.append(f"<p>{body}</p>")
        body_html = "\n".join(paras)
        body_text = html_to_text(body_html)
        status = rng.choice(_ARTICLE_STATUSES)
        created = year_start + int(rng.random() * (YEAR_US - 3 * 24 * 3600 * 1_000_000))
        pub = None
        if status in ("published", "scheduled"):
            pub = created + int(rng.expovariate(1 / (36 * 3600 * 1_000_000)))
            pub = min(pub, _us(END) - 1_000_000)
            if status == "published":
                published.append((aid, pub))
        updated = max(created, pub or created) + int(rng.random() * 48 * 3600 * 1_000_000)
        updated = min(updated, _us(END))
        dek = text.sentences(12 + int(rng.random() * 18))
        articles.append(
            (
                aid,
                title,
                dek,
                f"{slugify(title, 70)}-{aid}",
                body_html,
                body_text,
                status,
                "post",
                rng.choice(_SECTIONS),
                body_text.split(". ", 1)[0][:300] + ".",
                None,
                ts(created),
                ts(updated),
                ts(pub) if pub is not None else None,
                1,
            )
        )
        r = rng.random()
        n_by = 0 if r < 0.05 else (2 if r > 0.88 else 1)
        for pos, author in enumerate(rng.sample(range(1, n_authors + 1), min(n_by, n_authors))):
            bylines.append((aid, pos, author))
        for tag in rng.sample(_TAGS, int(rng.random() * 4)):
            tags.append((aid, tag))
    if not published:  # a tiny store: let every article take comments
        published = [(row[0], _us(END) - YEAR_US) for row in articles]
    return articles, bylines, tags, Newsroom(published)


@dataclass(frozen=True)
class Commenter:
    name: str
    email: str
    url: str
    ip: str
    key: str  # the app's commenter key: the email, else the name

    @classmethod
    def of(cls, name: str, email: str, url: str, ip: str) -> Commenter:
        return cls(name, email, url, ip, commenter_key(email, name))


def commenter_pool(rng: random.Random, size: int) -> list[Commenter]:
    ips = [f"{net}.{h}" for net in ("192.0.2", "198.51.100", "203.0.113") for h in range(1, 255)]
    ips += [f"2001:db8::{rng.getrandbits(16):x}:{rng.getrandbits(16):x}" for _ in range(400)]
    pool = []
    for i in range(size):
        if rng.random() < 0.04:
            pool.append(Commenter.of("", "", "", rng.choice(ips)))  # anonymous
            continue
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        style = rng.random()
        if style < 0.5:
            name = f"{first} {last}"
        elif style < 0.8:
            name = f"{first} {last[0]}."
        else:
            name = f"{rng.choice(INVENTED)}{rng.randrange(10, 99)}"
        email = f"{first}.{last}.{i}@{rng.choice(('example.com', 'example.org', 'example.net'))}"
        url = f"https://example.net/~{first.lower()}{i}" if rng.random() < 0.15 else ""
        if rng.random() < 0.1:
            email = ""  # known by name only
        pool.append(Commenter.of(name, email.lower(), url, rng.choice(ips)))
    return pool


def pool_size(n_comments: int) -> int:
    return max(50, min(20_000, n_comments // 150))


def gen_commenters(
    rng: random.Random, pool: list[Commenter], ts: Callable[[int], Any]
) -> list[tuple]:
    """Rows of ``commenters``: only those a moderator marked, trusted or banned."""
    rows = []
    seen: set[str] = set()
    for c in pool:
        if not c.key or c.key in seen or rng.random() >= 0.03:
            continue
        seen.add(c.key)
        banned = rng.random() < 0.35
        note = "repeated link spam" if banned else "long-standing reader"
        when = _us(END) - int(rng.random() * YEAR_US)
        rows.append((len(rows) + 1, c.key, c.name, banned, not banned, note, ts(when), "bench"))
    return rows


def gen_comments(
    rng: random.Random,
    text: Text,
    newsroom: Newsroom,
    pool: list[Commenter],
    n: int,
    ts: Callable[[int], Any],
) -> Iterator[tuple]:
    """Comments in posting order (ids grow with time), threaded within each article."""
    rand = rng.random
    # How many comments each article draws: heavy-tailed, a few articles get most of them.
    arts = newsroom.published
    weights = [rng.lognormvariate(0, 1.3) for _ in arts]
    picks = rng.choices(range(len(arts)), weights=weights, k=n)
    end = _us(END)
    hour = 3600 * 1_000_000
    posted = [0] * n
    for i, a in enumerate(picks):
        pub = arts[a][1]
        # Most comments come in the first day or two; some long after.
        delay = rng.expovariate(1 / (20 * hour)) if rand() < 0.85 else rand() * YEAR_US
        posted[i] = min(pub + int(delay) + int(rand() * 1_000_000), end - 1)
    order = sorted(range(n), key=posted.__getitem__)

    who = _zipf_indices(len(pool), 0.8)
    # Depth of the parent a reply answers: mostly a top-level comment.
    parent_depths = [0] * 60 + [1] * 25 + [2] * 10 + [3] * 5
    # article -> by depth (0..3), the recent comments that may take a reply
    threads: dict[int, list[list[int]]] = {}
    depth_of: dict[int, int] = {}
    statuses = _COMMENT_STATUSES
    sha = hashlib.sha256
    gauss = rng.gauss
    # Comments are random runs of sentences from a pool: combinations of 3-10 sentences
    # out of tens of thousands are as good as unique, at a tenth of the cost per comment.
    sents, counts = text.sentence_pool(max(2_000, min(300_000, n // 3)))
    n_sents = len(sents)
    for i, idx in enumerate(order):
        cid = i + 1
        article = arts[picks[idx]][0]
        lists = threads.get(article)
        if lists is None:
            lists = threads[article] = [[], [], [], []]
        parent = None
        if lists[0] and rand() >= TOP_LEVEL_SHARE:
            want = parent_depths[int(rand() * 100)]
            while not lists[want]:
                want -= 1
            recent = lists[want]
            parent = recent[-1 - int(rand() * min(25, len(recent)))]
        depth = 0 if parent is None else depth_of[parent] + 1
        if depth < MAX_DEPTH:
            bucket = lists[depth]
            bucket.append(cid)
            if len(bucket) > 200:
                for old in bucket[:100]:
                    depth_of.pop(old, None)
                del bucket[:100]
            depth_of[cid] = depth
        c = pool[who[int(rand() * len(who))]]
        # 5-200 words, median about 27: whole sentences drawn from the pool.
        want = min(200, max(5, int(math.exp(3.3 + 0.8 * gauss(0, 1)))))
        parts: list[str] = []
        got = 0
        while got < want:
            j = int(rand() * n_sents)
            parts.append(sents[j])
            got += counts[j]
        if got > 200:
            got -= counts[j]
            parts.pop()
        if got > 90 and rand() < 0.6:  # a long comment in two paragraphs
            half = len(parts) // 2
            body = " ".join(parts[:half]) + "\n\n" + " ".join(parts[half:])
        else:
            body = " ".join(parts)
        status = statuses[int(rand() * 100)]
        if status == "spam":
            score: float | None = 0.8 + rand() * 0.2
            reasons = _SPAM_REASONS[int(rand() * len(_SPAM_REASONS))]
        else:
            score = None if rand() < 0.3 else round(rand() * 0.6, 3)
            reasons = "[]"
        yield (
            cid,
            article,
            parent,
            c.name,
            c.email,
            c.url,
            c.ip,
            body,
            ts(posted[idx]),
            status,
            "comment",
            score,
            reasons,
            sha(b"copydesk-bench:%d" % cid).hexdigest()[:40],
            1,
            c.key,
        )


def _zipf_indices(n: int, s: float, size: int = 100_000) -> list[int]:
    """A bag of 0..n-1, index k about 1/(k+1)^s as often: some commenters come back a lot."""
    weights = [1.0 / (k + 1) ** s for k in range(n)]
    scale = size / sum(weights)
    bag: list[int] = []
    for k, w in enumerate(weights):
        bag.extend([k] * max(1, round(w * scale)))
    return bag


def batched(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def prefetched(
    batches: Iterator[list[tuple]], fork: bool = True, depth: int = 3
) -> Iterator[list[tuple]]:
    """The batches, made by a forked child process while this one writes.

    Generating costs about as much Python time as the driver's inserts, and a thread would
    fight the writer for the GIL; a child process runs the same seeded generator (so the
    rows are the same) on the other core. Without ``fork`` (Windows, macOS) the batches are
    made here, in turn with the writes (as they are for a small store, ``fork=False``).
    """
    if not fork or "fork" not in mp.get_all_start_methods():
        yield from batches
        return
    ctx = mp.get_context("fork")
    q: Any = ctx.Queue(maxsize=depth)

    def work() -> None:
        try:
            for batch in batches:
                q.put(batch)
            q.put(None)
        except BaseException:
            q.put(traceback.format_exc())
        q.close()
        q.join_thread()

    child = ctx.Process(target=work, name="copydesk-bench-generate", daemon=True)
    child.start()
    try:
        while True:
            try:
                item = q.get(timeout=1.0)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError(f"the generator died (exit {child.exitcode})") from None
                continue
            if item is None:
                break
            if isinstance(item, str):
                raise RuntimeError("the generator failed:\n" + item)
            yield item
        child.join()
    finally:
        if child.is_alive():
            child.terminate()
            child.join()


# --------------------------------------------------------------------------------------
# Writers


def migration_module() -> ModuleType:
    """db/versions/0001_initial.py, for its FTS statements (imported, not copied)."""
    spec = importlib.util.spec_from_file_location("copydesk_migration_0001", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _insert_sql(table: str, cols: str, style: str) -> str:
    n = cols.count(",") + 1
    marks = ", ".join(["?" if style == "qmark" else "%s"] * n)
    return f"INSERT INTO {table} ({cols}) VALUES ({marks})"


class Loader:
    """Counts rows and time; prints progress on stderr."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.t0 = time.perf_counter()
        self.comments = 0

    def progress(self, done: int, total: int) -> None:
        if self.quiet:
            return
        el = time.perf_counter() - self.t0
        sys.stderr.write(f"\r  comments {done:>10,}/{total:,}  {done / max(el, 1e-9):>9,.0f}/s")
        if done >= total:
            sys.stderr.write("\n")


def _check_empty(cur: Any) -> None:
    for table in ("articles", "comments", "authors"):
        cur.execute(f"SELECT count(*) FROM {table}")
        if cur.fetchone()[0]:
            raise SystemExit(f"error: the store already has {table}; give an empty store")


def load_sqlite(db: Database, plan: Plan, *, fts: str, quiet: bool) -> dict[str, float]:
    raw = db.engine.raw_connection()
    con = raw.driver_connection  # sqlite3.Connection, autocommit (isolation_level None)
    assert con is not None
    timings: dict[str, float] = {}
    try:
        cur = con.cursor()
        _check_empty(cur)
        for pragma in (
            "synchronous=OFF",
            "foreign_keys=OFF",  # every reference is valid by construction; checked in tests
            "cache_size=-1048576",
            "temp_store=MEMORY",
        ):
            cur.execute(f"PRAGMA {pragma}")
        mig = migration_module()
        triggers = [s for s in mig.SQLITE_FTS if s.startswith("CREATE TRIGGER comments_fts_")]
        if fts == "rebuild":
            for name in ("ai", "ad", "au"):
                cur.execute(f"DROP TRIGGER IF EXISTS comments_fts_{name}")

        rng = random.Random(plan.seed)
        text = Text(rng)
        t = time.perf_counter()
        n_authors = max(3, plan.articles // 25)
        authors = gen_authors(rng, text, n_authors, _ts_sqlite)
        articles, bylines, tags, newsroom = gen_articles(
            rng, text, plan.articles, n_authors, _ts_sqlite
        )
        cur.execute("BEGIN")
        cur.executemany(_insert_sql("authors", AUTHOR_COLS, "qmark"), authors)
        cur.executemany(_insert_sql("articles", ARTICLE_COLS, "qmark"), articles)
        cur.executemany(_insert_sql("bylines", BYLINE_COLS, "qmark"), bylines)
        cur.executemany(_insert_sql("article_tags", TAG_COLS, "qmark"), tags)
        pool = commenter_pool(rng, pool_size(plan.comments))
        commenters = gen_commenters(rng, pool, _ts_sqlite)
        cur.executemany(_insert_sql("commenters", COMMENTER_COLS, "qmark"), commenters)
        cur.execute("COMMIT")
        timings["articles"] = time.perf_counter() - t

        loader = Loader(quiet)
        sql = _insert_sql("comments", COMMENT_COLS, "qmark")
        done = 0
        t = time.perf_counter()
        rows = gen_comments(rng, text, newsroom, pool, plan.comments, _ts_sqlite)
        for batch in prefetched(batched(rows, BATCH), plan.comments > BATCH):
            cur.execute("BEGIN")
            cur.executemany(sql, batch)
            cur.execute("COMMIT")
            done += len(batch)
            loader.progress(done, plan.comments)
        timings["comments"] = time.perf_counter() - t
        if fts == "rebuild":
            t = time.perf_counter()
            cur.execute("BEGIN")
            cur.execute("INSERT INTO comments_fts(comments_fts) VALUES('rebuild')")
            for stmt in triggers:
                cur.execute(stmt)
            cur.execute("COMMIT")
            timings["fts_rebuild"] = time.perf_counter() - t
        t = time.perf_counter()
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        timings["checkpoint"] = time.perf_counter() - t
    finally:
        raw.close()
    return timings


def load_postgresql(db: Database, plan: Plan, *, quiet: bool) -> dict[str, float]:
    raw = db.engine.raw_connection()
    pg = raw.driver_connection  # psycopg.Connection
    assert pg is not None
    timings: dict[str, float] = {}
    try:
        with pg.cursor() as cur:
            _check_empty(cur)
        pg.commit()
        rng = random.Random(plan.seed)
        text = Text(rng)
        t = time.perf_counter()
        n_authors = max(3, plan.articles // 25)
        authors = gen_authors(rng, text, n_authors, _ts_pg)
        articles, bylines, tags, newsroom = gen_articles(
            rng, text, plan.articles, n_authors, _ts_pg
        )

        def copy(table: str, cols: str, rows: Sequence[tuple]) -> None:
            with pg.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)

        copy("authors", AUTHOR_COLS, authors)
        copy("articles", ARTICLE_COLS, articles)
        copy("bylines", BYLINE_COLS, bylines)
        copy("article_tags", TAG_COLS, tags)
        pool = commenter_pool(rng, pool_size(plan.comments))
        copy("commenters", COMMENTER_COLS, gen_commenters(rng, pool, _ts_pg))
        pg.commit()
        timings["articles"] = time.perf_counter() - t

        # The comments' secondary indexes (the GIN one above all) are built once, after the
        # load, from their own definitions as the migrations made them.
        with pg.cursor() as cur:
            cur.execute("SET synchronous_commit = off")
            cur.execute("SET maintenance_work_mem = '512MB'")
            cur.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "WHERE i.tablename = 'comments' AND i.schemaname = current_schema() "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
            )
            deferred = cur.fetchall()
            for name, _ in deferred:
                cur.execute(f'DROP INDEX "{name}"')
        pg.commit()

        loader = Loader(quiet)
        done = 0
        t = time.perf_counter()
        rows = gen_comments(rng, text, newsroom, pool, plan.comments, _ts_pg)
        for batch in prefetched(batched(rows, BATCH), plan.comments > BATCH):
            copy("comments", COMMENT_COLS, batch)
            pg.commit()
            done += len(batch)
            loader.progress(done, plan.comments)
        timings["comments"] = time.perf_counter() - t
        t = time.perf_counter()
        with pg.cursor() as cur:
            for _, definition in deferred:
                cur.execute(definition)
        pg.commit()
        timings["indexes"] = time.perf_counter() - t
        with pg.cursor() as cur:
            for table in ("authors", "articles", "comments", "commenters"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
            cur.execute("ANALYZE")  # autovacuum would do it within the minute anyway
        pg.commit()
    finally:
        raw.close()
    return timings


def generate(
    url: str,
    articles: int,
    comments: int,
    seed: int = 1,
    *,
    fts: str = "rebuild",
    quiet: bool = False,
) -> dict[str, float]:
    """Create the schema at ``url`` and fill it; returns timings in seconds."""
    t0 = time.perf_counter()
    db = Database(url)  # Alembic: the same schema the app creates
    try:
        schema_s = time.perf_counter() - t0
        plan = Plan(articles, comments, seed)
        if db.dialect == "sqlite":
            timings = load_sqlite(db, plan, fts=fts, quiet=quiet)
        elif db.dialect == "postgresql":
            timings = load_postgresql(db, plan, quiet=quiet)
        else:
            raise SystemExit(f"error: no loader for {db.dialect}")
    finally:
        db.dispose()
    timings["schema"] = schema_s
    timings["total"] = time.perf_counter() - t0
    return timings


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True, metavar="URL", help="sqlite:///path or postgresql://")
    p.add_argument("--articles", type=int, default=2000)
    p.add_argument("--comments", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--fts",
        choices=["rebuild", "trigger"],
        default="rebuild",
        help="SQLite: drop the comments FTS triggers during the load and rebuild the index "
        "afterwards (default), or keep the triggers firing row by row",
    )
    p.add_argument("--replace", action="store_true", help="delete an existing SQLite file first")
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    if a.articles < 1 or a.comments < 0:
        p.error("need at least one article and no negative counts")
    if a.replace and a.db.startswith("sqlite:///"):
        path = Path(a.db.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    timings = generate(a.db, a.articles, a.comments, a.seed, fts=a.fts, quiet=a.quiet)
    rate = a.comments / timings["total"] if timings["total"] else 0.0
    print(f"store: {a.db}")
    print(f"articles: {a.articles:,}  comments: {a.comments:,}  seed: {a.seed}")
    for key, value in timings.items():
        print(f"  {key:<18} {value:8.2f} s")
    print(f"comments/s (overall, schema to last index): {rate:,.0f}")
    if timings.get("comments"):
        print(f"comments/s (comment load only): {a.comments / timings['comments']:,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
