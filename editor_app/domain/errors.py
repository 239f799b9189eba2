"""Errors a user can act on. Anything else is a bug and goes to the crash handler."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; its message is one line, shown as is."""


class NotFound(UserError):
    pass


class InvalidInput(UserError):
    pass


class ImportFailed(UserError):
    pass


class StoreError(UserError):
    """The store cannot be opened, migrated or reached."""


class Contended(StoreError):
    """Two transactions waited on each other (a deadlock the server broke): nothing was
    saved, and the same change tried again normally goes through."""


class Conflict(UserError):
    """A save against a stale version: someone else saved first."""

    def __init__(self, message: str, *, current_version: int, saved_by: str | None = None):
        super().__init__(message)
        self.current_version = current_version
        self.saved_by = saved_by


class Cancelled(Exception):
    """A job was cancelled by the user; whatever it did is rolled back."""
