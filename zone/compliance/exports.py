"""Every compliance case as CSV, for auditors: one definition for the API and the staff pages.

Read in keyset batches of 500; cells a spreadsheet would run as a formula are neutralised as in the
register's exports (company names are typed by the public).
"""

from __future__ import annotations

import csv
import io

from flask import Response
from flask_babel import gettext as _

from zone.compliance import queries
from zone.errors import ValidationFailed
from zone.registers.streaming import csv_cell

EXPORT_COLUMNS = ("id", "serial", "company", "tax_id", "side", "condition", "stage", "opened_on", "cure_due",
                  "suspended_on", "closed_on", "closed_reason", "rule_set", "proposal_action", "proposal_status")


def cases_csv(args) -> Response:
    """The cases ``args`` select (``?side=``, ``?condition=``, ``?stage=``; every case without ``stage``)."""
    f = queries.filter_from_args(args)
    if f.errors:
        raise ValidationFailed(_("Some values are not valid."), fields={n: [_("Not a valid value.")] for n in f.errors})
    f.open_only = f.open_only and "stage" in args

    def rows():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        cursor = None
        while True:
            batch, cursor = queries.page(queries.filtered(f), 500, cursor)
            for case in batch:
                proposal = case.proposal
                writer.writerow([csv_cell(v) for v in (
                    case.id, case.certificate.serial, case.certificate.company_name, case.certificate.company_tax_id,
                    case.side, case.condition_id, case.stage, case.opened_on, case.cure_due, case.suspended_on,
                    case.closed_on, case.closed_reason, case.rule_set_version,
                    proposal.action if proposal else None, proposal.status if proposal else None)])
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            if cursor is None:
                return

    return Response(list(rows()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="compliance-cases.csv"'})
