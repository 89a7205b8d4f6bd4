"""After sign-in each person lands where their work is (unless the sign-in was asked for by a page)."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

LANDING = {
    "applicant": "/applications",
    "reviewer": "/review",
    "approver": "/review?status=recommended",
    "auditor": "/registers/certificates",
    "admin": "/review/dashboard",
    "authority": "/account",
}


@pytest.mark.parametrize("role", sorted(LANDING))
def test_sign_in_lands_where_the_work_is(client, make_user, role):
    user = make_user(role, side="KZ") if role == "authority" else make_user(role)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == LANDING[role]
    assert client.get(response.headers["Location"]).status_code == 200
    # Signed in, the sign-in page and the home page's own links lead to the same place.
    assert client.get("/login").headers["Location"] == LANDING[role]


def test_a_page_that_asked_for_the_sign_in_wins(client, make_user):
    user = make_user("reviewer")
    response = client.post("/login?next=/registers/certificates", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/registers/certificates"
