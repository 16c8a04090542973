"""dispute open | resolve: a dispute's life as events — opened on an invoice (the whole
balance or a part), resolved with a credit, rejected, or paid. Its state is read back
from the events (settle.py), never stored."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from msgspec import Struct

from collectctl.audit.identity import Identity
from collectctl.changes.account_change import AccountEdit, Clock, Outcome, account_change
from collectctl.changes.lookups import find_invoices
from collectctl.domain.inputs import amount_option, collector_option
from collectctl.domain.invoices import in_dispute
from collectctl.domain.models import Invoice
from collectctl.domain.money import format_money
from collectctl.errors import CollectctlError, UsageError
from collectctl.ledger.accounts import Ledger

RESOLUTIONS = ("credited", "rejected", "paid")


class DisputeOpening(Struct, frozen=True):
    reason: str
    amount: str | None = None  # the disputed part; default: the whole balance
    owner: str | None = None  # the collector who works it
    contact: str | None = None
    notes: str | None = None


def write_openings(
    edit: AccountEdit, invoices: list[Invoice], opening: DisputeOpening, option: str = "--amount"
) -> None:
    """One dispute event per invoice (log-call --outcome dispute and dispute open);
    `option` names the disputed amount in messages."""
    if opening.amount is not None and len(invoices) != 1:
        raise UsageError(f"{option} goes with exactly one --invoice")
    for invoice in invoices:
        if in_dispute(invoice) and invoice.dispute is not None:
            raise CollectctlError(
                f"{invoice.number} is already in dispute ({invoice.dispute.reason}, "
                f"since {invoice.dispute.opened})"
            )
        if invoice.balance <= 0:
            raise CollectctlError(f"{invoice.number} has no open balance to dispute")
        amount = None
        if opening.amount is not None:
            amount = amount_option(opening.amount, invoice.currency, option)
            if amount > invoice.balance:
                raise UsageError(f"{option} {amount} is more than the balance of {invoice.number}")
        record: dict[str, Any] = {
            "contact": opening.contact,
            "invoice": invoice.number,
            "reason": opening.reason,
            "amount": amount,
            "owner": opening.owner,
            "notes": opening.notes.strip().splitlines()[0] if opening.notes else None,
        }
        edit.write_event("dispute", record)


def open_dispute(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    clock: Clock,
    number: str,
    opening: DisputeOpening,
) -> Outcome:
    owner = collector_option(ledger.config, opening.owner, "--owner") if opening.owner else None
    opening = DisputeOpening(opening.reason, opening.amount, owner, opening.contact, opening.notes)
    with account_change(ledger, identity, customer_id, clock) as edit:
        [invoice] = find_invoices(edit.account, [number])
        write_openings(edit, [invoice], opening)
        currency = edit.account.customer.currency
        part = opening.amount and amount_option(opening.amount, currency, "--amount")
        held = format_money(part or invoice.balance, currency)
        edit.describe(
            f"dispute open {customer_id}: {number} ({opening.reason}), {held} held back", "dispute"
        )
    review = ledger.config.policy.dispute_review_days
    return edit.outcome((f"next: dispute-review in {review} days",))


def resolve_dispute(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    clock: Clock,
    number: str,
    *,
    outcome: str,
    credit: str | None,
    notes: str | None,
) -> Outcome:
    if outcome not in RESOLUTIONS:
        raise UsageError(f"--outcome {outcome}: use one of {', '.join(RESOLUTIONS)}")
    if (credit is not None) != (outcome == "credited"):
        raise UsageError("--credit AMOUNT goes with --outcome credited, and only with it")
    with account_change(ledger, identity, customer_id, clock) as edit:
        [invoice] = find_invoices(edit.account, [number])
        if not in_dispute(invoice) or invoice.dispute is None:
            raise CollectctlError(f"{number} has no open dispute")
        currency = edit.account.customer.currency
        amount = amount_option(credit, currency, "--credit") if credit is not None else None
        if amount is not None and amount > invoice.balance:
            raise UsageError(f"--credit {amount} is more than the balance of {number}")
        record = {"invoice": number, "resolution": outcome, "credit": amount, "notes": notes}
        edit.write_event("dispute", record)
        words = {
            "credited": f"credited {format_money(amount or Decimal(0), currency)}",
            "rejected": "rejected: the whole balance is owed",
            "paid": "paid",
        }[outcome]
        edit.describe(f"dispute resolve {customer_id}: {number} {words}", "dispute")
        left = invoice.balance - (amount or Decimal(0))
    return edit.outcome((f"{number}: {format_money(left, currency)} still open",))
