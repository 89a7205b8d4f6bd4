"""Several app servers share their rate limits through Redis (``RATELIMIT_STORAGE_URI=redis://…``).

Another process (another app server) spends an address's sign-in attempts; this one then refuses the next
attempt from that address. With each process's own memory the second one would not know. Redis must
answer at ``ZONE_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/15``); `.ci/run` requires it, elsewhere
the test is skipped when there is no Redis.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("ZONE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("ZONE_TEST_REQUIRE_REDIS"):
            pytest.fail(f"Redis at {REDIS_URL} is unreachable: {error}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    finally:
        client.close()
    return REDIS_URL


def _limited(database_url: str, storage_uri: str, prefix: str) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage_uri,
            "RATELIMIT_KEY_PREFIX": prefix, "LOGIN_LIMIT_PER_IP": "3 per minute"}


OTHER_SERVER = textwrap.dedent("""
    import json, sys
    from zone import create_app
    app = create_app("test", json.loads(sys.argv[1]))
    client = app.test_client()
    codes = [client.post("/login", data={"email": f"nobody{i}@example.org", "password": "wrong"}).status_code
             for i in range(3)]
    print(json.dumps(codes))
""")


def _spend_attempts_in_another_process(config: dict) -> list[int]:
    import json

    done = subprocess.run([sys.executable, "-c", OTHER_SERVER, json.dumps(config)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("shared", [True, False], ids=["redis", "each-process-memory"])
def test_another_app_server_spends_the_same_sign_in_limit(database_url, redis_url, shared):
    from zone import create_app

    prefix = f"zone-test-{secrets.token_hex(6)}"
    storage = redis_url if shared else "memory://"
    config = _limited(database_url, storage, prefix)
    assert _spend_attempts_in_another_process(config) == [200, 200, 200]  # refused sign-ins, not yet throttled
    app = create_app("test", config)
    try:
        response = app.test_client().post("/login", data={"email": "nobody@example.org", "password": "wrong"})
        assert response.status_code == (429 if shared else 200)
    finally:
        with app.app_context():
            from zone.extensions import db

            db.engine.dispose()
        if shared:
            import redis

            client = redis.Redis.from_url(redis_url)
            keys = list(client.scan_iter(f"{prefix}*"))
            if keys:
                client.delete(*keys)
            client.close()
