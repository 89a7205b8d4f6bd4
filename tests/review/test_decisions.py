"""Decisions: approval grants what the rules give on the decision date (or less, with a reason) and issues
the certificate in the same transaction; rejection needs coded grounds and a text."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest


@pytest.fixture
def recommended(make_application, make_user):
    def _make(**fields):
        reviewer = make_user("reviewer")
        app_id = make_application(status="recommended", assignee_id=reviewer.id, recommended_by_id=reviewer.id,
                                  recommendation="approve", **fields)
        return app_id

    return _make


def _proposed(client, app_id, approver, api_token):
    """The benefits the rules give today, as the review page offers them (read from the engine)."""
    from zone.calendar import today
    from zone.eligibility.services import evaluate_application
    from zone.extensions import db

    with client.application.app_context():
        from zone.applications.models import Application

        evaluation = evaluate_application(db.session.get(Application, app_id), today())
        return {b.benefit.code: [p.to_dict() for p in b.periods] for b in evaluation.benefits if b.eligible}


def test_approval_grants_the_rules_benefits_and_issues_the_certificate(client, recommended, make_user, act, app,
                                                                       get_application, outbox, api_token):
    app_id = recommended()
    approver = make_user("approver")
    proposed = _proposed(client, app_id, approver, api_token)
    assert {"KZ_CIT", "KZ_VAT_INPUTS", "ICIC_COOPERATION"} <= set(proposed)
    response = act(approver, app_id, "approve", 2, comment="Одобрено")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "approved"
    assert body["certificate"]["serial"].startswith("ICIC-KZ-")
    after = get_application(app_id)
    assert {b["code"]: b["periods"] for b in after.granted_benefits} == proposed
    assert after.decided_by_id == approver.id and after.decided_at is not None
    with app.app_context():
        from zone.eligibility.models import EligibilitySnapshot
        from zone.extensions import db

        kinds = [s.kind for s in db.session.query(EligibilitySnapshot).filter_by(application_id=app_id)]
        assert "decision" in kinds
    mails = [m for m in outbox() if m[1] == "approved"]
    assert mails and body["certificate"]["serial"] in mails[0][3]


def test_approval_cannot_add_a_benefit_the_rules_deny(recommended, make_user, act, get_application):
    app_id = recommended(capital_shares={"KZ": 100})  # no Uzbek capital: no cooperation benefit
    approver = make_user("approver")
    for code in ("ICIC_COOPERATION", "UZ_CUSTOMS", "NO_SUCH_BENEFIT"):
        response = act(approver, app_id, "approve", 2, comment="Добавляю", benefits=["KZ_CIT", code])
        assert response.status_code == 422, response.get_json()
        assert f"benefits.{code}" in response.get_json()["error"]["fields"]
    after = get_application(app_id)
    assert after.status == "recommended" and after.granted_benefits is None and after.version == 2


def test_approval_cannot_extend_a_period(client, recommended, make_user, act, api_token, get_application):
    app_id = recommended()
    approver = make_user("approver")
    proposed = _proposed(client, app_id, approver, api_token)
    last = date.fromisoformat(proposed["KZ_CIT"][-1]["until"])
    later = last.replace(year=last.year + 1).isoformat()
    response = act(approver, app_id, "approve", 2, comment="Продлеваю",
                   benefits=[{"code": "KZ_CIT", "until": later}])
    assert response.status_code == 422
    assert "benefits.KZ_CIT" in response.get_json()["error"]["fields"]
    # Explicit periods that stretch the end are refused the same way.
    stretched = [dict(p) for p in proposed["KZ_CIT"]]
    stretched[-1]["until"] = later
    response = act(approver, app_id, "approve", 2, comment="Продлеваю",
                   benefits=[{"code": "KZ_CIT", "periods": stretched}])
    assert response.status_code == 422
    assert get_application(app_id).status == "recommended"


@pytest.mark.parametrize("choice", [
    {"code": "KZ_CIT", "name": {"ru": "Все налоги навсегда", "en": "No taxes ever"}},
    {"code": "KZ_CIT", "reference": "Указ о вечных льготах"},
    {"code": "KZ_CIT", "legal_basis": {"ru": "—"}},
    {"code": "KZ_CIT", "periods": [{"from": "2000-01-01", "until": "2099-12-31", "reduction_pct": 100}]},
    {"code": "KZ_CIT", "until": "2099-12-31"},
    {"code": "KZ_CIT", "periods": [{"from": "2026-01-01", "until": "2027-01-01", "reduction_pct": "sNaN"}]},
    {"code": ["KZ_CIT"]},
    [["KZ_CIT"]],
])
def test_approval_takes_nothing_but_a_narrower_choice(recommended, make_user, act, get_application, app, choice):
    """An approval's ``benefits`` choose within the rules; a name, reference or legal basis in the request,
    a period the rules never gave or a malformed item is refused (422), and nothing is signed."""
    from zone.certificates.models import Certificate
    from zone.extensions import db

    app_id = recommended()
    response = act(make_user("approver"), app_id, "approve", 2, comment="Одобряю", benefits=[choice])
    assert response.status_code == 422, response.get_json()
    assert all(name.startswith("benefits") for name in response.get_json()["error"]["fields"])
    assert get_application(app_id).status == "recommended"
    with app.app_context():
        assert db.session.query(Certificate).count() == 0


def test_the_approve_form_cannot_grant_an_invented_or_longer_benefit(client, app, recommended, make_user, login,
                                                                   get_application):
    from zone.certificates.models import Certificate
    from zone.extensions import db

    app_id = recommended()
    login(make_user("approver"))
    for code, until in (("KZ_EVERYTHING_FREE", ""), ("KZ_CIT", "2099-12-31")):
        response = client.post(f"/review/applications/{app_id}/actions/approve", data={
            "approve-version": "2", "approve-comment": "Одобряю", "approve-benefits-0-code": code,
            "approve-benefits-0-granted": "y", "approve-benefits-0-until": until})
        assert response.status_code == 200
        assert "Одобряю" in response.get_data(as_text=True)
    assert get_application(app_id).status == "recommended"
    with app.app_context():
        assert db.session.query(Certificate).count() == 0


def test_a_change_needs_a_reason_and_is_stored(client, recommended, make_user, act, api_token, get_application):
    app_id = recommended()
    approver = make_user("approver")
    proposed = _proposed(client, app_id, approver, api_token)
    start = date.fromisoformat(proposed["KZ_CIT"][0]["from"])
    shorter = start.replace(year=start.year + 3).isoformat()
    choice = [{"code": "KZ_CIT", "until": shorter}, "KZ_LAND_TAX"]  # the rest dropped
    response = act(approver, app_id, "approve", 2, benefits=choice)
    assert response.status_code == 422
    assert "comment" in response.get_json()["error"]["fields"]
    response = act(approver, app_id, "approve", 2, benefits=choice, comment="Срок по договору аренды — 3 года.")
    assert response.status_code == 200, response.get_json()
    granted = {b["code"]: b["periods"] for b in get_application(app_id).granted_benefits}
    assert set(granted) == {"KZ_CIT", "KZ_LAND_TAX"}
    assert granted["KZ_CIT"][-1]["until"] == shorter
    assert granted["KZ_LAND_TAX"] == proposed["KZ_LAND_TAX"]
    details = response.get_json()["event"]["details"]
    assert details["benefits_changed"] is True and details["proposed_benefits"]


def test_approval_is_refused_when_admission_fails(recommended, make_user, act):
    app_id = recommended(priority_income_share=50)  # below the 90 % minimum
    response = act(make_user("approver"), app_id, "approve", 2, comment="ok")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "not_admitted"


# Without "grounds" at all an API rejection is on OTHER (API.md names none: tests/api/test_contract_kept.py).
@pytest.mark.parametrize(("extra", "field"), [
    ({"comment": "Нет участка", "grounds": []}, "grounds"),
    ({"comment": "Нет участка", "grounds": ["BAD_LUCK"]}, "grounds"),
    ({"grounds": ["NO_SITE_AVAILABLE"]}, "comment"),
    ({"grounds": ["NO_SITE_AVAILABLE"], "comment": "   "}, "comment"),
])
def test_rejection_requires_grounds_and_text(extra, field, recommended, make_user, act, get_application):
    app_id = recommended()
    response = act(make_user("approver"), app_id, "reject", 2, **extra)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert get_application(app_id).status == "recommended"


def test_rejection_is_stored_and_told_to_the_company(recommended, make_user, act, get_application, outbox):
    app_id = recommended()
    approver = make_user("approver")
    response = act(approver, app_id, "reject", 2, grounds=["OTHER", "NO_SITE_AVAILABLE"],
                   comment="Свободных участков нет до 2027 года.")
    assert response.status_code == 200, response.get_json()
    after = get_application(app_id)
    assert after.status == "rejected"
    assert after.rejection_grounds == ["NO_SITE_AVAILABLE", "OTHER"]  # canonical order
    assert after.decision_comment == "Свободных участков нет до 2027 года."
    mail = [m for m in outbox() if m[1] == "rejected"]
    assert mail, outbox()
    assert "В зоне нет свободного участка" in mail[0][3] and "NO_SITE_AVAILABLE" in mail[0][3]
    assert "Свободных участков нет до 2027 года." in mail[0][3]


def test_recommend_rejection_needs_grounds(make_application, make_user, act):
    reviewer = make_user("reviewer")
    app_id = make_application(status="in_review", assignee_id=reviewer.id)
    response = act(reviewer, app_id, "recommend_rejection", 2, comment="Нет участка", grounds=[])
    assert response.status_code == 422 and "grounds" in response.get_json()["error"]["fields"]
    response = act(reviewer, app_id, "recommend_rejection", 2, comment="Нет участка", grounds=["NO_SITE_AVAILABLE"])
    assert response.status_code == 200
    assert response.get_json()["recommendation"] == "reject"


def test_an_approval_evaluates_once_and_stores_that_evaluation(app, recommended, make_user, act, monkeypatch):
    """The decision's snapshot is the evaluation the approval was decided on, not a second run of the rules."""
    import sqlalchemy as sa

    from zone.eligibility import services as eligibility
    from zone.eligibility.models import EligibilitySnapshot
    from zone.extensions import db
    from zone.review import decision

    app_id = recommended()
    runs = []
    real = eligibility.evaluate_application

    def counted(application, on_date=None):
        evaluation = real(application, on_date)
        runs.append(evaluation)
        return evaluation

    monkeypatch.setattr(decision, "evaluate_application", counted)
    monkeypatch.setattr(eligibility, "evaluate_application", counted)
    response = act(make_user("approver"), app_id, "approve", 2, comment="Одобряю")
    assert response.status_code == 200, response.get_json()
    assert len(runs) == 1
    with app.app_context():
        (snapshot,) = db.session.scalars(sa.select(EligibilitySnapshot).where(
            EligibilitySnapshot.application_id == app_id, EligibilitySnapshot.kind == "decision"))
        assert snapshot.result == runs[0].to_snapshot()


