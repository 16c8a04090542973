"""Invoices from the books, planned: new ones added, the books' changes to known ones
(due date, amount, voided), and each balance brought to the export's by a payment event
from the books; with --close-missing, invoices the export no longer lists are closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from msgspec.structs import replace

from collectctl.domain.exports import Record, Sheet
from collectctl.domain.identifiers import valid_invoice_number
from collectctl.domain.import_plan import (
    Ahead,
    BooksPayment,
    CustomerIndex,
    ImportPlan,
    InvoiceUpdate,
    NewInvoice,
    Skipped,
)
from collectctl.domain.import_rows import RowReader
from collectctl.domain.models import Account, Allocation, Customer, Invoice, Payment
from collectctl.domain.money import normalize
from collectctl.domain.settle import settle

ZERO = Decimal(0)
_CREDIT_TYPES = {
    "payment",
    "credit memo",
    "journal entry",
    "accreccredit",
    "credit note",
    "sales credit note",
}
_INVOICE_TYPES = {"invoice", "accrec", "sales invoice", "tax invoice"}


@dataclass
class _BooksInvoice:
    """One invoice as the export gives it (its line items summed)."""

    record: Record
    number: str
    amount: Decimal | None
    balance: Decimal | None
    kind: str  # invoice | credit | other
    status: str


def plan_invoices(
    sheet: Sheet,
    rows: RowReader,
    index: CustomerIndex,
    plan: ImportPlan,
    today: date,
) -> None:
    """New invoices, books' changes to known ones, balances brought to the export's."""
    found = _invoices_of(sheet, rows, plan)
    listed: dict[str, set[str]] = {}
    wanted: dict[str, list[tuple[_BooksInvoice, Decimal]]] = {}  # balances to reach
    edited: dict[str, dict[str, Invoice]] = {}
    for books in found:
        record = books.record
        currency = rows.currency(record)
        if books.kind == "other":
            plan.skipped.append(Skipped(record.row, f"a {record.get('type')}, not an invoice"))
            continue
        customer_id = index.resolve(record, rows, create=True, currency=currency)
        if customer_id is None:
            continue
        customer = index.customer(customer_id)
        index.add_contact(customer_id, rows.contact(record, customer.name))
        if currency and currency != customer.currency:
            rows.problem(
                record,
                f"invoice {books.number} is in {currency}; {customer_id} is billed in "
                f"{customer.currency}",
            )
            continue
        if books.kind == "credit":
            _plan_credit(books, customer_id, customer, rows, index, plan, today)
            continue
        listed.setdefault(customer_id, set()).add(books.number)
        invoice = _invoice_change(books, customer_id, customer, rows, index, plan)
        if invoice is None:
            continue
        edited.setdefault(customer_id, {})[invoice.number] = invoice
        if books.balance is not None and invoice.status != "void":
            wanted.setdefault(customer_id, []).append((books, books.balance))
    if rows.problems:
        return
    for customer_id in sorted(set(edited) | set(wanted) | set(listed)):
        _bring_to_books(
            customer_id,
            index,
            plan,
            edited.get(customer_id, {}),
            wanted.get(customer_id, []),
            listed.get(customer_id, set()),
            today,
        )


def _invoices_of(sheet: Sheet, rows: RowReader, plan: ImportPlan) -> list[_BooksInvoice]:
    """One entry per invoice number: line items summed; a number given twice with
    different data is a bad row, twice with the same data once."""
    by_number: dict[str, _BooksInvoice] = {}
    order: list[_BooksInvoice] = []
    for record in sheet.records:
        number = rows.text(record, "invoice")
        if number is None:
            if record.get("type") or record.get("balance") or record.get("amount"):
                plan.skipped.append(Skipped(record.row, "no invoice number"))
            continue
        kind = _kind_of(record)
        amount = (
            _line_total(record, rows) if sheet.layout.line_items else rows.money(record, "amount")
        )
        balance = rows.money(record, "balance")
        status = (record.get("status") or "").casefold()
        earlier = by_number.get(number)
        if earlier is None:
            by_number[number] = entry = _BooksInvoice(record, number, amount, balance, kind, status)
            order.append(entry)
        elif sheet.layout.line_items and earlier.record.get("name") == record.get("name"):
            earlier.amount = (earlier.amount or ZERO) + (amount or ZERO)
        elif earlier.record.values == record.values:
            plan.skipped.append(
                Skipped(record.row, f"invoice {number} again, the same as row {earlier.record.row}")
            )
        else:
            rows.problem(
                record,
                f"invoice {number} is listed twice with different data (first on row "
                f"{earlier.record.row})",
            )
    if sheet.layout.line_items:
        for entry in order:
            total = rows.money(entry.record, "amount")  # the invoice total, where given
            entry.amount = total if total is not None else entry.amount
    return order


def _line_total(record: Record, rows: RowReader) -> Decimal | None:
    line = rows.money(record, "line_amount")
    if line is None:
        quantity = rows.money(record, "quantity")
        unit = rows.money(record, "unit_amount")
        line = quantity * unit if quantity is not None and unit is not None else None
    tax = rows.money(record, "tax_amount") or ZERO
    return None if line is None else line + tax


def _kind_of(record: Record) -> str:
    kind = " ".join((record.get("type") or "invoice").casefold().split())
    if kind in _INVOICE_TYPES:
        return "invoice"
    return "credit" if kind in _CREDIT_TYPES else "other"


def _invoice_change(
    books: _BooksInvoice,
    customer_id: str,
    customer: Customer,
    rows: RowReader,
    index: CustomerIndex,
    plan: ImportPlan,
) -> Invoice | None:
    """The invoice as it will stand: new, or the ledger's with the books' changes."""
    record, number, currency = books.record, books.number, customer.currency
    if not valid_invoice_number(number):
        rows.problem(
            record,
            f"invoice number {number!r} has characters other than letters, digits and . _ # / -",
        )
        return None
    issued = rows.date(record, "issued", required=True)
    due = rows.date(record, "due")
    for name, value in (("amount", books.amount), ("balance", books.balance)):
        if value is not None and not rows.in_currency(record, name, value, currency):
            return None
    books.amount = None if books.amount is None else normalize(books.amount, currency)
    books.balance = None if books.balance is None else normalize(books.balance, currency)
    amount = books.amount if books.amount is not None else books.balance
    if books.amount is not None and books.amount < 0:
        rows.problem(record, f"invoice {number}: the amount {books.amount} is negative")
        return None
    if books.balance is not None and books.balance < 0:
        rows.problem(record, f"invoice {number}: the open balance {books.balance} is negative")
        return None
    if amount is not None and books.balance is not None and books.balance > amount:
        rows.problem(
            record, f"invoice {number}: open {books.balance} is more than its amount {amount}"
        )
        return None
    if issued is None:
        return None
    if due is not None and due < issued:
        rows.problem(record, f"invoice {number}: due {due} is before issued {issued}")
        return None
    owner = index.owners.get(number)
    if owner is not None and owner != customer_id:
        rows.problem(
            record, f"invoice {number} belongs to {owner} in the ledger, not {customer_id}"
        )
        return None
    voided = books.status in ("voided", "deleted", "void")
    if owner is None:
        if voided or books.status == "draft":
            plan.skipped.append(
                Skipped(record.row, f"invoice {number} is {books.status} in the books")
            )
            return None
        if amount is None or amount == 0:
            plan.skipped.append(Skipped(record.row, f"invoice {number}: no amount"))
            return None
        due = due or issued + timedelta(days=customer.terms)
        plan.new_invoices.append(
            NewInvoice(
                customer_id, number, issued, due, amount, rows.text(record, "po"), record.row
            )
        )
        index.owners[number] = customer_id
        return Invoice(number, issued, due, amount, currency)
    known = index.accounts[owner].find_invoice(number)
    assert known is not None
    changes: list[tuple[str, str, str]] = []
    if due is not None and due != known.due:
        changes.append(("due", known.due.isoformat(), due.isoformat()))
    if books.amount is not None and books.amount != known.amount and books.amount > 0:
        changes.append(("amount", str(known.amount), str(books.amount)))
    if voided and known.status != "void":
        changes.append(("status", known.status, "void"))
    if changes:
        plan.updated.append(InvoiceUpdate(customer_id, number, tuple(changes), record.row))
    return replace(
        known,
        due=due or known.due,
        amount=books.amount if books.amount is not None and books.amount > 0 else known.amount,
        status="void" if voided else known.status,
    )


def _plan_credit(
    books: _BooksInvoice,
    customer_id: str,
    customer: Customer,
    rows: RowReader,
    index: CustomerIndex,
    plan: ImportPlan,
    today: date,
) -> None:
    """An unapplied payment or credit memo in an open-items report: credit the books
    hold for the customer, recorded once (by its number)."""
    open_amount = books.balance if books.balance is not None else books.amount
    if open_amount is None or open_amount >= 0:
        plan.skipped.append(
            Skipped(books.record.row, f"a {books.record.get('type')} with nothing open")
        )
        return
    if not rows.in_currency(books.record, "balance", -open_amount, customer.currency):
        return
    credit = normalize(-open_amount, customer.currency)
    account = index.accounts.get(customer_id)
    if account and any(type(e) is Payment and e.reference == books.number for e in account.events):
        plan.skipped.append(Skipped(books.record.row, f"credit {books.number} already recorded"))
        return
    day = rows.date(books.record, "issued") or today
    plan.payments.append(
        BooksPayment(
            customer_id,
            min(day, today),
            credit,
            "credit",
            (books.record.row,),
            books.number,
            on_account=True,
            notes=f"{books.record.get('type')} {books.number}: credit in the books",
        )
    )


def _bring_to_books(
    customer_id: str,
    index: CustomerIndex,
    plan: ImportPlan,
    edited: dict[str, Invoice],
    wanted: list[tuple[_BooksInvoice, Decimal]],
    listed: set[str],
    today: date,
) -> None:
    """Settle the account as it will stand and record, per invoice, what the books know
    was paid or credited and the ledger does not."""
    before = index.accounts.get(customer_id) or Account(index.customer(customer_id))
    invoices = [edited.pop(i.number, i) for i in before.invoices] + list(edited.values())
    after, _ = settle(replace(before, invoices=tuple(invoices)))
    for books, balance in wanted:
        invoice = after.find_invoice(books.number)
        if invoice is None:
            continue
        difference = invoice.balance - balance
        if difference > 0:
            plan.payments.append(
                BooksPayment(
                    customer_id,
                    today,
                    difference,
                    "balance",
                    (books.record.row,),
                    allocations=(Allocation(books.number, difference),),
                    notes=f"open balance in the books: {balance}",
                )
            )
        elif difference < 0:
            plan.ahead.append(
                Ahead(customer_id, books.number, invoice.balance, balance, books.record.row)
            )
    if plan.options.close_missing and customer_id in index.accounts:
        for invoice in after.invoices:
            if invoice.number not in listed and invoice.balance > 0:
                plan.closed.append(invoice.number)
                plan.payments.append(
                    BooksPayment(
                        customer_id,
                        today,
                        invoice.balance,
                        "closed",
                        allocations=(Allocation(invoice.number, invoice.balance),),
                        notes="no longer open in the books",
                    )
                )
