"""The report pages in the browser (through the test client, with CSRF): the resident fills in a quarterly
and an annual report as drafts, a refused value comes back with its message, the audited statements are
uploaded, and staff find the reports in the queue, return one with a question and read the answer."""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.api.seed import PDF_BYTES
from tests.conftest import csrf_token_from
from tests.reports.conftest import QUARTER

WEB_QUARTER = {
    "currency": "KZT", "investment_own": "1 500 000", "investment_borrowed": "0", "investment_foreign": "250 000,50",
    "jobs_total": "40", "jobs_local": "35", "jobs_foreign": "5", "payroll": "12 000 000",
    "revenue_total": "90 000 000", "revenue_priority": "85 000 000", "revenue_export": "10 000 000",
    "sales_to_other_side": "5 000 000", "purchases_from_other_side": "1 000 000", "taxes_paid": "3 000 000",
    "output-0-hs_code": "391723", "output-0-quantity": "1 200", "output-0-unit": "t", "output-0-value": "60 000 000",
}


def _start(client, number: str, period: str) -> int:
    page = client.get("/reports/mine")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert period in html and number in html
    response = client.post("/reports/new", data={"csrf_token": csrf_token_from(html), "agreement": number,
                                                 "period": period})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(re.search(r"/reports/(\d+)$", response.headers["Location"]).group(1))


def _version(html: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)


def _form(client, report_id: int) -> tuple[str, dict]:
    html = client.get(f"/reports/{report_id}").get_data(as_text=True)
    return html, {"csrf_token": csrf_token_from(html), "version": _version(html)}


