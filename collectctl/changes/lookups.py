"""What the collector's records share: naming invoices and contacts of an account."""

from __future__ import annotations

from collectctl.changes import edits
from collectctl.changes.account_change import AccountEdit
from collectctl.domain.contacts import contact_to_call
from collectctl.domain.inputs import text_option
from collectctl.domain.models import Account, Invoice
from collectctl.errors import NotFoundError


def find_invoices(account: Account, numbers: list[str]) -> list[Invoice]:
    """The named invoices of an account, in the order named; an unknown one is an error."""
    found = []
    for number in numbers:
        invoice = account.find_invoice(number)
        if invoice is None:
            raise NotFoundError(f"{account.id} has no invoice {number}")
        found.append(invoice)
    return found


def resolve_contact(edit: AccountEdit, name: str | None) -> str | None:
    """The contact's name as the ledger spells it (by default, whom the policy would ask
    for); a new name joins customer.yaml in the same commit."""
    account = edit.account
    if name is None:
        contact = contact_to_call(account).contact
        return contact.name if contact else None
    name = text_option(name, "--contact")
    known = account.customer.find_contact(name)
    if known:
        return known.name
    edits.add_contact(edit, {"name": name})
    return name
