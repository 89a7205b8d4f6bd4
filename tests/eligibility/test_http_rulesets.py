"""Rule-set administration through HTTP: access, upload, cases, diff, impact, four-eyes activation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from zone.eligibility.yaml_source import read_yaml

from .helpers import dump
from .http_helpers import CANDIDATE_CASES, CANDIDATE_YAML, FAILING_CASES, UZ_BODY, make_application


def audit_actions(app) -> list[str]:
    from zone.audit.models import AuditEvent
    from zone.extensions import db

    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def stored(app, version):
    from zone.eligibility.models import RuleSetVersion
    from zone.extensions import db

    with app.app_context():
        row = db.session.scalar(select(RuleSetVersion).where(RuleSetVersion.version == version))
        db.session.expunge(row)
        return row


def upload(client, source=CANDIDATE_YAML, cases=CANDIDATE_CASES):
    return client.post("/admin/rule-sets/upload?lang=en", data={"source": source, "cases": cases})


@pytest.mark.parametrize(
    ("role", "status"), [(None, 401), ("applicant", 403), ("reviewer", 403), ("auditor", 200), ("admin", 200)]
)
def test_list_access(client, login_as, role, status):
    if role:
        login_as(role)
    response = client.get("/admin/rule-sets")
    assert response.status_code == status or (status == 401 and response.status_code == 302)


def test_auditor_reads_but_cannot_upload(client, login_as):
    login_as("auditor")
    page = client.get("/admin/rule-sets/2026.1?lang=en").get_data(as_text=True)
    assert "Monthly calculation index (MCI), KZT" in page and "No: assumed, to be confirmed" in page
    assert client.get("/admin/rule-sets/2026.1/source.yaml").get_data(as_text=True).startswith("# Default rule set")
    assert client.get("/admin/rule-sets/upload").status_code == 403
    assert client.post("/admin/rule-sets/upload", data={"source": CANDIDATE_YAML}).status_code == 403
    assert client.get("/admin/rule-sets/9.9").status_code == 404


def test_invalid_upload_lists_each_place_and_stores_nothing(app, client, login_as):
    login_as("admin")
    document = read_yaml(CANDIDATE_YAML)
    document["admission"][7]["fact"] = "turnover"
    del document["benefits"][1]["name"]["en"]
    bad = dump(document)
    page = upload(client, bad).get_data(as_text=True)
    assert "The rule set is not valid" in page
    assert "admission[7].fact" in page and "unknown fact &#39;turnover&#39;" in page
    assert "benefits[1].name.en" in page and "missing translation" in page
    # An administrator reading Russian reads the problems in Russian; the places stay the YAML's.
    russian = client.post("/admin/rule-sets/upload?lang=ru", data={"source": bad, "cases": CANDIDATE_CASES})
    page = russian.get_data(as_text=True)
    assert "admission[7].fact" in page and "неизвестный факт &#39;turnover&#39;" in page
    assert "benefits[1].name.en" in page and "нет перевода" in page and "missing translation" not in page
    from zone.eligibility.models import RuleSetVersion
    from zone.extensions import db

    with app.app_context():
        assert db.session.scalar(select(RuleSetVersion)) is None


def test_duplicate_version_is_refused(client, login_as):
    login_as("admin")
    page = upload(client, CANDIDATE_YAML.replace('version: "2026.2"', 'version: "2026.1"')).get_data(as_text=True)
    assert "exists already" in page


def test_upload_runs_cases_shows_diff_and_impact(app, client, login_as, make_user):
    make_application(app, make_user, amount="400000")  # would lose admission under 2026.2
    make_application(app, make_user, amount="900000")  # unchanged
    login_as("admin")
    response = upload(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/rule-sets/2026.2")
    row = stored(app, "2026.2")
    assert row.status == "draft" and row.cases_report["ok"] and row.cases_report["passed"] == 2
    page = client.get("/admin/rule-sets/2026.2?lang=en").get_data(as_text=True)
    assert "2 passed, 0 failed" in page
    assert "Changes from 2026.1" in page and "uz.min_investment_usd" in page and "from July 1, 2026: 500,000" in page
    # In Russian, the same difference in Russian words, dates and numbers.
    russian = client.get("/admin/rule-sets/2026.2?lang=ru").get_data(as_text=True)
    row = russian.split("uz.min_investment_usd", 1)[1].split("</tr>", 1)[0].replace("\xa0", " ").replace("\u202f", " ")
    assert "с 1 июля 2026 г.: 500 000" in row, row
    assert "изменено" in row and "from 20" not in row
    assert "1 of 2 open applications would change outcome." in page
    assert "upload" in " ".join(audit_actions(app))
    listing = client.get("/admin/rule-sets?lang=en").get_data(as_text=True)
    assert "2026.2" in listing and "Draft" in listing
    # Not published yet.
    assert [i["version"] for i in client.get("/api/v1/rule-sets").get_json()["items"]] == ["2026.1"]
    assert client.get("/api/v1/rule-sets/2026.2").status_code == 404


def test_failing_cases_block_activation(app, client, login_as):
    login_as("admin")
    upload(client, cases=FAILING_CASES)
    page = client.get("/admin/rule-sets/2026.2?lang=en").get_data(as_text=True)
    assert "1 passed, 1 failed" in page and "admitted: expected True, got False" in page
    page = client.post("/admin/rule-sets/2026.2/request-activation?lang=en", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Activation needs test cases that all pass" in page
    assert stored(app, "2026.2").status == "draft"


def test_four_eyes_activation(app, client, login_as, make_user, login):
    first = login_as("admin")
    upload(client)
    client.post("/admin/rule-sets/2026.2/request-activation")
    row = stored(app, "2026.2")
    assert row.status == "pending_activation" and row.activation_requested_by_id == first.id
    page = client.post("/admin/rule-sets/2026.2/activate?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "Another admin must activate it" in page
    assert stored(app, "2026.2").status == "pending_activation"

    client.post("/logout")
    second = make_user("admin")
    login(second)
    client.post("/admin/rule-sets/2026.2/activate")
    row = stored(app, "2026.2")
    assert row.status == "active" and row.activated_by_id == second.id and row.activated_at is not None
    actions = audit_actions(app)
    assert actions[-3:] == ["rule_set.upload", "rule_set.request_activation", "rule_set.activate"][-3:] or (
        "rule_set.activate" in actions and "rule_set.request_activation" in actions
    )
    # Now published and used from its effective date on.
    assert [i["version"] for i in client.get("/api/v1/rule-sets").get_json()["items"]] == ["2026.2", "2026.1"]
    late = client.post("/api/v1/eligibility/check?lang=en", json={**UZ_BODY, "on_date": "2026-07-01"}).get_json()
    early = client.post("/api/v1/eligibility/check?lang=en", json={**UZ_BODY, "on_date": "2026-06-30"}).get_json()
    assert late["rule_set"]["version"] == "2026.2" and late["admitted"] is False
    assert "below the minimum USD 500,000" in late["admission"][-1]["explanation"]
    assert early["rule_set"]["version"] == "2026.1" and early["admitted"] is True

    asked = client.post("/admin/rule-sets/2026.2/retire?lang=en").get_data(as_text=True)
    assert "Retire rule set 2026.2?" in asked and "cannot be activated again" in asked
    assert stored(app, "2026.2").status == "active"  # asked, not done
    client.post("/admin/rule-sets/2026.2/retire", data={"confirmed": "1"})
    assert stored(app, "2026.2").status == "retired"
    again = client.post("/api/v1/eligibility/check", json={**UZ_BODY, "on_date": "2026-07-01"}).get_json()
    assert again["rule_set"]["version"] == "2026.1"


def test_activation_twice_and_wrong_state(app, client, login_as):
    login_as("admin")
    upload(client)
    page = client.post("/admin/rule-sets/2026.2/activate?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "Only a rule set pending activation can be activated." in page
    assert client.post("/admin/rule-sets/9.9/activate?lang=en", follow_redirects=False).status_code == 302
