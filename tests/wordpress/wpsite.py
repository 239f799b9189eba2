"""A real WordPress on 127.0.0.1 for the tests: Debian's package, MariaDB, PHP's own server.

Each test session gets its own database and its own Debian config file, chosen by the
`WORDPRESS_CONFIG` server variable that a small router script sets (Debian's wp-config.php
reads `/etc/wordpress/config-$WORDPRESS_CONFIG.php` first), so two sessions never share a
site. The router also serves `/wp-content/uploads/`, which Debian keeps in /var/lib.
Content is seeded through the REST API itself, as a newsroom's WordPress would get it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

WP_ROOT = Path("/usr/share/wordpress")
WP_CONTENT = Path("/var/lib/wordpress/wp-content")
CONFIG_DIR = Path("/etc/wordpress")
ADMIN = "editor"
ADMIN_PASSWORD = "wp-admin-Secret-9"
MYSQL_HOST = "127.0.0.1"


def unavailable() -> str | None:
    """Why a WordPress cannot be started here, or None."""
    if not (WP_ROOT / "wp-load.php").is_file():
        return "Debian's wordpress package is not installed (apt-get install wordpress)"
    if shutil.which("php") is None:
        return "php-cli is not installed (apt-get install php-cli php-mysql php-xml php-mbstring)"
    if shutil.which("mysql") is None:
        return "the MariaDB client is not installed (apt-get install mariadb-server)"
    probe = subprocess.run(
        ["php", "-r", "exit(function_exists('mysqli_connect') ? 0 : 1);"], check=False
    )
    if probe.returncode != 0:
        return "PHP has no mysqli (apt-get install php-mysql)"
    try:
        with socket.create_connection((MYSQL_HOST, 3306), timeout=2):
            pass
    except OSError as exc:
        return f"no MariaDB answers on {MYSQL_HOST}:3306 ({exc})"
    if not os.access(CONFIG_DIR, os.W_OK):
        return f"{CONFIG_DIR} is not writable (the tests write a site config there)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def mysql(sql: str) -> None:
    subprocess.run(
        ["mysql", "-h", MYSQL_HOST, "-uroot", "-e", sql], check=True, capture_output=True
    )


@dataclass
class WordPressSite:
    """One installed site: its URL, an administrator and an application password."""

    name: str
    port: int
    workdir: Path
    process: subprocess.Popen[bytes] | None = None
    app_password: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_name(self) -> str:
        return f"copydesk_wp_{self.name}"

    @property
    def config_file(self) -> Path:
        return CONFIG_DIR / f"config-copydesk-{self.name}.php"

    # -- life -----------------------------------------------------------------------------

    def create(self) -> None:
        mysql(f"CREATE DATABASE `{self.db_name}` CHARACTER SET utf8mb4")
        self.config_file.write_text(
            "<?php\n"
            f"define('DB_NAME', '{self.db_name}');\n"
            "define('DB_USER', 'root');\n"
            "define('DB_PASSWORD', '');\n"
            f"define('DB_HOST', '{MYSQL_HOST}');\n"
            f"define('WP_CONTENT_DIR', '{WP_CONTENT}');\n"
            "define('WP_ENVIRONMENT_TYPE', 'local');\n"
            "define('DISABLE_WP_CRON', true);\n"
            "define('AUTOMATIC_UPDATER_DISABLED', true);\n"
            "$table_prefix = 'wp_';\n"
        )
        (self.workdir / "router.php").write_text(
            "<?php\n"
            f"$_SERVER['WORDPRESS_CONFIG'] = 'copydesk-{self.name}';\n"
            # A slow site when a test asks (`slow()`): requests of that method whose address
            # has that route wait that long before WordPress answers them.
            "$slow = @json_decode((string) @file_get_contents(__DIR__ . '/slow.json'), true);\n"
            "if (is_array($slow) && $_SERVER['REQUEST_METHOD'] === $slow['method']"
            " && strpos(urldecode($_SERVER['REQUEST_URI']), $slow['route']) !== false)"
            " { usleep((int) ($slow['seconds'] * 1000000)); }\n"
            "$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);\n"
            "if (strpos($path, '/wp-content/uploads/') === 0) {\n"
            f"    $file = realpath('{WP_CONTENT}' . substr($path, strlen('/wp-content')));\n"
            f"    if ($file === false || strpos($file, '{WP_CONTENT}/uploads/') !== 0)"
            " { http_response_code(404); return true; }\n"
            "    header('Content-Type: ' . mime_content_type($file));\n"
            "    readfile($file);\n"
            "    return true;\n"
            "}\n"
            "return false;\n"
        )
        self.start()
        self._install()
        self.app_password = self.php(
            "$u = get_user_by('login', '" + ADMIN + "');"
            "[$pw] = WP_Application_Passwords::create_new_application_password("
            "$u->ID, ['name' => 'copydesk-tests']);"
            "echo $pw;"
        ).strip()

    def start(self) -> None:
        log = (self.workdir / "php-server.log").open("ab")
        self.process = subprocess.Popen(
            [
                "php",
                "-d",
                "upload_max_filesize=16M",
                "-d",
                "post_max_size=16M",
                "-S",
                f"127.0.0.1:{self.port}",
                "-t",
                str(WP_ROOT),
                str(self.workdir / "router.php"),
            ],
            stdout=log,
            stderr=log,
            env={**os.environ, "PHP_CLI_SERVER_WORKERS": "4"},
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:  # e.g. the port was taken meanwhile
                break
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                # Listening, and it is PHP that listens (not another program that took the
                # port between free_port() and now: PHP would have exited).
                time.sleep(0.2)
                if self.process.poll() is None:
                    return
                break
            time.sleep(0.1)
        raise RuntimeError(
            f"PHP's server did not start on port {self.port}; see {self.workdir}/php-server.log"
        )

    @contextlib.contextmanager
    def slow(self, method: str, route: str, seconds: float) -> Iterator[None]:
        """The site answers requests of `method` to `route` (e.g. "/wp/v2/comments/") only
        after `seconds`, as a site under load does, while the block runs."""
        flag = self.workdir / "slow.json"
        flag.write_text(json.dumps({"method": method, "route": route, "seconds": seconds}))
        try:
            yield
        finally:
            flag.unlink(missing_ok=True)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        self.process = None

    def destroy(self) -> None:
        self.stop()
        with contextlib.suppress(Exception):
            mysql(f"DROP DATABASE IF EXISTS `{self.db_name}`")
        self.config_file.unlink(missing_ok=True)

    def _install(self) -> None:
        r = httpx.post(
            f"{self.url}/wp-admin/install.php?step=2",
            data={
                "weblog_title": "The Harbour Gazette",
                "user_name": ADMIN,
                "admin_password": ADMIN_PASSWORD,
                "admin_password2": ADMIN_PASSWORD,
                "pw_weak": "1",
                "admin_email": "desk@harbour.example",
                "blog_public": "0",
                "language": "",
            },
            timeout=120,
        )
        if "Success" not in r.text and "already installed" not in r.text:
            raise RuntimeError(f"WordPress did not install: HTTP {r.status_code} {r.text[:300]}")

    # -- PHP with WordPress loaded --------------------------------------------------------

    def php(self, code: str, timeout: float = 120) -> str:
        script = self.workdir / f"run-{uuid.uuid4().hex[:8]}.php"
        script.write_text(
            "<?php\n"
            "$_SERVER['HTTP_HOST'] = '127.0.0.1';\n"
            f"$_SERVER['WORDPRESS_CONFIG'] = 'copydesk-{self.name}';\n"
            f"require '{WP_ROOT}/wp-load.php';\n" + code + "\n"
        )
        try:
            out = subprocess.run(
                ["php", str(script)], check=True, capture_output=True, timeout=timeout
            )
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(f"PHP failed: {exc.stdout!r} {exc.stderr!r}") from exc
        finally:
            script.unlink(missing_ok=True)
        return out.stdout.decode()

    # -- REST, for seeding and for reading back what Copydesk sent ------------------------

    def api(self, user: str = ADMIN, password: str | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            auth=(user, password or self.app_password),
            timeout=60,
        )

    def rest(self, method: str, route: str, **kwargs: Any) -> Any:
        params = dict(kwargs.pop("params", {}) or {})
        params["rest_route"] = route
        with self.api() as c:
            r = c.request(method, "/", params=params, **kwargs)
        if r.status_code >= 400:
            raise RuntimeError(f"{method} {route}: HTTP {r.status_code} {r.text[:300]}")
        return r.json()


def make_site(workdir: Path) -> WordPressSite:
    site = WordPressSite(name=uuid.uuid4().hex[:10], port=free_port(), workdir=workdir)
    try:
        site.create()
    except BaseException:
        site.destroy()
        raise
    return site


def png(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buf, "PNG")
    return buf.getvalue()


class Seeder:
    """Content made on the site through its REST API, as an editor in wp-admin would."""

    def __init__(self, site: WordPressSite):
        self.site = site
        self.n = 0

    def user(self, name: str, email: str) -> int:
        self.n += 1
        login = f"{name.split()[0].lower()}{uuid.uuid4().hex[:6]}"
        d = self.site.rest(
            "POST",
            "/wp/v2/users",
            json={
                "username": login,
                "name": name,
                "email": email,
                "password": "Pw-" + uuid.uuid4().hex,
                "roles": ["author"],
                "description": f"{name} writes for the Gazette.",
            },
        )
        return int(d["id"])

    def colleague(self, name: str) -> httpx.Client:
        """Another editor of the site (role editor, her own application password), as a
        REST client: what she changes there is hers in WordPress's revisions."""
        login = f"{name.split()[0].lower()}{uuid.uuid4().hex[:6]}"
        self.site.rest(
            "POST",
            "/wp/v2/users",
            json={
                "username": login,
                "name": name,
                "email": f"{login}@gazette.example",
                "password": "Pw-" + uuid.uuid4().hex,
                "roles": ["editor"],
            },
        )
        password = self.site.php(
            f"$u = get_user_by('login', '{login}');"
            "[$pw] = WP_Application_Passwords::create_new_application_password("
            "$u->ID, ['name' => 'colleague']);"
            "echo $pw;"
        ).strip()
        return self.site.api(login, password)

    def media(self, caption: str, alt: str) -> dict[str, Any]:
        d = self.site.rest(
            "POST",
            "/wp/v2/media",
            content=png(),
            headers={
                "Content-Type": "image/png",
                "Content-Disposition": f'attachment; filename="seed-{uuid.uuid4().hex[:6]}.png"',
            },
        )
        return dict(
            self.site.rest(
                "POST", f"/wp/v2/media/{d['id']}", json={"caption": caption, "alt_text": alt}
            )
        )

    def post(self, title: str, body: str = "", kind: str = "posts", **fields: Any) -> int:
        d = self.site.rest(
            "POST",
            f"/wp/v2/{kind}",
            json={
                "title": title,
                "content": body or f"<p>{title}: the story.</p>",
                "status": "publish",
                **fields,
            },
        )
        return int(d["id"])

    def comment(self, post: int, text: str, status: str = "approved", **fields: Any) -> int:
        self.n += 1
        d = self.site.rest(
            "POST",
            "/wp/v2/comments",
            json={
                "post": post,
                "content": text,
                "status": status,
                "author_name": fields.pop("author_name", f"Reader {self.n}"),
                "author_email": fields.pop("author_email", f"reader{self.n}@example.org"),
                "author_ip": fields.pop("author_ip", f"192.0.2.{self.n % 250 + 1}"),
                **fields,
            },
        )
        return int(d["id"])

    def comment_status(self, comment_id: int) -> str:
        d = self.site.rest("GET", f"/wp/v2/comments/{comment_id}", params={"context": "edit"})
        return str(d["status"])
