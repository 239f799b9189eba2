"""`site publish`: --force (overwrite the site's change) and --base (publish over a merge)
contradict each other; asking for both is a usage error, and nothing is sent."""

from __future__ import annotations

from .test_cli import run


def test_force_and_base_together_are_refused(sqlite_url: str) -> None:
    both = run(
        sqlite_url, "site", "publish", "gazette", "1", "--force", "--base", "2026-11-30T08:00:00"
    )
    assert both.returncode == 2
    assert "argument --base: not allowed with argument --force" in both.stderr
    assert both.stdout == ""