def test_an_approval_is_one_mail_to_each_company_user_with_certificate_and_agreement(recommended, make_user, act,
                                                                                     outbox, app):
    """Approval, certificate and agreement happen at once, so the company reads of them in one message: the
    certificate's validity, where to download and verify it, and the agreement to countersign by its date."""
    from zone.agreements.models import Agreement
    from zone.applications.models import Application
    from zone.extensions import db

    app_id = recommended()
    approver = make_user("approver")
    before = len(outbox())
    response = act(approver, app_id, "approve", 2, comment="Одобрено")
    assert response.status_code == 200, response.get_json()
    serial = response.get_json()["certificate"]["serial"]
    with app.app_context():
        from zone.review.notifications import company_recipients

        company_users = sorted(email for email, _locale in company_recipients(db.session.get(Application, app_id)))
        agreement = db.session.query(Agreement).filter_by(application_id=app_id).one()
        number, due = agreement.number, agreement.countersign_due
    sent = outbox()[before:]
    to_company = [m for m in sent if m[0] in company_users]
    assert sorted(m[0] for m in to_company) == company_users and {m[1] for m in to_company} == {"approved"}
    (body,) = {m[3] for m in to_company}
    assert serial in body and "/verify/" in body and f"/certificates/{serial}" in body
    assert number in body and f"/agreements/{number}" in body and due.strftime("%d.%m.%Y") in body


