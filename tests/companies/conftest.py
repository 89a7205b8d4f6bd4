"""Fixtures of the companies tests (shared with the application tests)."""

from tests.applications.conftest import db_get  # noqa: F401  (a fixture)
from tests.review.conftest import act, make_application  # noqa: F401  (fixtures: claims meet the review)
