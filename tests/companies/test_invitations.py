"""Colleagues join a company by a signed, expiring, single-use invitation; members are listed; pending
invitations can be withdrawn; everything is audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest


def _invite(client, email: str):
    return client.post("/company/members", data={"email": email})


def _link_from_outbox(app, email: str) -> str:
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        message = db.session.query(MailMessage).filter_by(recipient=email, kind="invitation") \
            .order_by(MailMessage.id.desc()).first()
        assert message is not None
        match = re.search(r"http://zone\.test(/invitation/\S+)", message.body)
        assert match, message.body
        return match.group(1)


def test_invite_accept_and_join_as_applicant(client, app, login_as):
    from zone.accounts.models import User
    from zone.audit.models import AuditEvent
    from zone.extensions import db

    inviter = login_as("applicant", full_name="Анна Иванова")
    response = _invite(client, "Colleague@Example.com")
    assert response.status_code == 302
    page = client.get("/company/members").get_data(as_text=True)
    assert "colleague@example.com" in page and "Анна Иванова" in page
    link = _link_from_outbox(app, "colleague@example.com")
    client.post("/logout")

    invitation_page = client.get(link)
    assert invitation_page.status_code == 200
    assert inviter.company.name in invitation_page.get_data(as_text=True)
    response = client.post(link, data={"full_name": "Дина Коллегова", "password": "long-enough-pass-1",
                                       "password_confirm": "long-enough-pass-1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/applications")
    with app.app_context():
        user = db.session.query(User).filter_by(email="colleague@example.com").one()
        assert user.role == "applicant" and user.company_id == inviter.company_id
        assert user.full_name == "Дина Коллегова"
        actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.seq)]
        assert "company.invite" in actions and "company.invitation_accept" in actions
    assert client.get("/applications").status_code == 200  # signed in as the new member
    # the link works once
    client.post("/logout")
    assert client.get(link).status_code == 404


def test_members_are_listed(client, login_as, make_user):
    me = login_as("applicant")
    colleague = make_user("applicant", company=me.company, full_name="Бахтиёр Коллега")
    stranger = make_user("applicant", full_name="Чужой Человек")
    page = client.get("/company/members").get_data(as_text=True)
    assert colleague.email in page and "Бахтиёр Коллега" in page and me.email in page
    assert stranger.email not in page


def test_revoke_a_pending_invitation(client, app, login_as):
    from zone.companies.records import Invitation
    from zone.extensions import db

    login_as("applicant")
    _invite(client, "later@example.com")
    link = _link_from_outbox(app, "later@example.com")
    with app.app_context():
        invitation = db.session.query(Invitation).one()
    response = client.post(f"/company/invitations/{invitation.id}/revoke")
    assert response.status_code == 302
    again = client.post(f"/company/invitations/{invitation.id}/revoke")
    assert again.status_code == 302  # already withdrawn: said so, nothing changes
    client.post("/logout")
    assert client.get(link).status_code == 404
    assert client.post(link, data={"full_name": "X", "password": "long-enough-pass-1",
                                   "password_confirm": "long-enough-pass-1"}).status_code == 404


def test_another_company_cannot_revoke(client, app, login_as, make_user, login):
    from zone.companies.records import Invitation
    from zone.extensions import db

    login_as("applicant")
    _invite(client, "mine@example.com")
    with app.app_context():
        invitation = db.session.query(Invitation).one()
    client.post("/logout")
    login(make_user("applicant"))
    assert client.post(f"/company/invitations/{invitation.id}/revoke").status_code == 404
    with app.app_context():
        assert db.session.get(Invitation, invitation.id).revoked_at is None


def test_an_expired_invitation_does_not_work(client, app, login_as):
    from zone.companies.records import Invitation
    from zone.extensions import db

    login_as("applicant")
    _invite(client, "slow@example.com")
    link = _link_from_outbox(app, "slow@example.com")
    with app.app_context():
        invitation = db.session.query(Invitation).one()
        invitation.expires_at = invitation.created_at - timedelta(seconds=1)
        db.session.commit()
    client.post("/logout")
    assert client.get(link).status_code == 404


def test_a_tampered_link_does_not_work(client, app, login_as):
    login_as("applicant")
    _invite(client, "x@example.com")
    link = _link_from_outbox(app, "x@example.com")
    client.post("/logout")
    assert client.get(link[:-3] + "abc").status_code == 404
    assert client.get("/invitation/nonsense").status_code == 404


def test_inviting_again_replaces_the_earlier_link(client, app, login_as):
    login_as("applicant")
    _invite(client, "twice@example.com")
    first = _link_from_outbox(app, "twice@example.com")
    _invite(client, "twice@example.com")
    second = _link_from_outbox(app, "twice@example.com")
    client.post("/logout")
    assert first != second
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200


@pytest.mark.parametrize(("email", "reason"), [("not-an-email", "invalid"), ("taken", "taken")])
def test_invalid_or_taken_email_is_refused_next_to_the_field(client, login_as, make_user, email, reason):
    login_as("applicant")
    if reason == "taken":
        email = make_user("applicant").email
    response = _invite(client, email)
    assert response.status_code == 200
    assert 'id="email-error"' in response.get_data(as_text=True)


def test_weak_password_or_mismatch_keeps_the_name(client, app, login_as):
    login_as("applicant")
    _invite(client, "weak@example.com")
    link = _link_from_outbox(app, "weak@example.com")
    client.post("/logout")
    response = client.post(link, data={"full_name": "Дина", "password": "short", "password_confirm": "short"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="password-error"' in page and 'value="Дина"' in page
    response = client.post(link, data={"full_name": "Дина", "password": "long-enough-pass-1",
                                       "password_confirm": "other-long-pass-2"})
    assert 'id="password_confirm-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["reviewer", "auditor"])
def test_staff_do_not_invite(client, login_as, role):
    login_as(role)
    assert client.get("/company/members").status_code == 403
    assert _invite(client, "someone@example.com").status_code == 403
