"""Hostile input at every HTML form: never a server error, and a rejected form keeps what was typed.

For each role the test signs in, crawls the pages that role can reach (so forms added by any domain are
fuzzed without listing them here), then posts each form many times with hypothesis-generated values:
random unicode, NUL and control characters, markup, SQL-ish and template-ish strings, huge and odd
numbers (NaN, Infinity, integers beyond 64 bits), text nested 500 brackets deep, impossible dates, very
long text, several values for one field, files where text belongs and missing fields; and posts raw JSON
bodies to each form's action (100,000 levels deep, NaN, huge integers, lists where text belongs). Checks:

* no answer is a 5xx;
* when the answer shows the form again (a validation error), every text field marked invalid shows
  exactly what was sent (after NFC, trimming and dropping control characters), and no field that was
  filled in comes back empty.
"""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.api.seed import action, seed_through_api
from tests.fuzz.forms import TEXT_KINDS, Form, crawl, normalise, parse_forms

pytestmark = pytest.mark.slow

EXAMPLES_PER_FORM = 15
ROLES = ["anonymous", "applicant", "reviewer", "approver", "admin", "auditor"]
START_PAGES = ["/", "/login", "/register", "/password/forgot", "/account"]

NASTY = [
    "", " ", "\x00", "a\x00b", "\t\r\n", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "' OR '1'='1' --", "1; DROP TABLE users; --", "%s%s%n%x", "{{7*7}}", "{% raw %}", "${7*7}", "\u202eRTL",
    "😀" * 40, "9" * 400, "-1", "-0", "1e309", "NaN", "Infinity", "0x1F", "١٢٣", "１２３",
    "99999999999999999999999999999999", "0.0000000000000000001", "2026-02-30", "31.12.9999", "0000-00-00",
    "../../etc/passwd", "null", "true", "[]", "{}", "KZ", "UZ", "USD", "25.11, 22.21", "admin@icic.local",
    "a" * 5000, "-Infinity", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "9" * 5000,
    "[" * 500 + "]" * 500, '{"a": ' * 500 + "1" + "}" * 500,
]
HOSTILE = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
)
FILE = st.builds(lambda content, name: (io.BytesIO(content), name),
                 st.binary(max_size=2048), st.sampled_from(["a.pdf", "x.exe", "../../evil.pdf", "доклад.PDF", "",
                                                           "a" * 300 + ".pdf", "nul\x00.pdf"]))


def _value_strategy(fields):
    f = fields[0]
    if f.kind == "hidden":
        return st.one_of(st.just(f.value), st.just(f.value), HOSTILE)
    if f.kind == "select":
        return st.one_of(st.sampled_from(f.options), HOSTILE) if f.options else HOSTILE
    if f.kind in ("checkbox", "radio"):
        choices = [x.value or "y" for x in fields]
        return st.one_of(st.sampled_from(choices), HOSTILE)
    if f.kind == "button":
        return st.sampled_from([x.value for x in fields])
    if f.kind == "file":
        return st.one_of(FILE, HOSTILE)
    return st.one_of(HOSTILE, HOSTILE, st.lists(HOSTILE, min_size=2, max_size=3), FILE)


def _submission(form: Form):
    return st.fixed_dictionaries({}, optional={name: _value_strategy(fields) for name, fields in form.fields.items()})


def _typed_text(form: Form, data: dict) -> dict[str, str]:
    """Single text values sent to text-like fields: the ones a person typed and must not lose."""
    typed = {}
    for name, value in data.items():
        f = form.first(name)
        if f is not None and f.kind in TEXT_KINDS | {"password"} and isinstance(value, str):
            typed[name] = value
    return typed


def _browser_could_send(kind: str, value: str) -> bool:
    """A real browser only sends well-formed values from date and number inputs; the server need not
    re-show what no person could have typed there."""
    if kind == "date":
        return re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
    if kind == "number":
        return re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", value.strip()) is not None
    return True


