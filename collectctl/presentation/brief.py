"""The brief: everything to know before dialing, as one typed view of an account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from msgspec import Struct, to_builtins
from msgspec.structs import replace

from collectctl.domain import contacts, invoices
from collectctl.domain.escalation import escalated, responsible_collector
from collectctl.domain.invoices import days_past_due, open_invoices
from collectctl.domain.models import Account, Call, CheckVoided, Config, Invoice, Promise
from collectctl.domain.money import normalize
from collectctl.domain.promises import installment_statuses
from collectctl.domain.schedule import follow_ups
from collectctl.domain.sent_reminders import last_reminder
from collectctl.ledger.accounts import Ledger
from collectctl.presentation import words
from collectctl.presentation.contexts import collector_context, opener_context, opener_template
from collectctl.presentation.templates import Templates


class CustomerLine(Struct, frozen=True):
    id: str
    name: str
    terms: int
    credit_limit: Decimal | None
    currency: str
    owner: str | None
    collector: str | None
    notes: str | None


class AskFor(Struct, frozen=True):
    name: str
    role: str | None
    phone: str | None
    email: str | None
    authorizes_payment: bool
    why: str
    why_code: str


class ContactLine(Struct, frozen=True):
    name: str
    role: str | None
    phone: str | None
    email: str | None
    authorizes_payment: bool


class DisputeLine(Struct, frozen=True):
    reason: str
    opened: date
    amount: Decimal | None
    notes: str | None


class InvoiceLine(Struct, frozen=True):
    number: str
    po: str | None
    issued: date
    due: date
    amount: Decimal
    balance: Decimal
    days_late: int
    dispute: DisputeLine | None


class PaymentLine(Struct, frozen=True):
    date: date
    amount: Decimal
    reference: str | None


class PromiseLine(Struct, frozen=True):
    made: date
    by: date
    amount: Decimal
    paid: Decimal
    status: str
    installment: str | None
    method: str | None
    contact: str | None


class CheckLine(Struct, frozen=True):
    number: str
    amount: Decimal
    mailed: date
    reported: date
    received: bool
    voided: str | None = None  # stopped | replaced | lost
    replacement: str | None = None


class ContactEvent(Struct, frozen=True):
    """One touch of the account: a call, an email, a promise, a note, a message, a
    dispute opened or resolved, an escalation."""

    date: date
    kind: str  # call | email | promise | note | message | dispute | escalation
    who: str | None
    outcome: str
    notes: str | None
    collector: str
    recording: str | None = None


class EscalationLine(Struct, frozen=True):
    to: str | None
    on: date
    by: str
    reason: str | None


class ReminderLine(Struct, frozen=True):
    """The last written reminder: what the customer will have seen before the call."""

    on: date
    level: int | None
    to: tuple[str, ...]
    invoices: tuple[str, ...]
    may_not_have_arrived: bool  # its send was interrupted


class FollowUpLine(Struct, frozen=True):
    date: date
    kind: str
    detail: str
    code: str


class Brief(Struct, frozen=True):
    customer: CustomerLine
    ask_for: AskFor | None
    spoke_to_last: str | None
    contacts: tuple[ContactLine, ...]
    balance: Decimal
    overdue: Decimal
    disputed: Decimal
    credit: Decimal
    aging: dict[str, Decimal]
    open_invoices: tuple[InvoiceLine, ...]
    payments: tuple[PaymentLine, ...]  # the last five, newest first
    average_days_to_pay: Decimal | None
    promises: tuple[PromiseLine, ...]  # newest first
    checks_mailed: tuple[CheckLine, ...]
    last_contacts: tuple[ContactEvent, ...]  # newest first: the last five, or all
    follow_ups: tuple[FollowUpLine, ...]
    opener: str
    escalation: EscalationLine | None = None  # while escalated: to whom, by whom, why
    reminder: ReminderLine | None = None  # the last written reminder, if any


def _invoice(invoice: Invoice, today: date) -> InvoiceLine:
    dispute = invoice.dispute
    return InvoiceLine(
        number=invoice.number,
        po=invoice.po,
        issued=invoice.issued,
        due=invoice.due,
        amount=invoice.amount,
        balance=invoice.balance,
        days_late=max(days_past_due(invoice, today), 0),
        dispute=None
        if dispute is None or dispute.resolved
        else DisputeLine(dispute.reason, dispute.opened, dispute.amount, dispute.notes),
    )


def _total(found: list[Invoice], currency: str) -> Decimal:
    return normalize(sum((i.balance for i in found), Decimal(0)), currency)


def brief_of(
    ledger: Ledger,
    customer_id: str,
    today: date,
    collector: str | None,
    everything: bool = False,
) -> Brief:
    """The brief of one account, its opener rendered for `collector` (default: whoever
    the account belongs to); with `everything`, every touch and payment, not the last five."""
    account, config = ledger.account(customer_id), ledger.config
    profile = collector_context(config, collector or responsible_collector(account))
    context = opener_context(account, config, today, profile)
    opener = Templates(ledger.root).render(opener_template(account, config, today), context)
    return build_brief(account, config, today, opener, everything)


def build_brief(
    account: Account, config: Config, today: date, opener: str, everything: bool = False
) -> Brief:
    shown = None if everything else 5
    customer = account.customer
    currency = customer.currency
    choice = contacts.contact_to_call(account)
    statuses = installment_statuses(account, config.policy, today)
    still_open = open_invoices(account)
    overdue = [i for i in still_open if days_past_due(i, today) > 0]
    money = invoices.receipts(account)
    contact = choice.contact
    return Brief(
        customer=CustomerLine(
            customer.id,
            customer.name,
            customer.terms,
            customer.credit_limit,
            currency,
            customer.owner,
            responsible_collector(account),
            customer.notes,
        ),
        ask_for=None
        if contact is None
        else AskFor(
            contact.name,
            contact.role,
            contact.phone,
            contact.email,
            contact.authorizes_payment,
            words.contact_choice(choice.code),
            choice.code,
        ),
        spoke_to_last=contacts.last_person_spoken_to(account),
        contacts=tuple(
            ContactLine(c.name, c.role, c.phone, c.email, c.authorizes_payment)
            for c in customer.contacts
        ),
        balance=_total(still_open, currency),
        overdue=normalize(sum((invoices.chased(i) for i in overdue), Decimal(0)), currency),
        disputed=normalize(sum((invoices.held(i) for i in still_open), Decimal(0)), currency),
        credit=normalize(invoices.unapplied_credit(account), currency),
        aging={
            bucket: normalize(amount, currency)
            for bucket, amount in invoices.aging(account, today).items()
        },
        open_invoices=tuple(_invoice(i, today) for i in still_open),
        payments=tuple(PaymentLine(r.date, r.amount, r.reference) for r in money[::-1][:shown]),
        average_days_to_pay=invoices.average_days_to_pay(account),
        promises=tuple(
            PromiseLine(
                made=s.promise.date,
                by=s.by,
                amount=s.amount,
                paid=normalize(s.paid, currency),
                status=s.status,
                installment=f"{s.number} of {s.count}" if s.count > 1 else None,
                method=s.promise.method,
                contact=s.promise.contact,
            )
            for s in reversed(statuses)
        ),
        checks_mailed=_checks(account, {r.reference for r in money}),
        last_contacts=_contacts(account, config)[:shown],
        follow_ups=tuple(
            FollowUpLine(f.date, f.kind, words.reason(f.reason, currency, config), f.reason.code)
            for f in follow_ups(account, config, today)
        ),
        opener=opener,
        escalation=_escalation(account),
        reminder=_reminder(account),
    )


def _reminder(account: Account) -> ReminderLine | None:
    sent = last_reminder(account)
    if sent is None:
        return None
    interrupted = sent.delivery == "interrupted"
    return ReminderLine(sent.date, sent.level, sent.to, sent.invoices, interrupted)


def _escalation(account: Account) -> EscalationLine | None:
    found = escalated(account)
    if found is None:
        return None
    return EscalationLine(found.to, found.date, found.collector, found.reason)


def _checks(account: Account, arrived: set[str | None]) -> tuple[CheckLine, ...]:
    voids = {e.number: e for e in account.events if type(e) is CheckVoided}
    found = []
    for event in reversed(account.events):
        if type(event) is Call and event.check is not None:
            check = event.check
            void = voids.get(check.number)
            found.append(
                CheckLine(
                    check.number,
                    check.amount,
                    check.mailed,
                    event.date,
                    check.number in arrived,
                    void.status if void else None,
                    void.replacement if void else None,
                )
            )
    return tuple(found)


def _contacts(account: Account, config: Config) -> tuple[ContactEvent, ...]:
    """Every touch of the account, newest first; a promise made on a call is that call's
    line, not a second one."""
    currency = account.customer.currency
    found: list[ContactEvent] = []
    for event in account.events:
        touch = words.touch(event, currency, config)
        if touch is None:
            continue
        kind, who, what = touch
        before = found[-1] if found else None
        on_the_call = before and (before.kind, before.outcome, before.date) == (
            "call",
            "promise",
            event.date,
        )
        if type(event) is Promise and before and on_the_call:
            found[-1] = replace(before, outcome=f"promise: {what}")
            continue
        notes = (event.notes or "").strip() or None
        recording = event.recording if type(event) is Call else None
        found.append(ContactEvent(event.date, kind, who, what, notes, event.collector, recording))
    return tuple(reversed(found))


def as_json(brief: Brief) -> dict[str, Any]:
    """The brief as plain dicts and lists, its dates and amounts kept for output.py."""
    found: dict[str, Any] = to_builtins(brief, builtin_types=(date, Decimal))
    return found