def _hidden(page: str) -> dict[str, str]:
    return {html.unescape(n): html.unescape(v)
            for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)}


def test_approving_on_the_page_asks_first_and_states_what_will_be_signed(client, app, recommended, make_user,
                                                                         login, get_application):
    """Without JavaScript: the first post shows the benefits to be signed and changes nothing; the page's own
    form (every field carried back, plus ``confirmed``) approves."""
    from zone.certificates.models import Certificate
    from zone.extensions import db

    app_id = recommended()
    login(make_user("approver"))
    review = client.get(f"/review/applications/{app_id}?lang=en").get_data(as_text=True)
    form = review.split('id="form-approve"', 1)[1].split("</form>", 1)[0]
    # what the browser sends: every field of the approve form, each benefit's checkbox as rendered (checked)
    data = dict(re.findall(r'<input[^>]*name="(approve-[^"]+)"[^>]*value="([^"]*)"', form))
    checked = re.findall(r'<input[^>]*type="checkbox"[^>]*name="(approve-[^"]+)"[^>]*checked', form)
    data.update(dict.fromkeys(checked, "y"))
    data["approve-comment"] = "Одобряю"
    asked = client.post(f"/review/applications/{app_id}/actions/approve?lang=en", data=data)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Approve application" in page and "cannot be taken back" in page
    facts = page.split('<dl class="details facts">', 1)[1].split("</dl>", 1)[0]
    assert facts.count("<dt>Benefit</dt>") >= 3 and "none" not in facts  # each benefit the rules grant, named
    assert re.search(r"\d{4} to .*, \d+\s?%", facts)  # with its periods and reduction
    assert get_application(app_id).status == "recommended"
    with app.app_context():
        assert db.session.query(Certificate).count() == 0
    carried = _hidden(page)
    assert carried["approve-comment"] == "Одобряю" and carried["confirmed"] == "1" and "csrf_token" in carried
    done = client.post(f"/review/applications/{app_id}/actions/approve", data=carried)
    assert done.status_code == 302 and get_application(app_id).status == "approved"


