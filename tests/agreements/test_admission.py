"""Admission is one transaction: a failing agreement fails the approval (no certificate, no number used);
the terms and obligations come from the rule set of the decision date."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.api.seed import action


def test_a_failing_agreement_fails_the_approval_and_uses_no_number(client, admitted, monkeypatch):
    from zone.agreements import services
    from zone.errors import Conflict

    seed = admitted.seed
    app_id = seed.application_ids[1]
    assert action(client, admitted.reviewer, app_id, "recommend_approval").status_code == 200

    def broken(*args, **kwargs):
        raise Conflict("the rule set lacks a term", code="agreement_terms_missing")

    monkeypatch.setattr(services, "obligations_for", broken)
    refused = action(client, admitted.approver, app_id, "approve")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "agreement_terms_missing"
    detail = client.get(f"/api/v1/applications/{app_id}", headers=admitted.reviewer).get_json()
    assert detail["status"] == "recommended"
    certificates = client.get("/api/v1/certificates", headers=admitted.auditor).get_json()["items"]
    assert len(certificates) == 1  # only the first admission's

    monkeypatch.undo()
    approved = action(client, admitted.approver, app_id, "approve")
    assert approved.status_code == 200, approved.get_json()
    number = approved.get_json()["agreement"]["number"]
    assert number.endswith("-000002") and approved.get_json()["certificate"]["serial"].endswith("-000002")


@pytest.mark.parametrize(("side", "days", "priority"), [("KZ", 10, True), ("UZ", 30, False)])
def test_terms_by_side_from_the_rule_set(ctx, side, days, priority):
    from zone.agreements.obligations import terms_on

    terms = terms_on(side, date(2026, 3, 2))
    assert terms.rule_set_version == "2026.1"
    assert terms.countersign_due(date(2026, 3, 2)) == date(2026, 3, 2) + timedelta(days=days)
    assert terms.conclusion.verified is (side == "KZ")  # the KZ term is the law; the UZ one is assumed
    assert terms.tolerance.value == 10 and terms.tolerance.verified is False
    assert (terms.priority_share is not None) is priority


def _application(**fields):
    base = {"investment_amount": Decimal("5400000"), "investment_currency": "USD", "jobs_total": 140,
            "jobs_local": 120, "construction_start": date(2026, 5, 1), "production_start": date(2027, 6, 1)}
    return SimpleNamespace(**{**base, **fields})


def test_a_yearly_investment_schedule_makes_one_obligation_a_year(ctx):
    from zone.agreements.obligations import obligations_for, terms_on

    terms = terms_on("UZ", date(2026, 3, 2))
    schedule = [{"year": 2027, "amount": "3400000"}, {"year": 2026, "amount": "2000000"}]
    obligations = obligations_for(_application(investment_schedule=schedule), terms)
    investment = [o for o in obligations if o["type"] == "investment"]
    assert [(o["id"], o["target"], o["due"]) for o in investment] == [
        ("investment-2026", "2000000", "2026-12-31"), ("investment-2027", "3400000", "2027-12-31")]
    assert "priority_income_share" not in {o["type"] for o in obligations}  # a KZ condition only

    default = obligations_for(_application(investment_schedule=[{"year": "soon"}]), terms)
    assert [(o["id"], o["target"], o["due"]) for o in default if o["type"] == "investment"] == [
        ("investment", "5400000", "2027-06-01")]  # an unusable schedule: the whole amount by production start


def test_a_rule_set_without_the_agreement_terms_refuses(ctx, monkeypatch):
    from zone.agreements import obligations
    from zone.errors import Conflict

    class Empty:
        version = "2099.1"
        parameters = {}

    class Registry:
        def for_date(self, on_date):
            return Empty()

    monkeypatch.setattr("zone.eligibility.services.current_registry", lambda: Registry())
    with pytest.raises(Conflict) as error:
        obligations.terms_on("KZ", date(2026, 3, 2))
    assert error.value.code == "agreement_terms_missing"


def test_demo_signer_command(runner, tmp_path, valid_bin):
    from cryptography.hazmat.primitives.serialization import pkcs12

    from zone.esign.identities import subject_ids

    tax_id = valid_bin()
    out = tmp_path / "company.p12"
    result = runner.invoke(args=["agreements", "demo-signer", "--tax-id", tax_id, "--out", str(out),
                                 "--passphrase", "secret"])
    assert result.exit_code == 0, result.output
    certificate = pkcs12.load_key_and_certificates(out.read_bytes(), b"secret")[1]
    assert subject_ids(certificate).company == {tax_id}
    assert runner.invoke(args=["agreements", "demo-signer", "--tax-id", tax_id, "--out", str(out),
                               "--passphrase", ""]).exit_code != 0
    bad = runner.invoke(args=["agreements", "demo-signer", "--tax-id", "12", "--out", str(tmp_path / "x.p12")])
    assert bad.exit_code != 0 and "12 digits" in bad.output
