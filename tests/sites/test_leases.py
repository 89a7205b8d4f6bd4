"""Leasing a site at approval: in the approval's transaction, with the cooperation reduction, refused (409
naming the site) when the site is not free or of the other side; released on revocation; lapsed when unsigned."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select


def _lease(app, code: str):
    from zone.extensions import db
    from zone.sites.models import Lease, Site

    with app.app_context():
        lease = db.session.scalars(select(Lease).join(Site).where(Site.code == code).order_by(Lease.id.desc())).first()
        if lease is not None:
            db.session.expunge(lease)
        return lease


def test_approval_leases_the_site_with_the_cooperation_reduction(app, client, recommended, approve, make_site,
                                                                 get_site):
    make_site("KZ-B01", power_kw="450", rent_per_m2_year="18")
    app_id = recommended()
    response = approve(app_id, site="kz-b01")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    lease = body["lease"]
    assert lease["site"] == "KZ-B01" and lease["rent_per_m2_year"] == "18" and lease["reduction_pct"] == 50
    cooperation = next(b for b in body["certificate"]["benefits"] if b["code"] == "ICIC_COOPERATION")
    assert lease["reduction_until"] == cooperation["periods"][-1]["until"]
    starts = _lease(app, "KZ-B01").starts_on
    assert date.fromisoformat(lease["reduction_until"]) - starts >= timedelta(days=3 * 365)  # three years
    assert get_site("KZ-B01").status == "leased"
    stored = _lease(app, "KZ-B01")
    assert stored.status == "awaiting_signature" and stored.sign_by - stored.starts_on == timedelta(days=30)
    assert client.get("/api/v1/sites?status=leased").get_json()["items"][0]["code"] == "KZ-B01"
    from zone.extensions import db
    from zone.mail.models import MailMessage

    with app.app_context():
        bodies = [m.body for m in db.session.scalars(select(MailMessage))]
    mail = next(b for b in bodies if "KZ-B01" in b)
    assert "sign the lease by" in mail and "reduced by 50 % through" in mail and "/sites/KZ-B01" in mail


def test_no_reduction_without_the_cooperation_benefit(recommended, approve, make_site):
    make_site("KZ-B02")
    response = approve(recommended(capital_shares={"KZ": 100}), site="KZ-B02")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["lease"]["reduction_pct"] == 0
    assert response.get_json()["lease"]["reduction_until"] is None


def test_a_site_not_free_is_409_naming_it_and_nothing_is_kept(app, client, recommended, approve, make_site,
                                                              make_user, api_token):
    make_site("KZ-B03")
    assert approve(recommended(), site="KZ-B03").status_code == 200
    second = recommended()
    refused = approve(second, site="KZ-B03")
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "site_not_free" and "KZ-B03" in error["message"]
    detail = client.get(f"/api/v1/applications/{second}", headers=api_token(make_user("auditor"))).get_json()
    assert detail["status"] == "recommended"  # the whole approval was rolled back
    assert client.get("/api/v1/certificates?status=active",
                      headers=api_token(make_user("auditor"))).get_json()["items"].__len__() == 1


def test_a_site_of_the_other_side_is_409(recommended, approve, make_site):
    make_site("UZ-B01", side="UZ")
    refused = approve(recommended(), site="UZ-B01")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "site_other_side"
    assert "UZ-B01" in refused.get_json()["error"]["message"]


def test_an_unknown_or_hostile_site_is_422(recommended, approve):
    app_id = recommended()
    for value in ("NOPE-1", "x" * 500, "KZ-\x00B01"):
        response = approve(app_id, site=value)
        assert response.status_code in (400, 422), (value, response.get_json())
    assert approve(app_id, site=["KZ-B01"]).status_code == 422


def test_a_reserved_site_cannot_be_leased(app, recommended, approve, make_site):
    from zone.extensions import db
    from zone.sites import queries

    make_site("KZ-B04")
    with app.test_request_context(method="POST"):
        queries.by_code("KZ-B04").status = "reserved"
        db.session.commit()
    assert approve(recommended(), site="KZ-B04").status_code == 409


def test_approval_without_a_site_leases_nothing(recommended, approve):
    response = approve(recommended())
    assert response.status_code == 200 and "lease" not in response.get_json()


def test_revoking_the_certificate_releases_the_site(app, client, recommended, approve, make_site, make_user,
                                                    api_token, get_site):
    from zone.audit.models import AuditEvent
    from zone.extensions import db

    make_site("KZ-B05")
    serial = approve(recommended(), site="KZ-B05").get_json()["certificate"]["serial"]
    revoked = client.post(f"/api/v1/certificates/{serial}/revoke", headers=api_token(make_user("admin")),
                          json={"reason": "Нарушение условий деятельности"})
    assert revoked.status_code == 200, revoked.get_json()
    assert get_site("KZ-B05").status == "free"
    assert _lease(app, "KZ-B05").status == "released"
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "site.release")).one()
        assert event.details["code"] == "KZ-B05" and serial in event.details["reason"]


def test_an_unsigned_lease_lapses_and_a_signed_one_stays(app, client, recommended, approve, make_site, login,
                                                         get_site):
    from zone.accounts.models import User
    from zone.applications.models import Application
    from zone.database import write_intent
    from zone.extensions import db
    from zone.sites import services

    make_site("KZ-B06")
    make_site("KZ-B07")
    assert approve(recommended(), site="KZ-B06").status_code == 200
    signed_app = recommended()
    assert approve(signed_app, site="KZ-B07").status_code == 200
    with app.app_context():
        company_id = db.session.get(Application, signed_app).company_id
        holder = db.session.scalars(select(User).where(User.company_id == company_id)).first()
        db.session.expunge(holder)
    login(holder)
    page = client.get("/sites/KZ-B07").get_data(as_text=True)
    assert "Confirm that the company signed the lease" in page
    assert client.post("/sites/KZ-B07/lease/sign").status_code == 302
    assert _lease(app, "KZ-B07").status == "signed"
    pdf = client.get("/sites/KZ-B07/lease.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get("/sites/KZ-B06").status_code == 404  # another company's site
    with app.app_context(), write_intent():
        starts = _lease(app, "KZ-B06").starts_on
        assert services.lapse_unsigned(starts + timedelta(days=30)) == []  # the last day to sign
        lapsed = services.lapse_unsigned(starts + timedelta(days=31))
        assert [lease.site.code for lease in lapsed] == ["KZ-B06"]
        db.session.commit()
    assert get_site("KZ-B06").status == "free" and get_site("KZ-B07").status == "leased"
    assert _lease(app, "KZ-B06").status == "lapsed"


def test_the_lapse_job_is_registered(app):
    from zone.worker.registry import jobs

    assert "sites.lapse" in {job.name for job in jobs(app)}
