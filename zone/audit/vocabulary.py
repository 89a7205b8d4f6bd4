"""The audit trail in words: a label for every action, object type and common detail that zone records.

The trail stores stable machine codes (``certificate.suspend``, ``compliance_case``); people read these
labels instead, auditors still see the code beside them. A code without a label (an entry older than a
renamed action) is shown humanized, never refused. ``tests/audit/test_vocabulary.py`` fails when code
records an action or object type that has no label here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zone.accounts.roles import role_label
from zone.vocabulary import SECTOR_LABELS, SIDE_SHORT_LABELS, country_name

_VALUE_LABELS = "zone_audit_value_labels"

# The trail's domains, in the order the action filter lists them: (code prefix, label).
ACTION_GROUPS = (
    ("auth", _l("Signing in")),
    ("access", _l("Access")),
    ("user", _l("User accounts")),
    ("api_token", _l("API tokens")),
    ("company", _l("Companies")),
    ("application", _l("Applications")),
    ("document", _l("Documents")),
    ("eligibility", _l("Eligibility")),
    ("rule_set", _l("Rule sets")),
    ("certificate", _l("Certificates")),
    ("agreement", _l("Agreements")),
    ("report", _l("Reports")),
    ("compliance", _l("Compliance")),
    ("site", _l("Sites")),
    ("cooperation", _l("Cooperation")),
    ("notices", _l("Notices")),
    ("rates", _l("Exchange rates")),
    ("calendar", _l("Working calendar")),
    ("register", _l("Registers")),
    ("audit", _l("Audit trail")),
)

ACTION_LABELS = {
    "auth.login": _l("Signed in"),
    "auth.logout": _l("Signed out"),
    "auth.session_end": _l("Session ended after inactivity"),
    "auth.login_failed": _l("Sign-in failed"),
    "auth.login_throttled": _l("Sign-in attempts limited"),
    "auth.register_throttled": _l("Registration attempts limited"),
    "auth.reset_throttled": _l("Password reset requests limited"),
    "access.denied": _l("Access refused"),
    "user.create": _l("User account created"),
    "user.enable": _l("User account enabled"),
    "user.disable": _l("User account disabled"),
    "user.role_change": _l("User role changed"),
    "user.password_change": _l("Password changed"),
    "user.password_reset_requested": _l("Password reset requested"),
    "user.password_reset": _l("Password reset"),
    "api_token.issue": _l("API token issued"),
    "api_token.revoke": _l("API token revoked"),
    "company.register": _l("Company registered"),
    "company.update": _l("Company details changed"),
    "company.invite": _l("Colleague invited"),
    "company.invitation_revoke": _l("Invitation revoked"),
    "company.invitation_accept": _l("Invitation accepted"),
    "company.claim_disputed": _l("Company claim disputed"),
    "company.claim_statement": _l("Claim statement submitted"),
    "company.claim_proven": _l("Company claim proven"),
    "company.claim_merge": _l("Company merged into another"),
    "company.claim_transfer": _l("Company records transferred"),
    "company.claim_disable": _l("Company disabled after a claim"),
    "application.create": _l("Application created"),
    "application.update": _l("Application changed"),
    "application.submit": _l("Application submitted"),
    "application.withdraw": _l("Application withdrawn"),
    "application.resubmit": _l("Application resubmitted"),
    "application.start_review": _l("Review started"),
    "application.request_info": _l("Information requested"),
    "application.recommend_approval": _l("Approval recommended"),
    "application.recommend_rejection": _l("Rejection recommended"),
    "application.approve": _l("Application approved"),
    "application.reject": _l("Application rejected"),
    "application.reassign": _l("Application reassigned"),
    "application.note": _l("Internal note added"),
    "application.message": _l("Message sent to the applicant"),
    "application.checklist": _l("Checklist updated"),
    "document.upload": _l("Document uploaded"),
    "document.download": _l("Document downloaded"),
    "document.view": _l("Document viewed"),
    "eligibility.snapshot": _l("Eligibility evaluation saved"),
    "rule_set.upload": _l("Rule set uploaded"),
    "rule_set.request_activation": _l("Rule set activation requested"),
    "rule_set.activate": _l("Rule set activated"),
    "rule_set.retire": _l("Rule set retired"),
    "certificate.issue": _l("Certificate issued"),
    "certificate.download": _l("Certificate downloaded"),
    "certificate.suspend": _l("Certificate suspended"),
    "certificate.reinstate": _l("Certificate reinstated"),
    "certificate.revoke": _l("Certificate revoked"),
    "certificate.expire": _l("Certificate expired"),
    "certificate.supersede": _l("Certificate replaced by a reissue"),
    "certificate.reissue": _l("Certificate reissued"),
    "certificate.reissue_proposed": _l("Reissue proposed"),
    "certificate.reissue_declined": _l("Reissue declined"),
    "certificate.reissue_withdrawn": _l("Reissue proposal withdrawn"),
    "certificate.suspend_proposed": _l("Suspension proposed"),
    "certificate.revoke_proposed": _l("Revocation proposed"),
    "certificate.reinstate_proposed": _l("Reinstatement proposed"),
    "certificate.sanction_confirmed": _l("Sanction proposal confirmed"),
    "certificate.sanction_declined": _l("Sanction proposal declined"),
    "certificate.sanction_withdrawn": _l("Sanction proposal withdrawn"),
    "agreement.create": _l("Agreement drawn up"),
    "agreement.countersign": _l("Agreement countersigned"),
    "agreement.terminate": _l("Agreement terminated"),
    "agreement.download": _l("Agreement downloaded"),
    "agreement.amendment.propose": _l("Amendment proposed"),
    "agreement.amendment.approve": _l("Amendment approved"),
    "agreement.amendment.reject": _l("Amendment rejected"),
    "agreement.demo_backdate": _l("Agreement dates moved back (demonstration data)"),
    "report.create": _l("Report drafted"),
    "report.update": _l("Report changed"),
    "report.submit": _l("Report submitted"),
    "report.return": _l("Report returned for correction"),
    "report.resubmit": _l("Report resubmitted"),
    "report.accept": _l("Report accepted"),
    "report.correct": _l("Report correction started"),
    "report.document_upload": _l("Report document uploaded"),
    "report.document_download": _l("Report document downloaded"),
    "report.reminder": _l("Report reminder sent"),
    "compliance.case_opened": _l("Compliance case opened"),
    "compliance.escalate": _l("Compliance case escalated"),
    "compliance.propose": _l("Sanction prepared"),
    "compliance.decided": _l("Sanction decided"),
    "compliance.declined": _l("Sanction not confirmed"),
    "compliance.cure": _l("Breach cured"),
    "compliance.end": _l("Compliance case closed"),
    "compliance.notice_warning": _l("Warning sent"),
    "compliance.notice_cured": _l("Notice of cure sent"),
    "compliance.notice_suspension_due": _l("Notice of due suspension sent"),
    "compliance.notice_revocation_due": _l("Notice of due revocation sent"),
    "compliance.notice_download": _l("Compliance notice downloaded"),
    "compliance.benefit_year_not_applicable": _l("Benefit year marked not applicable"),
    "site.create": _l("Site created"),
    "site.update": _l("Site changed"),
    "site.lease": _l("Site leased"),
    "site.lease_signed": _l("Lease signed"),
    "site.lease_download": _l("Lease downloaded"),
    "site.sign": _l("Lease signed"),
    "site.lapse": _l("Lease lapsed"),
    "site.release": _l("Lease released"),
    "cooperation.offers_published": _l("Offers published"),
    "cooperation.offer_add": _l("Offer added"),
    "cooperation.offer_update": _l("Offer changed"),
    "cooperation.offer_remove": _l("Offer removed"),
    "cooperation.need_add": _l("Need added"),
    "cooperation.need_update": _l("Need changed"),
    "cooperation.need_remove": _l("Need removed"),
    "cooperation.request_send": _l("Contact request sent"),
    "cooperation.request_accept": _l("Contact request accepted"),
    "cooperation.request_decline": _l("Contact request declined"),
    "cooperation.request_withdraw": _l("Contact request withdrawn"),
    "cooperation.request_record_meeting": _l("Meeting recorded"),
    "cooperation.request_record_contract": _l("Contract recorded"),
    "cooperation.request_record_no_deal": _l("Recorded without a deal"),
    "notices.subscription_create": _l("Subscription created"),
    "notices.subscription_delete": _l("Subscription deleted"),
    "notices.replay": _l("Deliveries replayed"),
    "notices.letter_signed": _l("Notice letter signed"),
    "notices.letter_sent": _l("Notice letter sent"),
    "notices.eaeu_extract": _l("EAEU register extract downloaded"),
    "rates.import": _l("Exchange rates imported"),
    "calendar.override_add": _l("Working calendar day changed"),
    "calendar.override_remove": _l("Working calendar change removed"),
    "register.export": _l("Certificate register exported"),
    "audit.export": _l("Audit trail exported"),
    "audit.verify": _l("Audit trail verified"),
    "audit.anchor": _l("Signed anchor issued"),
    "audit.chain_keyed": _l("Audit trail keyed"),
}

OBJECT_LABELS = {
    "users": _l("User"),
    "api_tokens": _l("API token"),
    "companies": _l("Company"),
    "company": _l("Company"),
    "invitation": _l("Invitation"),
    "claim_proof": _l("Claim proof"),
    "claim_resolution": _l("Claim resolution"),
    "application": _l("Application"),
    "document": _l("Document"),
    "checklist_item": _l("Checklist item"),
    "rule_set": _l("Rule set"),
    "eligibility_snapshot": _l("Eligibility evaluation"),
    "certificate": _l("Certificate"),
    "reissue_proposal": _l("Reissue proposal"),
    "sanction_proposal": _l("Sanction proposal"),
    "agreement": _l("Agreement"),
    "report": _l("Report"),
    "report_document": _l("Report document"),
    "compliance_case": _l("Compliance case"),
    "compliance_notice": _l("Compliance notice"),
    "site": _l("Site"),
    "lease": _l("Lease"),
    "cooperation_offer": _l("Cooperation offer"),
    "cooperation_need": _l("Cooperation need"),
    "cooperation_request": _l("Contact request"),
    "event": _l("Event"),
    "subscription": _l("Subscription"),
    "delivery": _l("Delivery"),
    "notice_letter": _l("Notice letter"),
    "exchange_rate": _l("Exchange rates"),
    "calendar_override": _l("Working calendar change"),
    "audit_trail": _l("Audit trail"),
    "certificate_register": _l("Certificate register"),
    "eaeu_register": _l("EAEU register"),
}

# The detail keys most entries carry; any other key is humanized.
DETAIL_LABELS = {
    "reason": _l("Reason"),
    "from": _l("From"),
    "to": _l("To"),
    "version": _l("Version"),
    "kind": _l("Kind"),
    "status": _l("Status"),
    "serial": _l("Serial"),
    "number": _l("Number"),
    "code": _l("Code"),
    "fields": _l("Fields"),
    "changes": _l("Changes"),
    "email": _l("Email"),
    "application_id": _l("Application"),
    "application": _l("Application"),
    "revision": _l("Revision"),
    "proposal": _l("Proposal"),
    "company_id": _l("Company"),
    "amendment": _l("Amendment"),
    "action": _l("Action"),
    "side": _l("Side"),
    "sector": _l("Sector"),
    "period": _l("Period"),
    "name": _l("Name"),
    "tax_id": _l("Tax id"),
    "source": _l("Source"),
    "role": _l("Role"),
    "lease": _l("Lease"),
    "filename": _l("File name"),
    "certificate": _l("Certificate"),
    "agreement": _l("Agreement"),
    "stage": _l("Stage"),
    "rule_set": _l("Rule set"),
    "registration_country": _l("Country of registration"),
    "format": _l("Format"),
    "filter": _l("Filters"),
    "rows": _l("Rows"),
    "event": _l("Event"),
    "condition": _l("Condition"),
    "text": _l("Text"),
    "comment": _l("Comment"),
    "size": _l("Size"),
    "site": _l("Site"),
    "signed_at": _l("Signed at"),
    "recipients": _l("Recipients"),
    "path": _l("Address"),
    "method": _l("Method"),
    "endpoint": _l("Page"),
    "date": _l("Date"),
    "day": _l("Day"),
    "year": _l("Year"),
    "due": _l("Due"),
    "cure_due": _l("Cure deadline"),
    "sha256": _l("SHA-256"),
    "limit": _l("Limit"),
    "ok": _l("Intact"),
    "length": _l("Entries"),
    "first_bad_seq": _l("First altered entry"),
    "problem": _l("Problem"),
    "head_hash": _l("Head hash"),
    "seq": _l("Entry"),
    "sent_to": _l("Sent to"),
    "hs_code": _l("HS code"),
    "basis": _l("Basis"),
    "notice": _l("Notice"),
    "case": _l("Case"),
    "case_id": _l("Case"),
    "resolution_id": _l("Resolution"),
    "retry_after": _l("Retry after (seconds)"),
}


def humanize(code: str | None) -> str:
    """A code nobody labelled, readable: ``certificate.reissue_proposed`` → "Certificate: reissue proposed"."""
    if not code:
        return "—"
    head, _sep, rest = str(code).partition(".")
    words = (rest or head).replace(".", " ").replace("_", " ").strip()
    if not rest:
        return words[:1].upper() + words[1:]
    return f"{head.replace('_', ' ')[:1].upper()}{head.replace('_', ' ')[1:]}: {words}"


def action_label(code: str | None) -> str:
    label = ACTION_LABELS.get(code or "")
    return str(label) if label is not None else humanize(code)


def object_label(code: str | None) -> str:
    label = OBJECT_LABELS.get(code or "")
    return str(label) if label is not None else humanize(code)


def detail_label(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else humanize(key)


def action_choices(extra: tuple[str | None, ...] = ()) -> list[tuple[str, list[tuple[str, str]]]]:
    """The action filter's options by domain: first "all of the domain" (``auth.*``), then each action
    by label. ``extra`` codes without a label (found in older entries, or the value a link names, like a
    prefix ``test.``) come last under "Other", so the menu always shows what filters the page."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for prefix, label in ACTION_GROUPS:
        codes = sorted((c for c in ACTION_LABELS if c.split(".", 1)[0] == prefix), key=action_label)
        options = [(f"{prefix}.*", _("All: %(group)s", group=label))] + [(c, action_label(c)) for c in codes]
        groups.append((str(label), options))
    listed = {value for _label, options in groups for value, _text in options}
    others = sorted({c.strip() for c in extra if c and c.strip()} - listed)
    if others:
        groups.append((_("Other"), [(c, humanize(c.rstrip("*"))) for c in others]))
    return groups


