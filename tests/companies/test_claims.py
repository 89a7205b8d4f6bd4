"""A registration claims a tax id; it does not own it.

Registering a tax id somebody already claimed is accepted (the real company is never locked out) and
flagged to staff; the registrant learns nothing of the other claim. While two claims are open no
application of either can be approved. An administrator resolves the dispute: merge two claims of the
same company, transfer the records to the rightful claimant, or disable a false claim; each audited.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests.applications.conftest import complete_fields
from tests.conftest import PASSWORD
from zone.accounts.models import User
from zone.applications.models import Application
from zone.audit.models import AuditEvent
from zone.companies.models import Company
from zone.companies.records import ClaimResolution, Invitation
from zone.extensions import db


def register(client, tax_id, email, name="ТОО «Жібек Жолы»"):
    return client.post("/register?lang=en", data={
        "company_name": name, "registration_country": "KZ", "tax_id": tax_id, "full_name": "Айгерім Сейітова",
        "email": email, "password": "a-long-secret-1", "password_confirm": "a-long-secret-1"})


def api_register(client, tax_id, email):
    return client.post("/api/v1/register", json={
        "email": email, "password": "a-long-secret-1",
        "company": {"name": "АО «Тест»", "tax_id": tax_id, "registration_country": "KZ"}})


def decide(client, company_id, query="", **data):
    """Post the administrator's decision form of one claim (its fields carry the claim's prefix)."""
    return client.post(f"/admin/companies/{company_id}/claim{query}",
                       data={f"claim-{company_id}-{name}": value for name, value in data.items()})


def audit(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)).all()


def fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


@pytest.fixture
def dispute(app, make_company, make_user, valid_bin):
    """Two open claims on one tax id, each with a member and a draft application; the first claim also
    has a pending invitation."""
    from datetime import timedelta

    from zone.database import utcnow

    tax_id = valid_bin()
    first = make_company(name="ТОО «Первая заявка»", tax_id=tax_id)
    second = make_company(name="ТОО «Настоящая компания»", tax_id=tax_id)
    first_user = make_user("applicant", company=first)
    second_user = make_user("applicant", company=second)
    with app.app_context():
        applications = {}
        for company, user in ((first, first_user), (second, second_user)):
            row = Application(company_id=company.id, created_by_id=user.id, status="draft", side="KZ")
            db.session.add(row)
            db.session.flush()
            applications[company.id] = row.id
        invitation = Invitation(company_id=first.id, email="colleague@first.kz", invited_by_id=first_user.id,
                                expires_at=utcnow() + timedelta(hours=72))
        db.session.add(invitation)
        db.session.commit()
        invitation_id = invitation.id
    return SimpleNamespace(tax_id=tax_id, first=first, second=second, first_user=first_user,
                           second_user=second_user, applications=applications, invitation_id=invitation_id)


# --- registration ---------------------------------------------------------------------------------------

def test_a_second_registration_of_a_claimed_tax_id_is_accepted_flagged_and_not_told(client, ctx, valid_bin):
    from zone.companies import claims

    tax_id = valid_bin()
    assert register(client, tax_id, "first@x.kz").status_code == 302
    other = client.application.test_client()
    response = register(other, tax_id, "second@x.kz", name="ТОО «Настоящая»")
    assert response.status_code == 302
    page = other.get(response.headers["Location"] + "?lang=en").get_data(as_text=True).lower()
    assert "claim" not in page and "dispute" not in page and "already registered" not in page
    first, second = db.session.scalars(select(Company).where(Company.tax_id == tax_id).order_by(Company.id)).all()
    assert claims.is_disputed(first) and claims.is_disputed(second)
    flagged = audit("company.claim_disputed")
    assert len(flagged) == 1
    assert flagged[0].object_id == str(second.id) and flagged[0].details["claims"] == [first.id]


def test_registering_an_unclaimed_tax_id_flags_nothing(client, ctx, valid_bin):
    assert register(client, valid_bin(), "only@x.kz").status_code == 302
    assert audit("company.claim_disputed") == []


def test_the_api_accepts_a_second_claim_and_the_company_applies_at_once(client, ctx, valid_bin):
    tax_id = valid_bin()
    assert api_register(client, tax_id, "first@x.kz").status_code == 201
    response = api_register(client, tax_id, "second@x.kz")
    assert response.status_code == 201, response.get_json()
    assert "disputed" not in response.get_data(as_text=True)
    token = client.post("/api/v1/tokens", json={"email": "second@x.kz", "password": "a-long-secret-1"}).get_json()
    response = client.post("/api/v1/applications", json=complete_fields("KZ"),
                           headers={"Authorization": f"Bearer {token['token']}"})
    assert response.status_code == 201, response.get_json()


def test_the_api_still_answers_409_for_an_email_in_use(client, valid_bin):
    assert api_register(client, valid_bin(), "same@x.kz").status_code == 201
    response = api_register(client, valid_bin(), "same@x.kz")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "email_taken"


# --- the administrator's pages -----------------------------------------------------------------------------

def test_the_disputes_page_lists_disputed_tax_ids_only(client, login_as, dispute, make_company):
    make_company(name="ТОО «Спокойная»")
    login_as("admin")
    html = client.get("/admin/claims?lang=en").get_data(as_text=True)
    assert dispute.tax_id in html and "ТОО «Первая заявка»" in html and "ТОО «Настоящая компания»" in html
    assert "ТОО «Спокойная»" not in html
    assert f'href="/admin/companies/{dispute.first.id}/claim"' in html


def test_the_claim_page_shows_every_claim_with_its_people_and_records(client, login_as, dispute):
    login_as("admin")
    response = client.get(f"/admin/companies/{dispute.second.id}/claim?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("ТОО «Первая заявка»", "ТОО «Настоящая компания»", dispute.first_user.email,
                 dispute.second_user.email):
        assert text in html
    for claim in (dispute.first, dispute.second):  # one decision form per open claim
        assert html.count(f'name="claim-{claim.id}-reason"') == 1


def test_merge_moves_people_and_records_and_ends_the_dispute(client, app, login_as, dispute, ctx):
    from zone.companies import claims

    admin = login_as("admin")
    response = decide(client, dispute.first.id, action="merge", target=str(dispute.second.id),
                                 reason="Обе регистрации сделаны сотрудниками одной компании")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/companies/{dispute.second.id}/claim")
    first = fresh(Company, dispute.first.id)
    assert first.claim_status == "merged"
    assert fresh(User, dispute.first_user.id).company_id == dispute.second.id
    assert fresh(User, dispute.first_user.id).active
    assert fresh(Application, dispute.applications[dispute.first.id]).company_id == dispute.second.id
    assert fresh(Invitation, dispute.invitation_id).revoked_at is not None
    resolution = db.session.scalars(select(ClaimResolution)).one()
    assert (resolution.action, resolution.company_id, resolution.target_id, resolution.actor_id) == (
        "merge", dispute.first.id, dispute.second.id, admin.id)
    event = audit("company.claim_merge")[0]
    assert event.object_id == str(dispute.first.id) and event.actor_id == admin.id
    assert event.details["target_id"] == dispute.second.id
    assert event.details["users"] == [dispute.first_user.id]
    assert event.details["applications"] == [dispute.applications[dispute.first.id]]
    assert claims.disputes() == []
    # the merged member still works, now in the surviving company
    member = app.test_client()
    assert member.post("/login", data={"email": dispute.first_user.email, "password": PASSWORD}).status_code == 302
    assert "ТОО «Настоящая компания»" in member.get("/company").get_data(as_text=True)


def test_transfer_gives_the_records_to_the_rightful_claimant_and_ends_the_other_people_s_access(
        client, app, login, login_as, dispute, ctx):
    squatter = app.test_client()
    login(dispute.first_user, the_client=squatter)
    login_as("admin")
    response = decide(client, dispute.first.id, action="transfer", target=str(dispute.second.id),
                                 reason="Регистрацию сделал посредник без доверенности")
    assert response.status_code == 302
    assert fresh(Company, dispute.first.id).claim_status == "transferred"
    assert fresh(Application, dispute.applications[dispute.first.id]).company_id == dispute.second.id
    user = fresh(User, dispute.first_user.id)
    assert not user.active and user.company_id == dispute.first.id
    assert squatter.get("/company").status_code == 302  # their session has ended
    assert "user.disable" in [e.action for e in audit("user.disable")]
    event = audit("company.claim_transfer")[0]
    assert event.details["target_id"] == dispute.second.id and event.details["users_disabled"] == [user.id]


def test_disable_ends_a_false_claim_whose_records_stay_and_cannot_be_approved(client, app, login, login_as,
                                                                             dispute, ctx):
    from zone.companies import claims

    squatter = app.test_client()
    login(dispute.first_user, the_client=squatter)
    login_as("admin")
    response = decide(client, dispute.first.id, action="disable", reason="Свидетельство о регистрации подложное")
    assert response.status_code == 302
    first = fresh(Company, dispute.first.id)
    assert first.claim_status == "disabled"
    assert fresh(Application, dispute.applications[dispute.first.id]).company_id == dispute.first.id
    assert not fresh(User, dispute.first_user.id).active
    assert squatter.get("/company").status_code == 302
    assert not claims.is_disputed(fresh(Company, dispute.second.id))
    assert claims.approval_refusal(first) is not None
    assert audit("company.claim_disable")[0].details["reason"] == "Свидетельство о регистрации подложное"


@pytest.mark.parametrize(("data", "field"), [
    ({"action": "merge", "target": "SECOND", "reason": ""}, "reason"),
    ({"action": "merge", "target": "", "reason": "Причина"}, "target"),
    ({"action": "transfer", "target": "FIRST", "reason": "Причина"}, "target"),
    ({"action": "merge", "target": "UNRELATED", "reason": "Причина"}, "target"),
    ({"action": "merge", "target": "99999999999999999999", "reason": "Причина"}, "target"),
    ({"action": "explode", "target": "SECOND", "reason": "Причина"}, "action"),
    ({"target": "SECOND", "reason": "Причина"}, "action"),
])
def test_a_wrong_decision_is_refused_keeping_what_was_typed(client, login_as, dispute, make_company, data, field,
                                                           ctx):
    unrelated = make_company()
    ids = {"FIRST": dispute.first.id, "SECOND": dispute.second.id, "UNRELATED": unrelated.id}
    data = {k: str(ids.get(v, v)) for k, v in data.items()}
    login_as("admin")
    response = decide(client, dispute.first.id, query="?lang=en", **data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="claim-{dispute.first.id}-{field}-error"' in html
    if data.get("reason"):
        assert data["reason"] in html
    assert [fresh(Company, c).claim_status for c in (dispute.first.id, dispute.second.id)] == ["open", "open"]
    assert db.session.scalars(select(ClaimResolution)).all() == []


def test_a_closed_claim_cannot_be_resolved_again_nor_be_a_target(client, login_as, dispute, ctx):
    login_as("admin")
    decide(client, dispute.first.id, action="disable", reason="Подлог")
    response = decide(client, dispute.first.id, action="merge", target=str(dispute.second.id), reason="Ещё раз")
    assert response.status_code == 409
    response = decide(client, dispute.second.id, action="merge", target=str(dispute.first.id), reason="Наоборот")
    assert response.status_code == 422
    assert fresh(Company, dispute.second.id).claim_status == "open"
    assert len(db.session.scalars(select(ClaimResolution)).all()) == 1


def test_an_unknown_company_is_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/companies/987654/claim").status_code == 404
    assert decide(client, 987654, action="disable", reason="x").status_code == 404


ADMIN_PAGES = [("GET", "/admin/claims"), ("GET", "/admin/companies/{id}/claim"),
               ("POST", "/admin/companies/{id}/claim")]


@pytest.mark.parametrize(("method", "path"), ADMIN_PAGES)
@pytest.mark.parametrize("role", ["anonymous", "applicant", "reviewer", "approver", "auditor", "admin"])
def test_only_administrators_resolve_claims(client, login_as, dispute, role, method, path, ctx):
    if role != "anonymous":
        login_as(role, **({"company": dispute.first} if role == "applicant" else {}))
    prefix = f"claim-{dispute.first.id}-"
    data = {prefix + "action": "disable", prefix + "reason": "Попытка"} if method == "POST" else None
    response = client.open(path.format(id=dispute.first.id), method=method, data=data)
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role != "admin":
        assert response.status_code == 403
    else:
        assert response.status_code == (302 if method == "POST" else 200)
    expected = "disabled" if role == "admin" and method == "POST" else "open"
    assert fresh(Company, dispute.first.id).claim_status == expected


# --- the review ------------------------------------------------------------------------------------------

@pytest.fixture
def recommended_for(make_application, make_user):
    def _make(company):
        reviewer = make_user("reviewer")
        return make_application(status="recommended", company=company, assignee_id=reviewer.id,
                                recommended_by_id=reviewer.id, recommendation="approve")

    return _make


def test_the_review_page_flags_a_disputed_tax_id_and_approval_waits_for_the_resolution(
        client, app, login, login_as, make_user, dispute, recommended_for, act):
    app_id = recommended_for(dispute.second)
    approver = make_user("approver")
    login(approver)
    html = client.get(f"/review/applications/{app_id}?lang=en").get_data(as_text=True)
    assert "Another registration claims the same tax id" in html
    assert 'id="form-approve"' not in html
    response = act(approver, app_id, "approve", 2)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "claim_disputed"
    response = client.post(f"/review/applications/{app_id}/actions/approve", data={"approve-version": "2"})
    assert response.status_code == 409
    # the administrator disables the false claim; the real company's application can now be approved
    admin_client = app.test_client()
    login(make_user("admin"), the_client=admin_client)
    assert admin_client.get(f"/review/applications/{app_id}").get_data(as_text=True).count(
        f'href="/admin/companies/{dispute.second.id}/claim"') == 1
    decide(admin_client, dispute.first.id, action="disable", reason="Подлог")
    html = client.get(f"/review/applications/{app_id}?lang=en").get_data(as_text=True)
    assert "Another registration claims the same tax id" not in html and 'id="form-approve"' in html
    response = act(approver, app_id, "approve", 2)
    assert response.status_code == 200, response.get_json()


def test_an_application_of_a_disabled_claim_cannot_be_approved(client, login, login_as, make_user, dispute,
                                                               recommended_for, act):
    app_id = recommended_for(dispute.first)
    login_as("admin")
    decide(client, dispute.first.id, action="disable", reason="Подлог")
    response = act(make_user("approver"), app_id, "approve", 2)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "claim_closed"


def test_an_undisputed_company_is_not_flagged(client, login_as, make_company, recommended_for):
    app_id = recommended_for(make_company())
    login_as("approver")
    html = client.get(f"/review/applications/{app_id}?lang=en").get_data(as_text=True)
    assert "Another registration claims the same tax id" not in html and 'id="form-approve"' in html
