"""The full record of one account, for an agency or a lawyer: the customer, every
contact (past ones too), every invoice with its document, and every event in order —
calls, promises, payments, emails, notes, disputes, escalations — as JSON or Markdown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from msgspec import Struct

from collectctl.domain.models import Account, Config, Event
from collectctl.domain.money import format_money
from collectctl.presentation import words
from collectctl.storage.layout import DOCUMENTS_DIR, Layout


def record(account: Account, config: Config, layout: Layout, today: date) -> dict[str, Any]:
    """Everything the ledger holds about the account, oldest event first."""
    customer = account.customer
    folder = layout.customer_dir(account.id) / DOCUMENTS_DIR
    documents = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    return {
        "exported": today,
        "company": config.company,
        "customer": _plain(customer, skip={"contacts"}),
        "contacts": [_plain(contact) for contact in customer.contacts],
        "invoices": [
            _plain(invoice, skip={"payments"})
            | {"balance": invoice.balance, "payments": [_plain(p) for p in invoice.payments]}
            for invoice in account.invoices
        ],
        "documents": [f"{DOCUMENTS_DIR}/{name}" for name in documents],
        "events": [{"kind": event.kind} | _plain(event) for event in account.events],
    }


def _plain(item: Any, skip: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    return {
        name: _value(getattr(item, name))
        for name in item.__struct_fields__
        if name not in skip and getattr(item, name) not in (None, (), "")
    }


def _value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if isinstance(value, Struct):
        return _plain(value)
    return value


def markdown(account: Account, config: Config, layout: Layout, today: date) -> str:
    """The record as a document a person reads: who, what is owed, and the story."""
    data = record(account, config, layout, today)
    customer, currency = account.customer, account.customer.currency
    lines = [
        f"# {customer.name} ({account.id})",
        "",
        f"Record of {config.company}, exported {today}. Terms net {customer.terms}, "
        f"currency {currency}.",
        "",
        "## Contacts",
        "",
    ]
    for contact in customer.contacts:
        extra = ", ".join(
            filter(
                None,
                [
                    contact.role,
                    contact.phone,
                    contact.email,
                    "approves payments" if contact.authorizes_payment else None,
                    "no longer there" if contact.inactive else None,
                ],
            )
        )
        lines.append(f"- {contact.name}" + (f" ({extra})" if extra else ""))
    lines += ["", "## Invoices", ""]
    for invoice in account.invoices:
        document = f", document {invoice.document}" if invoice.document else ""
        lines.append(
            f"- {invoice.number}{f' (PO {invoice.po})' if invoice.po else ''}: issued "
            f"{invoice.issued}, due {invoice.due}, {format_money(invoice.amount, currency)}, "
            f"open {format_money(invoice.balance, currency)} ({invoice.status}){document}"
        )
    if data["documents"]:
        lines += ["", "## Documents", ""] + [f"- {path}" for path in data["documents"]]
    lines += ["", "## Events, oldest first", ""]
    for event in account.events:
        lines.append(
            f"- {event.date} · {event.kind} · {event.collector} · {_said(event, account, config)}"
        )
        if event.notes:
            lines += [f"  > {line}" for line in event.notes.strip().splitlines()]
        lines.append(f"  (`activity/{event.file}`)")
    return "\n".join(lines) + "\n"


def _said(event: Event, account: Account, config: Config) -> str:
    currency = account.customer.currency
    touch = words.touch(event, currency, config)
    if touch is not None:
        _, who, what = touch
        return f"{what}" + (f" — {who}" if who else "")
    amount = getattr(event, "amount", None)
    reference = getattr(event, "reference", None)
    if isinstance(amount, Decimal):
        return f"received {format_money(amount, currency)}" + (
            f" ({reference})" if reference else ""
        )
    return event.kind
