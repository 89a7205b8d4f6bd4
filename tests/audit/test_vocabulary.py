"""The audit vocabulary never falls behind the code: every action and object type zone records has a label.

Actions are read from the source (every ``record(...)`` call); an action built from a value (an f-string
over a workflow's actions) is expanded from the table that value comes from, listed below. A new kind
of dynamic action fails here until it is listed, and so does a new code without a label.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from zone.audit import vocabulary

ZONE = Path(__file__).resolve().parents[2] / "zone"


def _dynamic() -> dict[tuple[str, str], set[str]]:
    """(file, f-string as written) → the codes it can make, from the tables its values come from."""
    from zone.applications.workflow import Action as ApplicationAction
    from zone.certificates.models import ProposalStatus
    from zone.certificates.workflow import Action as CertificateAction
    from zone.companies.claims import CLAIM_ACTIONS
    from zone.compliance.workflow import DUE
    from zone.compliance.workflow import TRANSITIONS as COMPLIANCE_TRANSITIONS
    from zone.compliance.workflow import Action as ComplianceAction
    from zone.cooperation.workflow import Action as CooperationAction
    from zone.reports.workflow import Action as ReportAction
    from zone.sites.workflow import LeaseAction

    escalated = {str(target) for (_stage, action), (target, _who) in COMPLIANCE_TRANSITIONS.items()
                 if action == ComplianceAction.ESCALATE}
    proposed = {str(a) for a in DUE.values()} | {CertificateAction.REINSTATE.value}
    closed = {s.value for s in ProposalStatus if s != ProposalStatus.PENDING}
    return {
        ("applications/lifecycle.py", "f'application.{action.value}'"):
            {f"application.{a.value}" for a in ApplicationAction},
        ("certificates/lifecycle.py", "f'certificate.{action.value}'"):
            {f"certificate.{a.value}" for a in CertificateAction},
        ("certificates/reissue.py", "f'certificate.reissue_{proposal.status}'"):
            {"certificate.reissue_declined", "certificate.reissue_withdrawn"},
        ("certificates/sanctions.py", "f'certificate.{action}_proposed'"):
            {f"certificate.{a}_proposed" for a in proposed},
        ("certificates/sanctions.py", "f'certificate.sanction_{status.value}'"):
            {f"certificate.sanction_{s}" for s in closed},
        ("companies/claims.py", "f'company.claim_{action}'"): {f"company.claim_{a}" for a in CLAIM_ACTIONS},
        ("compliance/services.py", "f'compliance.notice_{kind}'"):
            {"compliance.notice_warning", "compliance.notice_cured"} | {f"compliance.notice_{s}" for s in escalated},
        ("compliance/services.py", "f'compliance.{action.value}'"):
            {f"compliance.{a.value}" for a in ComplianceAction},
        ("cooperation/services.py", "f'cooperation.request_{action.value}'"):
            {f"cooperation.request_{a.value}" for a in CooperationAction},
        ("reports/services.py", "f'report.{action.value}'"): {f"report.{a.value}" for a in ReportAction},
        ("sites/services.py", "f'site.{action.value}'"): {f"site.{a.value}" for a in LeaseAction},
    }


def _constants(tree: ast.Module) -> dict[str, str]:
    return {t.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for t in node.targets if isinstance(t, ast.Name)}


def _strings(node: ast.AST, constants: dict[str, str]) -> set[str] | None:
    """The codes an expression can be, or None when it is not made of literal strings."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body, constants), _strings(node.orelse, constants)
        return None if body is None or orelse is None else body | orelse
    if isinstance(node, ast.Name) and node.id in constants:
        return {constants[node.id]}
    return None


