"""An account settled from its events: how each payment applies, what is left as credit,
which disputes are open, and each invoice's status. Nothing of this is stored: two
collectors' payments recorded on two branches merge as two event files, and reading the
merged ledger applies them in order, so a balance is always the sum of the events.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from msgspec import Struct
from msgspec.structs import replace

from collectctl.domain.models import (
    Account,
    Allocation,
    AppliedPayment,
    Dispute,
    DisputeEvent,
    Event,
    Invoice,
    Payment,
    due_order,
)

ZERO = Decimal(0)


class Spill(Struct, frozen=True):
    """A payment that named an invoice with nothing left to pay on it (paid by a payment
    recorded before it, on this branch or another): the rest became credit."""

    payment: str  # its file
    invoice: str
    amount: Decimal  # what could not apply there


def settle(account: Account) -> tuple[Account, list[Spill]]:
    """The account with payments applied, disputes and statuses worked out; and the
    payments whose named invoices were already paid."""
    disputes = dispute_history(account.events)
    invoices = {invoice.number: invoice for invoice in account.invoices}
    balance = {i.number: ZERO if i.status == "void" else i.amount for i in account.invoices}
    received: dict[str, list[AppliedPayment]] = {number: [] for number in invoices}
    oldest_first = sorted(account.invoices, key=due_order)
    credited = dict.fromkeys(invoices, ZERO)
    spills: list[Spill] = []
    events: list[Event] = []
    for event in account.events:
        if type(event) is DisputeEvent and event.credit and event.invoice in balance:
            credit = min(event.credit, max(balance[event.invoice], ZERO))
            balance[event.invoice] -= credit
            credited[event.invoice] += credit
        if type(event) is Payment:
            event = _apply(event, balance, oldest_first, disputes, spills)
            for share in event.applied:
                received[share.invoice].append(
                    AppliedPayment(event.date, share.amount, event.reference)
                )
        events.append(event)
    settled = tuple(
        replace(
            i,
            status=_status(i, balance[i.number]),
            payments=tuple(received[i.number]),
            dispute=_latest(disputes.get(i.number)),
            credited=credited[i.number],
        )
        for i in account.invoices
    )
    return Account(account.customer, settled, tuple(events)), spills


def _apply(
    payment: Payment,
    balance: dict[str, Decimal],
    oldest_first: list[Invoice],
    disputes: dict[str, list[Dispute]],
    spills: list[Spill],
) -> Payment:
    """Explicit amounts first, then the invoices the payer named (the rest is credit);
    a payment naming nothing goes to the oldest open invoices, undisputed ones first,
    unless the books hold it on account (then it is credit until a payment says otherwise)."""
    remaining = payment.amount
    if len(payment.named) == 1 and not payment.explicit:
        # the common case, written out: one named invoice with enough open to take it all
        number = payment.named[0]
        if balance.get(number, ZERO) >= remaining > 0:
            balance[number] -= remaining
            return _settled(payment, (Allocation(number, remaining),), remaining - remaining, ())
    shares: dict[str, Decimal] = {}
    spilled: list[Allocation] = []

    def take(number: str, wanted: Decimal) -> Decimal:
        share = min(wanted, balance.get(number, ZERO), remaining)
        if share > 0:
            balance[number] -= share
            shares[number] = shares.get(number, ZERO) + share
        return share

    for allocation in payment.explicit:
        remaining -= take(allocation.invoice, allocation.amount)
    for number in payment.named:
        if balance.get(number, ZERO) <= 0 and remaining > 0:
            spills.append(Spill(payment.file, number, remaining))
            spilled.append(Allocation(number, remaining))
        remaining -= take(number, remaining)
    if not payment.explicit and not payment.named and not payment.on_account:
        ordered = sorted(oldest_first, key=lambda i: _open_on(disputes, i.number, payment.date))
        for invoice in ordered:
            if remaining <= 0:
                break
            remaining -= take(invoice.number, remaining)
    applied = tuple(Allocation(number, amount) for number, amount in shares.items())
    if not applied and not remaining and not payment.applied:
        return payment
    return _settled(payment, applied, remaining, tuple(spilled))


def _settled(
    payment: Payment,
    applied: tuple[Allocation, ...],
    unapplied: Decimal,
    spilled: tuple[Allocation, ...],
) -> Payment:
    """The payment with its applications (a copy: events are frozen)."""
    return replace(payment, applied=applied, unapplied=unapplied, spilled=spilled)


def dispute_history(events: tuple[Event, ...]) -> dict[str, list[Dispute]]:
    """Every dispute by invoice, oldest first: opened by a dispute event, resolved by a
    later one carrying `resolution:`."""
    found: dict[str, list[Dispute]] = {}
    for event in events:
        if type(event) is not DisputeEvent:
            continue
        history = found.setdefault(event.invoice, [])
        current = history[-1] if history and history[-1].resolved is None else None
        if event.resolution is not None:
            if current is not None:
                history[-1] = replace(
                    current, resolved=event.date, outcome=event.resolution, credit=event.credit
                )
        elif current is None and event.reason is not None:
            history.append(
                Dispute(event.reason, event.date, event.amount, None, event.notes, event.owner)
            )
    return found


def _latest(history: list[Dispute] | None) -> Dispute | None:
    return history[-1] if history else None


def _open_on(disputes: dict[str, list[Dispute]], number: str, day: date) -> bool:
    """Whether the invoice was in dispute on `day` (payments go to undisputed ones first)."""
    return any(
        d.opened <= day and (d.resolved is None or d.resolved > day)
        for d in disputes.get(number, ())
    )


def _status(invoice: Invoice, balance: Decimal) -> str:
    if invoice.status == "void":
        return "void"
    return "paid" if balance <= 0 else "open"
