"""Mail tests queue their messages through the review, so they borrow its application factory."""

from tests.review.conftest import make_application  # noqa: F401