def _recorded() -> tuple[set[str], set[str], list[str]]:
    """(actions, explicit object types, calls whose action could not be read) over zone's source."""
    dynamic = _dynamic()
    actions, types, unread = set(), set(), []
    for path in sorted(ZONE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants, where = _constants(tree), path.relative_to(ZONE).as_posix()
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name == "_refused" or (name == "_on_breach" and where == "accounts/throttle.py"):
                actions |= _strings(node.args[0], constants) or set()  # auth.*_throttled, as record()'s action
                continue
            if name != "record":
                continue
            for keyword in node.keywords:
                if keyword.arg == "object_type":
                    types |= _strings(keyword.value, constants) or set()
            found = _strings(node.args[0], constants)
            if found is None:
                found = dynamic.get((where, ast.unparse(node.args[0])))
            if found is None and where in ("accounts/throttle.py", "audit/hooks.py"):
                continue  # the action is a parameter: its values are read at the callers (above, and hooks' own)
            if found is None:
                unread.append(f"{where}:{node.lineno} {ast.unparse(node.args[0])}")
            else:
                actions |= found
    actions |= {"auth.logout", "auth.session_end"}  # hooks.py names both in one expression
    return actions, types, unread


def test_every_recorded_action_has_a_label():
    actions, _types, unread = _recorded()
    assert not unread, f"list the codes these calls can make in _dynamic(): {unread}"
    assert len(actions) > 100
    missing = sorted(a for a in actions if a not in vocabulary.ACTION_LABELS)
    assert not missing, f"label these actions in zone/audit/vocabulary.py: {missing}"


def test_every_audited_object_type_has_a_label(app):
    from zone.accounts.models import ApiToken, User
    from zone.companies.models import Company
    from zone.extensions import db

    _actions, explicit, _unread = _recorded()
    declared = {mapper.class_.audit_type for mapper in db.Model.registry.mappers
                if isinstance(getattr(mapper.class_, "audit_type", None), str)}
    by_table = {User.__tablename__, ApiToken.__tablename__, Company.__tablename__}  # recorded by table name
    missing = sorted((explicit | declared | by_table) - set(vocabulary.OBJECT_LABELS))
    assert not missing, f"label these object types in zone/audit/vocabulary.py: {missing}"


def test_every_action_belongs_to_a_group_of_the_filter():
    prefixes = {prefix for prefix, _label in vocabulary.ACTION_GROUPS}
    assert {code.split(".", 1)[0] for code in vocabulary.ACTION_LABELS} <= prefixes


@pytest.mark.parametrize(("code", "words"), [
    ("certificate.reissue_proposed", "Certificate: reissue proposed"),
    ("old_thing", "Old thing"),
    ("", "—"),
    (None, "—"),
])
def test_an_unknown_code_is_humanized(code, words):
    assert vocabulary.humanize(code) == words


def test_labels_and_values_read_in_the_chosen_language(app):
    with app.test_request_context("/?lang=ru"):
        assert vocabulary.action_label("register.export") == "Реестр свидетельств выгружен"
        assert vocabulary.object_label("certificate") == "Свидетельство"
        assert vocabulary.action_label("nobody.labelled_this") == "Nobody: labelled this"
        lines = {key: (label, value) for key, label, value in vocabulary.detail_lines({
            "ok": True, "date": "2026-03-01", "fields": ["side", "sector"], "filter": {"status": "active"},
            "sector": "chemicals", "at": "2026-03-01T09:30:00.000000Z"})}
        assert lines["ok"] == ("Целостность", "Да")
        assert lines["date"][1].startswith("1 мар. 2026")  # the locale's medium date
        assert lines["fields"][1] == "side, sector"
        assert lines["filter"] == ("Фильтры", "Статус: active")
        assert lines["sector"][1] == "Химическая промышленность"
        assert "2026" in lines["at"][1] and "T09" not in lines["at"][1]


def test_codes_in_the_details_read_as_words(app):
    with app.test_request_context("/?lang=ru"):
        def words(action, details):
            return {key: value for key, _label, value in vocabulary.detail_lines(details, action)}

        # registered by the domains at app creation: the trail imports none of them
        assert words("application.submit", {"from": "draft", "to": "submitted"}) == {
            "from": "Черновик", "to": "Подана"}
        assert words("certificate.suspend", {"to": "suspended"})["to"] == "Приостановлено"
        assert words("compliance.escalate", {"to": "suspension_due"})["to"] == "Нужно предложить приостановление"
        assert words("user.role_change", {"from": "reviewer", "to": "approver"})["to"] == "Утверждающее лицо"
        assert words("user.create", {"role": "auditor", "side": "KZ"}) == {"role": "Аудитор",
                                                                           "side": "Казахстан (KZ)"}
        assert words("company.register", {"registration_country": "UZ"})["registration_country"] == "Узбекистан"
        # a code nobody named is shown as recorded, and a key means nothing outside its domain
        assert words("application.submit", {"to": "someday"})["to"] == "someday"
        assert words("site.update", {"status": "draft"})["status"] == "draft"
