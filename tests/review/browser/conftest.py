"""The browser harness of tests/e2e (live server, Chromium, console checks, screenshots) for review pages."""

import pytest

from tests.e2e.conftest import (  # noqa: F401
    app_overrides,
    browser,
    console,
    context,
    live_server,
    page,
    playwright_instance,
    shot,
    sign_in,
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/review/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
