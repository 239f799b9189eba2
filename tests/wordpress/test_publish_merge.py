"""A publish conflict on a real WordPress: who edited the post there (its latest revision's
author), merging (the site's version is the next publish's base), `site diff` and
`publish --base` from the command line, and a pull that takes a post's section, tags and
figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from typing import Any

import httpx
import pytest

from editor_app.formats.bundle import ArticleData, Bundle, FigureData
from editor_app.remote.wordpress import WordPressClient
from editor_app.services.site_publish import who_edited
from editor_app.services.sites import PublishConflict
from tests.wordpress.conftest import Desk
from tests.wordpress.wpsite import ADMIN, Seeder, WordPressSite, png


def _article(desk: Desk, *, figures: int = 0) -> int:
    slug = f"bridge-{uuid.uuid4().hex[:6]}"
    result = desk.services.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title="The bridge closes for repairs",
                        body_html="<p>Works start on Monday.</p><p>Buses take the ring road.</p>",
                        dek="Three weeks of works.",
                        slug=slug,
                        status="ready",
                        section=f"Roads {slug}",
                        tags=("bridge",),
                        figures=tuple(
                            FigureData(
                                caption=f"Figure {i}",
                                credit=f"Photo: Lens {i}",
                                alt=f"Alt {i}",
                                anchor=i,
                                image=png((20 * i, 90, 150)),
                                image_mime="image/png",
                            )
                            for i in range(1, figures + 1)
                        ),
                        source_key=f"test:{slug}",
                    ),
                )
            )
        ]
    )
    return result.article_ids[0]


def _edit(client: httpx.Client, post_id: int, **fields: Any) -> None:
    r = client.post("/", params={"rest_route": f"/wp/v2/posts/{post_id}"}, json=fields)
    assert r.status_code < 400, r.text


def _retitle(desk: Desk, article_id: int, title: str) -> None:
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None
        a.title = title
        uow.commit()


def _cli(desk: Desk, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EDITOR_APP_CONFIG_DIR": str(desk.config), "EDITOR_APP_KEYRING": "0"}
    return subprocess.run(
        [sys.executable, "-m", "editor_app", "--db", desk.url, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


def test_a_conflict_names_who_edited_the_post_and_a_merge_publishes_over_it(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    article_id = _article(desk)
    sent = desk.sites.publish("gazette", article_id, "publish")
    ines = seed.colleague("Ines Okafor")
    _edit(ines, sent.remote_id, title="Bridge shut for three weeks")
    _retitle(desk, article_id, "The bridge closes on Monday")

    with pytest.raises(PublishConflict) as caught:
        desk.sites.publish("gazette", article_id)
    assert caught.value.edited_by == "Ines Okafor"
    assert "changed on the site by Ines Okafor at" in str(caught.value)

    # Merge: the site's version as our HTML, who edited it; nothing changes until saved.
    theirs = desk.sites.site_version("gazette", article_id)
    assert theirs.title == "Bridge shut for three weeks"
    assert "Works start on Monday." in theirs.body_html and theirs.edited_by == "Ines Okafor"
    with pytest.raises(PublishConflict):
        desk.sites.publish("gazette", article_id)
    _retitle(desk, article_id, "Bridge shut for three weeks from Monday")
    desk.sites.merged(theirs)
    desk.sites.publish("gazette", article_id)
    got = wordpress.rest("GET", f"/wp/v2/posts/{sent.remote_id}", params={"context": "edit"})
    assert got["title"]["raw"] == "Bridge shut for three weeks from Monday"
    # A later change there is a conflict again: the merge settled only the version it showed.
    _edit(ines, sent.remote_id, excerpt="Edited once more.")
    with pytest.raises(PublishConflict):
        desk.sites.publish("gazette", article_id)


def test_site_diff_and_publish_base_from_the_command_line(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    article_id = _article(desk)
    sent = desk.sites.publish("gazette", article_id, "publish")
    ines = seed.colleague("Ines Okafor")
    _edit(
        ines,
        sent.remote_id,
        content="<p>Works start on Tuesday.</p><p>Buses take the ring road.</p>",
    )

    refused = _cli(desk, "site", "publish", "gazette", str(article_id), "--json")
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and refused.stderr.startswith("error: ")
    assert "by Ines Okafor" in refused.stderr
    conflict = json.loads(refused.stdout)
    assert conflict["conflict"] is True and conflict["edited_by"] == "Ines Okafor"
    assert conflict["remote_id"] == sent.remote_id

    diff = _cli(desk, "site", "diff", "gazette", str(article_id))
    assert diff.returncode == 0, diff.stderr
    assert "-Works start on Monday.\n" in diff.stdout
    assert "+Works start on Tuesday.\n" in diff.stdout
    assert " Buses take the ring road.\n" in diff.stdout
    assert "Ines Okafor" in diff.stdout.splitlines()[1]
    as_json = json.loads(_cli(desk, "site", "diff", "gazette", str(article_id), "--json").stdout)
    base = as_json["modified_gmt"]
    assert as_json["edited_by"] == "Ines Okafor" and base in diff.stderr

    # Merged by hand here, then published over the site's version that was read.
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None
        a.body_html = "<p>Works start on Tuesday at six.</p><p>Buses take the ring road.</p>"
        uow.commit()
    stale = _cli(
        desk, "site", "publish", "gazette", str(article_id), "--base", "2001-01-01T00:00:00"
    )
    assert stale.returncode == 1 and "changed on the site" in stale.stderr
    done = _cli(desk, "site", "publish", "gazette", str(article_id), "--base", base, "--json")
    assert done.returncode == 0, done.stderr
    got = wordpress.rest("GET", f"/wp/v2/posts/{sent.remote_id}", params={"context": "edit"})
    assert "Tuesday at six" in got["content"]["raw"]
    same = _cli(desk, "site", "diff", "gazette", str(article_id))
    assert same.returncode == 0 and "the same words as the site" in same.stdout


def test_a_pull_takes_section_tags_and_figures_of_a_post_edited_on_the_site(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    # A piece of ours with two figures, published, then edited in wp-admin.
    article_id = _article(desk, figures=2)
    sent = desk.sites.publish("gazette", article_id, "publish")
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id, full=True)
        assert a is not None
        ours = [f.id for f in a.figures]
    sport = wordpress.rest("POST", "/wp/v2/categories", json={"name": f"Sport {sent.remote_id}"})
    tags = [
        wordpress.rest("POST", "/wp/v2/tags", json={"name": f"{n}-{sent.remote_id}"})["id"]
        for n in ("roads", "works")
    ]
    extra = seed.media("Diversion map", "Map of the ring road")
    post = wordpress.rest("GET", f"/wp/v2/posts/{sent.remote_id}", params={"context": "edit"})
    content = post["content"]["raw"] + (
        f'\n<figure class="wp-block-image"><img src="{extra["source_url"]}" '
        f'class="wp-image-{extra["id"]}" alt="Map of the ring road"/>'
        "<figcaption>Diversion map</figcaption></figure>"
    )
    wordpress.rest(
        "POST",
        f"/wp/v2/posts/{sent.remote_id}",
        json={"categories": [sport["id"]], "tags": tags, "content": content},
    )
    assert desk.sites.pull("gazette").updated == 1
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id, full=True)
        assert a is not None
        assert a.section == sport["name"]
        assert sorted(t.tag for t in a.tags) == [
            f"roads-{sent.remote_id}",
            f"works-{sent.remote_id}",
        ]
        figs = [(f.id, f.caption, f.alt, f.image is not None) for f in a.figures]
    # Ours are the same figures (ids kept); the one added on the site came with its image.
    assert [f[0] for f in figs[:2]] == ours
    assert [f[1] for f in figs] == ["Figure 1", "Figure 2", "Diversion map"]
    assert figs[2][2:] == ("Map of the ring road", True)


def test_who_edited_reads_only_the_latest_revision(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """A much-edited post: the conflict names the last editor in one request, not by paging
    through every revision."""
    article_id = _article(desk)
    sent = desk.sites.publish("gazette", article_id, "publish")
    wordpress.php(
        "for ($i = 0; $i < 120; $i++) {"
        f" wp_update_post(['ID' => {sent.remote_id}, 'post_excerpt' => 'Draft ' . $i]); "
        "}"
    )
    ines = seed.colleague("Ines Okafor")
    _edit(ines, sent.remote_id, title="Bridge shut for a month")
    with WordPressClient(wordpress.url, ADMIN, wordpress.app_password) as client:
        post = client.post(sent.remote_id)
        assert who_edited(client, post, "posts") == "Ines Okafor"
        route = f"/wp/v2/posts/{sent.remote_id}/revisions".replace(str(sent.remote_id), "N")
        assert client.counter.by_route[route] == 1


def test_publishing_a_pulled_post_keeps_its_other_categories(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """A post in two categories: the pull makes the first the section; publishing it back
    keeps the second on the site, and a new section here replaces only the first."""
    tag = uuid.uuid4().hex[:6]
    first, second = (
        wordpress.rest("POST", "/wp/v2/categories", json={"name": f"{name} {tag}"})["id"]
        for name in ("Harbour", "Weather")
    )
    post = seed.post(f"Storm closes the harbour {tag}", categories=[first, second])
    desk.sites.pull("gazette")
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        link = uow.sites.links(site.id, "article", [post])[post]
        article_id = link.local_id
        article = uow.articles.get(article_id)
        assert article is not None and article.section == f"Harbour {tag}"
    _retitle(desk, article_id, f"Storm shuts the harbour {tag}")
    desk.sites.publish("gazette", article_id)

    def categories() -> set[int]:
        got = wordpress.rest("GET", f"/wp/v2/posts/{post}", params={"context": "edit"})
        return set(got["categories"])

    assert categories() == {first, second}
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None
        a.section = f"Coast {tag}"
        uow.commit()
    desk.sites.publish("gazette", article_id, force=True)
    coast = next(
        t["id"]
        for t in wordpress.rest("GET", "/wp/v2/categories", params={"search": f"Coast {tag}"})
    )
    assert categories() == {coast, second}
