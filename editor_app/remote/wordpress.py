"""A WordPress site over its REST API: application-password auth, paging, retries.

It returns frozen DTOs and knows nothing of the store. Every failure a user can act on
(a wrong password, a URL that is not WordPress, a site that does not answer) becomes one
`SiteError` line; the password never appears in a message.

httpx: timeouts by default, connection reuse across the hundreds of requests of a pull,
typed, maintained; retries here are ours so that only idempotent calls are repeated.
"""

from __future__ import annotations

import contextlib
import html
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from editor_app.domain.errors import UserError

API_REL = "https://api.w.org/"
PER_PAGE = 100
# Every status a pull carries (not the trash).
POST_STATUSES = "publish,future,draft,pending,private"
USER_AGENT = "Copydesk/0.1 (+WordPress REST client)"


class SiteError(UserError):
    """The site refused, failed or could not be reached; one line, no secrets."""


class SiteRefused(SiteError):
    """The site answered and said no (a 4xx other than a wrong password)."""

    def __init__(
        self, message: str, *, status: int, code: str = "", data: Mapping[str, Any] | None = None
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.data: Mapping[str, Any] = data or {}  # the error's `data` (a term_exists' term_id)


class SiteUnreachable(SiteError):
    """No answer (down, timed out, refused connection): worth trying again later."""


# -- DTOs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemoteUser:
    id: int
    name: str
    slug: str
    email: str = ""
    description: str = ""
    url: str = ""


@dataclass(frozen=True)
class RemoteTerm:
    id: int
    name: str
    slug: str
    taxonomy: str


@dataclass(frozen=True)
class RemoteMedia:
    id: int
    source_url: str
    caption: str = ""
    alt_text: str = ""
    description: str = ""
    mime_type: str = ""


@dataclass(frozen=True)
class RemotePost:
    id: int
    type: str  # post | page
    status: str  # publish, future, draft, pending, private, trash
    title: str
    content: str
    excerpt: str
    slug: str
    author: int
    date_gmt: datetime | None
    modified_gmt: str  # as WordPress gives it: compared, not computed with
    modified: str = ""  # the site's local time: what `modified_after` filters on
    link: str = ""
    categories: tuple[int, ...] = ()
    tags: tuple[int, ...] = ()
    featured_media: int = 0


@dataclass(frozen=True)
class RemoteComment:
    id: int
    post: int
    parent: int
    status: str  # approved | hold | spam | trash
    content: str
    author: int = 0
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date_gmt: datetime | None = None
    type: str = "comment"


@dataclass(frozen=True)
class RemoteRevision:
    """A saved state of a post; `author` is the user who saved it."""

    id: int
    author: int
    date_gmt: str


@dataclass
class Counter:
    """How many HTTP requests a client made (the bench and the pull summary read it)."""

    requests: int = 0
    by_route: dict[str, int] = field(default_factory=dict)


def parse_gmt(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None


def _raw(value: Any) -> str:
    """A rendered-or-raw field (`{"raw": ..., "rendered": ...}`) as its raw text."""
    if isinstance(value, dict):
        raw = value.get("raw")
        return str(raw if raw is not None else value.get("rendered", ""))
    return "" if value is None else str(value)


def _ids(value: Any) -> tuple[int, ...]:
    return tuple(int(v) for v in value) if isinstance(value, list) else ()


def post_from(d: Mapping[str, Any]) -> RemotePost:
    return RemotePost(
        id=int(d["id"]),
        type=str(d.get("type", "post")),
        status=str(d.get("status", "draft")),
        title=_raw(d.get("title")),
        content=_raw(d.get("content")),
        excerpt=_raw(d.get("excerpt")),
        slug=str(d.get("slug") or ""),
        author=int(d.get("author") or 0),
        date_gmt=parse_gmt(d.get("date_gmt")),
        modified_gmt=str(d.get("modified_gmt") or ""),
        modified=str(d.get("modified") or ""),
        link=str(d.get("link") or ""),
        categories=_ids(d.get("categories")),
        tags=_ids(d.get("tags")),
        featured_media=int(d.get("featured_media") or 0),
    )


def comment_from(d: Mapping[str, Any]) -> RemoteComment:
    return RemoteComment(
        id=int(d["id"]),
        post=int(d.get("post") or 0),
        parent=int(d.get("parent") or 0),
        status=str(d.get("status", "hold")),
        content=_raw(d.get("content")),
        author=int(d.get("author") or 0),
        author_name=str(d.get("author_name") or ""),
        author_email=str(d.get("author_email") or ""),
        author_url=str(d.get("author_url") or ""),
        author_ip=str(d.get("author_ip") or ""),
        date_gmt=parse_gmt(d.get("date_gmt")),
        type=str(d.get("type") or "comment"),
    )


def media_from(d: Mapping[str, Any]) -> RemoteMedia:
    return RemoteMedia(
        id=int(d["id"]),
        source_url=str(d.get("source_url") or ""),
        caption=_raw(d.get("caption")),
        alt_text=str(d.get("alt_text") or ""),
        description=_raw(d.get("description")),
        mime_type=str(d.get("mime_type") or ""),
    )


# -- the client ---------------------------------------------------------------------------

_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="([^"]+)"')
_RETRY_STATUS = frozenset({429, 502, 503, 504})