def object_choices(extra: tuple[str | None, ...] = ()) -> list[tuple[str, str]]:
    """The object type filter's options by label (two codes may share one: each keeps its option, the
    code in its title), then ``extra`` codes without a label."""
    labelled = sorted(((code, object_label(code)) for code in OBJECT_LABELS), key=lambda item: (item[1], item[0]))
    others = sorted({c.strip() for c in extra if c and c.strip()} - set(OBJECT_LABELS))
    return labelled + [(c, humanize(c)) for c in others]


def _looks_like_moment(text: str) -> datetime | date | None:
    if len(text) == 10 and text[4:5] == "-" and text[7:8] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    if len(text) >= 19 and text[4:5] == "-" and text[10:11] == "T":
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def register_value_labels(app: Flask, prefix: str, keys: Iterable[str], labels: Mapping[Any, Any]) -> None:
    """Words for the codes a domain records as the values of ``keys`` (``from``, ``to``, ``status``) in the
    details of its actions (``prefix.*``). Called by the domain at app creation (its ``hooks.init_app``): the
    trail sits below the domains and imports none of them."""
    words = {str(code): label for code, label in labels.items()}
    app.extensions.setdefault(_VALUE_LABELS, {}).setdefault(prefix, {}).update(dict.fromkeys(keys, words))


