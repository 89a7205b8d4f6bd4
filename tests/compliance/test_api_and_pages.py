"""The compliance API and pages: who sees what, the what-if date, the queue's filters and pages, four eyes."""

from __future__ import annotations

from datetime import date

from tests.compliance.conftest import on


def _breached(resident, file_report, run):
    file_report(date(2027, 4, 10), "2027-Q1")
    run(date(2027, 7, 27))


def test_what_if_is_for_staff_auditors_and_the_owner_only(client, resident, make_company, make_user, api_token):
    path = f"/api/v1/certificates/{resident.serial}/compliance"
    stranger = api_token(make_user("applicant", company=make_company(name="ТОО «Другая»")))
    with on(date(2027, 2, 1)):
        assert client.get(path, headers=resident.auditor).status_code == 200
        assert client.get(path, headers=stranger).status_code == 404
        assert client.get(path).status_code == 401
        bad = client.get(path, headers=resident.company, query_string={"on_date": "2027-13-01"})
        assert bad.status_code == 422 and "on_date" in bad.get_json()["error"]["fields"]
        body = client.get(path, headers=resident.company, query_string={"on_date": "2027-02-01"}).get_json()
    assert body["on_date"] == "2027-02-01" and body["status"] == "compliant"
    countersigned = next(c for c in body["conditions"] if c["id"] == "agreement.countersigned")
    assert countersigned["status"] == "met" and countersigned["cure"] is None
    # The what-if a company asks for: if it files nothing, what happens in August?
    later = client.get(path, headers=resident.company, query_string={"on_date": "2027-08-01"}).get_json()
    assert later["status"] == "breach"


def test_the_queue_filters_and_pages(client, resident, file_report, run):
    _breached(resident, file_report, run)
    with on(date(2027, 7, 28)):
        assert len(client.get("/api/v1/compliance/cases", headers=resident.auditor,
                              query_string={"side": "KZ", "stage": "warned"}).get_json()["items"]) == 1
        assert client.get("/api/v1/compliance/cases", headers=resident.auditor,
                          query_string={"side": "UZ"}).get_json()["items"] == []
        assert client.get("/api/v1/compliance/cases", headers=resident.auditor,
                          query_string={"condition": "production.started"}).get_json()["items"] == []
        assert client.get("/api/v1/compliance/cases", headers=resident.auditor,
                          query_string={"stage": "nonsense"}).status_code == 422
        assert client.get("/api/v1/compliance/cases", headers=resident.company).status_code == 403
        page = client.get("/api/v1/compliance/cases", headers=resident.auditor,
                          query_string={"limit": 1, "stage": "all"}).get_json()
        assert len(page["items"]) == 1 and page["next_cursor"] is None
        residents = client.get("/api/v1/compliance", headers=resident.reviewer,
                               query_string={"status": "breach"}).get_json()
        assert [r["serial"] for r in residents["items"]] == [resident.serial]
        assert residents["items"][0]["cases"] == ["warned"]


def test_the_proposer_never_decides_and_a_declined_proposal_returns_the_case(client, resident, file_report, run):
    _breached(resident, file_report, run)
    run(date(2027, 9, 26))
    with on(date(2027, 9, 27)):
        case = client.get("/api/v1/compliance/cases", headers=resident.admin).get_json()["items"][0]
        assert client.post(f"/api/v1/compliance/cases/{case['id']}/propose", headers=resident.auditor,
                           json={"reason": "x"}).status_code == 403
        assert client.post(f"/api/v1/compliance/cases/{case['id']}/propose", headers=resident.admin,
                           json={"reason": ""}).status_code == 422
        assert client.post(f"/api/v1/compliance/cases/{case['id']}/propose", headers=resident.admin,
                           json={"reason": "Uncured."}).status_code == 200
        own = client.post(f"/api/v1/certificates/{resident.serial}/suspend", headers=resident.admin,
                          json={"reason": "Uncured."})
        assert own.status_code == 403 and own.get_json()["error"]["code"] == "four_eyes"
        assert client.post(f"/api/v1/compliance/cases/{case['id']}/decline", headers=resident.admin,
                           json={"reason": "no"}).get_json()["error"]["code"] == "four_eyes"
        declined = client.post(f"/api/v1/compliance/cases/{case['id']}/decline", headers=resident.approver,
                               json={"reason": "The company asked for a week."})
        assert declined.status_code == 200 and declined.get_json()["stage"] == "suspension_due"
        certificate = client.get(f"/api/v1/certificates/{resident.serial}", headers=resident.admin).get_json()
        assert certificate["status"] == "active"


def test_the_pages_show_the_conditions_the_queue_and_the_letter(app, client, resident, file_report, run, login):
    _breached(resident, file_report, run)
    with on(date(2027, 7, 28)):
        login(resident.users["applicant"])
        page = client.get(f"/certificates/{resident.serial}/compliance?on_date=2027-07-28")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "2027-Q2" in text and ".pdf" in text
        letter = text.split('href="/compliance/notices/')[1].split('"')[0]
        download = client.get(f"/compliance/notices/{letter}")
        assert download.status_code == 200 and download.data.startswith(b"%PDF")
        client.post("/logout")
        login(resident.users["reviewer"])
        queue = client.get("/compliance/cases?side=KZ")
        assert queue.status_code == 200 and "<svg" in queue.get_data(as_text=True)
        assert resident.serial in queue.get_data(as_text=True)


def test_auditors_export_every_case_as_csv(client, resident, file_report, run):
    _breached(resident, file_report, run)
    with on(date(2027, 7, 28)):
        export = client.get("/api/v1/compliance/cases/export.csv", headers=resident.auditor)
        assert client.get("/api/v1/compliance/cases/export.csv", headers=resident.company).status_code == 403
    assert export.status_code == 200 and export.mimetype == "text/csv"
    lines = export.get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("id,serial,company") and len(lines) == 2
    assert resident.serial in lines[1] and "reports.filed" in lines[1] and "warned" in lines[1]
