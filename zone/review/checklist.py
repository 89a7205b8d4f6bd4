"""The review checklist: what a reviewer confirms before recommending a decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CHECKLIST_ITEMS = {
    "documents_complete": _l("All required documents are present, readable and current"),
    "tax_id_checked": _l("Tax id and registration checked against the state register"),
    "activity_codes_confirmed": _l("Activity codes (OKED) confirmed as manufacturing and not excluded"),
    "investment_confirmed": _l("Investment amount matches the business plan and the proof of funds"),
    "foreign_documents_checked": _l("Foreign documents are apostilled and translated (if any)"),
    "site_available": _l("A site of the requested size is available in the zone"),
}
