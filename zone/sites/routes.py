"""Site pages: the plan of each side (public: free sites; staff: every site and its holder), a site's page,
the administrators' inventory (create, edit, import) and the lease. Thin: parse → policy → service → render."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from zone.accounts.roles import Role
from zone.audit.services import record
from zone.database import writes
from zone.errors import ZoneError
from zone.extensions import db
from zone.sites import plan as site_plan
from zone.sites import policies, presenters, queries, services
from zone.sites.forms import NUMBER_FIELDS, ImportForm, SignLeaseForm, SiteForm
from zone.sites.models import SiteStatus
from zone.vocabulary import SIDES
from zone.web.access import AUTHENTICATED, PUBLIC, allow
from zone.web.forms import apply_service_errors

bp = Blueprint("sites", __name__)


@bp.context_processor
def _helpers():
    return {"site_status": presenters.status_label, "site_kind": presenters.kind_label,
            "lease_status": presenters.lease_label, "plan_colours": site_plan.COLOURS}


def _side() -> str:
    side = (request.args.get("side") or "KZ").upper()
    return side if side in SIDES else "KZ"


@bp.get("/sites")
@allow(PUBLIC)
def plan():
    side = _side()
    staff = policies.sees_holders(current_user)
    locale = str(get_locale() or "ru")
    prefix = url_for("sites.detail", site_code="X")[:-1]  # codes are URL-safe: one url_for for every link

    def draw() -> site_plan.Plan:
        rows = queries.plan_rows(side, None if staff else SiteStatus.FREE)
        return site_plan.build(side, rows, queries.holders(side) if staff else {}, href=lambda code: prefix + code,
                               kind_label=presenters.kind_label, status_label=presenters.status_label,
                               number=site_plan.number_formatter(locale), staff=staff)

    drawn = site_plan.plans(current_app).get((side, staff, locale, prefix), queries.plan_stamp(side), draw)
    return render_template("sites/plan.html", plan=drawn, side=side, staff=staff, sides=SIDES,
                           can_manage=policies.can_manage(current_user))


def _visible(site_code: str):
    site = queries.by_code(site_code)
    if site is None:
        abort(404)
    lease = queries.live_lease(site)
    if not policies.can_view(current_user, site, lease):
        abort(404)  # a site that is not free is not shown to those who may not know who holds it
    return site, lease


@bp.get("/sites/<site_code>")
@allow(PUBLIC)
def detail(site_code: str):
    site, lease = _visible(site_code)
    staff = policies.sees_holders(current_user)
    return render_template("sites/detail.html", site=site, lease=lease, staff=staff,
                           can_manage=policies.can_manage(current_user),
                           can_sign=lease is not None and policies.can_sign(current_user, lease)
                           and lease.status == "awaiting_signature",
                           sign_form=SignLeaseForm(formdata=None))


@bp.get("/sites/<site_code>/lease.pdf")
@allow(AUTHENTICATED)
@writes
def lease_pdf(site_code: str):
    site, lease = _visible(site_code)
    if lease is None or not policies.can_view_lease(current_user, lease):
        abort(404)
    record("site.lease_download", site, actor=current_user, details={"code": site.code, "lease": lease.id})
    db.session.commit()
    response = make_response(lease.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="lease-{site.code}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/sites/<site_code>/lease/sign")
@allow(Role.APPLICANT)
def sign(site_code: str):
    site, lease = _visible(site_code)
    form = SignLeaseForm()
    if lease is None or not form.validate_on_submit():
        db.session.rollback()
        abort(404 if lease is None else 400)
    try:
        services.sign_lease(lease, current_user)
    except ZoneError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("sites.detail", site_code=site.code))
    db.session.commit()
    flash(_("The lease of site %(code)s is signed.", code=site.code), "success")
    return redirect(url_for("sites.detail", site_code=site.code))


# --- the administrators' inventory ------------------------------------------------------------------------------

@bp.get("/sites/inventory")
@allow(Role.ADMIN)
def inventory():
    sites = queries.listed()
    return render_template("sites/inventory.html", sites=sites, leases=queries.live_leases(),
                           occupancy=queries.occupancy())


def _form_page(form: SiteForm, site=None, status: int = 200):
    return render_template("sites/form.html", form=form, site=site), status


@bp.route("/sites/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def new():
    form = SiteForm()
    if request.method == "GET" or not form.validate_on_submit():
        if request.method == "GET":
            form.currency.data = "USD"
        db.session.rollback()
        return _form_page(form)
    try:
        site = services.create_site(form.values(), current_user)
    except ZoneError as error:
        db.session.rollback()
        apply_service_errors(form, error)
        return _form_page(form, status=error.status if error.status in (403, 409) else 200)
    db.session.commit()
    flash(_("Site %(code)s is added.", code=site.code), "success")
    return redirect(url_for("sites.detail", site_code=site.code))


@bp.route("/sites/<site_code>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(site_code: str):
    if request.method == "GET":
        site = queries.by_code(site_code) or abort(404)
        form = SiteForm(formdata=None, obj=site)
        for name in NUMBER_FIELDS:
            form._fields[name].data = str(getattr(site, name))
        form.outline.data = "; ".join(f"{x:g} {y:g}" for x, y in site.outline)
        return _form_page(form, site)
    site = queries.for_update(site_code) or abort(404)
    form = SiteForm()
    form.code.data = site.code
    if not form.validate_on_submit():
        db.session.rollback()
        return _form_page(form, queries.by_code(site_code))
    try:
        services.update_site(site, form.values(), current_user, version=form.version.data)
    except ZoneError as error:
        db.session.rollback()
        apply_service_errors(form, error)
        return _form_page(form, queries.by_code(site_code), status=error.status if error.status in (403, 409) else 200)
    db.session.commit()
    flash(_("Site %(code)s is saved.", code=site.code), "success")
    return redirect(url_for("sites.detail", site_code=site.code))


@bp.route("/sites/import", methods=["GET", "POST"])
@allow(Role.ADMIN)
def import_csv():
    form = ImportForm()
    report = None
    if request.method == "POST":
        upload = form.file.data
        if not form.validate_on_submit() or upload is None or not hasattr(upload, "stream"):
            db.session.rollback()
            form.file.errors = [*(form.file.errors or []), _("Attach the CSV file.")]
            return render_template("sites/import.html", form=form, report=None)
        report = services.import_csv(upload.stream.read(services.MAX_IMPORT_BYTES + 1), current_user)
        if report.ok:
            db.session.commit()
            flash(_("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.",
                    created=len(report.created), updated=len(report.updated), unchanged=len(report.unchanged)),
                  "success")
        else:
            db.session.rollback()
            flash(_("Nothing was imported: correct the rows listed below and send the file again."), "error")
    return render_template("sites/import.html", form=form, report=report)
