"""Who wrote a comment, across articles: the email where there is one, else the name."""

from __future__ import annotations

from editor_app.domain.text import normalise_name


def commenter_key(email: str, name: str) -> str:
    email = email.strip().lower()
    if email:
        return email
    name_key = normalise_name(name)
    return f"name:{name_key}" if name_key else ""
