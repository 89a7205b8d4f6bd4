"""The applications API as API.md describes it: create, read, list, patch, submit, errors."""

from __future__ import annotations

import re

import pytest

from tests.applications.conftest import REQUIRED_KINDS, complete_fields, upload


def test_create_returns_a_draft_with_every_field(client, applicant_headers):
    response = client.post("/api/v1/applications", json={"side": "KZ", "project_title": "Завод"},
                           headers=applicant_headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "draft" and body["number"] is None and body["version"] == 1
    assert body["side"] == "KZ" and body["project_title"] == "Завод"
    for name in complete_fields("KZ"):
        assert name in body
    assert "eligibility" in body and body["eligibility"] is None  # facts still incomplete


def test_create_with_everything_round_trips_the_values(client, applicant_headers):
    data = complete_fields("KZ")
    body = client.post("/api/v1/applications", json=data, headers=applicant_headers).get_json()
    assert body["investment_amount"] == "2500000"
    assert body["own_funds_share"] == "40"
    assert body["land_area_ha"] == "2.5"
    assert body["capital_shares"] == {"KZ": "60", "UZ": "40"}
    assert body["products"] == data["products"]
    assert body["construction_start"] == "2026-09-01"
    assert body["jobs_total"] == 120 and body["has_branches_outside_zone"] is False
    assert body["eligibility"]["admitted"] is True  # the eligibility service evaluates complete facts
    assert body["eligibility"]["derived"]["investment_usd"] == "2500000.00"


def test_unknown_fields_are_refused_with_422(client, applicant_headers):
    response = client.post("/api/v1/applications", json={"side": "KZ", "colour": "red", "status": "approved"},
                           headers=applicant_headers)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"colour", "status"}


def test_not_json_is_400(client, applicant_headers):
    response = client.post("/api/v1/applications", data="side=KZ", headers=applicant_headers)
    assert response.status_code == 400


def test_invalid_values_name_every_field(client, applicant_headers):
    response = client.post("/api/v1/applications", json={
        "side": "RU", "own_funds_share": 120, "jobs_total": -1, "investment_amount": 0,
        "investment_currency": "EUR", "construction_start": "2026-13-01",
        "products": [{"name": "x", "hs_code": "12", "annual_volume": "-5", "unit": "m"}],
        "capital_shares": {"KZ": 60, "UZ": 30}, "activity_codes": ["abc"], "has_branches_outside_zone": "no",
    }, headers=applicant_headers)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"side", "own_funds_share", "jobs_total", "investment_amount", "investment_currency",
                           "construction_start", "products.0.hs_code", "products.0.annual_volume",
                           "capital_shares", "activity_codes", "has_branches_outside_zone"}


def test_applicant_cannot_create_without_the_applicant_role(client, make_user, api_token):
    for role in ("reviewer", "auditor", "admin"):
        response = client.post("/api/v1/applications", json={"side": "KZ"}, headers=api_token(make_user(role)))
        assert response.status_code == 403


def test_no_token_is_401(client):
    assert client.get("/api/v1/applications").status_code == 401
    assert client.post("/api/v1/applications", json={}).status_code == 401


