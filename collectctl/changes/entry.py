"""Hand entry: customer add, contact add, invoice add. Each is one commit.

The checks are apart from the edits, so an importer applies the same rules to every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from collectctl.audit.identity import Identity
from collectctl.audit.sparse import invoice_holder_outside
from collectctl.changes import edits
from collectctl.changes.account_change import Outcome, account_change, ledger_change
from collectctl.domain.inputs import amount_option, collector_option
from collectctl.domain.models import Account
from collectctl.domain.money import format_money
from collectctl.errors import CollectctlError, UsageError
from collectctl.ledger.accounts import Ledger
from collectctl.storage.layout import valid_invoice_number


def add_customer(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    *,
    name: str,
    terms: int | None,
    currency: str | None,
    credit_limit: str | None,
    owner: str | None,
) -> Outcome:
    config = ledger.config
    record: dict[str, Any] = {"name": name, "terms": terms or config.terms}
    record["currency"] = currency or config.currency
    if credit_limit is not None:  # in the customer's currency: no extra decimals rounded off
        record["credit_limit"] = amount_option(credit_limit, record["currency"], "--credit-limit")
    if owner:
        record["owner"] = collector_option(config, owner, "--owner")
    with ledger_change(ledger, identity) as change:
        edits.create_customer(change, customer_id, record)
        change.describe(
            f"customer add {customer_id}: {name}, net {record['terms']} {record['currency']}",
            "customer-add",
            customer_id,
        )
    return change.outcome()


def add_contact(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    *,
    name: str,
    role: str | None,
    phone: str | None,
    email: str | None,
    authorizes_payment: bool,
) -> Outcome:
    with account_change(ledger, identity, customer_id) as edit:
        if edit.account.customer.find_contact(name):
            raise CollectctlError(f"{customer_id} already has a contact named {name!r}")
        contact: dict[str, Any] = {"name": name}
        for key, value in (("role", role), ("phone", phone), ("email", email)):
            if value:
                contact[key] = value
        if authorizes_payment:
            contact["authorizes_payment"] = True
        edits.add_contact(edit, contact)
        details = ", ".join(
            filter(None, [role, "authorizes payments" if authorizes_payment else None])
        )
        edit.describe(
            f"contact add {customer_id}: {name}" + (f" ({details})" if details else ""),
            "contact-add",
        )
    return edit.outcome()


@dataclass(frozen=True)
class InvoiceEntry:
    """An invoice as a person or an export gives it, before it is checked."""

    number: str
    amount: str
    issued: date
    due: date | None = None
    po: str | None = None


def check_invoice_number(number: str) -> None:
    if not valid_invoice_number(number):
        raise UsageError(
            f"invalid invoice number {number!r}: use letters, digits and . _ # / - "
            "(starting with a letter or digit)"
        )


def invoice_record(account: Account, entry: InvoiceEntry, owner: str | None) -> dict[str, Any]:
    """The invoice as invoices.yaml holds it, once it passes every rule; `owner` is the
    other customer that already has this number, if any."""
    check_invoice_number(entry.number)
    customer = account.customer
    amount = amount_option(entry.amount, customer.currency, "--amount")
    if owner is not None and owner != account.id:
        raise CollectctlError(f"invoice {entry.number} already belongs to {owner}")
    if account.find_invoice(entry.number):
        raise CollectctlError(f"{account.id} already has invoice {entry.number}")
    due = entry.due or entry.issued + timedelta(days=customer.terms)
    if due < entry.issued:
        raise UsageError(f"--due {due} is before --issued {entry.issued}")
    record: dict[str, Any] = {"number": entry.number}
    if entry.po:
        record["po"] = entry.po
    record.update(issued=entry.issued, due=due, amount=amount, status="open")
    return record


def invoice_owner(ledger: Ledger, number: str) -> str | None:
    """The customer holding an invoice number, if any (numbers are unique ledger-wide,
    so a sparse clone also asks git about the accounts it does not hold)."""
    found = next((a.id for a in ledger.accounts.values() if a.find_invoice(number)), None)
    return found or invoice_holder_outside(ledger.root, number)


def add_invoice(
    ledger: Ledger, identity: Identity, customer_id: str, entry: InvoiceEntry
) -> Outcome:
    check_invoice_number(entry.number)
    with account_change(ledger, identity, customer_id) as edit:
        owner = invoice_owner(edit.parent.whole_ledger(), entry.number)  # under the lock
        record = invoice_record(edit.account, entry, owner)
        edits.add_invoice(edit, record)
        currency = edit.account.customer.currency
        edit.describe(
            f"invoice add {customer_id}: {entry.number} for "
            f"{format_money(record['amount'], currency)} due {record['due']}",
            "invoice-add",
        )
    return edit.outcome()
