"""Every way a certificate comes to exist signs only benefits its stored evaluation gives.

The approval (API and form), a reissue (API and form) and issuance itself are tested where they live
(tests/review/test_decisions.py, test_reissue.py, test_issuance.py); here the remaining writers: the demo
seed that `make run` uses, and the command line.
"""

from __future__ import annotations

import sqlalchemy as sa


def test_the_demo_seed_signs_what_each_decision_evaluated(runner, app):
    from zone.audit.models import AuditEvent
    from zone.certificates.models import Certificate
    from zone.certificates.periods import benefits_half_open
    from zone.eligibility.models import EligibilitySnapshot
    from zone.extensions import db

    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        certificates = db.session.scalars(sa.select(Certificate)).all()
        assert certificates
        audits = {e.details["serial"]: e.details for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "certificate.issue"))}
        for certificate in certificates:
            snapshot = db.session.scalars(sa.select(EligibilitySnapshot).where(
                EligibilitySnapshot.application_id == certificate.application_id,
                EligibilitySnapshot.kind == "decision")).one()
            evaluated = {b["code"]: b["periods"] for b in snapshot.result["result"]["benefits"] if b["eligible"]}
            # The row keeps last days; the evaluation, the API and the audit trail speak half-open.
            signed = {b["code"]: b["periods"] for b in benefits_half_open(certificate.benefits)}
            assert signed == evaluated
            assert audits[certificate.serial]["benefits"] == [
                {"code": code, "periods": periods} for code, periods in signed.items()]


def test_no_command_writes_benefits_or_validity(app):
    """No command takes benefits, periods or a validity date: the command line can expire certificates and
    seed the demo (through the approval), and a new command would have to go through the services above."""
    def walk(command, path):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, f"{path} {name}")

    for name, command in app.cli.commands.items():
        for path, found in walk(command, name):
            options = {param.name for param in found.params}
            assert not options & {"benefits", "benefit", "periods", "valid_until", "until"}, path
