"""Every status change through HTTP, what the verify page then says, and what the company is told."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.certificates.factories import approved_application, certificate, issue
from zone.calendar import today as today_in_zone


@pytest.fixture
def admin_headers(make_user, api_token):
    return api_token(make_user("admin"))


def _verify_page(client, app, serial) -> str:
    token = certificate(app, serial).verify_token
    response = client.get(f"/verify/{token}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _mails(app, kind):
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        return db.session.scalars(sa.select(MailMessage).where(MailMessage.kind == kind)).all()


def _post(client, headers, serial, action, **body):
    return client.post(f"/api/v1/certificates/{serial}/{action}", json=body, headers=headers)


def test_active_certificate_reads_valid(client, app, resident):
    page = _verify_page(client, app, resident.serial)
    # Seven years from 02.03.2026, half-open: the last valid day printed is 01.03.2033.
    assert "Действительно" in page and "01.03.2033" in page


def test_suspend_and_reinstate(client, app, admin_headers, resident):
    response = _post(client, admin_headers, resident.serial, "suspend", reason="Квартальный отчёт не сдан")
    assert response.status_code == 200 and response.get_json()["status"] == "suspended"
    page = _verify_page(client, app, resident.serial)
    assert "Приостановлено" in page and today_in_zone().strftime("%d.%m.%Y") in page
    assert "Квартальный отчёт" not in page  # the reason is for the company, not the public
    (mail,) = _mails(app, "suspended")
    assert mail.recipient == resident.owner.email and "Квартальный отчёт не сдан" in mail.body

    again = _post(client, admin_headers, resident.serial, "suspend", reason="twice")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "illegal_transition"

    response = _post(client, admin_headers, resident.serial, "reinstate", reason="Отчёт сдан")
    assert response.status_code == 200 and response.get_json()["status"] == "active"
    assert "Действительно" in _verify_page(client, app, resident.serial)
    assert len(_mails(app, "reinstated")) == 1


def test_revoke_with_an_effective_date(client, app, admin_headers, resident):
    effective = date(2026, 6, 1)
    response = _post(
        client, admin_headers, resident.serial, "revoke", reason="Ложные сведения", effective_date=effective.isoformat()
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "revoked" and body["revoked_at"] == "2026-06-01"
    page = _verify_page(client, app, resident.serial)
    assert "Отозвано" in page and "01.06.2026" in page
    assert _post(client, admin_headers, resident.serial, "reinstate", reason="x").status_code == 409
    history = client.get(f"/api/v1/certificates/{resident.serial}/history", headers=admin_headers).get_json()
    assert [(e["action"], e["from"], e["to"]) for e in history["items"]] == [
        ("issue", None, "active"),
        ("revoke", "active", "revoked"),
    ]
    assert history["items"][1]["reason"] == "Ложные сведения" and history["items"][1]["effective_date"] == "2026-06-01"


def test_status_changes_need_an_admin_a_reason_and_a_sensible_date(
    client, make_user, api_token, admin_headers, resident
):
    approver = api_token(make_user("approver"))
    assert _post(client, approver, resident.serial, "revoke", reason="x").status_code == 403
    auditor = api_token(make_user("auditor"))
    assert _post(client, auditor, resident.serial, "suspend", reason="x").status_code == 403

    missing = _post(client, admin_headers, resident.serial, "suspend", reason="  ")
    assert missing.status_code == 422 and "reason" in missing.get_json()["error"]["fields"]
    future = (today_in_zone() + timedelta(days=3)).isoformat()
    too_late = _post(client, admin_headers, resident.serial, "revoke", reason="x", effective_date=future)
    assert too_late.status_code == 422 and "effective_date" in too_late.get_json()["error"]["fields"]
    before = _post(client, admin_headers, resident.serial, "revoke", reason="x", effective_date="2020-01-01")
    assert before.status_code == 422
    assert _post(client, admin_headers, resident.serial, "revoke", reason="x", effective_date="soon").status_code == 422
    assert _post(client, admin_headers, resident.serial, "explode", reason="x").status_code in (404, 405)
    assert _post(client, admin_headers, "ICIC-KZ-2026-999999", "revoke", reason="x").status_code == 404
    unknown = client.post(
        f"/api/v1/certificates/{resident.serial}/suspend", json={"reason": "x", "why": 1}, headers=admin_headers
    )
    assert unknown.status_code == 422


def test_expiry_by_command_and_by_date(client, app, runner, resident, make_user):
    from zone.extensions import db

    short = [
        {"code": "ICIC_COOPERATION", "periods": [{"from": "2026-03-02", "until": "2026-04-01", "reduction_pct": 50}]}
    ]
    other = make_user("applicant", company=resident.company)
    lapsed = issue(app, approved_application(app, resident.company, other), benefits=short)
    # Past its validity it reads expired at once, before the nightly command runs.
    assert certificate(app, lapsed).status == "active"
    assert "Срок действия истёк" in _verify_page(client, app, lapsed)

    result = runner.invoke(args=["certificates", "expire"])
    assert result.exit_code == 0, result.output
    assert f"expired {lapsed}" in result.output and resident.serial not in result.output
    stored = certificate(app, lapsed)
    assert stored.status == "expired"
    with app.app_context():
        from zone.certificates.models import CertificateEvent

        event = db.session.scalars(sa.select(CertificateEvent).where(CertificateEvent.action == "expire")).one()
        # granted [2026-03-02, 2026-04-01): it ends, so expires, on 2026-04-01
        assert event.actor_id is None and event.effective_date == date(2026, 4, 1)
    assert len(_mails(app, "expired")) == 2  # both users of the company
    assert "0 certificate(s) expired" in runner.invoke(args=["certificates", "expire"]).output


def test_reissue_supersedes_and_links_both_ways(client, app, make_user, api_token, resident):
    from zone.companies.models import Company
    from zone.extensions import db

    with app.app_context():
        db.session.get(Company, resident.company.id).name = "ТОО «Туран Агромаш Групп»"
        db.session.commit()
    headers, colleague = api_token(make_user("approver")), api_token(make_user("admin"))
    proposed = client.post(
        f"/api/v1/certificates/{resident.serial}/reissue", json={"reason": "Смена наименования"}, headers=headers
    )
    assert proposed.status_code == 202
    response = client.post(
        f"/api/v1/certificates/{resident.serial}/reissue",
        json={"proposal": proposed.get_json()["proposal"]["id"], "decision": "confirm"},
        headers=colleague,
    )
    assert response.status_code == 201
    new = response.get_json()
    assert new["serial"] == "ICIC-KZ-2026-000002" and new["supersedes"] == resident.serial
    assert new["company"]["name"] == "ТОО «Туран Агромаш Групп»" and new["status"] == "active"
    old = client.get(f"/api/v1/certificates/{resident.serial}", headers=headers).get_json()
    assert old["status"] == "superseded" and old["superseded_by"] == new["serial"]
    page = _verify_page(client, app, resident.serial)
    assert "Заменено" in page and new["serial"] in page
    assert "ТОО «Туран Агромаш Групп»" in _verify_page(client, app, new["serial"])
    assert len(_mails(app, "reissued")) == 1
    again = client.post(f"/api/v1/certificates/{resident.serial}/reissue", json={"reason": "x"}, headers=headers)
    assert again.status_code == 409


def test_admin_pages_change_the_status_and_keep_what_was_typed(client, app, login_as, resident):
    login_as("admin")
    page = client.get(f"/certificates/{resident.serial}").get_data(as_text=True)
    assert f"/certificates/{resident.serial}/status/suspend" in page and "reissue" in page
    refused = client.post(
        f"/certificates/{resident.serial}/status/revoke", data={"reason": "Нарушение", "effective_date": "2099-01-01",
                                                              "confirmed": "1"}
    )
    assert refused.status_code == 200
    body = refused.get_data(as_text=True)
    assert "Нарушение" in body and certificate(app, resident.serial).status == "active"
    done = client.post(f"/certificates/{resident.serial}/status/suspend", data={"reason": "Проверка"})
    assert done.status_code == 302 and certificate(app, resident.serial).status == "suspended"
    assert "Проверка" in client.get(done.headers["Location"]).get_data(as_text=True)


def test_company_page_shows_reasons_but_no_admin_forms(client, app, login, admin_headers, resident):
    _post(client, admin_headers, resident.serial, "suspend", reason="Нет отчёта")
    login(resident.owner)
    page = client.get(f"/certificates/{resident.serial}").get_data(as_text=True)
    assert "Нет отчёта" in page and "/status/" not in page
    assert client.post(f"/certificates/{resident.serial}/status/reinstate", data={"reason": "x"}).status_code == 403


def test_revoking_on_the_page_asks_first_and_states_the_consequence(client, app, login_as, resident):
    login_as("admin")
    asked = client.post(f"/certificates/{resident.serial}/status/revoke?lang=en", data={"reason": "Нарушение"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and f"Revoke certificate {resident.serial}?" in page
    assert "cannot be reinstated" in page and "Нарушение" in page
    assert certificate(app, resident.serial).status == "active"
    done = client.post(f"/certificates/{resident.serial}/status/revoke",
                       data={"reason": "Нарушение", "confirmed": "1"})
    assert done.status_code == 302 and certificate(app, resident.serial).status == "revoked"
