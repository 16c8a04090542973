"""Invoice arithmetic: what is open, how late, how old, and the money received."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Protocol

from msgspec import Struct

from collectctl.domain.models import Account, Event, Invoice, Payment, due_order

ZERO = Decimal(0)
_FILE_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{6}(\.\d{6}|Z)?")
AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


class Due(Protocol):
    @property
    def due(self) -> date: ...


def is_open(invoice: Invoice) -> bool:
    return invoice.status == "open" and invoice.balance > 0


def in_dispute(invoice: Invoice) -> bool:
    return invoice.dispute is not None and invoice.dispute.resolved is None


def held(invoice: Invoice) -> Decimal:
    """The part of the balance an open dispute holds back (only the disputed part)."""
    if invoice.dispute is None or invoice.dispute.resolved is not None:
        return ZERO
    disputed = invoice.dispute.amount
    return invoice.balance if disputed is None else min(disputed, invoice.balance)


def chased(invoice: Invoice) -> Decimal:
    """What of the balance the collector chases: all of it but a disputed part."""
    return invoice.balance - held(invoice)


def days_past_due(invoice: Due, today: date) -> int:
    return (today - invoice.due).days


def open_invoices(account: Account) -> list[Invoice]:
    """Open invoices, oldest due date first: the order payments and promises apply in."""
    return sorted((i for i in account.invoices if is_open(i)), key=due_order)


def aging_bucket(days_late: int) -> str:
    if days_late <= 0:
        return "current"
    if days_late <= 30:
        return "1-30"
    if days_late <= 60:
        return "31-60"
    if days_late <= 90:
        return "61-90"
    return "90+"


def aging(account: Account, today: date) -> dict[str, Decimal]:
    buckets = dict.fromkeys(AGING_BUCKETS, ZERO)
    for invoice in open_invoices(account):
        buckets[aging_bucket(days_past_due(invoice, today))] += invoice.balance
    return buckets


class Receipt(Struct, frozen=True):
    date: date
    amount: Decimal
    reference: str | None
    moment: str = ""  # when it was recorded (ISO), to order it against a same-day promise


def recorded_moment(event: Event) -> str:
    """When an event was written, comparable between events of one account: the moment
    its file name starts with (UTC to the second; local, in older ledgers), else its
    `recorded` timestamp."""
    stamp = _FILE_MOMENT.match(event.file)
    return stamp.group() if stamp else (event.recorded or "")


def receipts(account: Account) -> list[Receipt]:
    """Money received: payment events, plus payments applied on invoices that no event
    records (entered by hand or imported from the accounting system)."""
    found = [
        Receipt(e.date, e.amount, e.reference, recorded_moment(e))
        for e in account.events
        if type(e) is Payment
    ]
    recorded = {(r.date, r.reference) for r in found}
    for invoice in account.invoices:
        for payment in invoice.payments:
            if (payment.date, payment.reference) not in recorded:
                found.append(Receipt(payment.date, payment.amount, payment.reference))
                recorded.add((payment.date, payment.reference))
    return sorted(found, key=lambda r: r.date)


def unapplied_credit(account: Account) -> Decimal:
    return sum((e.unapplied for e in account.events if type(e) is Payment), ZERO)


def average_days_to_pay(account: Account) -> Decimal | None:
    """Average days from issue to the payment that settled each paid invoice."""
    spans = [
        (max(p.date for p in invoice.payments) - invoice.issued).days
        for invoice in account.invoices
        if invoice.status == "paid" and invoice.payments
    ]
    if not spans:
        return None
    return (Decimal(sum(spans)) / len(spans)).quantize(Decimal("0.1"))
