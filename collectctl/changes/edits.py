"""The YAML edits changes share: each keeps the file's comments, order and layout."""

from __future__ import annotations

from typing import Any

from collectctl.changes.account_change import AccountEdit, LedgerChange
from collectctl.errors import CollectctlError
from collectctl.storage import store


def add_contact(edit: AccountEdit, record: dict[str, Any]) -> None:
    """Append a contact to customer.yaml."""
    path = edit.layout.customer_file(edit.id)
    document = edit.document(path)
    contacts = document.data.get("contacts")
    if contacts is None:
        document.data["contacts"] = store.to_yaml_node([record])
    else:
        contacts.append(store.to_yaml_node(record))
    edit.save(path)


def add_invoice(edit: AccountEdit, record: dict[str, Any]) -> None:
    """Append an invoice to invoices.yaml, creating the file for a first invoice."""
    layout = edit.layout
    path = layout.invoices_file(edit.id)
    if not path.exists():
        edit.parent.write(path, store.to_yaml_text({"invoices": [record]}))
        return
    document = edit.document(path)
    if document.data is None or document.data.get("invoices") is None:
        raise CollectctlError(f"{layout.rel(path)} has no 'invoices:' list to add to")
    document.data["invoices"].append(store.to_yaml_node(record))
    edit.save(path)


def invoice_node(edit: AccountEdit, number: str) -> Any:
    """One invoice's mapping in invoices.yaml, to edit in place (then `save_invoices`)."""
    document = edit.document(edit.layout.invoices_file(edit.id))
    return next(node for node in document.data["invoices"] if str(node["number"]) == number)


def save_invoices(edit: AccountEdit) -> None:
    edit.save(edit.layout.invoices_file(edit.id))


def open_dispute(edit: AccountEdit, number: str, dispute: dict[str, Any]) -> None:
    invoice_node(edit, number)["dispute"] = store.to_yaml_node(dispute)


def apply_payment(edit: AccountEdit, number: str, entry: dict[str, Any], settled: bool) -> None:
    node = invoice_node(edit, number)
    if "payments" in node and node["payments"] is not None:
        node["payments"].append(store.to_yaml_node(entry))
    else:
        node["payments"] = store.to_yaml_node([entry])
    if settled:
        node["status"] = "paid"


def create_customer(change: LedgerChange, customer_id: str, record: dict[str, Any]) -> None:
    """A new customer folder with its customer.yaml."""
    layout = change.layout
    path = layout.customer_file(customer_id)
    if path.parent.exists():
        raise CollectctlError(f"customer '{customer_id}' already exists ({layout.rel(path)})")
    change.write(path, store.to_yaml_text(record))
