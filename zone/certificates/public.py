"""Public pages (no sign-in, rate limited): verify a certificate by QR token, by serial and tax id,
or by uploading the file; browse the register of residents.

Every page shows only :func:`zone.certificates.presenters.public_view` data, and a wrong serial or a
wrong tax id get the same "not found".
"""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _

from zone.calendar import today as zone_today
from zone.certificates import presenters, queries, verdicts
from zone.certificates.blueprints import bp
from zone.certificates.exports import register_csv
from zone.certificates.forms import LookupForm, UploadForm
from zone.certificates.verification import max_upload_bytes
from zone.errors import NotFound
from zone.extensions import db, limiter
from zone.vocabulary import SECTORS
from zone.web.access import PUBLIC, allow
from zone.web.errors import wants_json
from zone.web.export_columns import wants_machine_names

REGISTER_PAGE = 100

# One budget per client address for every public lookup (pages and API), so one cannot switch to dodge it.
public_limit = limiter.shared_limit(lambda: current_app.config["PUBLIC_LIMIT"], scope="certificates-public")


def _public_page(template: str, status: int = 200, **context):
    return render_template(template, **context), status


@bp.get("/verify/<token>")
@allow(PUBLIC)
@public_limit
def verify(token: str):
    certificate = queries.by_token(token)
    if certificate is None:
        if wants_json():  # a client that asked for JSON gets the API's error shape
            raise NotFound(_("No certificate matches."))
        return _public_page("certificates/verify.html", 404, view=None)
    return _public_page("certificates/verify.html", view=presenters.public_view(certificate, zone_today()))


@bp.get("/verify")
@allow(PUBLIC)
@public_limit
def verify_lookup():
    form = LookupForm(request.args)
    view, searched = None, "serial" in request.args or "tax_id" in request.args
    if searched and form.validate():
        certificate = queries.by_serial_and_tax_id(form.serial.data, form.tax_id.data)
        view = presenters.public_view(certificate, zone_today()) if certificate else None
    status = 404 if searched and view is None and not form.errors else 200
    return _public_page("certificates/lookup.html", status, form=form, view=view, searched=searched)


@bp.route("/verify/upload", methods=["GET", "POST"])
@allow(PUBLIC)
@public_limit
def verify_upload():
    form = UploadForm()
    result = None
    if form.validate_on_submit():
        examination = verdicts.examine(form.file.data.stream)
        if examination.too_large:
            form.file.errors.append(_("The file is larger than %(kb)s KB; no certificate issued here is that "
                                      "large, so it is not one of ours.", kb=max_upload_bytes() // 1024))
        else:
            certificate = examination.certificate
            result = {
                "check": examination.upload,
                "verdict": examination.verdict,
                "headline": examination.headline,
                "view": presenters.public_view(certificate, zone_today()) if certificate else None,
            }
    return _public_page("certificates/upload.html", form=form, result=result)


@bp.get("/residents")
@allow(PUBLIC)
@public_limit
def public_register():
    f = queries.register_filter_from_args(request.args)
    stmt = queries.register(f, zone_today())
    if request.args.get("format") == "csv":
        return register_csv(db.session.scalars(stmt), zone_today(), presenters.locale(),
                            machine_header=wants_machine_names(request.args))
    offset = max(request.args.get("offset", 0, type=int), 0)
    rows = list(db.session.scalars(stmt.offset(offset).limit(REGISTER_PAGE + 1)))
    return render_template(
        "certificates/register.html",
        rows=rows[:REGISTER_PAGE],
        f=f,
        sectors=SECTORS,
        offset=offset,
        more=len(rows) > REGISTER_PAGE,
        page_size=REGISTER_PAGE,
    )