def _coded(value: str, key: str | None, action: str | None) -> str | None:
    """The word for a code the details hold, when one is known."""
    if key == "sector":
        label = SECTOR_LABELS.get(value)
    elif key == "side":
        label = SIDE_SHORT_LABELS.get(value)
    elif key == "registration_country":
        from flask_babel import get_locale

        return country_name(value, str(get_locale() or "en")) or None
    elif key == "role" or (action == "user.role_change" and key in ("from", "to")):
        label = role_label(value)
    else:
        prefix = (action or "").split(".", 1)[0]
        registered = current_app.extensions.get(_VALUE_LABELS, {}) if has_app_context() else {}
        label = registered.get(prefix, {}).get(key or "", {}).get(value)
    return None if label is None else str(label)


def detail_value(value: Any, key: str | None = None, action: str | None = None) -> str:
    """One detail's value for people: dates and times in the locale's format, yes/no, lists joined,
    nested objects as "label: value" pairs, known codes (sectors, sides, roles, statuses) as words;
    anything else as recorded."""
    from zone.web.formatting import fmt_date, fmt_datetime

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, tuple)):
        return ", ".join(detail_value(v, key, action) for v in value) if value else "—"
    if isinstance(value, dict):
        return "; ".join(f"{detail_label(str(k))}: {detail_value(v, str(k), action)}"
                         for k, v in value.items()) or "—"
    if isinstance(value, str):
        word = _coded(value, key, action)
        if word is not None:
            return word
        moment = _looks_like_moment(value)
        if isinstance(moment, datetime):
            return fmt_datetime(moment)
        if isinstance(moment, date):
            return fmt_date(moment)
        return value
    return str(value)


def detail_lines(details: dict | None, action: str | None = None) -> list[tuple[str, str, str]]:
    """Each detail of an entry of ``action`` as (key, label, value for people), in the recorded order."""
    return [(str(k), detail_label(str(k)), detail_value(v, str(k), action)) for k, v in (details or {}).items()]