def test_a_decision_that_would_be_refused_is_refused_before_the_confirmation(client, recommended, make_user,
                                                                             login, get_application):
    app_id = recommended()
    login(make_user("approver"))
    stale = client.post(f"/review/applications/{app_id}/actions/approve?lang=en",
                        data={"approve-version": "1", "approve-comment": "Одобряю"})
    assert stale.status_code == 409 and "confirmed" not in _hidden(stale.get_data(as_text=True))
    extended = client.post(f"/review/applications/{app_id}/actions/approve?lang=en", data={
        "approve-version": "2", "approve-comment": "Одобряю", "approve-benefits-0-code": "KZ_CIT",
        "approve-benefits-0-granted": "y", "approve-benefits-0-until": "2099-12-31"})
    assert extended.status_code == 200 and "confirmed" not in _hidden(extended.get_data(as_text=True))
    assert "shortened but not extended" in extended.get_data(as_text=True)
    unexplained = client.post(f"/review/applications/{app_id}/actions/reject?lang=en",
                              data={"reject-version": "2", "reject-grounds": "OTHER"})
    assert "confirmed" not in _hidden(unexplained.get_data(as_text=True))
    assert get_application(app_id).status == "recommended"


def test_rejecting_on_the_page_asks_first_with_the_grounds(client, recommended, make_user, login, get_application):
    app_id = recommended()
    login(make_user("approver"))
    asked = client.post(f"/review/applications/{app_id}/actions/reject?lang=en", data={
        "reject-version": "2", "reject-grounds": "OTHER", "reject-comment": "Проект не для зоны."})
    page = asked.get_data(as_text=True)
    assert "Reject application" in page and "cannot be reopened" in page
    assert get_application(app_id).status == "recommended"
    done = client.post(f"/review/applications/{app_id}/actions/reject", data=_hidden(page))
    assert done.status_code == 302 and get_application(app_id).status == "rejected"
