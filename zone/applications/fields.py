"""The application's fields: one declarative entry per field, from which everything else is derived.

An entry names the field, its section, its label and hint, when it is required and its kind
(:mod:`zone.applications.kinds`: how a value is read, checked, stored as JSON, shown, described in the
OpenAPI document and typed in the section form). The HTML section forms and the JSON API both pass raw input
through :func:`clean` (a draft may lack anything), and submission asks :func:`missing` for everything still
absent or inconsistent. Error keys are API field paths (``jobs_local``, ``products.0.hs_code``,
``capital_shares.KZ``); messages are lazy translations.

Adding a field: one entry in ``FIELDS`` (its column follows, see ``models.ApplicationFields``), a migration
and the translations of its label; see docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from zone.applications import kinds
from zone.applications import values as v
from zone.vocabulary import CURRENCIES, CURRENCY_LABELS, SECTOR_LABELS, SECTORS, SIDE_LABELS, SIDES
from zone.web.forms import REQUIRED

OPTIONAL_FOR_UZ = _l("Needed for the Kazakh part; optional for the Uzbek part.")


@dataclass(frozen=True)
class Field:
    """One fact of an application: its kind, how it is shown, which section holds it, when it is required.

    ``required``: ``always``, ``never``, ``kz`` (the Kazakh part only; optional, still checked, for the
    Uzbek part) or ``foreign`` (a company registered outside the country of its part; the page shows the
    field only then, and ``note_when_not_required`` otherwise). ``fixed_after_draft``: it cannot change once
    submitted. ``extra``: a template shown after the field on its section page (the OKED search).
    """

    name: str
    section: str
    kind: kinds.Kind
    label: Any
    hint: Any = None
    required: str = "always"
    placeholder: str | None = None
    fixed_after_draft: bool = False
    extra: str | None = None
    note_when_not_required: Any = None  # shown instead of a ``foreign`` field to a company that needs none

    def is_required(self, values: Mapping[str, Any], country: str | None) -> bool:
        side = values.get("side")
        if self.required == "kz":
            return side == "KZ"
        if self.required == "foreign":
            return bool(side) and bool(country) and country != side
        return self.required == "always"

    def hint_for(self, side: str | None) -> Any:
        """The hint on the section page: fields of one part say so on the other."""
        if self.required == "kz" and side != "KZ":
            return OPTIONAL_FOR_UZ
        return self.hint


PRODUCTS = kinds.Products(part_labels={
    "name": _l("Product name"),
    "hs_code": _l("HS code"),
    "annual_volume": _l("Annual volume"),
    "unit": _l("Unit"),
})
PRODUCT_PART_LABELS = PRODUCTS.part_labels

FIELDS: dict[str, Field] = {f.name: f for f in (
    Field("side", "project", kinds.Choice(choices=SIDES, labels=SIDE_LABELS, as_radio=True,
                                          message=_l("Choose the Kazakh (KZ) or the Uzbek (UZ) part.")),
          _l("Part of the centre"),
          _l("Each part works under its own country's law; apply to the part where you will produce."),
          fixed_after_draft=True),
    Field("project_title", "project", kinds.Text(max_length=300), _l("Project title"),
          _l("A short name, e.g. “Plant for drip irrigation systems”.")),
    Field("project_description", "project", kinds.Text(max_length=10000, multiline=True), _l("Project description"),
          _l("What you will produce, with which technology, for which markets. A few paragraphs are enough.")),
    Field("sector", "project", kinds.Choice(choices=SECTORS, labels=SECTOR_LABELS, upper=False, length=40,
                                            message=_l("Choose a sector from the list.")), _l("Sector")),
    Field("activity_codes", "project", kinds.Codes(), _l("OKED activity codes"),
          _l("Separate codes with commas, e.g. 22.21, 25.11. Only manufacturing (OKED section C, divisions "
             "10–33) qualifies for the benefits."), placeholder="22.21, 25.11",
          extra="applications/extras/oked_search.html"),
    Field("products", "products", PRODUCTS, _l("Planned products"),
          _l("At least one product. HS code: 6 to 10 digits of the customs commodity code, e.g. 8424 82.")),
    Field("investment_amount", "investment",
          kinds.Amount(currency_field="investment_currency",
                       range_message=_l("Enter an amount greater than 0 and at most 10¹⁵.")),
          _l("Total investment"), _l("The whole planned investment in the project, e.g. 2 500 000.")),
    Field("investment_currency", "investment", kinds.Choice(choices=CURRENCIES, labels=CURRENCY_LABELS,
                                                            message=_l("Choose USD, KZT or UZS.")),
          _l("Currency of the investment")),
    Field("own_funds_share", "investment", kinds.Percent(), _l("Own funds, percent of the investment"),
          _l("The rest is borrowed. E.g. 40 means own funds 40 per cent, loans 60 per cent.")),
    Field("capital_shares", "investment", kinds.Shares(), _l("Capital structure by country"),
          _l("Who owns the company's capital, by the owners' country; the shares must add up to 100 %.")),
    Field("jobs_total", "operations", kinds.Count(), _l("Jobs created, total"),
          _l("Permanent jobs when production runs.")),
    Field("jobs_local", "operations", kinds.Count(), _l("Of which local residents"),
          _l("Citizens of the country of this part of the centre; cannot exceed the total.")),
    Field("land_area_ha", "operations",
          kinds.Amount(high=Decimal(100), places=4, digits=12, unit=_l("ha"),
                       range_message=_l("Enter an area greater than 0 and at most 100 ha.")),
          _l("Land needed, hectares"), _l("E.g. 2.5. Each part of the centre is about 50 ha.")),
    Field("building_area_m2", "operations",
          kinds.Amount(high=Decimal(10_000_000), digits=14, unit=_l("m²"),
                       range_message=_l("Enter an area greater than 0 and at most 10 000 000 m².")),
          _l("Buildings needed, m² (optional)"), _l("Leave empty if you will not rent or build premises."),
          required="never"),
    Field("site_kind", "site",
          kinds.Choice(choices=("building", "plot"), labels={"building": _l("A ready production building"),
                                                             "plot": _l("A land plot to build on")},
                       upper=False, message=_l("Choose a building or a plot.")),
          _l("What you need (optional)"), _l("The zone leases ready production buildings and land plots."),
          required="never"),
    Field("site_area_m2", "site",
          kinds.Amount(high=Decimal(10_000_000), digits=14, unit=_l("m²"),
                       range_message=_l("Enter an area greater than 0 and at most 10 000 000 m².")),
          _l("Area of the site, m² (optional)"), _l("The floor area of the building or the area of the plot."),
          required="never"),
    Field("site_power_kw", "site",
          kinds.Amount(high=Decimal(1_000_000), digits=12, unit=_l("kW"), low_inclusive=True,
                       range_message=_l("Enter a power from 0 to 1 000 000 kW.")),
          _l("Electric power, kW (optional)"), _l("The connected load your production needs."), required="never"),
    Field("site_water_m3_day", "site",
          kinds.Amount(high=Decimal(1_000_000), digits=12, unit=_l("m³ a day"), low_inclusive=True,
                       range_message=_l("Enter from 0 to 1 000 000 m³ a day.")),
          _l("Water, m³ a day (optional)"), None, required="never"),
    Field("priority_income_share", "operations", kinds.Percent(), _l("Income from priority activities, %"),
          _l("Kazakh part: the share of income expected from the priority (manufacturing) activities; at least "
             "90 per cent is required for the benefits."), required="kz"),
    Field("has_branches_outside_zone", "operations", kinds.YesNo(),
          _l("Branches or representative offices outside the zone"),
          _l("Kazakh part: an SEZ participant may not have branches outside the zone."), required="kz"),
    Field("export_share", "operations", kinds.Percent(), _l("Planned export share, percent of sales"), _l("E.g. 30.")),
    Field("construction_start", "timeline", kinds.Day(), _l("Start of construction"), _l("For example 2026-09-01."),
          placeholder="2026-09-01"),
    Field("production_start", "timeline", kinds.Day(), _l("Start of production"),
          _l("Cannot be earlier than the start of construction."), placeholder="2027-06-01"),
    Field("foreign_documents_apostilled", "timeline", kinds.YesNo(as_checkbox=True),
          _l("Our foreign documents are apostilled"),
          _l("Your company is registered outside the country of this part of the centre: its documents must "
             "carry an apostille (or consular legalisation)."), required="foreign",
          note_when_not_required=_l("Your company is registered in the country of this part: no apostille is "
                                    "needed.")),
)}

# The company's profile (its own page) as part of the application: the pages ask for it before submission and
# reviewers see it missing; the API contract (shared/API.md) does not, so a submission through the API never
# fails for its absence. Error paths: ``company.<column>``.
COMPANY_SECTION = "company"
COMPANY_PROFILE = {
    "address": _l("Registered address"),
    "director_name": _l("Director (full name)"),
    "phone": _l("Phone"),
}

# Fields added after the API contract (shared/API.md), and the company's profile: a submission through the API
# never fails for their absence. The pages still ask for them.
ADDED_AFTER_CONTRACT = frozenset({"foreign_documents_apostilled", "site_kind", "site_area_m2", "site_power_kw",
                                  "site_water_m3_day", COMPANY_SECTION})


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    intro: Any = None

    @property
    def fields(self) -> list[Field]:
        return [f for f in FIELDS.values() if f.section == self.key]


SECTIONS: dict[str, Section] = {s.key: s for s in (
    Section("project", _l("Project"), _l("Where you apply and what the project is about.")),
    Section("products", _l("Products"), _l("What the plant will make, and how much a year.")),
    Section("investment", _l("Investment and capital"), _l("How much you invest, in which currency, and who owns "
                                                           "the company.")),
    Section("operations", _l("Jobs, site and activity"), _l("Jobs, the land and buildings you need, and your "
                                                            "income and sales.")),
    Section("timeline", _l("Timeline and declarations"), _l("When construction and production start.")),
    Section("site", _l("Site needs"), _l("The building or plot you would lease in the zone, and the utilities it "
                                         "needs. Reviewers match it with the free sites.")),
)}
DOCUMENTS_SECTION = "documents"


DOCUMENT_KINDS = ("charter", "registration_certificate", "director_id", "business_plan", "financial_statements",
                  "proof_of_funds", "other")
REQUIRED_DOCUMENTS = DOCUMENT_KINDS[:-1]
DOCUMENT_LABELS = {
    "charter": _l("Charter"),
    "registration_certificate": _l("Certificate of state registration"),
    "director_id": _l("Identity document of the director"),
    "business_plan": _l("Business plan or feasibility study"),
    "financial_statements": _l("Financial statements (for a company under a year old: opening balance)"),
    "proof_of_funds": _l("Proof of funds (bank letter, guarantee or pledge)"),
    "other": _l("Other documents (optional)"),
}
# The order of the company's checklist: its profile, the form's sections, its documents.
CHECKLIST_ORDER = (COMPANY_SECTION, *SECTIONS, DOCUMENTS_SECTION)


def section_of(path: str) -> str:
    """The section (or ``documents``) whose page holds the field at ``path``."""
    head = path.split(".", 1)[0]
    if head == "documents":
        return DOCUMENTS_SECTION
    if head == COMPANY_SECTION:
        return COMPANY_SECTION
    field = FIELDS.get(head)
    return field.section if field else "project"


def label_of(path: str) -> Any:
    """A readable name for an error path: the field's label, the product row, the document."""
    parts = path.split(".")
    if parts[0] == "documents" and len(parts) > 1:
        return DOCUMENT_LABELS.get(parts[1], parts[1])
    if parts[0] == COMPANY_SECTION and len(parts) > 1:
        return COMPANY_PROFILE.get(parts[1], parts[1])
    if parts[0] == "products" and len(parts) == 3 and parts[1].isdigit():
        return _l("Product %(n)s: %(part)s", n=int(parts[1]) + 1, part=PRODUCT_PART_LABELS.get(parts[2], parts[2]))
    if parts[0] == "capital_shares" and len(parts) == 3 and parts[1].isdigit():
        part = _l("country") if parts[2] == "country" else _l("share, %")
        return _l("Capital structure, row %(n)s: %(part)s", n=int(parts[1]) + 1, part=part)
    if parts[0] == "capital_shares" and len(parts) == 2:
        return _l("Capital structure: %(key)s", key=parts[1])
    field = FIELDS.get(parts[0])
    return field.label if field else path


