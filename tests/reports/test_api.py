"""The reports API (API.md "Reports"): drafts, validation across figures, submission, one report per
period, stale versions, corrections as new versions, and who sees what."""

from __future__ import annotations

from tests.reports.conftest import QUARTER


def test_a_quarterly_draft_is_created_saved_and_submitted(client, resident, new_report):
    draft = new_report("2026-Q1", currency="KZT", investment_own="1 500 000")
    assert draft["status"] == "draft" and draft["kind"] == "quarterly" and draft["agreement"] == resident.number
    assert draft["investment_own"] == "1500000" and draft["version"] == 1
    assert draft["due"] == "2026-04-27"  # 31 March + 25 days = Saturday 25 April → Monday 27 April

    response = client.patch(f"/api/v1/reports/{draft['id']}", headers=resident.company,
                            json={**QUARTER, "version": draft["version"]})
    assert response.status_code == 200, response.get_json()
    saved = response.get_json()
    assert saved["investment_foreign"] == "250000.50" and saved["version"] == 2
    assert saved["output"] == [{"hs_code": "391723", "quantity": "1200", "unit": "t", "value": "60000000"}]

    response = client.post(f"/api/v1/reports/{draft['id']}/submit", headers=resident.company)
    assert response.status_code == 200, response.get_json()
    submitted = response.get_json()
    assert submitted["status"] == "submitted"
    assert submitted["investment_cumulative"] == "1750000.50"  # nothing before: this quarter's investment


def test_submission_names_every_missing_and_invalid_field(client, resident, new_report):
    draft = new_report("2026-Q2", currency="KZT", jobs_total=10, jobs_local=8)
    response = client.post(f"/api/v1/reports/{draft['id']}/submit", headers=resident.company)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"investment_own", "payroll", "revenue_total", "taxes_paid", "jobs_foreign"} <= set(fields)
    assert "currency" not in fields and "output" not in fields and "benefits_used" not in fields


def test_a_period_not_yet_ended_is_refused_at_submission_with_the_other_problems(client, resident, new_report):
    draft = new_report("2026-Q4", **{**QUARTER, "payroll": None})
    response = client.post(f"/api/v1/reports/{draft['id']}/submit", headers=resident.company)
    assert response.status_code == 422
    assert {"period", "payroll"} <= set(response.get_json()["error"]["fields"])


def test_figures_are_checked_against_each_other(client, resident, new_report):
    draft = new_report("2026-Q1")
    response = client.patch(f"/api/v1/reports/{draft['id']}", headers=resident.company, json={
        "jobs_total": 10, "jobs_local": 12, "revenue_total": "100", "revenue_priority": "150",
        "revenue_export": "101", "benefits_used": {"NOT_GRANTED": "10"}})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"jobs_local", "revenue_priority", "revenue_export", "benefits_used.NOT_GRANTED"} <= set(fields)
    assert client.get(f"/api/v1/reports/{draft['id']}", headers=resident.company).get_json()["version"] == 1


def test_benefits_granted_on_the_certificate_may_be_reported(client, resident, new_report):
    assert resident.granted, "the seeded certificate grants benefits"
    code = resident.granted[0]
    draft = new_report("2026-Q1", benefits_used={code: "125 000"})
    assert draft["benefits_used"] == {code: "125000"}


def test_hostile_numbers_are_refused_with_clear_messages(client, resident, new_report):
    draft = new_report("2026-Q1")
    for value in ("NaN", "Infinity", "-5", "1e400", "9" * 40, "12\x00", [1], True, {"a": 1}, "1.001"):
        response = client.patch(f"/api/v1/reports/{draft['id']}", headers=resident.company,
                                json={"payroll": value})
        assert response.status_code in (400, 422), (value, response.status_code)
        if response.status_code == 422:
            assert "payroll" in response.get_json()["error"]["fields"], value
    response = client.patch(f"/api/v1/reports/{draft['id']}", headers=resident.company, json={"jobs_total": "ten"})
    assert response.get_json()["error"]["fields"]["jobs_total"]
    response = client.patch(f"/api/v1/reports/{draft['id']}", headers=resident.company, json={"unknown": 1})
    assert response.status_code == 422 and "unknown" in response.get_json()["error"]["fields"]


