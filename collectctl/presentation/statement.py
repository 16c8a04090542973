"""A statement of account: open invoices with POs, what was paid and credited in a period,
aging, the total due and how to pay — one view, rendered as text and HTML from
templates and as a PDF (statement_pdf.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from collectctl.domain import invoices
from collectctl.domain.models import Account, Config, DisputeEvent
from collectctl.domain.money import format_amount, format_money
from collectctl.ledger.accounts import Ledger
from collectctl.presentation.templates import Templates


@dataclass(frozen=True)
class StatementLine:
    date: date
    what: str  # invoice | payment | credit
    reference: str | None
    amount: Decimal


@dataclass(frozen=True)
class Statement:
    company: str
    customer_id: str
    customer_name: str
    currency: str
    on: date
    since: date
    open_invoices: tuple[tuple[str, str | None, date, date, Decimal, Decimal, int], ...]
    activity: tuple[StatementLine, ...]  # in the period, oldest first
    aging: dict[str, Decimal]
    total_due: Decimal
    credit: Decimal


def statement_of(account: Account, config: Config, since: date, on: date) -> Statement:
    currency = account.customer.currency
    still_open = invoices.open_invoices(account)
    activity = [
        StatementLine(i.issued, "invoice", i.number, i.amount)
        for i in account.invoices
        if since <= i.issued <= on
    ]
    activity += [
        StatementLine(r.date, "payment", r.reference, r.amount)
        for r in invoices.receipts(account)
        if since <= r.date <= on
    ]
    activity += [
        StatementLine(e.date, "credit", e.invoice, e.credit)
        for e in account.events
        if type(e) is DisputeEvent and e.credit and since <= e.date <= on
    ]
    credit = invoices.unapplied_credit(account)
    return Statement(
        company=config.company,
        customer_id=account.id,
        customer_name=account.customer.name,
        currency=currency,
        on=on,
        since=since,
        open_invoices=tuple(
            (
                i.number,
                i.po,
                i.issued,
                i.due,
                i.amount,
                i.balance,
                max(invoices.days_past_due(i, on), 0),
            )
            for i in still_open
        ),
        activity=tuple(sorted(activity, key=lambda line: (line.date, line.what))),
        aging=invoices.aging(account, on),
        total_due=sum((i.balance for i in still_open), Decimal(0)) - credit,
        credit=credit,
    )


def context(statement: Statement, contact: str | None, collector: dict[str, Any]) -> dict[str, Any]:
    """What the statement templates are given: amounts formatted, dates ISO."""
    currency = statement.currency

    def money(amount: Decimal) -> str:
        return format_amount(amount, currency)

    return {
        "company": statement.company,
        "collector": collector,
        "customer": {"id": statement.customer_id, "name": statement.customer_name},
        "contact": {"name": contact} if contact else None,
        "currency": currency,
        "date": statement.on.isoformat(),
        "since": statement.since.isoformat(),
        "invoices": [
            {
                "number": number,
                "po": po,
                "issued": issued.isoformat(),
                "due": due.isoformat(),
                "amount": money(amount),
                "balance": money(balance),
                "days_late": late,
            }
            for number, po, issued, due, amount, balance, late in statement.open_invoices
        ],
        "activity": [
            {
                "date": line.date.isoformat(),
                "what": line.what,
                "reference": line.reference,
                "amount": money(line.amount),
            }
            for line in statement.activity
        ],
        "aging": {bucket: money(amount) for bucket, amount in statement.aging.items()},
        "credit": money(statement.credit) if statement.credit else None,
        "total_due": format_money(statement.total_due, currency),
    }


def rendered(ledger: Ledger, statement: Statement, ctx: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML, from the ledger's templates (or the bundled ones)."""
    return Templates(ledger.root).message("statement", ctx)
