"""The OpenAPI 3.1 document of JSON API v1 (shared/API.md), built in code so it cannot drift unnoticed.

``openapi_document()`` returns a plain dict; ``GET /api/v1/openapi.json`` serves it. A test walks
``app.url_map`` and fails when an ``/api/v1`` rule is undocumented or a documented operation has no rule.
Names and shapes follow API.md; extra response fields are allowed (``additionalProperties`` stays open),
but a request with unknown fields is refused (422), so request bodies are closed.
"""

from __future__ import annotations

from copy import deepcopy
from functools import cache
from typing import Any

from zone.accounts.roles import Role
from zone.applications.fields import DOCUMENT_KINDS as _DOCUMENT_KINDS
from zone.applications.fields import FIELDS
from zone.applications.kinds import DECIMAL_OUT, HS_CODE_TEXT
from zone.events.models import EVENT_TYPES as _EVENT_TYPES
from zone.vocabulary import CURRENCIES as _CURRENCIES
from zone.vocabulary import SIDES as _SIDES

SIDES, DOCUMENT_KINDS, CURRENCIES = list(_SIDES), list(_DOCUMENT_KINDS), list(_CURRENCIES)
EVENT_TYPES = list(_EVENT_TYPES)
STATUSES = ["draft", "submitted", "in_review", "info_requested", "recommended", "approved", "rejected", "withdrawn"]
STAFF_ACTIONS = ["start_review", "request_info", "recommend_approval", "recommend_rejection", "approve", "reject"]
CERTIFICATE_STATUSES = ["active", "suspended", "revoked", "expired", "superseded"]
SERIAL_PATTERN = r"^ICIC-(KZ|UZ)-\d{4}-\d{6}$"
REJECTION_GROUNDS = ["INCOMPLETE_DOCUMENTS", "INVALID_INFORMATION", "ACTIVITY_NOT_PRIORITY", "CRITERIA_NOT_MET",
                     "NO_SITE_AVAILABLE", "OTHER"]
AGREEMENT_PATTERN = r"^AG-(KZ|UZ)-\d{4}-\d{6}$"
AGREEMENT_STATUSES = ["awaiting_company_signature", "concluded", "terminated"]
REPORT_STATUSES = ["draft", "submitted", "returned", "accepted"]
REPORT_PERIOD_PATTERN = r"^\d{4}(-Q[1-4])?$"
REPORT_MONEY = ["investment_own", "investment_borrowed", "investment_foreign", "investment_cumulative", "payroll",
                "revenue_total", "revenue_priority", "revenue_export", "sales_to_other_side",
                "purchases_from_other_side", "taxes_paid"]
REPORT_JOBS = ["jobs_total", "jobs_local", "jobs_foreign"]
AUDIT_OPINIONS = ["unmodified", "qualified", "adverse", "disclaimer"]
SITE_KINDS = ["plot", "building"]
SITE_STATUSES = ["free", "reserved", "leased"]
OBLIGATION_TYPES = ["investment", "jobs_total", "jobs_local", "construction_start", "production_start",
                    "priority_income_share"]


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema.get("type")
    result = dict(schema)
    result["type"] = [*kind, "null"] if isinstance(kind, list) else [kind, "null"]
    if "enum" in result:
        result["enum"] = [*result["enum"], None]
    return result


def obj(properties: dict, required: list[str] | None = None, *, closed: bool = False, **extra) -> dict:
    schema: dict[str, Any] = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = required
    if closed:
        schema["additionalProperties"] = False
    return schema


def array(items: dict, **extra) -> dict:
    return {"type": "array", "items": items, **extra}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