def test_messages_follow_the_callers_language(client, resident, new_report):
    draft = new_report("2026-Q1")
    response = client.patch(f"/api/v1/reports/{draft['id']}", headers={**resident.company, "Accept-Language": "ru"},
                            json={"payroll": "-5"})
    assert response.status_code == 422
    message = response.get_json()["error"]["fields"]["payroll"][0]
    assert message and message != "Enter an amount from 0 to 1 000 000 000 000 000, for example 1 500 000 or 12,5."


def test_a_second_report_for_the_same_period_is_a_conflict(client, resident, new_report):
    new_report("2026-Q1")
    response = client.post("/api/v1/reports", headers=resident.company,
                           json={"agreement": resident.number, "period": "2026-Q1"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "duplicate_period"


def test_periods_outside_the_agreement_are_refused(client, resident):
    for period in ("2025-Q4", "2030-Q1", "2026-Q5", "soon", "2025"):
        response = client.post("/api/v1/reports", headers=resident.company,
                               json={"agreement": resident.number, "period": period})
        assert response.status_code == 422, period
        assert "period" in response.get_json()["error"]["fields"]


def test_the_stale_tab_gets_409_and_nothing_is_overwritten(client, resident, new_report):
    draft = new_report("2026-Q1")
    url = f"/api/v1/reports/{draft['id']}"
    first = client.patch(url, headers=resident.company, json={"payroll": "100", "version": 1})
    assert first.status_code == 200
    second = client.patch(url, headers=resident.company, json={"payroll": "200", "version": 1})
    assert second.status_code == 409
    assert second.get_json()["error"]["code"] == "stale_version"
    assert client.get(url, headers=resident.company).get_json()["payroll"] == "100"


def _submitted(client, resident, new_report, period="2026-Q1", **values):
    draft = new_report(period, **{**QUARTER, **values})
    response = client.post(f"/api/v1/reports/{draft['id']}/submit", headers=resident.company)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_staff_return_a_report_with_a_question_and_see_the_answer(client, resident, new_report):
    report = _submitted(client, resident, new_report)
    url = f"/api/v1/reports/{report['id']}"
    response = client.post(f"{url}/return", headers=resident.reviewer,
                           json={"question": "Why did export fall?", "version": report["version"]})
    assert response.status_code == 200 and response.get_json()["status"] == "returned"
    assert client.patch(url, headers=resident.company, json={"revenue_export": "12 000 000"}).status_code == 200
    response = client.post(f"{url}/resubmit", headers=resident.company, json={"answer": "A contract moved."})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "submitted"
    seen = client.get(url, headers=resident.reviewer).get_json()
    assert seen["answer"] == "A contract moved." and seen["question"] == "Why did export fall?"
    assert seen["revenue_export"] == "12000000"
    history = client.get(f"{url}/history", headers=resident.reviewer).get_json()["items"]
    assert [e["action"] for e in history if e["to"]] == ["create", "submit", "return", "resubmit"]
    response = client.post(f"{url}/accept", headers=resident.approver, json={})
    assert response.status_code == 200 and response.get_json()["status"] == "accepted"


def test_the_transition_table_refuses_what_it_does_not_list(client, resident, new_report):
    draft = new_report("2026-Q1", **QUARTER)
    url = f"/api/v1/reports/{draft['id']}"
    assert client.post(f"{url}/accept", headers=resident.reviewer, json={}).status_code == 409
    assert client.post(f"{url}/return", headers=resident.reviewer, json={"question": "?"}).status_code == 409
    assert client.post(f"{url}/resubmit", headers=resident.company, json={"answer": "x"}).status_code == 409
    assert client.post(f"{url}/submit", headers=resident.company).status_code == 200
    assert client.post(f"{url}/submit", headers=resident.company).status_code == 409
    assert client.patch(url, headers=resident.company, json={"payroll": "1"}).status_code == 409
    assert client.post(f"{url}/return", headers=resident.reviewer, json={}).status_code == 422  # no question
    assert client.post(f"{url}/accept", headers=resident.auditor, json={}).status_code == 403
    assert client.post(f"{url}/accept", headers=resident.company, json={}).status_code == 403


def test_a_correction_is_a_new_version_and_the_old_one_is_kept(client, resident, new_report):
    report = _submitted(client, resident, new_report)
    url = f"/api/v1/reports/{report['id']}/corrections"
    assert client.post(url, headers=resident.company, json={"payroll": "1"}).status_code == 422  # no reason
    response = client.post(url, headers=resident.company, json={"reason": "Payroll was understated.",
                                                               "payroll": "13 000 000"})
    assert response.status_code == 201, response.get_json()
    new = response.get_json()
    assert new["id"] != report["id"] and new["revision"] == 2 and new["status"] == "submitted"
    assert new["payroll"] == "13000000" and new["correction_reason"] == "Payroll was understated."
    old = client.get(f"/api/v1/reports/{report['id']}", headers=resident.company).get_json()
    assert old["payroll"] == "12000000" and old["current"] is False and old["status"] == "submitted"
    listed = client.get("/api/v1/reports?period=2026-Q1", headers=resident.company).get_json()["items"]
    assert [r["id"] for r in listed] == [new["id"]]
    assert client.post(url, headers=resident.company, json={"reason": "again"}).status_code == 409  # not the head


def test_cumulative_investment_never_falls(client, resident, new_report):
    _submitted(client, resident, new_report, "2026-Q1", investment_cumulative="5 000 000")
    response = client.post("/api/v1/reports", headers=resident.company,
                           json={"agreement": resident.number, "period": "2026-Q2", "investment_cumulative": "4000000"})
    assert response.status_code == 422 and "investment_cumulative" in response.get_json()["error"]["fields"]
    draft = new_report("2026-Q2")
    assert draft["investment_cumulative"] == "5000000"  # prefilled from the quarter before
    response = client.patch(f"/api/v1/reports/{draft['id']}", headers=resident.company,
                            json={"investment_cumulative": "4 000 000"})
    assert response.status_code == 422
    assert "investment_cumulative" in response.get_json()["error"]["fields"]


def test_a_new_period_is_prefilled_from_the_last_one(client, resident, new_report):
    _submitted(client, resident, new_report, "2026-Q1")
    draft = new_report("2026-Q2")
    assert draft["currency"] == "KZT" and draft["jobs_total"] == 40 and draft["jobs_local"] == 35
    assert draft["payroll"] is None  # flows of the period are not copied


def test_one_company_never_sees_anothers_reports(client, resident, new_report, other_company):
    draft = new_report("2026-Q1")
    url = f"/api/v1/reports/{draft['id']}"
    assert client.get(url, headers=other_company.headers).status_code == 404
    assert client.patch(url, headers=other_company.headers, json={"payroll": "1"}).status_code == 404
    assert client.get("/api/v1/reports", headers=other_company.headers).get_json()["items"] == []
    response = client.post("/api/v1/reports", headers=other_company.headers,
                           json={"agreement": resident.number, "period": "2026-Q2"})
    assert response.status_code == 422 and "agreement" in response.get_json()["error"]["fields"]
    assert client.get(url, headers=resident.auditor).status_code == 200


def test_the_list_pages_with_a_cursor_and_filters(client, resident, new_report):
    for period in ("2026-Q1", "2026-Q2", "2026-Q3"):
        new_report(period)
    first = client.get("/api/v1/reports?limit=2", headers=resident.reviewer).get_json()
    assert [r["period"] for r in first["items"]] == ["2026-Q1", "2026-Q2"] and first["next_cursor"]
    second = client.get(f"/api/v1/reports?limit=2&cursor={first['next_cursor']}", headers=resident.reviewer)
    assert [r["period"] for r in second.get_json()["items"]] == ["2026-Q3"]
    assert client.get("/api/v1/reports?status=nonsense", headers=resident.reviewer).status_code == 422
    assert client.get("/api/v1/reports?cursor=garbage", headers=resident.reviewer).status_code == 400
    only = client.get(f"/api/v1/reports?agreement={resident.number}&period=2026-Q2&status=draft",
                      headers=resident.company).get_json()["items"]
    assert [r["period"] for r in only] == ["2026-Q2"]