def clean(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    """Validate the given fields (any subset; blank means "clear it"). Returns (values, errors).

    Unknown names are errors. Values are ready for the model: decimals, ints, dates, lists, dicts.
    """
    errors = v.Errors()
    values: dict[str, Any] = {}
    for name, raw in data.items():
        if name not in FIELDS:
            errors.add(str(name), _l("Unknown field."))
            continue
        if v.blank(raw) or (isinstance(raw, (list, tuple, dict)) and not raw):
            values[name] = None
            continue
        value = FIELDS[name].kind.clean(raw, name, errors)
        if name not in errors and not any(key.startswith(name + ".") for key in errors):
            values[name] = value
    return values, dict(errors)


def consistency(values: Mapping[str, Any]) -> dict[str, list]:
    """Rules between fields, on the application's values after a change (complete or not)."""
    errors = v.Errors()
    total, local = values.get("jobs_total"), values.get("jobs_local")
    if total is not None and local is not None and local > total:
        errors.add("jobs_local", _l("Local jobs (%(local)s) cannot exceed the total (%(total)s).",
                                    local=local, total=total))
    start, production = values.get("construction_start"), values.get("production_start")
    if start is not None and production is not None and production < start:
        errors.add("production_start", _l("Production cannot start before construction (%(date)s).",
                                          date=start.isoformat()))
    return dict(errors)


def missing(values: Mapping[str, Any], country: str | None, document_kinds: set[str],
            optional: Collection[str] = (), company=None) -> dict[str, list]:
    """Everything that stops submission: the company's profile (when ``company`` is given), required fields,
    incomplete product rows, inconsistent values, the apostille declaration and every required document kind
    not uploaded (``documents.<kind>``).

    A field in ``optional`` does not stop it by its absence (its value is still checked), as
    ``ADDED_AFTER_CONTRACT`` for submissions through the API; ``COMPANY_SECTION`` there leaves out the profile.
    """
    errors = v.Errors()
    if company is not None and COMPANY_SECTION not in optional:
        for path, messages in profile_gaps(company).items():
            for message in messages:
                errors.add(path, message)
    # Saved values passed these rules when they were saved; check again, as rules or data may have moved on.
    present = {name: value for name, value in values.items()
               if name in FIELDS and value is not None and value != [] and value != {}}
    for path, messages in clean(present)[1].items():
        for message in messages:
            errors.add(path, message)
    for field in FIELDS.values():
        if field.name in optional or not field.is_required(values, country):
            continue
        value = values.get(field.name)
        if value is None or value == [] or value == {}:
            errors.add(field.name, REQUIRED)
    for path in PRODUCTS.incomplete(values.get("products")):
        errors.add(f"products.{path}", REQUIRED)
    shares = values.get("capital_shares") or {}
    if shares and sum(Decimal(str(share)) for share in shares.values()) != 100:
        errors.add("capital_shares", _l("The shares must add up to 100 %."))
    apostille = FIELDS["foreign_documents_apostilled"]
    if apostille.is_required(values, country) and values.get(apostille.name) is False:
        errors.add("foreign_documents_apostilled",
                   _l("Foreign documents must be apostilled before you submit the application."))
    for path, messages in consistency(values).items():
        for message in messages:
            errors.add(path, message)
    for kind in REQUIRED_DOCUMENTS:
        if kind not in document_kinds:
            errors.add(f"documents.{kind}", _l("Upload this document."))
    return dict(errors)


def profile_gaps(company) -> dict[str, list]:
    """What the application asks of the company's profile and the profile lacks (``company.<column>``)."""
    return {f"{COMPANY_SECTION}.{name}": [REQUIRED] for name in COMPANY_PROFILE
            if not (getattr(company, name, None) or "").strip()}


def values_of(application) -> dict[str, Any]:
    """The application's current field values, by name."""
    return {name: getattr(application, name) for name in FIELDS}


def sections_with_problems(problems: Mapping[str, Any]) -> list[str]:
    """Section keys (in form order, documents last) that hold at least one of ``problems``."""
    keys = {section_of(path) for path in problems}
    return [key for key in CHECKLIST_ORDER if key in keys]