def _check_kept(form: Form, data: dict, html: str) -> list[str]:
    forms = parse_forms(html)
    # The same form again (same action) first; a page may hold several forms with the same field names.
    again = [f for f in forms if urlsplit(f.action).path == urlsplit(form.action).path] or [
        f for f in forms if set(f.fields) >= set(_typed_text(form, data))]
    if not again:
        return []
    shown = again[0]
    problems = []
    for name, sent in _typed_text(form, data).items():
        f = shown.first(name)
        if f is None or f.kind == "password":  # passwords are never sent back, by design
            continue
        if not _browser_could_send(form.first(name).kind, sent):
            continue
        if f.invalid and normalise(f.value) != normalise(sent):
            problems.append(f"{name}: sent {sent[:80]!r}, the invalid field shows {f.value[:80]!r}")
        elif normalise(sent) and not normalise(f.value):
            problems.append(f"{name}: sent {sent[:80]!r}, the form came back with it empty")
    return problems


def _fuzz_form(client, form: Form, failures: list[str]) -> None:
    # No shrinking: the first failing example is reported as is, which keeps a failing run short.
    @settings(max_examples=EXAMPLES_PER_FORM, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(data=_submission(form))
    def run(data):
        kwargs = {"data": data, "follow_redirects": False}
        if form.multipart or any(isinstance(v, tuple) or (isinstance(v, list) and v and isinstance(v[0], tuple))
                                 for v in data.values()):
            kwargs["content_type"] = "multipart/form-data"
        # Files are read once per request; hypothesis may replay an example, so rewind them.
        for value in data.values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, tuple):
                    item[0].seek(0)
        response = client.post(form.action, **kwargs)
        assert response.status_code < 500, f"HTTP {response.status_code} for {data!r}"
        if response.mimetype == "text/html" and response.status_code in (200, 400, 409, 422):
            problems = _check_kept(form, data, response.get_data(as_text=True))
            assert not problems, f"typed values lost ({response.status_code}): {problems}"

    try:
        run()
    except AssertionError as error:
        failures.append(f"POST {form.action} (form on {form.page}): {str(error)[:1500]}")


def _json_bodies(form: Form) -> list[str]:
    """Raw JSON bodies posted to a form's action (the forms read JSON objects too): deep nesting, numbers
    JSON has not got or that overflow, containers where text belongs, for the form's own field names."""
    names = sorted(form.fields) or ["x"]

    def every(value: str) -> str:
        return "{" + ", ".join(f"{json.dumps(name)}: {value}" for name in names) + "}"

    return ["[" * 100_000 + "]" * 100_000, '{"a": ' * 100_000 + "1" + "}" * 100_000, "[" * 500 + "]" * 500,
            every("NaN"), every("Infinity"), every("-Infinity"), every("1e400"), every(str(2**64)),
            every("9" * 5000), every("[" * 500 + "]" * 500), every('[["x"]]'), every('{"a": [null]}'),
            every('"\\ud800"'), "NaN", "null", "not json"]


def _post_json(client, form: Form, failures: list[str]) -> None:
    for body in _json_bodies(form):
        response = client.post(form.action, data=body, content_type="application/json", follow_redirects=False)
        if response.status_code >= 500:
            failures.append(f"POST {form.action} (form on {form.page}) JSON {body[:60]!r}: "
                            f"HTTP {response.status_code}")


def _reset_link(app, user) -> str:
    from zone.accounts.services import password_reset_token

    with app.test_request_context("/"):
        return f"/password/reset/{password_reset_token(user)}"


@pytest.fixture
def seeded(app, client, make_company, make_user, api_token):
    seed = seed_through_api(client, make_company, make_user, api_token)
    # A second activity agreement, and an amendment awaiting a decision on the first, so that the decision
    # forms are on a page too (the proposal form shows on the agreement without a pending amendment).
    reviewer, approver = seed.tokens["reviewer"], seed.tokens["approver"]
    for name, headers in (("recommend_approval", reviewer), ("approve", approver)):
        response = action(client, headers, seed.application_ids[1], name)
    seed.agreement_numbers.append(response.get_json()["agreement"]["number"])
    first = seed.agreement_numbers[0]
    version = client.get(f"/api/v1/agreements/{first}", headers=reviewer).get_json()["version"]
    client.post(f"/api/v1/agreements/{first}/amendments", headers=reviewer, json={
        "version": version, "reason": "Перенос сроков.", "obligations": [{"id": "jobs_total", "target": 150}]})
    # A report draft of the current quarter and a submitted report of the previous one, so that the report
    # form, its upload, the answer form and the staff's return and accept forms are on pages too.
    from datetime import timedelta

    from zone.calendar import today
    from zone.reports.periods import quarter_of

    with app.app_context():
        current = quarter_of(today())
        previous = quarter_of(current.start - timedelta(days=1))
    _backdate_agreement(app, first, previous.start)
    company = seed.tokens["applicant"]
    seed.report_ids = []
    for period, submit in ((current.code, False), (previous.code, True)):
        response = client.post("/api/v1/reports", headers=company, json={"agreement": first, "period": period,
                                                                         **REPORT_FIGURES})
        seed.report_ids.append(response.get_json()["id"])
        if submit:
            client.post(f"/api/v1/reports/{seed.report_ids[-1]}/submit", headers=company)
    _compliance_cases(app, seed)
    return seed


