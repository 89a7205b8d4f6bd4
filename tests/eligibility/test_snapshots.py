"""Snapshots of an application's evaluation never change when the rules change later."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from .http_helpers import CANDIDATE_CASES, CANDIDATE_YAML, make_application


def test_snapshot_unchanged_after_a_new_rule_set_is_activated(app, client, login_as, make_user, login):
    from zone.applications.models import Application
    from zone.eligibility import services
    from zone.eligibility.models import EligibilitySnapshot
    from zone.extensions import db

    app_id = make_application(app, make_user, amount="400000")
    staff = make_user("reviewer")
    with app.app_context():
        application = db.session.get(Application, app_id)
        row = services.take_snapshot(application, "decision", date(2026, 8, 1), staff)
        db.session.commit()
        snapshot_id = row.id
        before = services.snapshot_view(row, "en")
        stored_before = dict(row.result)
    assert before["admitted"] is True and before["rule_set"]["version"] == "2026.1"

    # Two admins put 2026.2 (minimum USD 500,000 from 2026-07-01) into force.
    first = login_as("admin")
    client.post("/admin/rule-sets/upload", data={"source": CANDIDATE_YAML, "cases": CANDIDATE_CASES})
    client.post("/admin/rule-sets/2026.2/request-activation")
    client.post("/logout")
    login(make_user("admin"))
    client.post("/admin/rule-sets/2026.2/activate")

    with app.app_context():
        application = db.session.get(Application, app_id)
        now = services.evaluate_application(application, date(2026, 8, 1))
        assert now.rule_set.version == "2026.2" and not now.admitted
        row = db.session.get(EligibilitySnapshot, snapshot_id)
        assert row.result == stored_before and row.rule_set_version == "2026.1" and row.admitted is True
        assert services.snapshot_view(row, "en") == before
        assert services.latest_snapshot(application).id == snapshot_id
        for locale in ("ru", "kk", "uz"):
            assert services.snapshot_view(row, locale)["benefits"][0]["explanation"]
        assert first.id != row.created_by_id


def test_snapshot_is_audited_and_immutable(app, make_user):
    from zone.applications.models import Application
    from zone.audit.models import AuditEvent
    from zone.eligibility import services
    from zone.eligibility.models import EligibilitySnapshot, ImmutableRowError
    from zone.extensions import db

    app_id = make_application(app, make_user)
    actor = make_user("reviewer")
    with app.app_context():
        application = db.session.get(Application, app_id)
        row = services.take_snapshot(application, "submission", date(2026, 3, 10), actor)
        db.session.commit()
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "eligibility.snapshot")).one()
        assert event.details["rule_set"] == "2026.1" and event.details["kind"] == "submission"
        assert event.details["benefits"][0] == "UZ_PROFIT_TAX"
        row = db.session.get(EligibilitySnapshot, row.id)
        row.admitted = False
        with pytest.raises(ImmutableRowError):
            db.session.flush()
        db.session.rollback()
        row = db.session.get(EligibilitySnapshot, row.id)
        db.session.delete(row)
        with pytest.raises(ImmutableRowError):
            db.session.flush()
        db.session.rollback()


def test_incomplete_application_cannot_be_evaluated(app, make_user):
    from zone.applications.models import Application
    from zone.eligibility import services
    from zone.errors import ValidationFailed
    from zone.extensions import db

    app_id = make_application(app, make_user)
    with app.app_context():
        application = db.session.get(Application, app_id)
        application.investment_amount = None
        application.activity_codes = ["C22"]
        with pytest.raises(ValidationFailed) as info:
            services.evaluate_application(application, date(2026, 3, 10))
        assert set(info.value.fields) == {"investment_amount", "activity_codes"}
        with pytest.raises(ValidationFailed) as info:
            services.evaluate_application(db.session.get(Application, app_id), date(2025, 1, 1))
        db.session.rollback()


def test_current_eligibility_of_drafts(app, make_user):
    from zone.applications.assessment import current_eligibility
    from zone.applications.models import Application
    from zone.extensions import db

    app_id = make_application(app, make_user, status="draft")
    with app.app_context():
        application = db.session.get(Application, app_id)
        result = current_eligibility(application, "en", date(2026, 3, 10))
        assert result["admitted"] is True and result["rule_set"]["version"] == "2026.1"
        application.capital_shares = None
        assert current_eligibility(application, "en", date(2026, 3, 10)) is None
        assert current_eligibility(db.session.get(Application, app_id), "en", date(2025, 3, 10)) is None
        db.session.rollback()


def _schema_1(snapshot: dict) -> dict:
    """A snapshot as written before schema 2: inclusive ``until``, a next step from the day after,
    rounded derived values only, and texts that said the same."""
    old = {**snapshot, "schema": 1, "result": dict(snapshot["result"])}
    del old["result"]["derived_exact"], old["result"]["rates"]
    old["result"]["benefits"] = [
        {**b, "periods": [{**p} for p in b["periods"]]} for b in snapshot["result"]["benefits"]
    ]
    for benefit in old["result"]["benefits"]:
        if benefit["code"] == "UZ_PROFIT_TAX":
            benefit["periods"] = [
                {"from": "2026-08-01", "until": "2036-08-01", "reduction_pct": 100},
                {"from": "2036-08-02", "until": "2041-08-01", "reduction_pct": 50},
            ]
    return old


def test_a_schema_1_snapshot_is_shown_as_decided_in_the_half_open_convention(app, make_user):
    from zone.applications.models import Application
    from zone.eligibility import services
    from zone.eligibility.models import EligibilitySnapshot
    from zone.extensions import db

    app_id = make_application(app, make_user, amount="10000000")
    staff = make_user("reviewer")
    with app.app_context():
        application = db.session.get(Application, app_id)
        fresh = services.take_snapshot(application, "decision", date(2026, 8, 1), staff)
        assert fresh.result["schema"] == 2
        profit = next(b for b in services.snapshot_view(fresh, "en")["benefits"] if b["code"] == "UZ_PROFIT_TAX")
        assert profit["periods"] == [
            {"from": "2026-08-01", "until": "2036-08-01", "reduction_pct": 100},
            {"from": "2036-08-01", "until": "2041-08-01", "reduction_pct": 50},
        ]
        old_result = _schema_1(fresh.result)
        old = EligibilitySnapshot(
            application_id=app_id, kind=fresh.kind, rule_set_version="2026.1", on_date=date(2026, 8, 1),
            facts=fresh.facts, result=old_result, admitted=True, created_by_id=staff.id,
        )
        db.session.add(old)
        db.session.commit()
        view = services.snapshot_view(old, "en")
        profit = next(b for b in view["benefits"] if b["code"] == "UZ_PROFIT_TAX")
        # As decided then: 100 % through 01.08.2036, 50 % from 02.08.2036 through 01.08.2041.
        assert profit["periods"] == [
            {"from": "2026-08-01", "until": "2036-08-02", "reduction_pct": 100},
            {"from": "2036-08-02", "until": "2041-08-02", "reduction_pct": 50},
        ]
        assert "derived_exact" not in view and view["derived"] == old_result["result"]["derived"]
        db.session.expire_all()
        assert db.session.get(EligibilitySnapshot, old.id).result == old_result  # never rewritten