def test_patch_changes_fields_bumps_version_and_keeps_others(client, applicant_headers):
    created = client.post("/api/v1/applications", json={"side": "UZ", "project_title": "A"},
                          headers=applicant_headers).get_json()
    response = client.patch(f"/api/v1/applications/{created['id']}", json={"jobs_total": 10, "version": 1},
                            headers=applicant_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["jobs_total"] == 10 and body["project_title"] == "A" and body["version"] == 2
    # the same values again change nothing: no new version
    again = client.patch(f"/api/v1/applications/{created['id']}", json={"jobs_total": 10},
                         headers=applicant_headers).get_json()
    assert again["version"] == 2
    # null clears a field of a draft
    cleared = client.patch(f"/api/v1/applications/{created['id']}", json={"project_title": None},
                           headers=applicant_headers).get_json()
    assert cleared["project_title"] is None and cleared["version"] == 3


def test_patch_with_a_stale_version_is_409_naming_who_changed_what(client, make_user, api_token, applicant):
    colleague = make_user("applicant", company=applicant.company, full_name="Коллега Айгуль")
    mine, theirs = api_token(applicant), api_token(colleague)
    created = client.post("/api/v1/applications", json={"side": "KZ"}, headers=mine).get_json()
    assert client.patch(f"/api/v1/applications/{created['id']}", json={"jobs_total": 5, "version": 1},
                        headers=theirs).status_code == 200
    response = client.patch(f"/api/v1/applications/{created['id']}", json={"jobs_total": 7, "version": 1},
                            headers=mine)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "stale_version"
    assert "Коллега Айгуль" in error["message"]
    assert error["details"]["current_version"] == 2
    assert error["details"]["changes"][0]["fields"] == ["jobs_total"]
    body = client.get(f"/api/v1/applications/{created['id']}", headers=mine).get_json()
    assert body["jobs_total"] == 5  # nothing was overwritten


def test_patch_version_must_be_a_number(client, applicant_headers):
    created = client.post("/api/v1/applications", json={"side": "KZ"}, headers=applicant_headers).get_json()
    response = client.patch(f"/api/v1/applications/{created['id']}", json={"version": "1"},
                            headers=applicant_headers)
    assert response.status_code == 422 and "version" in response.get_json()["error"]["fields"]


def test_jobs_local_above_total_and_production_before_construction(client, applicant_headers):
    created = client.post("/api/v1/applications", json={"side": "KZ", "jobs_total": 10,
                                                          "construction_start": "2027-01-01"},
                          headers=applicant_headers).get_json()
    response = client.patch(f"/api/v1/applications/{created['id']}",
                            json={"jobs_local": 11, "production_start": "2026-12-31"}, headers=applicant_headers)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"jobs_local", "production_start"}


def test_submit_lists_exactly_what_is_missing(client, applicant_headers):
    data = complete_fields("KZ")
    del data["export_share"], data["has_branches_outside_zone"]
    data["products"] = [{"name": "Лента", "hs_code": "391732"}]
    created = client.post("/api/v1/applications", json=data, headers=applicant_headers).get_json()
    for kind in REQUIRED_KINDS[:4]:
        assert upload(client, created["id"], kind, headers=applicant_headers).status_code == 201
    response = client.post(f"/api/v1/applications/{created['id']}/submit", headers=applicant_headers)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"export_share", "has_branches_outside_zone", "products.0.annual_volume",
                           "products.0.unit", "documents.financial_statements", "documents.proof_of_funds"}
    assert client.get(f"/api/v1/applications/{created['id']}", headers=applicant_headers).get_json()["status"] \
        == "draft"


def test_submit_an_empty_draft_names_every_required_field(client, applicant_headers):
    created = client.post("/api/v1/applications", json={}, headers=applicant_headers).get_json()
    fields = client.post(f"/api/v1/applications/{created['id']}/submit",
                         headers=applicant_headers).get_json()["error"]["fields"]
    expected = set(complete_fields("UZ")) - {"building_area_m2"} | {f"documents.{k}" for k in REQUIRED_KINDS}
    assert set(fields) == expected


