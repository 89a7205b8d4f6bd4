"""URL converters."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# Database ids are INTEGER (32-bit) on PostgreSQL: a larger number cannot name a row, and passing it to
# the database would fail with "integer out of range" instead of answering "not found".
MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every route: a non-negative whole number that fits a database id, else 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
