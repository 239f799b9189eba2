"""Rules for an author profile: what a valid name, email and link look like."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from editor_app.domain.errors import InvalidInput

# Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is not our test.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_SOCIAL_HANDLE = re.compile(r"^@[A-Za-z0-9_.]{1,30}$")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ValidationFailed(InvalidInput):
    """Several fields may be wrong at once; the message names the first, `errors` all."""

    def __init__(self, errors: list[FieldError]):
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first.field}: {first.message}{more}")
        self.errors = errors


@dataclass(frozen=True)
class ProfileInput:
    name: str
    byline_name: str = ""
    role: str = ""
    bio: str = ""
    email: str = ""
    website: str = ""
    links: tuple[str, ...] = field(default_factory=tuple)
    location: str = ""
    languages: str = ""
    active: bool = True

    def cleaned(self) -> ProfileInput:
        return ProfileInput(
            name=" ".join(self.name.split()),
            byline_name=" ".join(self.byline_name.split()),
            role=self.role.strip(),
            bio=self.bio.strip(),
            email=self.email.strip(),
            website=self.website.strip(),
            links=tuple(x.strip() for x in self.links if x.strip()),
            location=self.location.strip(),
            languages=self.languages.strip(),
            active=self.active,
        )


def url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        return f"{url!r} is not a web address (it must start with https:// or http://)"
    host = parts.hostname or ""
    if "." not in host or " " in url:
        return f"{url!r} has no valid host name"
    return None


def validate_profile(p: ProfileInput) -> list[FieldError]:
    errors: list[FieldError] = []
    if not p.name:
        errors.append(FieldError("name", "a profile needs a name"))
    elif len(p.name) > 200:
        errors.append(FieldError("name", "the name is longer than 200 characters"))
    if p.email and not _EMAIL.match(p.email):
        errors.append(FieldError("email", f"{p.email!r} is not an email address"))
    if p.website:
        problem = url_problem(p.website)
        if problem:
            errors.append(FieldError("website", problem))
    for link in p.links:
        if _SOCIAL_HANDLE.match(link):
            continue
        problem = url_problem(link)
        if problem:
            errors.append(FieldError("links", problem))
    return errors


def check_profile(p: ProfileInput) -> ProfileInput:
    cleaned = p.cleaned()
    errors = validate_profile(cleaned)
    if errors:
        raise ValidationFailed(errors)
    return cleaned