@pytest.mark.parametrize("side", ["KZ", "UZ"])
def test_submit_a_complete_application(client, make_user, api_token, complete_application, side, outbox_dir, app):
    company_country = side
    from tests.conftest import make_valid_bin

    user = make_user("applicant", company=None) if side == "KZ" else None
    if side == "UZ":
        from zone.companies.models import Company
        from zone.extensions import db

        with app.app_context():
            company = Company(name="OOO Sirdaryo Textile", registration_country="UZ", tax_id="301234567")
            db.session.add(company)
            db.session.commit()
            db.session.refresh(company)
            db.session.expunge(company)
        user = make_user("applicant", company=company)
    colleague = make_user("applicant", company=user.company)
    headers = api_token(user)
    application = complete_application(headers, side)
    assert application["missing"] == {}
    response = client.post(f"/api/v1/applications/{application['id']}/submit", json={"version": 1},
                           headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "submitted"
    assert re.fullmatch(r"A-\d{4}-\d{5}", body["number"])
    assert body["submitted_at"] and body["review_deadline"]
    assert body["investment_usd"] == "2500000"
    assert body["company"]["registration_country"] == company_country
    # every user of the company hears that the application was received, in their language
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        mails = db.session.query(MailMessage).filter_by(kind="received").all()
        assert {m.recipient for m in mails} == {user.email, colleague.email}
        assert all(body["number"] in m.subject and body["number"] in m.body for m in mails)
        assert make_valid_bin  # the helper stays importable for other modules


def test_submission_takes_an_eligibility_snapshot(client, applicant_headers, submitted_application, app):
    body = submitted_application(applicant_headers)
    from zone.eligibility.models import EligibilitySnapshot
    from zone.extensions import db

    with app.app_context():
        snapshots = db.session.query(EligibilitySnapshot).filter_by(application_id=body["id"]).all()
        assert [s.kind for s in snapshots] == ["submission"]
        assert snapshots[0].admitted is True


def test_resubmit_after_an_information_request(client, applicant_headers, submitted_application, set_status, app):
    body = submitted_application(applicant_headers)
    set_status(body["id"], "info_requested")
    changed = client.patch(f"/api/v1/applications/{body['id']}", json={"jobs_total": 130,
                                                                       "investment_amount": "3000000"},
                           headers=applicant_headers)
    assert changed.status_code == 200
    response = client.post(f"/api/v1/applications/{body['id']}/resubmit", json={"comment": "Исправили число мест"},
                           headers=applicant_headers)
    assert response.status_code == 200
    assert response.get_json()["status"] == "in_review"
    assert response.get_json()["investment_usd"] == "3000000"
    from zone.applications.models import ApplicationEvent
    from zone.eligibility.models import EligibilitySnapshot
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        event = db.session.query(ApplicationEvent).filter_by(application_id=body["id"], action="resubmit").one()
        assert event.comment == "Исправили число мест" and event.from_status == "info_requested"
        kinds = [s.kind for s in db.session.query(EligibilitySnapshot).filter_by(application_id=body["id"])
                 .order_by(EligibilitySnapshot.id)]
        assert kinds == ["submission", "resubmission"]
        mail = db.session.query(MailMessage).filter_by(kind="resubmitted").one()
        assert body["number"] in mail.subject and "Исправили число мест" in mail.body


def test_patch_after_submission_is_409(client, applicant_headers, submitted_application):
    body = submitted_application(applicant_headers)
    response = client.patch(f"/api/v1/applications/{body['id']}", json={"jobs_total": 1}, headers=applicant_headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "not_editable"
    late = upload(client, body["id"], "other", headers=applicant_headers)
    assert late.status_code == 409


def test_side_cannot_change_after_submission(client, applicant_headers, submitted_application, set_status):
    body = submitted_application(applicant_headers)
    set_status(body["id"], "info_requested")
    response = client.patch(f"/api/v1/applications/{body['id']}", json={"side": "UZ"}, headers=applicant_headers)
    assert response.status_code == 422 and "side" in response.get_json()["error"]["fields"]


def test_list_own_applications_with_status_filter_and_cursor(client, applicant, applicant_headers, make_user,
                                                             api_token, submitted_application):
    ids = [client.post("/api/v1/applications", json={"side": "KZ"}, headers=applicant_headers).get_json()["id"]
           for _ in range(4)]
    submitted = submitted_application(applicant_headers)["id"]
    other = api_token(make_user("applicant"))
    client.post("/api/v1/applications", json={"side": "UZ"}, headers=other)

    page = client.get("/api/v1/applications?limit=2", headers=applicant_headers).get_json()
    seen = [item["id"] for item in page["items"]]
    while page["next_cursor"]:
        page = client.get(f"/api/v1/applications?limit=2&cursor={page['next_cursor']}",
                          headers=applicant_headers).get_json()
        seen += [item["id"] for item in page["items"]]
    assert seen == sorted([*ids, submitted], reverse=True)

    drafts = client.get("/api/v1/applications?status=draft", headers=applicant_headers).get_json()["items"]
    assert sorted(i["id"] for i in drafts) == sorted(ids)
    assert client.get("/api/v1/applications?status=nonsense", headers=applicant_headers).status_code == 422
    assert client.get("/api/v1/applications?cursor=garbage!", headers=applicant_headers).status_code == 400
    assert client.get("/api/v1/applications?limit=500", headers=applicant_headers).status_code == 422


@pytest.mark.parametrize("role", ["reviewer", "approver", "auditor", "admin"])
def test_staff_and_auditors_list_and_read_every_application(client, make_user, api_token, role):
    first = api_token(make_user("applicant"))
    second = api_token(make_user("applicant"))
    a = client.post("/api/v1/applications", json={"side": "KZ"}, headers=first).get_json()["id"]
    b = client.post("/api/v1/applications", json={"side": "UZ"}, headers=second).get_json()["id"]
    staff = api_token(make_user(role))
    items = client.get("/api/v1/applications", headers=staff).get_json()["items"]
    assert {i["id"] for i in items} == {a, b}
    assert client.get(f"/api/v1/applications/{a}", headers=staff).status_code == 200
    # ...and change nothing
    assert client.patch(f"/api/v1/applications/{a}", json={"jobs_total": 1}, headers=staff).status_code == 403
    assert client.post(f"/api/v1/applications/{a}/withdraw", headers=staff).status_code == 403
    assert upload(client, a, "charter", headers=staff).status_code == 403


def test_withdraw_a_draft_and_then_nothing_more(client, applicant_headers):
    created = client.post("/api/v1/applications", json={"side": "KZ"}, headers=applicant_headers).get_json()
    response = client.post(f"/api/v1/applications/{created['id']}/withdraw", json={"comment": "Передумали"},
                           headers=applicant_headers)
    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
    again = client.post(f"/api/v1/applications/{created['id']}/withdraw", headers=applicant_headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "illegal_transition"
    assert client.post(f"/api/v1/applications/{created['id']}/submit", headers=applicant_headers).status_code == 409


def test_transition_body_must_be_known_fields(client, applicant_headers):
    created = client.post("/api/v1/applications", json={"side": "KZ"}, headers=applicant_headers).get_json()
    response = client.post(f"/api/v1/applications/{created['id']}/withdraw", json={"why": "x"},
                           headers=applicant_headers)
    assert response.status_code == 422


def test_stale_version_on_submit_is_409(client, applicant_headers, complete_application):
    application = complete_application(applicant_headers)
    response = client.post(f"/api/v1/applications/{application['id']}/submit", json={"version": 0},
                           headers=applicant_headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "stale_version"


def test_a_foreign_company_declares_its_documents_apostilled(client, applicant_headers, complete_application):
    application = complete_application(applicant_headers, "UZ")  # a Kazakh company applying on the Uzbek side
    # The declaration came after the API contract: its absence does not stop a submission through the API
    # (tests/api/test_contract_kept.py); declaring that the documents are not apostilled does.
    assert application["missing"] == {}
    client.patch(f"/api/v1/applications/{application['id']}", json={"foreign_documents_apostilled": False},
                 headers=applicant_headers)
    response = client.post(f"/api/v1/applications/{application['id']}/submit", headers=applicant_headers)
    assert "foreign_documents_apostilled" in response.get_json()["error"]["fields"]
    client.patch(f"/api/v1/applications/{application['id']}", json={"foreign_documents_apostilled": True},
                 headers=applicant_headers)
    response = client.post(f"/api/v1/applications/{application['id']}/submit", headers=applicant_headers)
    assert response.status_code == 200
    assert response.get_json()["eligibility"]["admitted"] is False  # submission is allowed; admission is not


RULES = [
    ({"project_title": "x" * 301}, "project_title"),
    ({"project_description": "x" * 10001}, "project_description"),
    ({"project_title": 5.5}, "project_title"),
    ({"sector": "mining"}, "sector"),
    ({"activity_codes": [f"{n}.1" for n in range(10, 31)]}, "activity_codes"),
    ({"activity_codes": "25.11, 2x"}, "activity_codes"),
    ({"activity_codes": [25]}, "activity_codes"),
    ({"products": {"name": "x"}}, "products"),
    ({"products": [{"name": "x"}] * 51}, "products"),
    ({"products": ["x"]}, "products.0"),
    ({"products": [{"name": "x" * 201}]}, "products.0.name"),
    ({"products": [{"unit": "x" * 31}]}, "products.0.unit"),
    ({"products": [{"hs_code": "12345678901"}]}, "products.0.hs_code"),
    ({"products": [{"annual_volume": "0"}]}, "products.0.annual_volume"),
    ({"products": [{"colour": "red"}]}, "products.0.colour"),
    ({"investment_amount": "-1"}, "investment_amount"),
    ({"investment_amount": "1000000000000001"}, "investment_amount"),
    ({"investment_amount": True}, "investment_amount"),
    ({"investment_amount": "NaN"}, "investment_amount"),
    ({"investment_amount": "1e5"}, "investment_amount"),
    ({"own_funds_share": "-0.01"}, "own_funds_share"),
    ({"priority_income_share": "100.001"}, "priority_income_share"),
    ({"export_share": "много"}, "export_share"),
    ({"jobs_total": 1_000_001}, "jobs_total"),
    ({"jobs_total": 2.5}, "jobs_total"),
    ({"jobs_local": "5"}, None),  # digits in a string are a whole number (forms send strings)
    ({"land_area_ha": "100.0001"}, "land_area_ha"),
    ({"building_area_m2": "0"}, "building_area_m2"),
    ({"building_area_m2": "10000000.01"}, "building_area_m2"),
    ({"has_branches_outside_zone": 1}, "has_branches_outside_zone"),
    ({"foreign_documents_apostilled": "yes"}, "foreign_documents_apostilled"),
    ({"capital_shares": [60, 40]}, "capital_shares"),
    ({"capital_shares": {"kz": 100}}, None),  # lower case is accepted and upper-cased
    ({"capital_shares": {"ZZ": 100}}, "capital_shares.ZZ"),
    ({"capital_shares": {"KZ": 0, "UZ": 100}}, "capital_shares.KZ"),
    ({"capital_shares": {"KZ": "60.001", "UZ": "39.999"}}, "capital_shares.KZ"),
    ({"capital_shares": {f"{a}{b}": 1 for a in "ABC" for b in "DEFGHIJ"}}, "capital_shares"),
    ({"construction_start": "2026/09/01"}, "construction_start"),
    ({"construction_start": "2101-01-01"}, "construction_start"),
    ({"production_start": 20260901}, "production_start"),
]


@pytest.mark.parametrize(("data", "field"), RULES, ids=[f"{i}-{f}" for i, (_d, f) in enumerate(RULES)])
def test_every_field_rule_in_the_api(client, applicant_headers, data, field):
    response = client.post("/api/v1/applications", json={"side": "KZ", **data}, headers=applicant_headers)
    if field is None:
        assert response.status_code == 201, response.get_json()
        return
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"], response.get_json()["error"]["fields"]


def test_values_are_normalised(client, applicant_headers):
    body = client.post("/api/v1/applications", json={
        "side": "kz", "capital_shares": {"kz": "100"}, "investment_amount": "1 500 000,5",
        "products": [{"name": "  Лента  ", "hs_code": "3917.32", "annual_volume": 12.5, "unit": "м"}],
        "activity_codes": "22.21; 22.21, 25.11", "construction_start": "01.09.2026", "project_title": "A B",
    }, headers=applicant_headers).get_json()
    assert body["side"] == "KZ" and body["capital_shares"] == {"KZ": "100"}
    assert body["investment_amount"] == "1500000.5"
    assert body["products"] == [{"name": "Лента", "hs_code": "391732", "annual_volume": "12.5", "unit": "м"}]
    assert body["activity_codes"] == ["22.21", "25.11"] and body["construction_start"] == "2026-09-01"
    assert body["project_title"] == "A B"
    # a control character is refused, not silently dropped (zone.web.text)
    refused = client.post("/api/v1/applications", json={"side": "KZ", "project_title": "A\x00B"},
                          headers=applicant_headers)
    assert refused.status_code == 422 and "project_title" in refused.get_json()["error"]["fields"]


def test_submission_checks_saved_values_again(client, applicant_headers, complete_application, app):
    """Values written around the form (an import, an old rule) are checked again at submission."""
    from decimal import Decimal

    from zone.applications.models import Application
    from zone.extensions import db

    application = complete_application(applicant_headers)
    with app.app_context():
        row = db.session.get(Application, application["id"])
        row.own_funds_share = Decimal("150")
        row.products = [{"name": "Лента", "hs_code": "12", "annual_volume": "5", "unit": "м"}]
        db.session.commit()
    response = client.post(f"/api/v1/applications/{application['id']}/submit", headers=applicant_headers)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"own_funds_share", "products.0.hs_code"}
