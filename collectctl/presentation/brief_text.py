"""The brief for people: plain text for the terminal, or markdown for notes and chat."""

from __future__ import annotations

import textwrap
from decimal import Decimal

from msgspec.structs import asdict

from collectctl.domain.money import format_amount
from collectctl.presentation.brief import Brief, DisputeLine
from collectctl.presentation.output import Column, screen_width, table


class _Page:
    """Lines of the brief, with headings and tables in the chosen flavour."""

    def __init__(self, currency: str, markdown: bool):
        self.currency = currency
        self.markdown = markdown
        self.width = None if markdown else screen_width()
        self.lines: list[str] = []

    def money(self, value: Decimal | None) -> str:
        return "" if value is None else format_amount(value, self.currency)

    def heading(self, title: str) -> None:
        self.lines.append(f"\n## {title}\n" if self.markdown else f"\n{title.upper()}")

    def grid(self, rows: list[dict[str, object]], columns: list[Column]) -> None:
        self.lines.append(table(rows, columns, markdown=self.markdown))

    def add(self, *lines: str) -> None:
        """Lines of text; on a screen, each wrapped to its width, the rest indented."""
        if self.width is None:
            self.lines.extend(lines)
            return
        for line in lines:
            indent = " " * (len(line) - len(line.lstrip()) + 2)
            wrapped = textwrap.wrap(line, self.width, subsequent_indent=indent)
            self.lines.extend(wrapped or [line])

    def facts(self, *lines: str) -> None:
        """Lines that each say one thing: in markdown, paragraphs of their own."""
        if self.markdown:
            self.lines.append("\n\n".join(lines))
        else:
            self.add(*lines)


def brief_text(brief: Brief, markdown: bool = False) -> str:
    customer = brief.customer
    page = _Page(customer.currency, markdown)
    _header(page, brief)
    _ask_for(page, brief)
    page.heading("Aging")
    page.grid(
        [{k: page.money(v) for k, v in brief.aging.items()}],
        [Column(k, k, "right") for k in brief.aging],
    )
    _open_invoices(page, brief)
    _payments(page, brief)
    _promises(page, brief)
    _contacts(page, brief)
    if customer.notes:
        page.heading("Notes")
        page.add(customer.notes.rstrip())
    page.heading("Opener")
    opener = brief.opener.rstrip()
    if markdown:
        opener = "\n".join(f"> {line}" if line else ">" for line in opener.splitlines())
    page.add(opener)
    return "\n".join(page.lines) + "\n"


def _header(page: _Page, brief: Brief) -> None:
    customer, money, currency = brief.customer, page.money, page.currency
    title = f"{customer.name} ({customer.id})"
    page.add(f"# {title}" if page.markdown else title)
    limit = money(customer.credit_limit) or "none"
    facts = [
        f"Terms net {customer.terms} · credit limit {limit} {currency} · "
        f"collector {customer.collector or 'unassigned'}",
        f"Open {money(brief.balance)} {currency} · overdue {money(brief.overdue)}"
        + (f" · in dispute {money(brief.disputed)}" if brief.disputed else "")
        + (f" · unapplied credit {money(brief.credit)}" if brief.credit else ""),
    ]
    escalation = brief.escalation
    if escalation is not None:
        why = f": {escalation.reason}" if escalation.reason else ""
        facts.append(
            f"Escalated to {escalation.to or 'the credit manager'} on {escalation.on} "
            f"by {escalation.by}{why}"
        )
    reminder = brief.reminder
    if reminder is not None:
        doubt = " (interrupted: it may not have arrived)" if reminder.may_not_have_arrived else ""
        facts.append(
            f"Reminder level {reminder.level} emailed {reminder.on} to {', '.join(reminder.to)} "
            f"about {', '.join(reminder.invoices)}{doubt}"
        )
    page.facts(*facts)


