"""From the raw data of customers/<id>/invoices.yaml to invoices, noting every problem
with its line (plain ones are read quickly by plain_records.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from collectctl.domain.identifiers import inside_folder
from collectctl.domain.models import AppliedPayment, Customer, Dispute, Invoice
from collectctl.domain.vocabulary import DISPUTE_REASONS, INVOICE_STATUSES
from collectctl.errors import Problem
from collectctl.storage import layout
from collectctl.storage.fields import Fields
from collectctl.storage.plain_records import plain_invoice


def parse_invoices(
    raw: Any, path: str, customer: Customer, problems: list[Problem], ledger_format: int
) -> list[Invoice]:
    """The invoices as the books have them. In format 1, invoices.yaml also carried copies
    of payments and disputes (read only to migrate them)."""
    fields = Fields(raw, path, problems, "invoices.yaml")
    invoices: list[Invoice] = []
    numbers: dict[str, int] = {}
    for item, line in fields.items("invoices"):
        invoice = plain_invoice(item, customer) if ledger_format >= 2 else None
        if invoice is None:
            invoice = checked_invoice(item, path, customer, problems, line, ledger_format)
        if invoice is None:
            continue
        if invoice.number in numbers:
            problems.append(
                Problem(
                    path,
                    line,
                    f"invoice {invoice.number} appears twice "
                    f"(first on line {numbers[invoice.number]})",
                )
            )
        numbers.setdefault(invoice.number, line)
        invoices.append(invoice)
    fields.finish()
    return invoices


def checked_invoice(
    raw: Any,
    path: str,
    customer: Customer,
    problems: list[Problem],
    line: int = 0,
    ledger_format: int = 2,
) -> Invoice | None:
    """An invoice read key by key, each problem noted with its line."""
    fields = Fields(raw, path, problems, "an invoice", line)
    if ledger_format >= 2:
        return _parse_invoice(fields, customer)
    return _parse_format1_invoice(fields, customer)


_NOT_FACTS = (
    ("payments", "payment events (collectctl pay)"),
    ("dispute", "dispute events (collectctl log-call --outcome dispute)"),
)


def _parse_invoice(fields: Fields, customer: Customer) -> Invoice | None:
    """An invoice's facts: what happens to it (payments, disputes) is in activity/."""
    for key, where in _NOT_FACTS:
        if key in fields.raw:
            fields.used.add(key)
            fields.problem(fields.raw.line_of(key), f"{key}: belong in {where}, not here")
    status = fields.text("status")
    if status == "paid":
        fields.problem(
            fields.raw.line_of("status"), "status paid is worked out from payments; write open"
        )
    elif status not in (None, "open", "void"):
        fields.problem(fields.raw.line_of("status"), f"status: {status!r} is not one of open, void")
    return _invoice_facts(fields, customer, "void" if status == "void" else "open")


def _invoice_facts(
    fields: Fields,
    customer: Customer,
    status: str,
    payments: tuple[AppliedPayment, ...] = (),
    dispute: Dispute | None = None,
) -> Invoice | None:
    number = fields.text("number", required=True)
    if number is not None and not layout.valid_invoice_number(number):
        fields.problem(
            fields.raw.line_of("number"),
            f"invoice number {number!r} has characters other than letters, digits and . _ # / -",
        )
        number = None
    po = fields.text("po")
    issued = fields.date("issued", required=True)
    due = fields.date("due")
    currency = fields.currency("currency", customer.currency)
    if currency != customer.currency:
        fields.problem(
            fields.raw.line_of("currency"),
            f"currency: {currency} is not the customer's {customer.currency} (collectctl keeps "
            "one currency per customer: bill another currency to a customer of its own)",
        )
    amount = fields.amount("amount", currency, required=True)
    document = fields.text("document")
    if document is not None and not inside_folder(document):
        fields.problem(
            fields.raw.line_of("document"),
            f"document: {document!r} must be a path inside the customer's folder",
        )
    fields.finish()
    if not (number and issued and amount):
        return None
    if due is None:
        due = issued + timedelta(days=customer.terms)
    elif due < issued:
        fields.problem(
            fields.raw.line_of("due"), f"due date {due} is before the issue date {issued}"
        )
    return Invoice(number, issued, due, amount, currency, po, status, payments, dispute, document)


def _parse_format1_invoice(fields: Fields, customer: Customer) -> Invoice | None:
    """Format 1 kept copies of payments and disputes beside the facts."""
    status = fields.choice("status", INVOICE_STATUSES) or "open"
    currency = customer.currency
    if isinstance(fields.raw.get("currency"), str):
        currency = fields.raw["currency"]
    payments = []
    for item, line in fields.items("payments"):
        payment_fields = Fields(item, fields.path, fields.problems, "a payment", line)
        paid_on = payment_fields.date("date", required=True)
        paid = payment_fields.amount("amount", currency, required=True)
        reference = payment_fields.text("reference")
        payment_fields.finish()
        if paid_on and paid:
            payments.append(AppliedPayment(paid_on, paid, reference))
    dispute = _parse_dispute(fields.nested("dispute")) if "dispute" in fields.raw else None
    invoice = _invoice_facts(fields, customer, status, tuple(payments), dispute)
    if invoice is not None and invoice.paid > invoice.amount:
        fields.problem(
            fields.raw.line_of("payments"),
            f"payments applied ({invoice.paid}) exceed the amount ({invoice.amount})",
        )
    if invoice is not None and status == "paid" and invoice.balance != 0:
        fields.problem(
            fields.raw.line_of("status"), f"status is paid but {invoice.balance} is still open"
        )
    return invoice


def _parse_dispute(fields: Fields) -> Dispute | None:
    reason = fields.choice("reason", DISPUTE_REASONS, required=True)
    opened = fields.date("opened", required=True)
    amount = fields.amount("amount", None)
    resolved = fields.date("resolved")
    notes = fields.text("notes")
    fields.finish()
    if not (reason and opened):
        return None
    return Dispute(reason, opened, amount, resolved, notes)