def test_a_resident_files_a_quarterly_report_in_the_browser(client, resident, login):
    login(resident.users["applicant"])
    report_id = _start(client, resident.number, "2026-Q1")

    html, hidden = _form(client, report_id)
    refused = {**WEB_QUARTER, "jobs_local": "45", "payroll": "двенадцать"}
    response = client.post(f"/reports/{report_id}", data={**hidden, **refused, "save": "1"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="двенадцать"' in page and 'value="45"' in page  # what was typed is kept
    assert re.search(r'id="f-payroll"[^>]*aria-invalid="true"', page)
    assert "Enter a number" in page or "число" in page.lower()

    response = client.post(f"/reports/{report_id}", data={**hidden, **WEB_QUARTER, "save": "1"})
    assert response.status_code == 302
    saved = client.get(f"/api/v1/reports/{report_id}", headers=resident.company).get_json()
    assert saved["status"] == "draft" and saved["investment_foreign"] == "250000.50"

    html, hidden = _form(client, report_id)
    assert 'value="1500000"' in html  # the draft shows what was saved
    response = client.post(f"/reports/{report_id}", data={**hidden, **WEB_QUARTER, "submit": "1"})
    assert response.status_code == 302
    assert client.get(f"/api/v1/reports/{report_id}", headers=resident.company).get_json()["status"] == "submitted"


def test_two_tabs_saving_one_report_the_stale_one_gets_409(client, resident, login):
    login(resident.users["applicant"])
    report_id = _start(client, resident.number, "2026-Q2")
    _html, first_tab = _form(client, report_id)
    second_tab = dict(first_tab)
    assert client.post(f"/reports/{report_id}", data={**first_tab, "payroll": "100", "save": "1"}).status_code == 302
    response = client.post(f"/reports/{report_id}", data={**second_tab, "payroll": "200", "save": "1"})
    assert response.status_code == 409
    assert 'value="200"' in response.get_data(as_text=True)  # the stale tab keeps what it typed
    assert client.get(f"/api/v1/reports/{report_id}", headers=resident.company).get_json()["payroll"] == "100"


def test_staff_see_the_queue_return_with_a_question_and_read_the_answer(client, app, resident, login, new_report):
    draft = new_report("2026-Q1", **QUARTER)
    assert client.post(f"/api/v1/reports/{draft['id']}/submit", headers=resident.company).status_code == 200
    new_report("2026-Q2")  # a draft: due, and overdue since 27 July 2026

    reviewer = app.test_client()
    login(resident.users["reviewer"], the_client=reviewer)
    queue = reviewer.get("/reports?tab=submitted").get_data(as_text=True)
    assert "2026-Q1" in queue and "2026-Q2" not in queue
    overdue = reviewer.get("/reports?tab=overdue").get_data(as_text=True)
    assert "2026-Q2" in overdue and "2026-Q1" not in overdue

    html = reviewer.get(f"/reports/{draft['id']}").get_data(as_text=True)
    response = reviewer.post(f"/reports/{draft['id']}/return", data={
        "csrf_token": csrf_token_from(html), "version": _version(html), "question": "Почему упал экспорт?"})
    assert response.status_code == 302
    assert "2026-Q1" in reviewer.get("/reports?tab=returned").get_data(as_text=True)

    login(resident.users["applicant"])
    html = client.get(f"/reports/{draft['id']}").get_data(as_text=True)
    assert "Почему упал экспорт?" in html
    versions = re.findall(r'name="version"[^>]*value="(\d+)"', html)
    response = client.post(f"/reports/{draft['id']}/resubmit", data={
        "csrf_token": csrf_token_from(html), "version": versions[-1], "answer": "Контракт перенесён на II квартал."})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]

    page = reviewer.get(f"/reports/{draft['id']}").get_data(as_text=True)
    assert "Контракт перенесён на II квартал." in page
    assert "2026-Q1" in reviewer.get("/reports?tab=submitted").get_data(as_text=True)


def test_the_queue_pages_with_a_cursor(client, app, resident, login, new_report):
    import zone.reports.routes as routes

    for period in ("2026-Q1", "2026-Q2", "2026-Q3"):
        new_report(period)
    login(resident.users["reviewer"])
    original, routes.PAGE_SIZE = routes.PAGE_SIZE, 2
    try:
        first = client.get("/reports?tab=all").get_data(as_text=True)
        assert "2026-Q1" in first and "2026-Q3" not in first
        next_url = re.search(r'href="(/reports\?[^"]*cursor=[^"]+)"', first).group(1).replace("&amp;", "&")
        second = client.get(next_url).get_data(as_text=True)
        assert "2026-Q3" in second and "2026-Q1" not in second
    finally:
        routes.PAGE_SIZE = original


def test_the_open_tab_lists_current_open_versions_and_caps_its_counts(client, app, resident, login, new_report,
                                                                      monkeypatch):
    import zone.reports.queries as queries

    filed = new_report("2026-Q1", **QUARTER)
    assert client.post(f"/api/v1/reports/{filed['id']}/submit", headers=resident.company).status_code == 200
    new_report("2026-Q2")
    new_report("2026-Q3")
    accepted = client.post(f"/api/v1/reports/{filed['id']}/accept", headers=resident.approver)
    assert accepted.status_code == 200, accepted.get_json()
    login(resident.users["reviewer"])
    page = client.get("/reports").get_data(as_text=True)  # the open tab: drafts and submitted, not accepted
    assert "2026-Q2" in page and "2026-Q3" in page and "2026-Q1" not in page
    assert re.search(r"\(2\)</a>", page), "two drafts are counted"

    corrected = client.post(f"/api/v1/reports/{filed['id']}/corrections", headers=resident.company,
                            json={"reason": "Опечатка в выручке", "revenue_export": "11 000 000"})
    assert corrected.status_code == 201, corrected.get_json()
    page = client.get("/reports").get_data(as_text=True)
    assert page.count("2026-Q1") == 1, "the correction is open, the version it replaced is not"

    monkeypatch.setattr(queries, "COUNT_CAP", 1)
    page = client.get("/reports").get_data(as_text=True)
    assert "(1+)" in page and "(2)" not in page, "beyond the cap a tab says so instead of counting every row"


@pytest.fixture
def in_2027():
    """Early February 2027: the year 2026 has ended and its annual report is due on 30 April 2027."""
    with time_machine.travel(datetime(2027, 2, 1, 10, tzinfo=ZoneInfo("Asia/Almaty")), tick=True):
        yield


def test_a_resident_files_an_annual_report_with_audited_statements(in_2027, client, resident, login):
    login(resident.users["applicant"])
    report_id = _start(client, resident.number, "2026")
    html, hidden = _form(client, report_id)
    assert "Audit firm" in html or "audit" in html.lower()
    annual = {**WEB_QUARTER, "auditor_name": "ТОО «Аудит Центр»", "audit_opinion": "unmodified"}
    response = client.post(f"/reports/{report_id}", data={**hidden, **annual, "submit": "1"})
    assert response.status_code == 200  # saved, but the statements are missing
    assert client.get(f"/api/v1/reports/{report_id}", headers=resident.company).get_json()["status"] == "draft"

    html, hidden = _form(client, report_id)
    response = client.post(f"/reports/{report_id}/documents", content_type="multipart/form-data", data={
        "csrf_token": hidden["csrf_token"], "kind": "audited_statements",
        "file": (io.BytesIO(b"MZ\x90\x00 executable"), "statements.pdf")})
    assert response.status_code == 200 and "PDF" in response.get_data(as_text=True)
    response = client.post(f"/reports/{report_id}/documents", content_type="multipart/form-data", data={
        "csrf_token": hidden["csrf_token"], "kind": "audited_statements",
        "file": (io.BytesIO(PDF_BYTES), "statements.pdf")})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]

    html, hidden = _form(client, report_id)
    response = client.post(f"/reports/{report_id}", data={**hidden, **annual, "submit": "1"})
    assert response.status_code == 302
    report = client.get(f"/api/v1/reports/{report_id}", headers=resident.company).get_json()
    assert report["status"] == "submitted" and report["kind"] == "annual" and report["due"] == "2027-04-30"
    assert [d["kind"] for d in report["documents"]] == ["audited_statements"]
    download = client.get(f"/reports/{report_id}/documents/{report['documents'][0]['id']}")
    assert download.status_code == 200 and download.data == PDF_BYTES
    download.close()  # the stored file is sent as a stream


def test_the_cabinet_shows_progress_as_an_svg_chart_and_the_reports_due(client, resident, login, new_report):
    draft = new_report("2026-Q1", **QUARTER)
    assert client.post(f"/api/v1/reports/{draft['id']}/submit", headers=resident.company).status_code == 200
    login(resident.users["applicant"])
    html = client.get("/reports/mine").get_data(as_text=True)
    assert html.count("<svg") >= 2 and 'class="progress-chart"' in html
    assert "2026-Q2" in html and "2026-Q4" in html
    assert 'width="' in html.split('class="progress-chart"', 1)[1][:2000]  # drawn on the server, no script


def test_the_company_edits_its_draft_and_staff_only_read_it(client, app, resident, login, new_report):
    draft = new_report("2026-Q1", payroll="100")
    login(resident.users["applicant"])
    own = client.get(f"/reports/{draft['id']}").get_data(as_text=True)
    assert "readonly" not in re.search(r'id="f-payroll"[^>]*>', own).group(0)
    staff = app.test_client()
    login(resident.users["auditor"], the_client=staff)
    seen = staff.get(f"/reports/{draft['id']}").get_data(as_text=True)
    assert "readonly" in re.search(r'id="f-payroll"[^>]*>', seen).group(0)
    assert 'action="/reports/' + str(draft["id"]) + '/return"' not in seen  # an auditor decides nothing