def _ask_for(page: _Page, brief: Brief) -> None:
    page.heading("Ask for")
    ask = brief.ask_for
    if ask:
        approves = "approves payments" if ask.authorizes_payment else "does not approve payments"
        # why them, unless the parenthesis just said it ("approves payments")
        why = "" if ask.why_code == "authorizes-payments" else f" — {ask.why}"
        page.facts(
            f"{ask.name} ({ask.role or 'no role'}, {approves}){why}",
            f"phone {ask.phone or '-'} · email {ask.email or '-'}",
        )
    else:
        page.add("no contact on file")
    if brief.spoke_to_last:
        page.add(f"Spoke to last time: {brief.spoke_to_last}")
    for c in brief.contacts:
        if not ask or c.name != ask.name:
            page.add(f"also: {c.name} ({c.role or 'no role'}) {c.phone or ''}".rstrip())


def _open_invoices(page: _Page, brief: Brief) -> None:
    page.heading("Open invoices")
    if not brief.open_invoices:
        page.add("none")
        return
    rows = [
        asdict(i)
        | {
            "amount": page.money(i.amount),
            "balance": page.money(i.balance),
            "dispute": _dispute_words(i.dispute, page),
        }
        for i in brief.open_invoices
    ]
    page.grid(
        rows,
        [
            Column("number", "INVOICE"),
            Column("po", "PO"),
            Column("due", "DUE"),
            Column("amount", "AMOUNT", "right"),
            Column("balance", "BALANCE", "right"),
            Column("days_late", "DAYS LATE", "right"),
            Column("dispute", "DISPUTE"),
        ],
    )


def _dispute_words(dispute: DisputeLine | None, page: _Page) -> str:
    if dispute is None:
        return ""
    amount = f" {page.money(dispute.amount)}" if dispute.amount else ""
    return f"{dispute.reason}{amount} since {dispute.opened}"


def _payments(page: _Page, brief: Brief) -> None:
    page.heading("Payments")
    average = brief.average_days_to_pay
    page.add(f"Average days to pay: {average if average is not None else 'no history'}")
    for payment in brief.payments:
        reference = payment.reference or ""
        page.add(f"{payment.date}  {page.money(payment.amount):>12}  {reference}".rstrip())


def _promises(page: _Page, brief: Brief) -> None:
    page.heading("Promises")
    if not brief.promises:
        page.add("none")
    else:
        rows = [
            asdict(p) | {"amount": page.money(p.amount), "paid": page.money(p.paid)}
            for p in brief.promises
        ]
        page.grid(
            rows,
            [
                Column("made", "MADE"),
                Column("by", "BY"),
                Column("amount", "AMOUNT", "right"),
                Column("paid", "PAID", "right"),
                Column("status", "STATUS"),
                Column("installment", "PART"),
                Column("method", "METHOD"),
                Column("contact", "WHO"),
            ],
        )
    if brief.checks_mailed:
        page.heading("Checks reported mailed")
        for check in brief.checks_mailed:
            state = "received" if check.received else "NOT RECEIVED"
            if check.voided and not check.received:
                state = check.voided
                if check.replacement:
                    state = f"replaced by #{check.replacement}"
            page.add(
                f"#{check.number}  {page.money(check.amount)}  mailed {check.mailed} "
                f"(reported {check.reported}): {state}"
            )


def _contacts(page: _Page, brief: Brief) -> None:
    page.heading("Last contacts")
    if not brief.last_contacts:
        page.add("never contacted")
    for contact in brief.last_contacts:
        who = f" {contact.who}" if contact.who else ""
        page.add(f"{contact.date} {contact.kind}{who}: {contact.outcome} ({contact.collector})")
        if contact.recording:
            page.add(f"    recording: {contact.recording}")
        if contact.notes:
            page.add(*(f"    {line}" for line in contact.notes.splitlines()))
    if brief.follow_ups:
        page.heading("Follow-ups")
        for follow_up in brief.follow_ups:
            page.add(f"{follow_up.date} {follow_up.kind}: {follow_up.detail}")
