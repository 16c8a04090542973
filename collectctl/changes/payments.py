"""pay: money received, applied to invoices oldest first, the rest kept as credit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from msgspec.structs import replace

from collectctl.audit.identity import Identity
from collectctl.changes.account_change import Clock, Outcome, account_change
from collectctl.changes.lookups import find_invoices
from collectctl.domain.inputs import amount_option
from collectctl.domain.invoices import is_open, receipts
from collectctl.domain.models import Account, Call, Payment, Policy
from collectctl.domain.money import format_money
from collectctl.domain.promises import installment_statuses
from collectctl.domain.settle import settle
from collectctl.errors import CollectctlError, UsageError
from collectctl.ledger.accounts import Ledger
from collectctl.presentation.words import installment
from collectctl.storage.layout import ACTIVITY_DIR, INVOICES_FILE


@dataclass(frozen=True)
class PaymentReceived:
    """A payment as the collector typed it."""

    amount: str
    received: date | None = None  # default: today
    reference: str | None = None
    method: str | None = None
    invoices: list[str] = field(default_factory=list)  # default: oldest first
    allow_duplicate_reference: bool = False  # a second payment under the same reference


def record_payment(
    ledger: Ledger, identity: Identity, customer_id: str, clock: Clock, payment: PaymentReceived
) -> Outcome:
    """One payment event: what arrived, when, and the invoices the payer named. How it
    applies is worked out whenever the ledger is read, so payments recorded on two
    branches merge into the right balances."""
    received = payment.received or clock.today
    if received > clock.today:
        raise UsageError(f"--date {received} is in the future (today is {clock.today})")
    config, reference = ledger.config, payment.reference
    with account_change(ledger, identity, customer_id, clock) as edit:
        account = edit.account
        currency = account.customer.currency
        total = amount_option(payment.amount, currency, "--amount")
        if reference and not payment.allow_duplicate_reference:
            _refuse_a_repeated_reference(account, reference)
        named = find_invoices(account, payment.invoices)
        paid = [i.number for i in named if not is_open(i)]
        if paid:
            raise CollectctlError(f"invoice {paid[0]} has no open balance")
        record: dict[str, Any] = {
            "amount": total,
            "reference": reference,
            "method": payment.method,
            "invoices": [i.number for i in named],
            "duplicate_reference": True if payment.allow_duplicate_reference else None,
        }
        name = edit.write_event("payment", record, on=received)
        ref = f" ({payment.method + ' ' if payment.method else ''}{reference})" if reference else ""
        edit.describe(
            f"pay {customer_id}: {format_money(total, currency)} received {received}{ref}", "pay"
        )
        new = Payment(
            file=name,
            date=received,
            collector=identity.collector_id,
            amount=total,
            reference=reference,
            named=tuple(record["invoices"]),
        )
        details = _what_it_did(account, new, config.policy, clock.today)
    return edit.outcome(details)


def _what_it_did(account: Account, payment: Payment, policy: Policy, today: date) -> list[str]:
    """Invoices paid in full or still open, credit left, a mailed check arriving, promises
    kept: the account settled with the payment, against the account before it."""
    events = sorted((*account.events, payment), key=lambda e: (e.date, e.file))
    after, _ = settle(replace(account, events=tuple(events)))
    applied = next(e for e in after.events if e.file == payment.file)
    assert type(applied) is Payment
    currency = account.customer.currency
    details = []
    for share in applied.applied:
        invoice = after.find_invoice(share.invoice)
        if invoice is None or invoice.balance <= 0:
            details.append(f"{share.invoice} paid in full")
        else:
            details.append(f"{share.invoice}: {format_money(invoice.balance, currency)} still open")
    if applied.unapplied > 0:
        details.append(f"unapplied credit: {format_money(applied.unapplied, currency)}")
    for call in account.events:
        if type(call) is Call and call.check and payment.reference == call.check.number:
            details.append(f"check #{payment.reference} arrived: its follow-up is closed")
    before = installment_statuses(account, policy, today)
    for old, new in zip(before, installment_statuses(after, policy, today), strict=False):
        if new.status == "kept" and old.status != "kept":
            details.append(installment(new, currency))
    return details


def _refuse_a_repeated_reference(account: Account, reference: str) -> None:
    """A check or remittance is received once: the same reference twice for one customer
    is almost always the same money typed twice (or recorded on two branches)."""
    earlier = next(
        (e for e in account.events if type(e) is Payment and e.reference == reference), None
    )
    if earlier is not None:
        amount = format_money(earlier.amount, account.customer.currency)
        where = f"{ACTIVITY_DIR}/{earlier.file}: {amount} on {earlier.date}"
    elif any(r.reference == reference for r in receipts(account)):
        where = f"{INVOICES_FILE}"
    else:
        return
    raise CollectctlError(
        f"reference {reference} is already recorded for {account.id} ({where}); "
        "pass --allow-duplicate-reference if this is another payment under it"
    )
