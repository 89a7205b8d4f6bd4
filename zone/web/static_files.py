"""Static files on a slow line: every link to one carries a digest of its content (``?v=``), and a request
that names the current digest is cached for a year (``immutable``), so a browser fetches a stylesheet or the
favicon once and again only when it changes. A link without the digest, or with an old one, is served
with the usual short cache."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request

YEAR = 365 * 24 * 3600


@lru_cache(maxsize=512)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()[:16]


def digest_of(app: Flask, filename: str) -> str | None:
    """The content digest of ``filename`` under the static folder; None when there is no such file."""
    folder = Path(app.static_folder or "").resolve()
    path = (folder / filename).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return None
    stat = path.stat()  # a changed file (a deployment) gets a new digest without a restart
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


def init_app(app: Flask) -> None:
    @app.url_defaults
    def _versioned(endpoint: str, values: dict) -> None:
        if (endpoint == "static" and "filename" in values and "v" not in values
                and (digest := digest_of(app, values["filename"]))):
            values["v"] = digest

    @app.after_request
    def _cache_forever(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            version = request.args.get("v")
            if version and version == digest_of(app, (request.view_args or {}).get("filename", "")):
                response.cache_control.public = True
                response.cache_control.max_age = YEAR
                response.cache_control.immutable = True
                response.cache_control.no_cache = None
        return response