class WordPressClient:
    """One site, one user. Use as a context manager (it holds a connection pool)."""

    def __init__(
        self,
        url: str,
        user: str,
        password: str,
        *,
        timeout: float = 20.0,
        retries: int = 2,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.url = normalise_url(url)
        self._http = httpx.Client(
            auth=httpx.BasicAuth(user, password),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
        )
        self._retries = retries
        self._sleep = sleep
        self._root: str | None = None
        self._query_style = False
        self.counter = Counter()
        # The site's clock, from its last answer's Date header (UTC).
        self.server_time: datetime | None = None

    def __enter__(self) -> WordPressClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- plumbing -------------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        attempts = self._retries + 1 if method in {"GET", "HEAD"} else 1
        for attempt in range(attempts):
            self.counter.requests += 1
            try:
                response = self._http.request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                if attempt + 1 < attempts:
                    self._sleep(0.5 * (attempt + 1))
                    continue
                raise SiteUnreachable(f"{self._host()} did not answer in time") from exc
            except httpx.TransportError as exc:
                if attempt + 1 < attempts:
                    self._sleep(0.5 * (attempt + 1))
                    continue
                raise SiteUnreachable(f"{self._host()} does not answer ({_reason(exc)})") from exc
            if response.status_code in _RETRY_STATUS and attempt + 1 < attempts:
                self._sleep(0.5 * (attempt + 1))
                continue
            self._note_date(response)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _note_date(self, response: httpx.Response) -> None:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            self.server_time = parsedate_to_datetime(response.headers["date"]).astimezone(UTC)

    def _host(self) -> str:
        return urlsplit(self.url).netloc or self.url

    def api_root(self) -> str:
        """Where the REST API answers: from the `Link: rel="https://api.w.org/"` header."""
        if self._root is not None:
            return self._root
        response = self._send("HEAD", self.url + "/")
        root = _api_link(response.headers.get_list("link"))
        if root is None and response.status_code >= 400:
            response = self._send("GET", self.url + "/")
            root = _api_link(response.headers.get_list("link"))
        if root is None:
            raise SiteError(f"{self.url} is not a WordPress site (no REST API link)")
        self._query_style = "rest_route=" in root
        self._root = root
        return root

    def _route_url(self, route: str) -> tuple[str, dict[str, Any]]:
        root = self.api_root()
        route = "/" + route.lstrip("/")
        if self._query_style:
            base = root.split("?", 1)[0]
            return base, {"rest_route": route}
        return root.rstrip("/") + route, {}

    def call(
        self,
        method: str,
        route: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        url, extra = self._route_url(route)
        key = re.sub(r"/\d+", "/N", route)
        self.counter.by_route[key] = self.counter.by_route.get(key, 0) + 1
        response = self._send(
            method,
            url,
            params={**extra, **(params or {})},
            json=json,
            content=content,
            headers=dict(headers or {}),
        )
        if response.status_code >= 400:
            raise self._error(response, method, route)
        return response

    def _error(self, response: httpx.Response, method: str, route: str) -> SiteError:
        code, message = "", ""
        data: dict[str, Any] = {}
        try:
            body = response.json()
            if isinstance(body, dict):
                code = str(body.get("code") or "")
                message = _one_line(str(body.get("message") or ""))
                if isinstance(body.get("data"), dict):
                    data = body["data"]
        except ValueError:
            pass
        status = response.status_code
        if status == 401 or code in {"incorrect_password", "invalid_username", "invalid_email"}:
            return SiteRefused(
                f"{self._host()} refused the user or the application password ({code or status})",
                status=status,
                code=code,
            )
        if status >= 500:
            return SiteUnreachable(f"{self._host()} failed: HTTP {status} on {method} {route}")
        if not code:
            return SiteRefused(
                f"{self._host()} answered HTTP {status} on {method} {route}; "
                "is this the WordPress site's address?",
                status=status,
            )
        return SiteRefused(
            f"{self._host()} refused {method} {route}: {message or code} ({code})",
            status=status,
            code=code,
            data=data,
        )

    def get(self, route: str, **params: Any) -> Any:
        return self.call("GET", route, params=params).json()

    def paged(self, route: str, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """Every item of a collection, page by page (`X-WP-TotalPages`)."""
        page = 1
        while True:
            response = self.call(
                "GET", route, params={**params, "per_page": PER_PAGE, "page": page}
            )
            items = response.json()
            if not isinstance(items, list):
                raise SiteError(f"{self._host()} gave something other than a list for {route}")
            yield from items
            total = int(response.headers.get("x-wp-totalpages") or 1)
            if page >= total or not items:
                return
            page += 1

    # -- the site -------------------------------------------------------------------------

    def check(self) -> RemoteUser:
        """The API answers and takes the password: the user it belongs to."""
        d = self.get("/wp/v2/users/me", context="edit")
        if not isinstance(d, dict) or "id" not in d:
            raise SiteError(f"{self.url} is not a WordPress site (no user in the answer)")
        caps = d.get("capabilities") or {}
        if isinstance(caps, dict) and not caps.get("moderate_comments"):
            raise SiteError(
                f"the user {d.get('slug', '')!r} may not moderate comments on {self._host()}"
            )
        return _user(d)

    def users(self) -> Iterator[RemoteUser]:
        for d in self.paged("/wp/v2/users", {"context": "edit"}):
            yield _user(d)

    def terms(self, taxonomy: str) -> Iterator[RemoteTerm]:
        route = "/wp/v2/categories" if taxonomy == "category" else "/wp/v2/tags"
        for d in self.paged(route, {"context": "edit"}):
            yield _term(d, taxonomy)

    def create_term(self, taxonomy: str, name: str) -> RemoteTerm:
        """A new term, or the one the site has of that name already (its `term_exists`
        refusal names it: a name we compared otherwise, or one made meanwhile)."""
        route = "/wp/v2/categories" if taxonomy == "category" else "/wp/v2/tags"
        try:
            d = self.call("POST", route, json={"name": name}).json()
        except SiteRefused as exc:
            term_id = exc.data.get("term_id")
            if exc.code != "term_exists" or not isinstance(term_id, int):
                raise
            return RemoteTerm(term_id, name, "", taxonomy)
        return _term(d, taxonomy)

    def posts(self, kind: str = "posts", modified_after: str | None = None) -> Iterator[RemotePost]:
        """Posts (or pages) of every status a user can edit, changed after a time.

        By id: many posts share a modified second, and paging by a key with ties can repeat
        one post on two pages and skip another."""
        params: dict[str, Any] = {
            "context": "edit",
            "status": POST_STATUSES,
            "orderby": "id",
            "order": "asc",
        }
        if modified_after:
            params["modified_after"] = modified_after
        for d in self.paged(f"/wp/v2/{kind}", params):
            yield post_from(d)

    def by_ids(
        self, route: str, ids: Sequence[int], params: Mapping[str, Any]
    ) -> Iterator[dict[str, Any]]:
        """The items of a collection with these ids that the site has (`include`, a hundred
        a request)."""
        for start in range(0, len(ids), PER_PAGE):
            chunk = ",".join(str(i) for i in ids[start : start + PER_PAGE])
            yield from self.paged(route, {**params, "include": chunk})

    def posts_by_id(self, ids: Sequence[int], kind: str = "posts") -> list[RemotePost]:
        """Those of `ids` that are posts (or pages) of a status a user can edit, whenever
        they last changed (a hundred a request)."""
        params = {"context": "edit", "status": POST_STATUSES}
        return [post_from(d) for d in self.by_ids(f"/wp/v2/{kind}", ids, params)]

    def total(self, route: str, **params: Any) -> int:
        """How many items a collection holds (`X-WP-Total`), in one small request."""
        response = self.call("GET", route, params={**params, "per_page": 1, "_fields": "id"})
        return int(response.headers.get("x-wp-total") or 0)

    def statuses(self, route: str, ids: Sequence[int], **params: Any) -> dict[int, str]:
        """id -> status of those of `ids` that the site still has (a hundred a request)."""
        query = {**params, "context": "edit", "_fields": "id,status"}
        return {int(d["id"]): str(d.get("status") or "") for d in self.by_ids(route, ids, query)}

    def ids(self, route: str, **params: Any) -> list[int]:
        """The ids of a whole collection, by id (a hundred a request, the ids only)."""
        query = {**params, "context": "edit", "orderby": "id", "order": "asc", "_fields": "id"}
        return [int(d["id"]) for d in self.paged(route, query)]

    def post(self, post_id: int, kind: str = "posts") -> RemotePost:
        return post_from(self.get(f"/wp/v2/{kind}/{post_id}", context="edit"))

    def post_status(self, post_id: int) -> str | None:
        """A post's (or page's) status, whatever it is (a workflow plugin's own included);
        None only when the site says it has no such post or page (404 or 410). Any other
        refusal or failure raises: the caller must not take it as gone."""
        for kind in ("posts", "pages"):
            try:
                d = self.get(f"/wp/v2/{kind}/{post_id}", context="edit", _fields="id,status")
            except SiteRefused as exc:
                if exc.status in (404, 410):
                    continue
                raise
            return str(d.get("status") or "") if isinstance(d, dict) else ""
        return None

    def revisions(self, post_id: int, kind: str = "posts") -> list[RemoteRevision]:
        return [
            RemoteRevision(int(d["id"]), int(d.get("author") or 0), str(d.get("date_gmt") or ""))
            for d in self.paged(f"/wp/v2/{kind}/{post_id}/revisions", {"context": "edit"})
        ]

    def latest_revision(self, post_id: int, kind: str = "posts") -> RemoteRevision | None:
        """The post's newest revision, in one small request (a post may have hundreds)."""
        items = self.get(
            f"/wp/v2/{kind}/{post_id}/revisions",
            context="edit",
            per_page=1,
            orderby="date",
            order="desc",
            _fields="id,author,date_gmt",
        )
        if not isinstance(items, list) or not items:
            return None
        d = items[0]
        return RemoteRevision(int(d["id"]), int(d.get("author") or 0), str(d.get("date_gmt") or ""))

    def user(self, user_id: int) -> RemoteUser:
        return _user(self.get(f"/wp/v2/users/{user_id}", context="edit"))

    def save_post(
        self, fields: Mapping[str, Any], post_id: int | None = None, kind: str = "posts"
    ) -> RemotePost:
        route = f"/wp/v2/{kind}" + (f"/{post_id}" if post_id else "")
        d = self.call("POST", route, params={"context": "edit"}, json=dict(fields)).json()
        return post_from(d)

    def media(self, ids: Sequence[int]) -> list[RemoteMedia]:
        return [media_from(d) for d in self.by_ids("/wp/v2/media", ids, {"context": "edit"})]

    def upload_media(self, filename: str, data: bytes, mime: str) -> RemoteMedia:
        d = self.call(
            "POST",
            "/wp/v2/media",
            params={"context": "edit"},
            content=data,
            headers={
                "Content-Type": mime,
                "Content-Disposition": f'attachment; filename="{filename}"',
            },
        ).json()
        return media_from(d)

    def update_media(self, media_id: int, fields: Mapping[str, Any]) -> RemoteMedia:
        d = self.call(
            "POST", f"/wp/v2/media/{media_id}", params={"context": "edit"}, json=dict(fields)
        ).json()
        return media_from(d)

    def download(self, url: str, limit: int = 20_000_000) -> tuple[bytes, str] | None:
        """An image of the site (its uploads), or None when it cannot be had."""
        try:
            response = self._send("GET", url)
        except SiteError:
            return None
        if response.status_code != 200 or len(response.content) > limit:
            return None
        mime = response.headers.get("content-type", "").split(";")[0].strip()
        return response.content, mime

    def comments(
        self, *, after_id: int = 0, include: Sequence[int] = ()
    ) -> Iterator[RemoteComment]:
        """Comments of every status: those with an id above `after_id` (newest first,
        stopping at the first one already seen), or exactly those in `include`."""
        # "any" lists every status (approved, hold, spam, trash) in one collection.
        params: dict[str, Any] = {"context": "edit", "status": "any"}
        if include:
            for d in self.by_ids("/wp/v2/comments", include, params):
                yield comment_from(d)
            return
        for d in self.paged("/wp/v2/comments", {**params, "orderby": "id", "order": "desc"}):
            c = comment_from(d)
            if c.id <= after_id:
                return
            yield c

    def replies(self, post: int, parent: int) -> Iterator[RemoteComment]:
        params = {"context": "edit", "status": "any", "post": post, "parent": parent}
        for d in self.paged("/wp/v2/comments", params):
            yield comment_from(d)

    def comment(self, comment_id: int) -> RemoteComment:
        return comment_from(self.get(f"/wp/v2/comments/{comment_id}", context="edit"))

    def save_comment(
        self, fields: Mapping[str, Any], comment_id: int | None = None
    ) -> RemoteComment:
        route = "/wp/v2/comments" + (f"/{comment_id}" if comment_id else "")
        d = self.call("POST", route, params={"context": "edit"}, json=dict(fields)).json()
        return comment_from(d)


def _term(d: Mapping[str, Any], taxonomy: str) -> RemoteTerm:
    # WordPress keeps a term's name HTML-escaped ("Roads &amp; Bridges") and gives it so.
    return RemoteTerm(int(d["id"]), html.unescape(str(d["name"])), str(d["slug"]), taxonomy)


def _user(d: Mapping[str, Any]) -> RemoteUser:
    return RemoteUser(
        id=int(d["id"]),
        name=str(d.get("name") or d.get("slug") or ""),
        slug=str(d.get("slug") or ""),
        email=str(d.get("email") or ""),
        description=str(d.get("description") or ""),
        url=str(d.get("url") or ""),
    )


def _api_link(values: Sequence[str]) -> str | None:
    for value in values:
        for url, rel in _LINK.findall(value):
            if rel == API_REL:
                return str(url)
    return None


def normalise_url(url: str) -> str:
    url = url.strip()
    if not re.match(r"^https?://", url, re.I):
        raise SiteError(f"{url!r} is not a web address (it should start with http:// or https://)")
    return url.rstrip("/")


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    if "refused" in text.lower():
        return "connection refused"
    return _one_line(text) or type(exc).__name__


def _one_line(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(text.split())[:200]
