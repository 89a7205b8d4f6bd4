"""A resident's compliance where people look: the certificate page (staff and owner), the staff dashboard's
tile of cases by stage, the register's link to the case export, and public verification of a suspension."""

from __future__ import annotations

import re
from datetime import date

from tests.compliance.conftest import on


def _breached(resident, file_report, run):
    file_report(date(2027, 4, 10), "2027-Q1")
    assert "opened 1" in run(date(2027, 7, 27))  # Q2 2027 not filed: warned


def test_the_certificate_page_shows_staff_and_owner_the_residents_compliance(client, login, resident, file_report,
                                                                              run):
    with on(date(2027, 2, 1)):
        login(resident.users["reviewer"])
        page = client.get(f"/certificates/{resident.serial}?lang=en").get_data(as_text=True)
    assert 'class="badge status-compliant"' in page and "No open compliance case." in page
    _breached(resident, file_report, run)
    for role in ("reviewer", "applicant"):
        with on(date(2027, 7, 28)):
            client.post("/logout")
            login(resident.users[role])
            response = client.get(f"/certificates/{resident.serial}?lang=en")
        page = response.get_data(as_text=True)
        assert response.status_code == 200, role
        assert 'class="badge status-breach"' in page and "Warned (reports.filed)" in page, role
        assert f'href="/certificates/{resident.serial}/compliance"' in page, role


def test_the_dashboard_tile_counts_open_cases_by_stage_as_svg(client, login, resident, file_report, run):
    _breached(resident, file_report, run)
    with on(date(2027, 7, 28)):
        login(resident.users["reviewer"])
        response = client.get("/review/dashboard?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    tile = page[page.index('id="chart-compliance-caption"'):]
    tile = tile[:tile.index("</figure>")]
    assert "Open compliance cases by stage" in tile and "1 open cases" in tile.replace("\u00a0", " ")
    assert "<svg" in tile and "Suspension to propose" in tile
    # The warned bar is the only one with a KZ segment: its tooltip names the count.
    assert re.search(r"Warned — Kazakh side \(KZ\): 1<", tile)
    assert not re.search(r"Suspension to propose — Kazakh side \(KZ\): [1-9]", tile)
    assert 'href="/compliance/cases"' in page


def test_auditors_reach_the_case_export_from_the_register(client, login, resident, file_report, run):
    _breached(resident, file_report, run)
    with on(date(2027, 7, 28)):
        login(resident.users["auditor"])
        register = client.get("/registers/certificates?lang=en").get_data(as_text=True)
        link = re.search(r'href="(/compliance/cases/export\.csv[^"]*)"', register)
        assert link is not None
        export = client.get(link.group(1).replace("&amp;", "&"))
    assert export.status_code == 200 and export.mimetype == "text/csv"
    lines = export.get_data(as_text=True).strip().splitlines()
    assert len(lines) == 2 and resident.serial in lines[1] and "warned" in lines[1]
    assert lines[0].startswith("№ дела,Серийный номер,")  # the page's CSV speaks the reader's language (ru)


def test_the_case_export_from_the_page_in_russian_and_for_integrators(client, login, resident, file_report, run):
    _breached(resident, file_report, run)
    with on(date(2027, 7, 28)):
        login(resident.users["auditor"])
        queue = client.get("/compliance/cases?lang=ru").get_data(as_text=True)
        assert 'href="/compliance/cases/export.csv?stage=all&amp;header=machine"' in queue
        spoken = client.get("/compliance/cases/export.csv?stage=all").get_data(as_text=True).splitlines()
        machine = client.get("/compliance/cases/export.csv?stage=all&header=machine").get_data(as_text=True)
    machine = machine.splitlines()
    assert spoken[0].startswith("№ дела,Серийный номер,Компания,ИНН/БИН,Сторона")
    assert machine[0].startswith("id,serial,company,tax_id,side,condition,stage")
    assert spoken[1:] == machine[1:] and "warned" in spoken[1]  # the same cells: codes as stored


def test_public_verification_shows_a_suspended_resident_with_the_date(client, resident, file_report, run):
    _breached(resident, file_report, run)
    with on(date(2027, 8, 2)):
        suspended = client.post(f"/api/v1/certificates/{resident.serial}/suspend", headers=resident.admin,
                                json={"reason": "Reports missing."})
        assert suspended.status_code == 200, suspended.get_data(as_text=True)
        tax_id = suspended.get_json()["company"]["tax_id"]
        page = client.get("/verify", query_string={"serial": resident.serial, "tax_id": tax_id,
                                                       "lang": "en"})
        listed = client.get("/residents").get_data(as_text=True)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Suspended since" in text and "2027" in text
    assert resident.serial not in listed  # the public register lists active certificates only


def test_the_queue_filters_by_lists_of_words(client, login, resident, file_report, run):
    _breached(resident, file_report, run)
    with on(date(2027, 7, 28)):
        login(resident.users["auditor"])
        page = client.get("/compliance/cases?lang=ru&condition=reports.filed&side=KZ").get_data(as_text=True)
        other = client.get("/compliance/cases?condition=obligations.investment").get_data(as_text=True)
    menu = re.search(r'<select id="condition" name="condition">(.*?)</select>', page, re.S).group(1)
    assert re.search(r'<option value="reports.filed" title="reports.filed" selected>Отчёты сданы в срок</option>',
                     menu)
    assert '<option value="KZ" selected>Казахстан (KZ)</option>' in page
    assert resident.serial in page and resident.serial not in other  # the chosen condition filters
    assert '<td title="reports.filed">Отчёты сданы в срок</td>' in page
