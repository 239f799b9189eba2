"""Eight workstations on one PostgreSQL store for 60 s: editing and moderating the same items.

Each process opens its own store connection, as a real workstation does, and loops:
- move one of a few shared articles along the workflow, saving against the version it read;
- moderate one of a shared pool of comments, acting against the version it saw.
Conflicts are expected and counted. Afterwards the audit log and the revisions are checked:
every successful save is exactly one version step and one revision (no lost update), and each
comment's actions chain from -> to without a gap or a repeat (no action applied twice).

    python bench/bench_newsroom.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                   [--workers 8] [--seconds 60]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import sys
import time
import uuid
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text

from editor_app.domain.errors import Conflict, InvalidInput, StoreError
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store.database import Database

ARTICLES = 4
COMMENTS = 120
CYCLE = {"draft": "editing", "editing": "copyedit", "copyedit": "editing"}
ACTIONS = ("approve", "hold", "spam", "trash")


def setup(url: str) -> None:
    db = Database(url)
    s = Services.build(db.uow)
    articles = []
    for i in range(ARTICLES):
        comments = tuple(
            CommentData(
                key=str(j),
                body=f"Reader view {i}-{j} on the harbour plan.",
                author_name=f"Reader {j % 17}",
                status="pending",
            )
            for j in range(COMMENTS // ARTICLES)
        )
        articles.append(
            ArticleData(
                title=f"Shared story {i}",
                body_html="<p>Draft text.</p>",
                authors=(AuthorData(name="Desk Editor"),),
                source_key=f"bench:{i}",
                comments=comments,
            )
        )
    s.imports.import_bundles([Bundle(articles=tuple(articles))])
    db.dispose()


def workstation(url: str, seconds: float, seed: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    rng = random.Random(seed)
    db = Database(url, upgrade=False)
    s = Services.build(db.uow)
    me = f"ws{seed}"
    article_ids = [r.id for r in s.articles.page().rows]
    comment_ids = [r.id for r in s.comments.page(CommentFilter(), limit=1000).rows]
    saves = conflicts = acts = act_conflicts = errors = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if rng.random() < 0.4:
                aid = rng.choice(article_ids)
                d = s.articles.detail(aid)
                time.sleep(rng.uniform(0, 0.01))  # the editor thinks a moment
                try:
                    s.articles.set_status(
                        aid, CYCLE[d.status], actor=me, expected_version=d.version
                    )
                    saves += 1
                except Conflict:
                    conflicts += 1
            else:
                cid = rng.choice(comment_ids)
                row = s.comments.get(cid)
                time.sleep(rng.uniform(0, 0.01))
                action = rng.choice(
                    [
                        a
                        for a in ACTIONS
                        if a
                        != {
                            "approved": "approve",
                            "pending": "hold",
                            "spam": "spam",
                            "trash": "trash",
                        }[row.status]
                    ]
                )
                try:
                    s.moderation.act([cid], action, actor=me, seen_versions={cid: row.version})
                    acts += 1
                except Conflict:
                    act_conflicts += 1
        except (StoreError, InvalidInput):
            errors += 1
    db.dispose()
    out.put((saves, conflicts, acts, act_conflicts, errors))


def verify(url: str, baseline: dict[str, dict[int, int]]) -> list[str]:
    problems: list[str] = []
    engine = create_engine(url)
    with engine.connect() as c:
        for aid, version in c.execute(text("SELECT id, version FROM articles")):
            saves = c.execute(
                text(
                    "SELECT count(*) FROM revisions WHERE article_id = :a AND saved_by LIKE 'ws%'"
                ),
                {"a": aid},
            ).scalar_one()
            if version - baseline["articles"][aid] != saves:
                problems.append(
                    f"article {aid}: {version - baseline['articles'][aid]} "
                    f"version steps but {saves} saves"
                )
        chains: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for cid, f, t in c.execute(
            text(
                "SELECT comment_id, from_status, to_status FROM moderation_actions "
                "WHERE actor LIKE 'ws%' ORDER BY id"
            )
        ):
            chains[cid].append((f, t))
        for cid, version in c.execute(text("SELECT id, version FROM comments")):
            steps = chains.get(cid, [])
            if version - baseline["comments"][cid] != len(steps):
                problems.append(
                    f"comment {cid}: {version - baseline['comments'][cid]} "
                    f"version steps but {len(steps)} actions"
                )
            for (_, to), (frm, _) in pairwise(steps):
                if to != frm:
                    problems.append(f"comment {cid}: an action from {frm} followed one to {to}")
    engine.dispose()
    return problems


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--seconds", type=float, default=60)
    a = p.parse_args()
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(a.url)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{a.url}?options=-csearch_path%3D{schema}"
    try:
        setup(url)
        eng = create_engine(url)
        with eng.connect() as c:
            baseline = {
                "articles": dict(c.execute(text("SELECT id, version FROM articles")).all()),
                "comments": dict(c.execute(text("SELECT id, version FROM comments")).all()),
            }
        eng.dispose()
        ctx = mp.get_context("spawn")
        queue: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
        procs = [
            ctx.Process(target=workstation, args=(url, a.seconds, i, queue))
            for i in range(a.workers)
        ]
        started = time.monotonic()
        for proc in procs:
            proc.start()
        results = [queue.get() for _ in procs]
        for proc in procs:
            proc.join()
        elapsed = time.monotonic() - started
        saves, conflicts, acts, act_conflicts, errors = (sum(x) for x in zip(*results, strict=True))
        total = saves + conflicts + acts + act_conflicts
        problems = verify(url, baseline)
        print(
            f"workstations {a.workers}, {a.seconds:.0f} s, {ARTICLES} shared articles, "
            f"{COMMENTS} shared comments"
        )
        print(
            f"  actions attempted      {total:>8}  ({total / elapsed:.0f}/s over {elapsed:.1f} s)"
        )
        print(f"  article saves          {saves:>8}  conflicts detected {conflicts}")
        print(f"  moderation actions     {acts:>8}  conflicts detected {act_conflicts}")
        print(f"  store errors           {errors:>8}")
        print(
            f"  lost updates / doubles {len(problems):>8}  "
            + ("(audit log and revisions agree)" if not problems else "")
        )
        for line in problems[:10]:
            print("   ", line)
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
