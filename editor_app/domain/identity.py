"""Who is working at this workstation: the name revisions and the audit log record."""

from __future__ import annotations

import getpass
import os

ENV_VAR = "EDITOR_APP_USER"


def current_user() -> str:
    """`EDITOR_APP_USER` where a newsroom sets it, else the operating system's login name."""
    name = os.environ.get(ENV_VAR, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "editor"
