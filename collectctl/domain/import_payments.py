"""Payments from the books or a bank's remittance file, planned: rows of one check (one
per invoice it pays) become one payment with several applications; a payment the ledger
already has is skipped, never recorded twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from collectctl.domain.exports import Record, Sheet
from collectctl.domain.import_plan import BooksPayment, CustomerIndex, ImportPlan, Skipped
from collectctl.domain.import_rows import RowReader
from collectctl.domain.models import Account, Allocation, Payment
from collectctl.domain.money import normalize

_PAYMENT_TYPES = {"payment", "receive payment", "customer payment", "sales receipt", ""}


def plan_payments(
    sheet: Sheet, rows: RowReader, index: CustomerIndex, plan: ImportPlan, today: date
) -> None:
    groups: dict[tuple[str, str, date], list[tuple[Record, Decimal, str | None]]] = {}
    singles: list[tuple[str, date, list[tuple[Record, Decimal, str | None]]]] = []
    for record in sheet.records:
        kind = " ".join((record.get("type") or "").casefold().split())
        if kind not in _PAYMENT_TYPES:
            plan.skipped.append(Skipped(record.row, f"a {record.get('type')}, not a payment"))
            continue
        customer_id = index.resolve(record, rows, create=False)
        received = rows.date(record, "date", required=True)
        amount = rows.money(record, "amount")
        if amount is None and record.get("amount") is None:
            rows.problem(record, "no amount")
        if customer_id is None or received is None or amount is None:
            continue
        amount = abs(amount)  # reports list money received as negative
        currency = index.customer(customer_id).currency
        if not rows.in_currency(record, "amount", amount, currency):
            continue
        amount = normalize(amount, currency)
        if amount == 0:
            rows.problem(record, "the amount is zero")
            continue
        if received > today:
            rows.problem(record, f"date {received} is in the future (today is {today})")
            continue
        invoice = rows.text(record, "invoice")
        account = index.accounts[customer_id]
        if invoice is not None and account.find_invoice(invoice) is None:
            rows.problem(record, f"{customer_id} has no invoice {invoice} in the ledger")
            continue
        reference = rows.text(record, "reference")
        line = (record, amount, invoice)
        if reference is None:
            singles.append((customer_id, received, [line]))
        else:
            groups.setdefault((customer_id, reference, received), []).append(line)
    seen: dict[tuple[str, str], int] = {}
    for (customer_id, reference, received), lines in groups.items():
        first = lines[0][0].row
        if (customer_id, reference) in seen:
            plan.skipped.append(
                Skipped(first, f"reference {reference} again (row {seen[customer_id, reference]})")
            )
            continue
        seen[customer_id, reference] = first
        _plan_one(plan, rows, index.accounts[customer_id], received, reference, lines)
    for customer_id, received, lines in singles:
        _plan_one(plan, rows, index.accounts[customer_id], received, None, lines)


def _plan_one(
    plan: ImportPlan,
    rows: RowReader,
    account: Account,
    received: date,
    reference: str | None,
    lines: list[tuple[Record, Decimal, str | None]],
) -> None:
    records = [record for record, _, _ in lines]
    total = sum((amount for _, amount, _ in lines), Decimal(0))
    earlier = _already_recorded(account, plan, received, total, reference)
    if earlier:
        plan.skipped.append(Skipped(records[0].row, f"already recorded: {earlier}"))
        return
    for record, amount, invoice in lines:
        found = account.find_invoice(invoice) if invoice else None
        if found is None:
            continue
        left = plan.open_left.setdefault((account.id, found.number), found.balance)
        if left <= 0:
            rows.problem(
                record,
                f"invoice {found.number} of {account.id} has nothing open; leave its invoice "
                "cell empty to keep the money as credit",
            )
            return
        plan.open_left[account.id, found.number] = left - amount
    named: tuple[str, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    invoices = [invoice for _, _, invoice in lines if invoice]
    if len(lines) == 1 and invoices:
        named = (invoices[0],)
    elif invoices:
        allocations = tuple(Allocation(i, a) for _, a, i in lines if i)
    plan.payments.append(
        BooksPayment(
            account.id,
            received,
            total,
            "payment",
            tuple(r.row for r in records),
            reference,
            rows.method(records[0]),
            named,
            allocations,
        )
    )


def _already_recorded(
    account: Account, plan: ImportPlan, received: date, amount: Decimal, reference: str | None
) -> str | None:
    """The same customer and reference, or — with no reference — the same date and
    amount: in the ledger, or earlier in this file."""
    for event in account.events:
        if type(event) is not Payment:
            continue
        if reference is not None and event.reference == reference:
            return f"reference {reference} on {event.date} ({event.file})"
        if reference is None and (event.date, event.amount) == (received, amount):
            return f"{amount} on {received} ({event.file})"
    for planned in plan.payments:
        same = (planned.customer, planned.date, planned.amount) == (account.id, received, amount)
        if same and reference is None and planned.reference is None:
            return f"{amount} on {received} (row {planned.rows[0]})"
    return None