# An uploaded file part. ``format: binary`` beside 3.1's ``contentMediaType``: generators send a part with
# ``format: binary`` as a file (name and content type); with ``contentMediaType`` alone they send text.
BINARY_FILE = {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"}


def _list_of(item: str) -> dict:
    return obj({"items": array(ref(item)), "next_cursor": nullable(STRING)}, ["items", "next_cursor"])


# --- schemas --------------------------------------------------------------------------------------

FACT_PROPERTIES = {
    "side": {"type": "string", "enum": SIDES},
    "registration_country": {"type": "string", "pattern": "^[A-Z]{2}$"},
    "is_legal_entity": BOOLEAN,
    **{name: FIELDS[name].kind.schema_in() for name in ("activity_codes", "investment_amount",
                                                         "investment_currency", "priority_income_share",
                                                         "has_branches_outside_zone", "capital_shares")},
}

def clearable(schema: dict) -> dict:
    """A draft's field: its value, or a blank that clears it (null, "", [] or {}).

    Written the way client generators read: the empty list and object are shared components with a
    declared ``items`` (openapi-python-client drops a whole schema, and every operation using it, over an
    array without items) and the empty text is a string of length 0 (its ``const ""`` refuses other text
    instead of trying the next alternative).
    """
    return {"anyOf": [schema, {"type": "null"}, {"type": "string", "maxLength": 0}, ref("EmptyList"),
                      ref("EmptyObject")]}


# Derived from the field schema: the API takes and returns exactly the fields the forms do.
APPLICATION_FIELDS_IN = {name: clearable(f.kind.schema_in()) for name, f in FIELDS.items()}
APPLICATION_FIELDS_OUT = {name: nullable(f.kind.schema_out()) for name, f in FIELDS.items()}

PERIOD = obj({"from": DATE, "until": DATE, "reduction_pct": {"type": ["string", "number"]}},
             ["from", "until", "reduction_pct"],
             description="Half-open [from, until): until is the day the period ends, the from of the next step.")

REPORT_DOCUMENT_KINDS = ["audited_statements", "other"]
_REPORT_AMOUNT = {"type": ["string", "number"], "description": "An amount of 0 or more, at most two decimals; "
                  "text may be typed as people do (`1 500 000`, `12,5`)."}
_REPORT_OUTPUT_ROW = obj({"hs_code": {"type": "string", "description": HS_CODE_TEXT}, "quantity": _REPORT_AMOUNT,
                          "unit": {"type": "string", "maxLength": 30}, "value": _REPORT_AMOUNT},
                         ["hs_code", "quantity", "unit", "value"], closed=True)
REPORT_FIGURES_IN = {
    "currency": {"type": ["string", "null"], "enum": ["KZT", "UZS", "USD", None]},
    **{name: {"anyOf": [_REPORT_AMOUNT, {"type": "null"}]} for name in REPORT_MONEY},
    **{name: {"type": ["integer", "null"], "minimum": 0, "maximum": 1_000_000} for name in REPORT_JOBS},
    "benefits_used": {"type": ["object", "null"], "additionalProperties": _REPORT_AMOUNT,
                      "propertyNames": {"pattern": "^[A-Z][A-Z0-9_]{1,39}$"},
                      "description": "Amount saved per benefit code; only benefits granted on the certificate."},
    "output": {"type": ["array", "null"], "items": _REPORT_OUTPUT_ROW, "maxItems": 50},
    "auditor_name": {"type": ["string", "null"], "maxLength": 300, "description": "Annual reports only."},
    "audit_opinion": {"type": ["string", "null"], "enum": [*AUDIT_OPINIONS, None],
                      "description": "Annual reports only."},
}
REPORT_FIGURES_OUT = {
    "currency": nullable(STRING),
    **{name: nullable(DECIMAL_OUT) for name in REPORT_MONEY},
    **{name: nullable(INTEGER) for name in REPORT_JOBS},
    "benefits_used": {"type": ["object", "null"], "additionalProperties": DECIMAL_OUT},
    "output": {"type": ["array", "null"], "items": obj({"hs_code": STRING, "quantity": DECIMAL_OUT, "unit": STRING,
                                                         "value": DECIMAL_OUT})},
    "auditor_name": nullable(STRING), "audit_opinion": nullable(STRING),
}

SCHEMAS: dict[str, dict] = {
    "EmptyList": {"type": "array", "items": {}, "maxItems": 0, "description": "An empty list: clears the field."},
    "EmptyObject": {"type": "object", "maxProperties": 0, "description": "An empty object: clears the field."},
    "Error": obj({"error": obj({
        "code": STRING,
        "message": STRING,
        "fields": {"type": "object", "additionalProperties": array(STRING),
                   "description": "Each invalid or missing field (API path, e.g. `products.0.hs_code`, "
                                  "`documents.charter`) with its messages."},
        "details": {"type": "object"},
    }, ["code", "message"])}, ["error"]),
    "User": obj({"id": INTEGER, "email": STRING, "role": {"type": "string", "enum": [r.value for r in Role]},
                 "full_name": nullable(STRING), "company_id": nullable(INTEGER)}, ["id", "email", "role"]),
    "Company": obj({"id": INTEGER, "name": STRING, "name_en": nullable(STRING), "legal_form": nullable(STRING),
                    "registration_country": STRING, "tax_id": STRING, "is_legal_entity": BOOLEAN,
                    "address": nullable(STRING)}, ["id", "name", "tax_id", "registration_country"]),
    "CompanyBrief": obj({"name": STRING, "tax_id": STRING}, ["name", "tax_id"]),
    "TokenRequest": obj({"email": STRING, "password": STRING}, ["email", "password"], closed=True),
    "Token": obj({"token": STRING, "expires_at": DATETIME, "user": ref("User")}, ["token", "expires_at"]),
    "RegistrationRequest": obj({
        "email": {"type": "string", "format": "email"}, "password": {"type": "string", "minLength": 10},
        "full_name": STRING,
        "company": obj({"name": STRING, "tax_id": STRING, "registration_country": {"type": "string",
                                                                                  "pattern": "^[A-Z]{2}$"}},
                       ["name", "tax_id", "registration_country"]),
    }, ["email", "password", "company"], closed=True),
    "Registration": obj({"user": ref("User"), "company": ref("Company")}, ["user", "company"]),
    "EligibilityFacts": obj({**FACT_PROPERTIES, "on_date": DATE}, closed=True),
    "Eligibility": obj({
        "rule_set": obj({"version": STRING, "effective_from": DATE}, ["version", "effective_from"]),
        "on_date": DATE,
        "admitted": BOOLEAN,
        "derived": obj({"investment_usd": nullable(DECIMAL_OUT), "investment_kzt": nullable(DECIMAL_OUT),
                        "investment_mci": nullable(DECIMAL_OUT)}),
        "derived_exact": obj(dict.fromkeys(("investment_usd", "investment_kzt", "investment_mci"), STRING),
                             description="The exact values compared: a decimal, or numerator/denominator."),
        "rates": array(obj({"parameter": STRING, "currency": STRING, "value": STRING, "source": STRING,
                            "date": DATE, "earlier": BOOLEAN},
                           ["parameter", "currency", "value", "source", "date", "earlier"])),
        "admission": array(obj({"id": STRING, "passed": BOOLEAN, "explanation": STRING},
                               ["id", "passed", "explanation"])),
        "benefits": array(obj({"code": STRING, "eligible": BOOLEAN, "explanation": STRING,
                               "periods": array(PERIOD)}, ["code", "eligible", "explanation", "periods"])),
    }, ["rule_set", "on_date", "admitted", "derived", "admission", "benefits"]),
    "RuleSetSummary": obj({"version": STRING, "effective_from": DATE}, ["version", "effective_from"]),
    "RuleSetList": _list_of("RuleSetSummary"),
    "RuleSet": obj({"version": STRING, "effective_from": DATE}, ["version", "effective_from"]),
    "OkedEntry": obj({"code": STRING}, ["code"]),
    "OkedList": _list_of("OkedEntry"),
    "ApplicationInput": obj(APPLICATION_FIELDS_IN, closed=True),
    "Application": obj({
        "id": INTEGER, "number": nullable(STRING), "status": {"type": "string", "enum": STATUSES},
        "version": {"type": "integer", "minimum": 1}, **APPLICATION_FIELDS_OUT,
        "eligibility": nullable(ref("Eligibility")),
    }, ["id", "number", "status", "version"]),
    "ApplicationList": _list_of("Application"),
    "Document": obj({"id": INTEGER, "kind": {"type": "string", "enum": DOCUMENT_KINDS}, "filename": STRING,
                     "size": INTEGER, "sha256": SHA256, "content_type": STRING},
                    ["id", "kind", "filename", "size", "sha256", "content_type"]),
    "DocumentUpload": obj({"kind": {"type": "string", "enum": DOCUMENT_KINDS},
                           "file": BINARY_FILE,
                           "apostilled": BOOLEAN}, ["kind", "file"], closed=True),
    "VersionedRequest": obj({"version": INTEGER, "comment": STRING}, closed=True),
    "StaffAction": obj({
        "action": {"type": "string", "enum": STAFF_ACTIONS}, "comment": STRING,
        "version": {"type": "integer", "minimum": 1},
        "deadline": {**DATE, "description": "`request_info`: the date the company answers by. Without it, "
                                            "`INFO_REQUEST_WORKING_DAYS` working days of the application's side."},
        "benefits": array({"anyOf": [STRING, obj({"code": STRING, "until": DATE}, ["code"])]},
                          description="`approve`: the benefits granted, as codes or `{\"code\", \"until\"}` to end "
                                      "one earlier. Without it, what the rules give on the decision date."),
        "grounds": array(STRING, description="`recommend_rejection`, `reject`: coded grounds ("
                                             + ", ".join(f"`{g}`" for g in REJECTION_GROUNDS) + "). Without it, "
                                             "`OTHER` (the comment explains)."),
        "site": {"type": "string", "maxLength": 20,
                 "description": "`approve`: the code of a free site of the application's side to lease to the company "
                                "(on the UZ side, the site won at auction). Not free or of the other side: 409 "
                                "naming it."},
    }, ["action", "version"], closed=True),
    "ActionResult": {"allOf": [ref("Application"), obj({
        "certificate": nullable(ref("Certificate")),
        "agreement": obj({"number": {"type": "string", "pattern": AGREEMENT_PATTERN}, "status": STRING}, ["number"]),
        "lease": ref("Lease"),
    })]},
    "Lease": obj({"site": STRING, "rent_per_m2_year": STRING, "currency": {"type": "string", "enum": CURRENCIES},
                  "reduction_pct": INTEGER, "reduction_until": nullable(DATE), "status": STRING, "sign_by": DATE,
                  "sha256": SHA256}, ["site", "rent_per_m2_year", "reduction_pct", "reduction_until"]),
    "SiteUtilities": obj({"power_kw": STRING, "water_m3_day": STRING, "gas_m3_h": STRING},
                         ["power_kw", "water_m3_day", "gas_m3_h"]),
    "Site": obj({"code": STRING, "side": {"type": "string", "enum": SIDES},
                 "kind": {"type": "string", "enum": SITE_KINDS}, "area_m2": STRING,
                 "utilities": ref("SiteUtilities"), "status": {"type": "string", "enum": SITE_STATUSES}},
                ["code", "side", "kind", "area_m2", "utilities", "status"]),
    "SiteList": obj({"items": array(ref("Site"))}, ["items"]),
    "SiteInput": obj({
        "code": STRING, "side": {"type": "string", "enum": SIDES}, "kind": {"type": "string", "enum": SITE_KINDS},
        "name": STRING, **{name: {"type": ["string", "number"]} for name in (
            "area_m2", "power_kw", "water_m3_day", "gas_m3_h", "rent_per_m2_year")},
        "currency": {"type": "string", "enum": CURRENCIES}, "status": {"type": "string", "enum": ["free", "reserved"]},
        "outline": {"anyOf": [STRING, array(array(NUMBER, minItems=2, maxItems=2), minItems=3)],
                    "description": "Points on the side's plan in metres: `[[x, y], ...]` or `\"x y; x y; ...\"`; "
                                   "outlines of one side may touch but not overlap."},
        "version": {"type": "integer", "minimum": 1, "description": "PATCH: the version you saw (stale: 409)."},
    }, closed=True),
    "HistoryEntry": obj({"actor": nullable(STRING), "at": DATETIME, "from": nullable(STRING),
                         "to": nullable(STRING), "comment": nullable(STRING)}, ["at", "from", "to"]),
    "History": obj({"items": array(ref("HistoryEntry"))}, ["items"]),
    "Certificate": obj({
        "serial": {"type": "string", "pattern": SERIAL_PATTERN},
        "status": {"type": "string", "enum": CERTIFICATE_STATUSES},
        "side": {"type": "string", "enum": SIDES},
        "company": ref("CompanyBrief"),
        "issued_at": {"type": "string"}, "valid_until": nullable(DATE),
        "benefits": array({"type": "object"}), "sha256": SHA256, "verify_url": {"type": "string", "format": "uri"},
    }, ["serial", "status", "side", "company", "issued_at", "valid_until", "benefits", "sha256"]),
    "CertificateList": _list_of("Certificate"),
    "Reason": obj({"reason": {"type": "string", "minLength": 1}, "effective_date": DATE}, ["reason"], closed=True),
    "Reissue": {"oneOf": [ref("ReissueProposalRequest"), ref("ReissueDecisionRequest")]},
    "ReissueProposalRequest": obj({
        "reason": {"type": "string", "minLength": 1, "maxLength": 2000,
                   "description": "What was amended (the company reads it)."},
        "basis": {"type": "string", "enum": ["decision", "amendment"], "default": "decision",
                  "description": "`decision`: the benefits of the decision's stored evaluation, by default exactly "
                                 "as the certificate carries them; `amendment`: a new evaluation of the "
                                 "application under the rules in force today (stored with the proposal)."},
        "benefits": array({"anyOf": [
            {"type": "string", "description": "A benefit code the basis gives, kept as the rules set it."},
            obj({"code": STRING, "until": DATE,
                 "periods": array(obj({"from": DATE, "until": DATE, "reduction_pct": {"type": "number"}},
                                      closed=True))}, ["code"], closed=True),
        ]}, description="A narrower choice within the basis, as an approval's `benefits`: drop a benefit or "
                        "end it earlier; never add one, lengthen a period, raise a reduction or name it."),
    }, ["reason"], closed=True),
    "ReissueDecisionRequest": obj({
        "proposal": {"type": "integer", "minimum": 1},
        "decision": {"type": "string", "enum": ["confirm", "decline"]},
        "reason": {"type": "string", "maxLength": 2000},
    }, ["proposal", "decision"], closed=True),
    "ReissueProposal": obj({
        "id": INTEGER, "status": {"type": "string", "enum": ["pending", "confirmed", "declined", "withdrawn"]},
        "basis": {"type": "string", "enum": ["decision", "amendment"]}, "reason": STRING,
        "rule_set": STRING, "on_date": DATE, "benefits": array({"type": "object"}), "valid_until": DATE,
        "proposed_by": obj({"id": INTEGER, "name": STRING}), "proposed_at": DATETIME,
        "decided_by": nullable(obj({"id": INTEGER, "name": STRING})), "decided_at": nullable(DATETIME),
        "decision_reason": nullable(STRING), "replacement": nullable(STRING),
    }, ["id", "status", "basis", "benefits", "valid_until", "proposed_by"]),
    "ReissueProposalAnswer": obj({"proposal": ref("ReissueProposal")}, ["proposal"]),
    "CertificateEvent": obj({"action": STRING, "from": nullable(STRING), "to": nullable(STRING), "at": DATETIME,
                             "by": nullable(STRING), "reason": nullable(STRING), "effective_date": nullable(DATE)},
                            ["action", "at"]),
    "CertificateHistory": obj({"items": array(ref("CertificateEvent"))}, ["items"]),
    "AuditAnchor": {"type": "object", "description": "The chain head (length, head hash, time) signed with the "
                                                     "zone's key; keep it to check the trail later."},
    "Verification": obj({
        "serial": {"type": "string", "pattern": SERIAL_PATTERN},
        "status": {"type": "string", "enum": CERTIFICATE_STATUSES},
        "company": ref("CompanyBrief"), "side": {"type": "string", "enum": SIDES},
        "issued_at": {"type": "string"}, "valid_until": nullable(DATE), "benefits": array({"type": "object"}),
        "sha256": SHA256,
    }, ["serial", "status", "company", "side", "issued_at", "valid_until", "benefits", "sha256"]),
    "UploadVerdict": obj({
        "verdict": {"type": "string", "enum": ["original", "changed_after_signing", "unconfirmed", "not_on_record",
                                               "not_original"]},
        "message": STRING, "sha256": SHA256, "size": INTEGER,
        "signature": obj({"signed": BOOLEAN, "intact": BOOLEAN, "valid": BOOLEAN, "trusted": BOOLEAN,
                          "covers_whole_file": BOOLEAN}),
        "certificate": nullable(ref("Verification")),
    }, ["verdict", "message", "sha256", "signature", "certificate"]),
    "Resident": obj({"serial": STRING, "company": ref("CompanyBrief"), "side": STRING}, ["serial", "company"]),
    "PublicRegister": _list_of("Resident"),
    "AuditEvent": obj({"seq": INTEGER, "at": DATETIME, "action": STRING, "actor": nullable(STRING),
                       "hash": STRING}, ["seq", "action"]),
    "AuditEventList": _list_of("AuditEvent"),
    "AuditVerification": obj({"ok": BOOLEAN, "length": INTEGER, "head_hash": STRING,
                              "first_bad_seq": nullable(INTEGER), "problem": nullable(STRING),
                              "verified_seq": INTEGER, "keyed_from": nullable(INTEGER),
                              "published_anchor": {"type": ["object", "null"], "description":
                                                   "The latest published anchor and whether the trail holds it."}},
                             ["ok", "length", "head_hash", "first_bad_seq"]),
    "Health": obj({"status": STRING, "database": STRING, "worker": ref("WorkerHealth")}, ["status", "database"]),
    "WorkerHealth": obj({
        "status": {"type": "string", "enum": ["ok", "stale", "unknown"]},
        "last_beat_s": nullable(NUMBER), "stale_after_s": INTEGER, "workers": INTEGER,
        "oldest_pending_s": nullable(NUMBER),
        "pending": {"type": "object", "additionalProperties": nullable(NUMBER),
                    "description": "Per queue (mail, notices): seconds since its oldest pending item, or null."},
    }, ["status"], description="The background worker: its freshest heartbeat (stale after stale_after_s "
                               "seconds) and the age of the oldest job waiting for it."),
    "Obligation": obj({
        "id": STRING, "type": {"type": "string", "enum": OBLIGATION_TYPES},
        "target": {"type": ["string", "integer"], "description": "A decimal string (money, percent), a whole "
                                                                  "number (jobs) or an ISO date (start dates)."},
        "unit": STRING, "due": DATE, "tolerance_pct": DECIMAL_OUT, "reference": STRING, "verified": BOOLEAN,
    }, ["id", "type", "target", "unit", "due", "tolerance_pct", "reference"]),
    "Amendment": obj({
        "number": INTEGER, "status": {"type": "string", "enum": ["proposed", "approved", "rejected"]},
        "reason": STRING, "changes": array(obj({"id": STRING, "field": {"type": "string", "enum": ["target", "due"]},
                                               "from": {}, "to": {}})),
        "revision": nullable(INTEGER), "proposed_at": DATETIME, "decided_at": nullable(DATETIME),
    }, ["number", "status", "reason", "changes"]),
    "AgreementRevision": obj({
        "revision": INTEGER, "amendment": nullable(INTEGER), "zone_signed_at": DATETIME, "zone_sha256": SHA256,
        "company_signed_at": nullable(DATETIME), "concluded_sha256": nullable(SHA256),
    }, ["revision", "zone_signed_at", "zone_sha256", "company_signed_at"]),
    "AgreementSummary": obj({
        "number": {"type": "string", "pattern": AGREEMENT_PATTERN}, "side": {"type": "string", "enum": SIDES},
        "status": {"type": "string", "enum": AGREEMENT_STATUSES}, "version": {"type": "integer", "minimum": 1},
        "revision": {"type": "integer", "minimum": 1}, "certificate": obj({"serial": STRING}, ["serial"]),
        "company": ref("CompanyBrief"), "zone_signed_at": DATETIME, "company_signed_at": nullable(DATETIME),
        "countersign_due": DATE, "sha256": SHA256, "obligations": array(ref("Obligation")),
    }, ["number", "side", "status", "certificate", "company", "zone_signed_at", "company_signed_at",
        "countersign_due", "sha256", "obligations"]),
    "Agreement": {"allOf": [ref("AgreementSummary"), obj({
        "amendments": array(ref("Amendment")), "revisions": array(ref("AgreementRevision"))},
        ["amendments", "revisions"])]},
    "AgreementList": _list_of("AgreementSummary"),
    "AgreementEvent": obj({"action": STRING, "at": DATETIME, "version": INTEGER, "by": nullable(STRING)},
                          ["action", "at"]),
    "AgreementHistory": obj({"items": array(ref("AgreementEvent"))}, ["items"]),
    "Countersignature": obj({"file": {"type": "string", "contentMediaType": "application/pdf",
                                      "description": "The zone-signed PDF with the company's PAdES signature "
                                                     "added as an incremental update."}}, ["file"]),
    "AmendmentProposal": obj({
        "version": {"type": "integer", "minimum": 1}, "reason": {"type": "string", "minLength": 1},
        "obligations": array(obj({"id": STRING, "target": {"type": ["string", "integer", "number"]}, "due": DATE},
                                 ["id"], closed=True), minItems=1),
    }, ["version", "reason", "obligations"], closed=True),
    "AmendmentApproval": obj({"version": {"type": "integer", "minimum": 1}}, ["version"], closed=True),
    "AmendmentRejection": obj({"version": {"type": "integer", "minimum": 1}, "reason": {"type": "string",
                                                                                       "minLength": 1}},
                              ["version", "reason"], closed=True),
    **{name: obj(properties, required, closed=True) for name, properties, required in (
        ("ReportInput", {"agreement": {"type": "string", "pattern": AGREEMENT_PATTERN},
                         "period": {"type": "string", "pattern": REPORT_PERIOD_PATTERN}, **REPORT_FIGURES_IN},
         ["agreement", "period"]),
        ("ReportChange", {"version": {"type": "integer", "minimum": 1}, **REPORT_FIGURES_IN}, None),
        ("ReportCorrection", {"reason": {"type": "string", "minLength": 1}, **REPORT_FIGURES_IN}, ["reason"]),
        ("ReportQuestion", {"question": {"type": "string", "minLength": 1},
                            "version": {"type": "integer", "minimum": 1}}, ["question"]),
        ("ReportAnswer", {"answer": {"type": "string", "minLength": 1}, "version": {"type": "integer", "minimum": 1}},
         ["answer"]),
        ("ReportAcceptance", {"comment": STRING, "version": {"type": "integer", "minimum": 1}}, None),
    )},
    "Report": obj({
        "id": INTEGER, "agreement": {"type": "string", "pattern": AGREEMENT_PATTERN},
        "period": {"type": "string", "pattern": REPORT_PERIOD_PATTERN},
        "kind": {"type": "string", "enum": ["quarterly", "annual"]},
        "status": {"type": "string", "enum": REPORT_STATUSES}, "due": DATE, "overdue": BOOLEAN,
        "version": {"type": "integer", "minimum": 1}, "revision": {"type": "integer", "minimum": 1},
        "current": BOOLEAN, "supersedes": nullable(INTEGER), "correction_reason": nullable(STRING),
        "question": nullable(STRING), "answer": nullable(STRING), **REPORT_FIGURES_OUT,
        "documents": array(ref("ReportDocument")),
    }, ["id", "agreement", "period", "kind", "status", "due", "version"]),
    "ReportList": _list_of("Report"),
    "Compliance": obj({
        "serial": STRING, "on_date": DATE, "rule_set": obj({"version": STRING}, ["version"]),
        "status": {"type": "string", "enum": ["compliant", "at_risk", "breach"]},
        "conditions": array(obj({
            "id": STRING, "status": {"type": "string", "enum": ["met", "pending", "at_risk", "breached"]},
            "explanation": STRING, "due": {"type": ["string", "null"], "format": "date"}, "reference": STRING,
            "cure": {"type": ["string", "null"]}}, ["id", "status", "explanation", "due", "reference", "cure"])),
        "benefit_years": array(obj({"year": INTEGER, "code": STRING, "applies": BOOLEAN, "explanation": STRING},
                                   ["year", "code", "applies", "explanation"]))},
        ["serial", "on_date", "rule_set", "status", "conditions", "benefit_years"]),
    "ComplianceList": obj({"on_date": DATE, "items": array(obj({
        "serial": STRING, "side": STRING, "status": {"type": "string", "enum": ["compliant", "at_risk", "breach"]},
        "breached": array(STRING), "cases": array(STRING)}, ["serial", "status"])),
        "next_cursor": {"type": ["string", "null"]}}, ["items", "next_cursor"]),
    "ComplianceCase": obj({
        "id": INTEGER, "serial": STRING, "side": STRING, "condition": STRING, "stage": STRING, "open": BOOLEAN,
        "version": INTEGER, "opened_on": DATE, "cure_due": DATE,
        "proposal": {"type": ["object", "null"]}}, ["id", "serial", "condition", "stage", "open"]),
    "ComplianceCaseList": _list_of("ComplianceCase"),
    "ComplianceReason": obj({"reason": {"type": "string", "minLength": 1, "maxLength": 2000}}, ["reason"],
                            closed=True),
    "SubscriptionRequest": obj({"name": {"type": "string", "minLength": 1, "maxLength": 120},
                                "url": {"type": "string", "format": "uri", "maxLength": 2000},
                                "events": array({"type": "string", "enum": EVENT_TYPES}, minItems=1),
                                "side": nullable({"type": "string", "enum": SIDES})},
                               ["name", "url", "events"], closed=True),
    "Subscription": obj({"id": INTEGER, "name": STRING, "url": STRING, "side": nullable(STRING),
                         "events": array(STRING), "active": {"type": "boolean"}, "created_at": DATETIME,
                         "last_success_at": nullable(DATETIME), "failing_since": nullable(DATETIME),
                         "secret": {"type": "string", "description": "`whsec_…`, only in the answer to creation"}},
                        ["id", "name", "url", "events"]),
    "SubscriptionList": obj({"items": array(ref("Subscription")), "next_cursor": nullable(STRING)}, ["items"]),
    "Delivery": obj({"id": INTEGER, "event": obj({"id": STRING, "type": STRING, "seq": INTEGER}),
                     "status": {"type": "string", "enum": ["pending", "delivered"]},
                     "attempts": array(obj({"at": DATETIME, "status_code": nullable(INTEGER),
                                            "error": nullable(STRING), "duration_ms": INTEGER})),
                     "last_status_code": nullable(INTEGER), "last_error": nullable(STRING),
                     "next_retry_at": nullable(DATETIME), "delivered_at": nullable(DATETIME),
                     "due_on": nullable(DATE)}, ["id", "event", "status", "attempts"]),
    "DeliveryList": obj({"items": array(ref("Delivery")), "next_cursor": nullable(STRING)}, ["items"]),
    "Event": obj({"id": STRING, "type": {"type": "string", "enum": EVENT_TYPES}, "occurred_at": DATETIME,
                  "data": obj({"serial": STRING, "side": STRING, "status": STRING,
                               "company": obj({"name": STRING, "tax_id": STRING}),
                               "agreement": obj({"number": nullable(STRING)}), "benefits": array(obj({})),
                               "reason": nullable(STRING), "effective_from": nullable(DATE)})},
                 ["id", "type", "occurred_at", "data"]),
    "EventList": obj({"items": array(ref("Event")), "next_cursor": nullable(STRING)}, ["items", "next_cursor"]),
    "ReportDocument": obj({"id": INTEGER, "kind": {"type": "string", "enum": REPORT_DOCUMENT_KINDS},
                           "filename": STRING, "size": INTEGER, "sha256": SHA256, "content_type": STRING},
                          ["id", "kind", "filename", "size", "sha256", "content_type"]),
    "ReportDocumentUpload": obj({"kind": {"type": "string", "enum": REPORT_DOCUMENT_KINDS}, "file": BINARY_FILE},
                                ["kind", "file"], closed=True),
    "ReportHistory": obj({"items": array(obj({"version": INTEGER, "action": STRING, "from": nullable(STRING),
                                              "to": nullable(STRING), "at": DATETIME, "actor": nullable(STRING),
                                              "comment": nullable(STRING)}, ["action", "at"])),
                          "versions": array(obj({"id": INTEGER, "revision": INTEGER, "status": STRING,
                                                 "current": BOOLEAN, "reason": nullable(STRING)}))},
                         ["items", "versions"]),
    # Cooperation (API.md "Cooperation and zone figures")
    "HsList": obj({"edition": STRING, "items": array(obj({"code": STRING, "name": STRING, "name_en": STRING,
                                                           "chapter": STRING, "chapter_name": STRING}))},
                  ["edition", "items"]),
    "NeedIn": obj({"hs_code": STRING, "description": STRING, "annual_volume": {"type": ["string", "number"]},
                   "unit": STRING, "target_price": {"type": ["string", "number", "null"]},
                   "price_currency": nullable({"type": "string", "enum": ["USD", "KZT", "UZS"]}),
                   "certificates_required": array(STRING)},
                  ["hs_code", "description", "annual_volume", "unit"], closed=True,
                  description="`hs_code`: a 6-digit subheading of HS 2022 (a 6–10 digit national code is cut to "
                              "its first six); `annual_volume` greater than 0; a `target_price` needs its currency."),
    "Need": obj({"id": INTEGER, "hs_code": STRING, "description": STRING, "annual_volume": STRING, "unit": STRING,
                 "target_price": nullable(STRING), "price_currency": nullable(STRING),
                 "certificates_required": array(STRING), "side": STRING, "active": BOOLEAN},
                ["id", "hs_code", "annual_volume", "unit"]),
    "NeedList": obj({"items": array(ref("Need"))}, ["items"]),
    "OfferIn": obj({"hs_code": STRING, "name": STRING, "capacity": {"type": ["string", "number"]}, "unit": STRING},
                   ["hs_code", "name", "capacity", "unit"], closed=True),
    "Offer": obj({"id": INTEGER, "hs_code": STRING, "name": STRING, "capacity": STRING, "unit": STRING,
                  "side": STRING, "source": STRING, "active": BOOLEAN}, ["id", "hs_code", "capacity", "unit"]),
    "OfferList": obj({"items": array(ref("Offer"))}, ["items"]),
    "MatchList": obj({"items": array(obj({
        "direction": {"type": "string", "enum": ["buy", "sell"]}, "company": obj({"id": INTEGER, "name": STRING},
                                                                             ["name"]),
        "side": STRING, "offer": obj({"id": INTEGER, "hs_code": STRING, "name": STRING}, ["hs_code", "name"]),
        "need": obj({"id": INTEGER, "hs_code": STRING}, ["hs_code"]), "score": NUMBER,
        "matched": obj({"digits": {"type": "integer", "enum": [2, 4, 6]}, "code": STRING,
                        "capacity_covers": nullable(NUMBER)}),
        "explanation": STRING}, ["company", "side", "offer", "need", "score"]))}, ["items"]),
    "ContactRequestIn": obj({"need_id": INTEGER, "offer_id": INTEGER, "message": STRING},
                            ["need_id", "offer_id", "message"], closed=True,
                            description="A match: one of the two is the sender's own need or product, the other a "
                                        "resident's of the other side, in the same HS chapter."),
    "ContactRequestAction": obj({"version": INTEGER, "response": STRING, "meeting_on": STRING, "contract_on": STRING,
                                 "annual_volume": {"type": ["string", "number"]}, "unit": STRING,
                                 "annual_value_usd": {"type": ["string", "number"]}, "note": STRING}, closed=True),
    "ContactRequest": obj({
        "id": INTEGER, "state": {"type": "string", "enum": ["sent", "accepted", "declined", "withdrawn", "met",
                                                              "contracted", "no_deal"]},
        "version": INTEGER, "party": nullable({"type": "string", "enum": ["sender", "recipient"]}),
        "sender": obj({"id": INTEGER, "name": STRING, "side": STRING}),
        "recipient": obj({"id": INTEGER, "name": STRING, "side": STRING}),
        "hs_code": STRING, "message": STRING, "response": nullable(STRING),
        "outcome": obj({"meeting_on": nullable(DATE), "contract_on": nullable(DATE),
                        "annual_volume": nullable(STRING), "unit": nullable(STRING),
                        "annual_value_usd": nullable(STRING), "note": nullable(STRING)})},
        ["id", "state", "version", "sender", "recipient"]),
    "ContactRequestList": obj({"items": array(ref("ContactRequest"))}, ["items"]),
    "Stats": obj({
        "as_of": DATETIME, "residents": obj({"KZ": INTEGER, "UZ": INTEGER}, ["KZ", "UZ"]),
        "investment_committed_usd": STRING, "investment_realised_usd": STRING, "jobs_committed": INTEGER,
        "jobs_actual": INTEGER, "exports_usd": STRING, "cross_side_trade_usd": STRING,
        "median_days_to_decision": nullable(NUMBER), "median_days_to_certificate": nullable(NUMBER),
        "matchmaking": obj({"requests": INTEGER, "contacts": INTEGER, "contracts": INTEGER,
                            "contracts_usd": STRING}),
        "sites": obj({side: obj({"side": STRING, "sites": INTEGER, "leased_sites": INTEGER, "area_m2": STRING,
                                 "leased_area_m2": STRING, "leased_share": STRING},
                                ["side", "sites", "leased_sites", "area_m2", "leased_area_m2", "leased_share"])
                      for side in ("KZ", "UZ")}, ["KZ", "UZ"]),
        "by_side": {"type": "object"}},
        ["as_of", "residents", "investment_committed_usd", "investment_realised_usd", "jobs_committed",
         "jobs_actual", "cross_side_trade_usd", "median_days_to_decision"]),
}

# --- operations -----------------------------------------------------------------------------------

ERROR_TEXT = {
    400: "Malformed request (not JSON, not an object, bad cursor).",
    401: "No token, or an expired or revoked one.",
    403: "The caller's role may not do this.",
    404: "Not found (also for objects the caller may not know exist).",
    409: "State conflict, or a stale `version` (the details say who changed what).",
    413: "Too large.",
    422: "Invalid values: `error.fields` names each one.",
    429: "Throttled.",
    503: "Something zone needs is not there at the moment (the zone's signing key, the file storage).",
}
JSON = "application/json"
DOWNLOAD_TEXT = ("The stored file, byte for byte, streamed by zone (there is no direct link to the storage). "
                 "Its SHA-256 is checked first: 409 `file_damaged` when the stored bytes are not the ones uploaded "
                 "(nothing is sent), 404 `file_missing` when the file is gone, 503 when the storage does not answer.")


def _json(schema: dict) -> dict:
    return {JSON: {"schema": schema}}


HTML_ERROR = {"text/html": {"schema": {"type": "string"}}}


def _responses(ok: int, body: dict | None, errors: tuple[int, ...], description: str = "Done.",
               html: bool = False) -> dict:
    responses: dict[str, Any] = {str(ok): {"description": description}}
    if body is not None:
        responses[str(ok)]["content"] = body
    error_body = HTML_ERROR if html else _json(ref("Error"))
    for status in errors:
        responses[str(status)] = {"description": ERROR_TEXT[status], "content": error_body}
    responses["default"] = {"description": "Any other error" + (", as a page." if html else ", in the same envelope."),
                            "content": error_body}
    return responses


def query(name: str, schema: dict, description: str = "", required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def path_param(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


PAGING = [query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, "Page size."),
          query("cursor", STRING, "Opaque cursor from `next_cursor`.")]
APP_ID = path_param("id", {"type": "integer", "minimum": 1})
SERIAL = path_param("serial", {"type": "string", "pattern": SERIAL_PATTERN})
AGREEMENT = path_param("number", {"type": "string", "pattern": AGREEMENT_PATTERN})
REPORT_ID = path_param("report_id", {"type": "integer", "minimum": 1})
CASE_ID = path_param("case_id", {"type": "integer", "minimum": 1})
SUBSCRIPTION_ID = path_param("subscription_id", {"type": "integer", "minimum": 1})
NEED_ID = path_param("need_id", {"type": "integer", "minimum": 1})
OFFER_ID = path_param("offer_id", {"type": "integer", "minimum": 1})
REQUEST_ID = path_param("request_id", {"type": "integer", "minimum": 1})
REQUEST_ACTIONS = ["accept", "decline", "withdraw", "record_meeting", "record_contract", "record_no_deal"]
DELIVERY_ID = path_param("delivery_id", {"type": "integer", "minimum": 1})
PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


def op(tag: str, summary: str, *, ok: int = 200, body: dict | None = None, errors: tuple[int, ...] = (),
       request: dict | None = None, params: list | None = None, public: bool = False,
       roles: str | None = None, description: str | None = None, html: bool = False) -> dict:
    auth_errors = () if public else (401, 403)
    operation: dict[str, Any] = {
        "tags": [tag], "summary": summary,
        "responses": _responses(ok, body, tuple(sorted({*auth_errors, *errors})), html=html),
    }
    if description or roles:
        operation["description"] = " ".join(filter(None, [description, f"Roles: {roles}." if roles else None]))
    if params:
        operation["parameters"] = params
    if request is not None:
        operation["requestBody"] = {"required": True, "content": request}
    if public:
        operation["security"] = []
    return operation


REISSUE_FLOW = (
    "Four eyes: one approver or admin proposes a reissue (`reason`, optional `basis` and `benefits`) and gets "
    "202 with the pending proposal; nothing is signed. Another approver or admin then calls the same endpoint "
    "with `{\"proposal\": id, \"decision\": \"confirm\"}` and gets 201 with the new certificate (the old "
    "one becomes superseded), or `\"decline\"` and gets 200. The proposer cannot confirm (403 `four_eyes`) and "
    "may only decline, which withdraws the proposal. The benefits always come from a stored evaluation (the "
    "decision's, or for `basis: amendment` a new one under the rules in force), narrowed only as an approval "
    "may narrow them: an unknown code, a period the rules do not give, a longer period, a higher reduction or a "
    "name or reference in the request is refused with 422 and nothing is proposed. A second proposal while one "
    "is pending, or a confirmation after the certificate's status changed, is refused with 409. Staff see the "
    "pending proposal as `reissue_proposal` in `GET /api/v1/certificates/{serial}`; the audit entry "
    "`certificate.reissue` records the benefits and validity actually signed, who proposed and who confirmed."
)


def _reissue_operation() -> dict:
    operation = op("certificates", "Propose a reissue after an amendment, or confirm or decline a proposal",
                   ok=201, body=_json({"allOf": [ref("Certificate"), obj({"proposal": ref("ReissueProposal")})]}),
                   request=_json(ref("Reissue")), errors=(400, 404, 409, 422), roles="admin, approver",
                   description=REISSUE_FLOW)
    operation["responses"]["201"]["description"] = "Confirmed by a second person: the new certificate, signed."
    operation["responses"]["202"] = {"description": "Proposed: nothing is signed until another person confirms.",
                                     "content": _json(ref("ReissueProposalAnswer"))}
    operation["responses"]["200"] = {"description": "Declined (or withdrawn by its proposer): nothing is signed.",
                                     "content": _json(ref("ReissueProposalAnswer"))}
    return operation


def _metrics_operation() -> dict:
    operation = op("meta", "Prometheus metrics", errors=(404,), public=True, html=True, description=(
        "For the metrics scraper only: served to a request bearing `METRICS_TOKEN` (`Authorization: Bearer …`) "
        "or coming from an address of `METRICS_ALLOW`; everyone else, users of every role included, gets 404. "
        "Request counts and latencies by url rule and status, the worker's heartbeat age and backlogs."))
    operation["security"] = [{"metricsToken": []}, {}]
    operation["responses"]["200"] = {"description": "The Prometheus text format.",
                                     "content": {"text/plain": {"schema": {"type": "string"}}}}
    return operation


def _paths() -> dict:
    staff = "reviewer, approver, admin"
    readers = "reviewer, approver, admin, auditor"
    return {
        "/healthz": {"get": op("meta", "Health check", body=_json(ref("Health")), public=True,
                               description="503 when the database is unreachable.")},
        "/metrics": {"get": _metrics_operation()},
        "/api/v1/openapi.json": {"get": op("meta", "This document", body=_json({"type": "object"}), public=True)},
        "/api/v1/tokens": {"post": op(
            "accounts", "Issue an API token", ok=201, body=_json(ref("Token")), request=_json(ref("TokenRequest")),
            errors=(400, 401, 422, 429), public=True)},
        "/api/v1/tokens/current": {"delete": op("accounts", "Revoke the token of this request", ok=204, errors=())},
        "/api/v1/register": {
            "post": op("accounts", "Register a company and its first user", ok=201, body=_json(ref("Registration")),
                       request=_json(ref("RegistrationRequest")), errors=(400, 409, 422, 429), public=True),
            "get": op("public", "Public register of residents with an active certificate",
                      body=_json(ref("PublicRegister")), params=PAGING, errors=(400, 422), public=True),
        },
        "/api/v1/eligibility/check": {"post": op(
            "eligibility", "Which benefits would these facts get", body=_json(ref("Eligibility")),
            request=_json(ref("EligibilityFacts")), errors=(400, 422), public=True,
            description="Benefits of the other side are not listed; an ineligible benefit has no periods.")},
        "/api/v1/rule-sets": {"get": op("eligibility", "Rule-set versions and their effective dates",
                                        body=_json(ref("RuleSetList")), public=True)},
        "/api/v1/rule-sets/{version}": {"get": op(
            "eligibility", "One rule set", body=_json(ref("RuleSet")), errors=(404,), public=True,
            params=[path_param("version", STRING)])},
        "/api/v1/oked": {"get": op(
            "eligibility", "Search the OKED catalogue (code prefix or words)", body=_json(ref("OkedList")),
            public=True, params=[query("q", STRING, "A code prefix such as `25.1` or words.")])},
        "/api/v1/applications": {
            "post": op("applications", "Create a draft", ok=201, body=_json(ref("Application")),
                       request=_json(ref("ApplicationInput")), errors=(400, 422), roles="applicant"),
            "get": op("applications", "List applications", body=_json(ref("ApplicationList")), errors=(400, 422),
                      params=[query("status", {"type": "string", "enum": STATUSES}), *PAGING],
                      description="An applicant sees its company's; staff and auditors see all."),
        },
        "/api/v1/applications/{id}": {
            "parameters": [APP_ID],
            "get": op("applications", "One application", body=_json(ref("Application")), errors=(404,)),
            "patch": op("applications", "Change a draft or answer a request for information",
                        body=_json(ref("Application")), request=_json(ref("ApplicationInput")),
                        errors=(400, 404, 409, 422), roles="applicant (draft or info_requested)"),
        },
        "/api/v1/applications/{id}/documents": {"parameters": [APP_ID], "post": op(
            "applications", "Upload a document", ok=201, body=_json(ref("Document")),
            request={"multipart/form-data": {"schema": ref("DocumentUpload")}},
            errors=(400, 404, 409, 413, 422, 503),
            roles="applicant")},
        "/api/v1/applications/{id}/documents/{doc_id}": {"parameters": [
            APP_ID, path_param("doc_id", {"type": "integer", "minimum": 1})], "get": op(
            "applications", "Download a document", errors=(404, 409, 503), description=DOWNLOAD_TEXT,
            body={"application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                  "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                  "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                  "image/png": {"schema": {"type": "string", "format": "binary"}}})},
        "/api/v1/applications/{id}/submit": {"parameters": [APP_ID], "post": op(
            "applications", "Submit", body=_json(ref("Application")), errors=(404, 409, 422), roles="applicant",
            description="422 names every missing or invalid field and every missing document (`documents.<kind>`).")},
        "/api/v1/applications/{id}/withdraw": {"parameters": [APP_ID], "post": op(
            "applications", "Withdraw", body=_json(ref("Application")), errors=(404, 409), roles="applicant")},
        "/api/v1/applications/{id}/resubmit": {"parameters": [APP_ID], "post": op(
            "applications", "Send the answer to a request for information", body=_json(ref("Application")),
            errors=(404, 409, 422), roles="applicant")},
        "/api/v1/applications/{id}/actions": {"parameters": [APP_ID], "post": op(
            "review", "A staff action", body=_json(ref("ActionResult")), request=_json(ref("StaffAction")),
            errors=(400, 404, 409, 422), roles=staff,
            description="A stale `version` gives 409; `approve` issues the certificate (`certificate.serial`) "
                        "and makes the activity agreement (`agreement.number`).")},
        "/api/v1/applications/{id}/history": {"parameters": [APP_ID], "get": op(
            "applications", "Every transition: actor, time, from, to, comment", body=_json(ref("History")),
            errors=(404,))},
        "/api/v1/certificates": {"get": op(
            "certificates", "List certificates", body=_json(ref("CertificateList")), errors=(400, 422), roles=readers,
            params=[query("status", {"type": "string", "enum": CERTIFICATE_STATUSES}),
                    query("side", {"type": "string", "enum": SIDES}), query("issued_from", DATE),
                    query("issued_to", DATE), *PAGING])},
        "/api/v1/certificates/export.csv": {"get": op(
            "certificates", "Export as CSV", roles=readers,
            body={"text/csv": {"schema": {"type": "string"}}})},
        "/api/v1/certificates/export.xlsx": {"get": op(
            "certificates", "Export as XLSX", roles=readers,
            body={"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                  {"schema": {"type": "string", "format": "binary"}}})},
        "/api/v1/certificates/archive.zip": {"get": op(
            "certificates", "The PDFs plus a manifest of serial, status, sha256", roles=readers,
            body={"application/zip": {"schema": {"type": "string", "format": "binary"}}})},
        "/api/v1/certificates/{serial}": {"parameters": [SERIAL], "get": op(
            "certificates", "One certificate", body=_json(ref("Certificate")), errors=(404,),
            roles=f"{readers}, the owning company")},
        "/api/v1/certificates/{serial}/pdf": {"parameters": [SERIAL], "get": op(
            "certificates", "The stored signed PDF, byte for byte", errors=(404,),
            body={"application/pdf": {"schema": {"type": "string", "format": "binary"}}})},
        **{f"/api/v1/certificates/{{serial}}/{verb}": {"parameters": [SERIAL], "post": op(
            "certificates", f"{verb.capitalize()} a certificate", body=_json(ref("Certificate")),
            request=_json(ref("Reason")), errors=(400, 404, 409, 422),
            roles="admin, or an approver deciding a proposal someone else made (compliance)")}
           for verb in ("suspend", "reinstate", "revoke")},
        "/api/v1/certificates/{serial}/history": {"parameters": [SERIAL], "get": op(
            "certificates", "Every status change: action, from, to, when, by whom, reason",
            body=_json(ref("CertificateHistory")), errors=(404,), roles=f"{readers}, the owning company")},
        "/api/v1/certificates/{serial}/reissue": {"parameters": [SERIAL], "post": _reissue_operation()},
        "/api/v1/sites": {
            "get": op("sites", "The centre's sites (public)", body=_json(ref("SiteList")), errors=(422,), public=True,
                      params=[query("side", {"type": "string", "enum": SIDES}),
                              query("status", {"type": "string", "enum": SITE_STATUSES})]),
            "post": op("sites", "Add a site to the inventory", ok=201, body=_json(ref("Site")),
                       request=_json(ref("SiteInput")), errors=(400, 422), roles="admin",
                       description="422 names each invalid field: a negative or non-finite number, an unknown side, "
                                   "kind or currency, an outline that crosses itself or overlaps another site's.")},
        "/api/v1/sites/{site_code}": {
            "parameters": [path_param("site_code", STRING)],
            "get": op("sites", "One site (public; an admin also sees its rent, outline and version)",
                      body=_json(ref("Site")), errors=(404,), public=True),
            "patch": op("sites", "Change a site (not its code; status only between free and reserved)",
                        body=_json(ref("Site")), request=_json(ref("SiteInput")), errors=(400, 404, 409, 422),
                        roles="admin")},
        "/api/v1/agreements": {"get": op(
            "agreements", "List activity agreements", body=_json(ref("AgreementList")), errors=(400, 422),
            params=[query("status", {"type": "string", "enum": AGREEMENT_STATUSES}),
                    query("side", {"type": "string", "enum": SIDES}), *PAGING],
            description="Staff and auditors see all; a company sees its own.")},
        "/api/v1/agreements/{number}": {"parameters": [AGREEMENT], "get": op(
            "agreements", "One activity agreement with its obligations, amendments and revisions",
            body=_json(ref("Agreement")), errors=(404,), roles=f"{readers}, the owning company")},
        "/api/v1/agreements/{number}/history": {"parameters": [AGREEMENT], "get": op(
            "agreements", "Every step: made, countersigned, amendments proposed and decided",
            body=_json(ref("AgreementHistory")), errors=(404,), roles=f"{readers}, the owning company")},
        "/api/v1/agreements/{number}/pdf": {"parameters": [AGREEMENT], "get": op(
            "agreements", "The current PDF (zone-signed; after countersigning, with both signatures), byte for "
            "byte; ETag is its SHA-256", errors=(404,), body=PDF)},
        "/api/v1/agreements/{number}/revisions/{revision}/pdf": {
            "parameters": [AGREEMENT, path_param("revision", {"type": "integer", "minimum": 1})], "get": op(
                "agreements", "One revision's PDF: zone-signed or concluded (default: the latest of the two)",
                errors=(404, 422), body=PDF,
                params=[query("stage", {"type": "string", "enum": ["zone", "concluded"]})])},
        "/api/v1/agreements/{number}/countersign": {"parameters": [AGREEMENT], "post": op(
            "agreements", "Countersign: upload the zone-signed PDF signed by the company", body=_json(ref("Agreement")),
            request={"multipart/form-data": {"schema": ref("Countersignature")}}, errors=(400, 404, 409, 413, 422),
            roles="applicant (the owning company)",
            description="422 `error.fields.file` says what failed: not a signature over the zone-signed revision, "
                        "the signature does not match the file, the content changed, the certificate was not valid "
                        "at signing time, the chain does not lead to a trusted company-signing CA, or the "
                        "certificate does not carry the company's tax id.")},
        "/api/v1/agreements/{number}/amendments": {"parameters": [AGREEMENT], "post": op(
            "agreements", "Propose an amendment (a supplementary agreement)", ok=201, body=_json(ref("Agreement")),
            request=_json(ref("AmendmentProposal")), errors=(400, 404, 409, 422), roles=staff,
            description="A stale `version` gives 409 naming who changed the agreement.")},
        **{f"/api/v1/agreements/{{number}}/amendments/{{amendment}}/{verb}": {
            "parameters": [AGREEMENT, path_param("amendment", {"type": "integer", "minimum": 1})], "post": op(
                "agreements", f"{verb.capitalize()} a proposed amendment (not by its proposer)",
                body=_json(ref("Agreement")), request=_json(ref(schema)), errors=(400, 403, 404, 409, 422, 503),
                roles="approver, admin")}
           for verb, schema in (("approve", "AmendmentApproval"), ("reject", "AmendmentRejection"))},
        "/api/v1/reports": {
            "post": op("reports", "Start a report (a draft) for a period of an agreement", ok=201,
                       body=_json(ref("Report")), request=_json(ref("ReportInput")), errors=(400, 409, 422),
                       roles="applicant (the owning company)",
                       description="A second report for the same agreement and period gives 409. A period runs "
                                   "from the quarter (year) of the decision to the current one."),
            "get": op("reports", "List reports (current versions)", body=_json(ref("ReportList")), errors=(400, 422),
                      params=[query("agreement", STRING), query("status", {"type": "string", "enum": REPORT_STATUSES}),
                              query("period", {"type": "string", "pattern": REPORT_PERIOD_PATTERN}), *PAGING],
                      description="A company sees its own; staff and auditors see all."),
        },
        "/api/v1/reports/{report_id}": {
            "parameters": [REPORT_ID],
            "get": op("reports", "One report", body=_json(ref("Report")), errors=(404,)),
            "patch": op("reports", "Change a draft or a returned report", body=_json(ref("Report")),
                        request=_json(ref("ReportChange")), errors=(400, 404, 409, 422), roles="applicant",
                        description="With the report's current `version`; a stale one gives 409."),
        },
        "/api/v1/reports/{report_id}/submit": {"parameters": [REPORT_ID], "post": op(
            "reports", "Submit", body=_json(ref("Report")), errors=(400, 404, 409, 422), roles="applicant",
            description="422 names every missing or invalid figure, `documents.audited_statements` for an annual "
                        "report without it, and `period` before the period has ended.")},
        "/api/v1/reports/{report_id}/resubmit": {"parameters": [REPORT_ID], "post": op(
            "reports", "Answer the zone's question and submit again", body=_json(ref("Report")),
            request=_json(ref("ReportAnswer")), errors=(400, 404, 409, 422), roles="applicant")},
        "/api/v1/reports/{report_id}/corrections": {"parameters": [REPORT_ID], "post": op(
            "reports", "Correct a submitted or accepted report: a new version; the old one stays", ok=201,
            body=_json(ref("Report")), request=_json(ref("ReportCorrection")), errors=(400, 404, 409, 422),
            roles="applicant")},
        "/api/v1/reports/{report_id}/return": {"parameters": [REPORT_ID], "post": op(
            "reports", "Return a submitted report to the company with a question", body=_json(ref("Report")),
            request=_json(ref("ReportQuestion")), errors=(400, 404, 409, 422), roles=staff)},
        "/api/v1/reports/{report_id}/accept": {"parameters": [REPORT_ID], "post": op(
            "reports", "Accept a submitted report", body=_json(ref("Report")),
            request=_json(ref("ReportAcceptance")), errors=(400, 404, 409, 422), roles=staff)},
        "/api/v1/reports/{report_id}/history": {"parameters": [REPORT_ID], "get": op(
            "reports", "Every step and every version of the report's period", body=_json(ref("ReportHistory")),
            errors=(404,))},
        "/api/v1/reports/{report_id}/documents": {"parameters": [REPORT_ID], "post": op(
            "reports", "Upload a document (`audited_statements` for the annual report)", ok=201,
            body=_json(ref("ReportDocument")), request={"multipart/form-data": {"schema": ref("ReportDocumentUpload")}},
            errors=(400, 404, 409, 413, 422, 503), roles="applicant",
            description="Checked by its content as application documents are (PDF, PNG or JPEG; a PDF must be "
                        "readable within safe limits).")},
        "/api/v1/certificates/{serial}/compliance": {"parameters": [SERIAL], "get": op(
            "compliance", "The resident's conditions, each explained, as of a date (a what-if: changes nothing)",
            body=_json(ref("Compliance")), errors=(404, 422), roles=f"{readers}, the owning company",
            params=[query("on_date", DATE, "Evaluate as of this date (default today).")])},
        "/api/v1/compliance": {"get": op(
            "compliance", "One row per resident with a live certificate, evaluated as of today",
            body=_json(ref("ComplianceList")), errors=(400, 422), roles=readers,
            params=[query("status", {"type": "string", "enum": ["compliant", "at_risk", "breach"]}), *PAGING],
            description="Filtered by `status`, a page may hold fewer rows than `limit`: follow `next_cursor`.")},
        "/api/v1/compliance/cases": {"get": op(
            "compliance", "The queue of compliance cases, newest first", body=_json(ref("ComplianceCaseList")),
            errors=(400, 422), roles=readers,
            params=[query("side", {"type": "string", "enum": SIDES}), query("condition", STRING),
                    query("stage", STRING, "A stage, `open` (default) or `all`."), *PAGING])},
        "/api/v1/compliance/cases/export.csv": {"get": op(
            "compliance", "Every compliance case as CSV (auditors' export)", roles=readers, errors=(422,),
            body={"text/csv": {"schema": {"type": "string"}}},
            params=[query("side", {"type": "string", "enum": SIDES}), query("condition", STRING),
                    query("stage", STRING, "A stage, `open` or `all` (default).")])},
        "/api/v1/compliance/cases/{case_id}": {"parameters": [CASE_ID], "get": op(
            "compliance", "One compliance case with its finding and letters", body=_json(ref("ComplianceCase")),
            errors=(404,), roles=f"{readers}, the owning company")},
        "/api/v1/compliance/cases/{case_id}/propose": {"parameters": [CASE_ID], "post": op(
            "compliance", "Prepare the suspension or revocation the case is due for",
            body=_json(ref("ComplianceCase")), request=_json(ref("ComplianceReason")), errors=(400, 404, 409, 422),
            roles="reviewer, approver, admin",
            description="A second person decides it with `POST /api/v1/certificates/{serial}/suspend` or `revoke`.")},
        "/api/v1/compliance/cases/{case_id}/decline": {"parameters": [CASE_ID], "post": op(
            "compliance", "Decline the proposed suspension or revocation (a second person)",
            body=_json(ref("ComplianceCase")), request=_json(ref("ComplianceReason")), errors=(400, 404, 409, 422),
            roles="approver, admin (not the proposer)")},
        "/api/v1/reports/{report_id}/documents/{file_id}": {
            "parameters": [REPORT_ID, path_param("file_id", {"type": "integer", "minimum": 1})], "get": op(
                "reports", "Download a report's document", errors=(404, 409, 503), description=DOWNLOAD_TEXT,
                body={"application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                      "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                      "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                      "image/png": {"schema": {"type": "string", "format": "binary"}}})},
        "/verify/{token}": {"get": op(
            "public", "Verification page (HTML) opened from the QR code", public=True, errors=(404,), html=True,
            params=[path_param("token", STRING)], body={"text/html": {"schema": {"type": "string"}}})},
        "/api/v1/verify/{token}": {"get": op(
            "public", "Verify by the QR token", body=_json(ref("Verification")), errors=(404, 429), public=True,
            params=[path_param("token", STRING)])},
        "/api/v1/verify": {"get": op(
            "public", "Verify by serial and tax id (both must match)", body=_json(ref("Verification")),
            errors=(404, 422, 429), public=True,
            params=[query("serial", STRING, required=True), query("tax_id", STRING, required=True)])},
        "/api/v1/verify/upload": {"post": op(
            "public", "Check an uploaded certificate file: an unaltered original issued here?",
            body=_json(ref("UploadVerdict")), errors=(400, 413, 422, 429), public=True,
            request={"multipart/form-data": {"schema": obj({"file": {
                "type": "string", "contentMediaType": "application/pdf"}}, ["file"], closed=True)}},
            description="The twin of the upload page. `verdict`: `original` (byte for byte a certificate issued "
                        "here, signature intact), `changed_after_signing` (signed, then altered: do not rely "
                        "on it), `unconfirmed`, `not_on_record` or `not_original`; `message` says it in the "
                        "caller's language. The file is not stored.")},
        "/api/v1/subscriptions": {
            "post": op("notices", "Subscribe a receiver of the authorities to notices", ok=201,
                       body=_json(ref("Subscription")), request=_json(ref("SubscriptionRequest")),
                       errors=(400, 422), roles="admin",
                       description="The URL is refused (422) if it resolves to a loopback, private or link-local "
                                   "address that is not allow-listed. The answer carries the signing secret, once."),
            "get": op("notices", "The subscriptions", body=_json(ref("SubscriptionList")), roles="admin")},
        "/api/v1/subscriptions/{subscription_id}": {"parameters": [SUBSCRIPTION_ID], "delete": op(
            "notices", "Stop delivering to a receiver (its log is kept)", ok=204, errors=(404,), roles="admin")},
        "/api/v1/subscriptions/{subscription_id}/deliveries": {"parameters": [SUBSCRIPTION_ID], "get": op(
            "notices", "The delivery log: attempts with status code and time, the next retry",
            body=_json(ref("DeliveryList")), errors=(404, 422), roles="admin", params=PAGING)},
        "/api/v1/subscriptions/{subscription_id}/deliveries/{delivery_id}/replay": {
            "parameters": [SUBSCRIPTION_ID, DELIVERY_ID], "post": op(
                "notices", "Send a delivery again with its original webhook-id", ok=202,
                body=_json(ref("Delivery")), errors=(404,), roles="admin")},
        "/api/v1/events": {"get": op(
            "notices", "The events for the authorities, oldest first, gap-free", body=_json(ref("EventList")),
            errors=(422,), roles="auditor, admin (both sides), authority (its own side's events only)",
            params=[query("after", STRING, "An event id; the items after it."),
                    query("type", {"type": "string", "enum": EVENT_TYPES}),
                    query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, "Page size.")],
            description="`next_cursor` is the last item's id (pass it as `after`), null when the page is empty.")},
        "/api/v1/notices/eaeu-register.csv": {"get": op(
            "notices", "The KZ residents as of a date in the fields of the EAEU common register (CSV)",
            roles=readers, errors=(422,), body={"text/csv": {"schema": {"type": "string"}}},
            params=[query("date", DATE, "As of this date (default today).")],
            description="Columns: name, bin, zone, agreement_number, agreement_date, activity, included_on, "
                        "excluded_on, exclusion_ground. Streamed; every download is audited.")},
        "/api/v1/notices/eaeu-register.xlsx": {"get": op(
            "notices", "The same extract as an XLSX workbook", roles=readers, errors=(422,),
            body={"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}}},
            params=[query("date", DATE, "As of this date (default today).")])},
        "/api/v1/cooperation/hs": {"get": op(
            "cooperation", "Search the HS 2022 nomenclature (6-digit subheadings) by code prefix or words",
            body=_json(ref("HsList")), errors=(422,), public=True,
            params=[query("q", STRING, "The first digits of a code, or words of its name."),
                    query("limit", {"type": "integer", "minimum": 1, "maximum": 50, "default": 20})])},
        "/api/v1/cooperation/needs": {
            "get": op("cooperation", "The company's own needs (staff: a company's, with `company_id`)",
                      body=_json(ref("NeedList")), roles=f"applicant, {readers}",
                      params=[query("company_id", INTEGER, "Staff and auditors: whose needs.")]),
            "post": op("cooperation", "Publish a need (an input the resident buys)", ok=201, body=_json(ref("Need")),
                       request=_json(ref("NeedIn")), errors=(400, 409, 422), roles="applicant of a resident",
                       description="403 `not_resident` for a company without a live certificate.")},
        "/api/v1/cooperation/needs/{need_id}": {
            "parameters": [NEED_ID],
            "put": op("cooperation", "Change a need", body=_json(ref("Need")), request=_json(ref("NeedIn")),
                      errors=(400, 404, 422), roles="applicant (its company's)"),
            "delete": op("cooperation", "Stop publishing a need", ok=204, errors=(404,),
                         roles="applicant (its company's)")},
        "/api/v1/cooperation/offers": {
            "get": op("cooperation", "The company's own offers: its products (staff: a company's, with `company_id`)",
                      body=_json(ref("OfferList")), roles=f"applicant, {readers}",
                      params=[query("company_id", INTEGER, "Staff and auditors: whose offers.")]),
            "post": op("cooperation", "Offer another product", ok=201, body=_json(ref("Offer")),
                       request=_json(ref("OfferIn")), errors=(400, 409, 422), roles="applicant of a resident",
                       description="The products of the application are offered at admission.")},
        "/api/v1/cooperation/offers/{offer_id}": {
            "parameters": [OFFER_ID],
            "put": op("cooperation", "Change an offer", body=_json(ref("Offer")), request=_json(ref("OfferIn")),
                      errors=(400, 404, 422), roles="applicant (its company's)"),
            "delete": op("cooperation", "Stop offering a product", ok=204, errors=(404,),
                         roles="applicant (its company's)")},
        "/api/v1/cooperation/matches": {"get": op(
            "cooperation", "Partners of the other side for the company's needs and products, best first",
            body=_json(ref("MatchList")), errors=(422,), roles="applicant",
            params=[query("direction", {"type": "string", "enum": ["buy", "sell"]}),
                    query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50})],
            description="Exact subheading (6 digits) first, then the heading (4), then the chapter (2), weighted by "
                        "how much of the yearly volume the capacity covers; each match explained. A partner's need "
                        "shows its code and volume only.")},
        "/api/v1/cooperation/requests": {
            "get": op("cooperation", "The company's contact requests, sent and received (staff: all)",
                      body=_json(ref("ContactRequestList")), errors=(422,), roles=f"applicant, {readers}",
                      params=[query("state", STRING), query("limit", {"type": "integer", "minimum": 1,
                                                                      "maximum": 500})]),
            "post": op("cooperation", "Write to the resident on the other side of a match (mailed to it)", ok=201,
                       body=_json(ref("ContactRequest")), request=_json(ref("ContactRequestIn")),
                       errors=(400, 409, 422), roles="applicant of a resident")},
        "/api/v1/cooperation/requests/{request_id}": {"parameters": [REQUEST_ID], "get": op(
            "cooperation", "One contact request", body=_json(ref("ContactRequest")), errors=(404,),
            roles=f"the two companies, {readers}")},
        "/api/v1/cooperation/requests/{request_id}/{action}": {
            "parameters": [REQUEST_ID, path_param("action", {"type": "string", "enum": REQUEST_ACTIONS})],
            "post": op("cooperation", "Answer a request, or record what came of it", body=_json(ref("ContactRequest")),
                       request=_json(ref("ContactRequestAction")), errors=(400, 404, 409, 422),
                       roles="the recipient (accept, decline), the sender (withdraw), either once accepted "
                             "(record_meeting, record_contract with `annual_volume` and `unit`, record_no_deal)")},
        "/api/v1/stats": {"get": op(
            "figures", "The zone's headline figures (no more than an hour old)", body=_json(ref("Stats")),
            public=True, description="Definitions: the data dictionary at `/open-data`.")},
        "/api/v1/audit/events": {"get": op(
            "audit", "Audit events", body=_json(ref("AuditEventList")), errors=(400, 422), roles="auditor, admin",
            params=[query("action", STRING), query("since", DATETIME), *PAGING])},
        "/api/v1/audit/verify": {
            "get": op("audit", "Check the hash chain", body=_json(ref("AuditVerification")), roles="auditor, admin"),
            "post": op("audit", "Check the hash chain and a kept anchor (JSON, or multipart file `anchor`)",
                       body=_json(ref("AuditVerification")), errors=(400, 422), roles="auditor, admin",
                       request={JSON: {"schema": {"type": "object"}},
                                "multipart/form-data": {"schema": obj({"anchor": {
                                    **BINARY_FILE, "contentMediaType": "application/json"}}, ["anchor"])}}),
        },
        "/api/v1/audit/anchor": {"get": op(
            "audit", "The current chain head, signed", body=_json(ref("AuditAnchor")), errors=(503,),
            roles="auditor, admin")},
    }


@cache
def _document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ICIC “Central Asia” resident management: JSON API",
            "version": "1",
            "description": "Residency applications, review, certificates, activity agreements, reports, public "
                           "verification and audit. "
                           "Errors: `{\"error\": {\"code\", \"message\", \"fields\"}}`. Lists: `?limit=` (1–200, "
                           "default 50) and an opaque `?cursor=`; money and percentages are strings.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": t} for t in ("meta", "accounts", "eligibility", "applications", "review",
                                       "certificates", "agreements", "reports", "compliance", "notices", "sites",
                                       "cooperation", "figures", "public", "audit")],
        "paths": _paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "`POST /api/v1/tokens` with email and password gives a token."},
                "metricsToken": {"type": "http", "scheme": "bearer",
                                 "description": "`METRICS_TOKEN` of the deployment (`/metrics` only)."}},
            "schemas": SCHEMAS,
        },
    }


def openapi_document() -> dict:
    """The OpenAPI 3.1 document of the JSON API (a fresh copy: callers may change it)."""
    return deepcopy(_document())


def documented_operations() -> set[tuple[str, str]]:
    """``(METHOD, path template)`` of every documented operation, for the drift test."""
    methods = {"get", "post", "put", "patch", "delete"}
    return {(method.upper(), path) for path, item in _document()["paths"].items() for method in item
            if method in methods}
