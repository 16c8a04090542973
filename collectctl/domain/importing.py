"""An import planned from a recognised export: the one entry point the change layer and
the dry run share."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from collectctl.domain.export_values import DateReader
from collectctl.domain.exports import Sheet
from collectctl.domain.import_invoices import plan_invoices
from collectctl.domain.import_payments import plan_payments
from collectctl.domain.import_plan import CustomerIndex, ImportOptions, ImportPlan, plan_customers
from collectctl.domain.import_rows import RowReader
from collectctl.domain.models import Account, Config


def plan_import(
    sheet: Sheet,
    config: Config,
    accounts: Mapping[str, Account],
    options: ImportOptions,
    today: date,
) -> ImportPlan:
    """What importing `sheet` would change; `plan.problems` lists every bad row."""
    plan = ImportPlan(options, sheet.layout.title)
    dates = DateReader(options.date_format, None if options.date_format else sheet.layout.day_first)
    dates.settle_order(
        [value for r in sheet.records for k, value in r.values.items() if k in _DATES]
    )
    rows = RowReader(dates, options.decimal_comma)
    index = CustomerIndex(config, accounts, plan)
    if options.kind == "invoices":
        plan_invoices(sheet, rows, index, plan, today)
    elif options.kind == "payments":
        plan_payments(sheet, rows, index, plan, today)
    else:
        plan_customers(sheet, rows, index, plan)
    plan.problems = sorted(rows.problems, key=lambda p: p.row)
    return plan


_DATES = ("issued", "due", "date")
