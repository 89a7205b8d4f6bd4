"""Static files: links carry their content's digest and, asked for by it, are cached for a year."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path


def test_pages_link_static_files_by_digest_and_those_are_cached_for_a_year(client, app):
    page = client.get("/").get_data(as_text=True)
    links = set(re.findall(r'(/static/[^"?]+)\?v=([0-9a-f]{16})"', page))
    assert {path for path, _ in links} >= {"/static/css/zone.css", "/static/img/favicon.svg"}
    for path, version in links:
        content = (Path(app.static_folder) / path.removeprefix("/static/")).read_bytes()
        assert version == hashlib.sha256(content).hexdigest()[:16]
        response = client.get(f"{path}?v={version}")
        assert response.status_code == 200 and response.data == content
        cache = response.cache_control
        assert cache.public and cache.max_age == 365 * 24 * 3600 and cache.immutable
    # Without the digest, or with an old one, the file is not cached for long: it may change.
    for url in ("/static/css/zone.css", "/static/css/zone.css?v=0000000000000000"):
        response = client.get(url)
        assert response.status_code == 200 and not response.cache_control.immutable
        assert (response.cache_control.max_age or 0) < 3600


def test_a_link_to_a_missing_or_escaping_file_has_no_digest(app):
    with app.test_request_context():
        from flask import url_for

        assert "?v=" not in url_for("static", filename="no/such.css")
        assert "?v=" not in url_for("static", filename="../config.py")
