"""Every compliance case as CSV, for auditors: one definition for the API and the staff pages.

Read in keyset batches of 500; cells a spreadsheet would run as a formula are neutralised as in the
register's exports (company names are typed by the public).
"""

from __future__ import annotations

import csv
import io

from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zone.compliance import queries
from zone.errors import ValidationFailed
from zone.registers.streaming import csv_cell
from zone.web.export_columns import Column, header

EXPORT_COLUMNS = (
    Column("id", _l("Case no.")),
    Column("serial", _l("Serial")),
    Column("company", _l("Company")),
    Column("tax_id", _l("Tax id")),
    Column("side", _l("Side")),
    Column("condition", _l("Condition")),
    Column("stage", _l("Stage")),
    Column("opened_on", _l("Opened on")),
    Column("cure_due", _l("Cure deadline")),
    Column("suspended_on", _l("Suspended on")),
    Column("closed_on", _l("Closed on")),
    Column("closed_reason", _l("Reason for closing")),
    Column("rule_set", _l("Rule set")),
    Column("proposal_action", _l("Proposed sanction")),
    Column("proposal_status", _l("Proposal status")),
)


def cases_csv(args, *, machine_header: bool = True) -> Response:
    """The cases ``args`` select (``?side=``, ``?condition=``, ``?stage=``; every case without ``stage``),
    headed by the columns' machine names (the API) or their titles in the reader's language (the pages)."""
    f = queries.filter_from_args(args)
    if f.errors:
        raise ValidationFailed(_("Some values are not valid."), fields={n: [_("Not a valid value.")] for n in f.errors})
    f.open_only = f.open_only and "stage" in args

    def rows():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header(EXPORT_COLUMNS, machine=machine_header))
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
