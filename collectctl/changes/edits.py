"""The YAML edits changes share: each keeps the file's comments, order and layout."""

from __future__ import annotations

from typing import Any

from collectctl.changes.account_change import AccountEdit, LedgerChange
from collectctl.errors import CollectctlError
from collectctl.storage import store


def add_contact(edit: AccountEdit, record: dict[str, Any]) -> None:
    """Append a contact to customer.yaml."""
    path = edit.layout.customer_file(edit.id)
    append_items(edit.document(path).data, "contacts", [record])
    edit.save(path)


def append_items(data: Any, key: str, records: list[dict[str, Any]]) -> None:
    """Append records to the list under `key` of a round-trip document, starting it when
    the file has none."""
    items = data.get(key)
    if items is None:
        data[key] = store.to_yaml_node(records)
    else:
        items.extend(store.to_yaml_node(records))


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


def create_customer(change: LedgerChange, customer_id: str, record: dict[str, Any]) -> None:
    """A new customer folder with its customer.yaml."""
    layout = change.layout
    path = layout.customer_file(customer_id)
    if path.parent.exists():
        raise CollectctlError(f"customer '{customer_id}' already exists ({layout.rel(path)})")
    change.write(path, store.to_yaml_text(record))
