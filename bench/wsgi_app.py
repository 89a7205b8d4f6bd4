"""The app as gunicorn serves it for benchmarks: the development config on ``DATABASE_URL`` with the
per-client rate limits off (every request comes from one loopback address; the limits would measure
themselves, not the app)."""

from __future__ import annotations

import os

from zone import create_app

app = create_app("development", {"RATELIMIT_ENABLED": False, "BASE_URL": os.environ.get("ZONE_BASE_URL",
                                                                                      "http://127.0.0.1:5000")})
