"""Application passwords of connected sites, kept outside the store, its backups and exports.

The system keyring where one works (the `keyring` package); otherwise a JSON file in the
user's config folder that only the user can read (0600). Which one is used is said, never
the password itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

import platformdirs

from editor_app.domain.errors import UserError

SERVICE = "copydesk-site"
FILE_NAME = "site-passwords.json"


def _keyring_backend() -> object | None:
    """The system keyring, or None where only the 'fail' or 'null' backend is there."""
    if os.environ.get("EDITOR_APP_KEYRING", "1") == "0":
        return None
    try:
        import keyring

        backend = keyring.get_keyring()
        priority = float(getattr(backend, "priority", 0))
    except Exception:
        return None
    if type(backend).__module__ in {"keyring.backends.fail", "keyring.backends.null"}:
        return None
    if priority <= 0:
        return None
    return backend


class Credentials:
    """Passwords by (site URL, user)."""

    def __init__(self, folder: Path | None = None, *, use_keyring: bool = True):
        env = os.environ.get("EDITOR_APP_CONFIG_DIR")
        self.folder = folder or (
            Path(env) if env else Path(platformdirs.user_config_dir("editor-app"))
        )
        self._use_keyring = use_keyring
        self._backend: list[object | None] = []  # looked up on first use (it may be slow)

    @property
    def probed(self) -> bool:
        """Whether the keyring was looked up yet (the first look-up may take seconds: the
        window's thread leaves it to a job or to a dialog that says where passwords go)."""
        return bool(self._backend)

    @property
    def _keyring(self) -> object | None:
        if not self._backend:
            self._backend.append(_keyring_backend() if self._use_keyring else None)
        return self._backend[0]

    @property
    def file(self) -> Path:
        return self.folder / FILE_NAME

    def where(self) -> str:
        if self._keyring is not None:
            return f"the system keyring ({type(self._keyring).__name__})"
        return f"a file only you can read ({self.file})"

    @staticmethod
    def _key(url: str, user: str) -> str:
        return f"{url.rstrip('/')}|{user}"

    def set(self, url: str, user: str, password: str) -> None:
        if self._keyring is not None:
            import keyring

            keyring.set_password(SERVICE, self._key(url, user), password)
            return
        data = self._read()
        data[self._key(url, user)] = password
        self._write(data)

    def get(self, url: str, user: str) -> str | None:
        if self._keyring is not None:
            import keyring

            return keyring.get_password(SERVICE, self._key(url, user))
        return self._read().get(self._key(url, user))

    def delete(self, url: str, user: str) -> None:
        if self._keyring is not None:
            import keyring
            from keyring.errors import PasswordDeleteError

            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(SERVICE, self._key(url, user))
            return
        data = self._read()
        if data.pop(self._key(url, user), None) is not None:
            self._write(data)

    def _read(self) -> dict[str, str]:
        try:
            raw = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise UserError(f"cannot read the site passwords file {self.file}: {exc}") from exc
        return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}

    def _write(self, data: dict[str, str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".site-passwords-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.replace(tmp, self.file)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
