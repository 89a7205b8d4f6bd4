"""The main menu (which pages each role sees; entries whose endpoint does not exist are hidden) and where each
role lands after signing in: where its daily work is."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from zone.accounts.roles import Role

A, R, P, U, D = Role.APPLICANT, Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMIN
AUTH = Role.AUTHORITY
ANONYMOUS = "anonymous"

# (endpoint, label, who sees it)
MENU = [
    ("applications.dashboard", _l("My applications"), {A}),
    ("companies.profile", _l("Company"), {A}),
    ("certificates.mine", _l("Certificates"), {A}),
    ("agreements.mine", _l("Agreements"), {A}),
    ("reports.mine", _l("Reports"), {A}),
    ("cooperation.index", _l("Cooperation"), {A}),
    ("review.queue", _l("Review queue"), {R, P, D, U}),
    ("review.dashboard", _l("Dashboard"), {R, P, D, U}),
    ("certificates.staff_list", _l("Certificates"), {R, P, D, U}),
    ("agreements.staff_list", _l("Agreements"), {R, P, D, U}),
    ("reports.queue", _l("Reports"), {R, P, D, U}),
    ("compliance.queue", _l("Compliance"), {R, P, D, U}),
    ("registers.certificates", _l("Certificate register"), {R, P, D, U}),
    ("notices.index", _l("Notices to authorities"), {R, P, D, U}),
    ("cooperation.index", _l("Cooperation"), {R, P, D, U}),
    ("audit.events", _l("Audit trail"), {U, D}),
    ("eligibility.admin_rulesets", _l("Rule sets"), {D, U}),
    ("accounts.users", _l("Staff"), {D}),
    ("calendar.index", _l("Working calendar"), {D}),
    ("companies.disputes", _l("Tax id claims"), {D}),
    ("eligibility.check", _l("Benefits check"), {ANONYMOUS, A}),
    ("certificates.public_register", _l("Register of residents"), {ANONYMOUS, A, R, P, U, D}),
    ("sites.plan", _l("Site plan"), {ANONYMOUS, A, R, P, U, D}),
    ("certificates.verify_lookup", _l("Verify a certificate"), {ANONYMOUS}),
    ("figures.public", _l("Zone figures"), {ANONYMOUS, A, R, P, U, D}),
]


def menu_for(user, endpoint_exists) -> list[tuple[str, str]]:
    who = user.role if user is not None and user.is_authenticated else ANONYMOUS
    return [(endpoint, label) for endpoint, label, roles in MENU if who in roles and endpoint_exists(endpoint)]


# Where each role's work is: a company's applications and residency, the review queue, the decisions
# waiting for an approver, the registers for an auditor, the zone's dashboard for an admin, and for a tax or
# customs service its account page (which explains the events feed it reads through the API).
LANDING = {
    A: ("applications.dashboard", {}),
    R: ("review.queue", {}),
    P: ("review.queue", {"status": "recommended"}),
    U: ("registers.certificates", {}),
    D: ("review.dashboard", {}),
    AUTH: ("accounts.account", {}),
}


def home_for(user) -> str:
    """Where ``user`` lands after signing in (the home page for anyone else)."""
    endpoint, args = LANDING.get(getattr(user, "role", None), ("web.index", {}))
    return url_for(endpoint, **args)
