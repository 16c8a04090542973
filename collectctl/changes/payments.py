"""pay: money received, applied to invoices oldest first, the rest kept as credit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from collectctl.audit.identity import Identity
from collectctl.changes import edits
from collectctl.changes.account_change import Clock, Outcome, account_change
from collectctl.changes.lookups import find_invoices
from collectctl.domain.inputs import amount_option
from collectctl.domain.invoices import in_dispute, is_open, open_invoices, receipts
from collectctl.domain.models import Account, Call, Payment
from collectctl.domain.money import format_money
from collectctl.domain.promises import installment_statuses
from collectctl.errors import CollectctlError, UsageError
from collectctl.ledger.accounts import Ledger
from collectctl.ledger.read import read_account
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
        if payment.invoices:
            targets = find_invoices(account, payment.invoices)
            paid = [i.number for i in targets if not is_open(i)]
            if paid:
                raise CollectctlError(f"invoice {paid[0]} has no open balance")
        else:  # oldest first; disputed invoices last
            targets = sorted(open_invoices(account), key=in_dispute)
        before = installment_statuses(account, config.policy, clock.today)

        remaining, details = total, []
        applied: list[dict[str, Any]] = []
        for invoice in targets:
            if remaining <= 0:
                break
            share = min(remaining, invoice.balance)
            remaining -= share
            applied.append({"invoice": invoice.number, "amount": share})
            entry: dict[str, Any] = {"date": received, "amount": share}
            if reference:
                entry["reference"] = reference
            settled = share == invoice.balance
            edits.apply_payment(edit, invoice.number, entry, settled)
            if settled:
                details.append(f"{invoice.number} paid in full")
            else:
                still_open = format_money(invoice.balance - share, currency)
                details.append(f"{invoice.number}: {still_open} still open")
        if applied:
            edits.save_invoices(edit)
        if remaining > 0:
            details.append(f"unapplied credit: {format_money(remaining, currency)}")
        edit.write_event(
            "payment",
            {
                "amount": total,
                "reference": reference,
                "method": payment.method,
                "applied": applied,
                "unapplied": remaining if remaining > 0 else None,
                "duplicate_reference": True if payment.allow_duplicate_reference else None,
            },
        )
        for call in account.events:
            if isinstance(call, Call) and call.check and reference == call.check.number:
                details.append(f"check #{reference} arrived: its follow-up is closed")
        ref = f" ({payment.method + ' ' if payment.method else ''}{reference})" if reference else ""
        edit.describe(
            f"pay {customer_id}: {format_money(total, currency)} received {received}{ref}", "pay"
        )
    after = installment_statuses(read_account(ledger.root, customer_id), config.policy, clock.today)
    for old, new in zip(before, after, strict=False):
        if new.status == "kept" and old.status != "kept":
            details.append(installment(new, currency))
    return edit.outcome(details)


def _refuse_a_repeated_reference(account: Account, reference: str) -> None:
    """A check or remittance is received once: the same reference twice for one customer
    is almost always the same money typed twice (or recorded on two branches)."""
    earlier = next(
        (e for e in account.events if isinstance(e, Payment) and e.reference == reference), None
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