def _compliance_cases(app, seed) -> None:
    """Two compliance cases on the first certificate, so that the forms to propose a sanction and to decline
    one are on its compliance page: one due for a suspension proposal, one proposed by the reviewer."""
    from datetime import date

    from zone.certificates.models import Certificate, ProposalStatus, SanctionProposal
    from zone.compliance.models import ComplianceCase, ComplianceSnapshot
    from zone.compliance.workflow import Stage
    from zone.extensions import db

    with app.app_context():
        certificate = db.session.scalar(sa.select(Certificate).where(Certificate.serial == seed.serials[0]))
        snapshot = ComplianceSnapshot(certificate_id=certificate.id, on_date=date(2027, 1, 1),
                                      rule_set_version="2026.1", rule_set_sha256="0" * 64, status="breach",
                                      result={lang: {"conditions": []} for lang in ("ru", "en")})
        db.session.add(snapshot)
        db.session.flush()
        proposal = SanctionProposal(certificate_id=certificate.id, action="suspend", status=ProposalStatus.PENDING,
                                    reason="Отчёт не сдан.", source="compliance case",
                                    proposed_by_id=seed.users["reviewer"].id)
        db.session.add(proposal)
        db.session.flush()
        for condition, stage, proposal_id in (("reports.filed", Stage.SUSPENSION_DUE, None),
                                              ("obligations.jobs", Stage.SUSPENSION_PROPOSED, proposal.id)):
            db.session.add(ComplianceCase(
                certificate_id=certificate.id, company_id=certificate.company_id, side=certificate.side,
                condition_id=condition, stage=stage, open=True, version=1, opened_on=date(2027, 1, 1),
                cure_due=date(2027, 3, 2), revocation_after_days=90, escalation_delay_days=0,
                rule_set_version="2026.1", snapshot_id=snapshot.id, proposal_id=proposal_id))
        db.session.commit()


REPORT_FIGURES = {
    "currency": "KZT", "investment_own": "1", "investment_borrowed": "0", "investment_foreign": "0", "jobs_total": 3,
    "jobs_local": 2, "jobs_foreign": 1, "payroll": "1", "revenue_total": "10", "revenue_priority": "9",
    "revenue_export": "1", "sales_to_other_side": "1", "purchases_from_other_side": "1", "taxes_paid": "1",
}


def _backdate_agreement(app, number: str, decided_on) -> None:
    from sqlalchemy import update

    from zone.agreements.models import Agreement
    from zone.extensions import db

    with app.app_context():
        db.session.execute(update(Agreement).where(Agreement.number == number).values(decided_on=decided_on))
        db.session.commit()


@pytest.mark.parametrize("role", ROLES)
def test_hostile_values_at_every_form(app, client, seeded, login, role):
    start = (START_PAGES + [f"/applications/{i}" for i in seeded.application_ids]
             + [f"/agreements/{n}" for n in seeded.agreement_numbers]
             + ["/reports/mine", "/reports"] + [f"/reports/{i}" for i in seeded.report_ids]
             + [f"/certificates/{seeded.serials[0]}/compliance", "/compliance/cases"])
    if role == "anonymous":
        start.append(_reset_link(app, seeded.users["auditor"]))  # the form behind a mailed link
    else:
        login(seeded.users[role])
    forms = crawl(client, start)
    assert forms or role == "auditor", f"{role} reaches no form at all"
    failures: list[str] = []
    for form in forms:
        _fuzz_form(client, form, failures)
        _post_json(client, form, failures)
    print(f"{role}: fuzzed {len(forms)} forms: {', '.join(f.action for f in forms)}")
    assert not failures, "\n\n".join(failures)
