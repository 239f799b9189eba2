"""Where the files shipped beside the code live, whether run from a checkout or installed.

A checkout keeps them in the repository's top-level ``resources/``; a built package cannot
reach outside ``editor_app`` and carries a copy in ``editor_app/_resources``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["resources_dir"]


def resources_dir() -> Path:
    """The folder of bundled resources; the checkout's copy wins so edits show up at once."""
    here = Path(__file__).resolve()
    candidates = (here.parents[2] / "resources", here.parents[1] / "_resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = " or ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"the application's resources are missing: looked in {tried}")
