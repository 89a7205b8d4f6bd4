"""Error reports to Sentry, only when ``SENTRY_DSN`` is set: without it sentry-sdk is not even imported.

No personal data leaves. sentry-sdk 2.75 deprecates ``send_default_pii`` for ``data_collection`` (and a
deprecation fails our tests), so this says the same and more, category by category: no user identity (what
``send_default_pii=False`` meant), no cookies, no request headers, no request body at all and no local
variables of the stack frames, so no password or form field can reach an event, whatever its name; query
parameters go with the sensitive ones (token, password, key…) filtered.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    dsn = app.config["SENTRY_DSN"]
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[FlaskIntegration()],
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "denylist"},
            "stack_frame_variables": False,
        },
        release=app.config["SENTRY_RELEASE"] or None,
        environment=app.config["SENTRY_ENVIRONMENT"] or app.config["ENV_NAME"],
        traces_sample_rate=None,  # errors only: performance lives in /metrics
    )
