"""What a shell completes from a ledger: customer ids, a customer's contact names and
invoice numbers, collector ids. Read straight from the few files that hold them — no
cache, no git, no settling — so a tab press stays instant on 10,000 customers; a ledger
that cannot be read completes nothing rather than printing into the user's prompt."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from collectctl.errors import CollectctlError
from collectctl.ledger import loader
from collectctl.storage import store
from collectctl.storage.layout import Layout, valid_slug

_QUIET = (CollectctlError, OSError, ValueError)


def customer_ids(root: Path) -> list[str]:
    return loader.customer_ids(Layout(root), [])


def contact_names(root: Path, customer_id: str) -> list[str]:
    raw = _read(Layout(root).customer_file(customer_id), customer_id)
    return _values(raw.get("contacts") if isinstance(raw, dict) else None, "name")


def invoice_numbers(root: Path, customer_id: str) -> list[str]:
    raw = _read(Layout(root).invoices_file(customer_id), customer_id)
    return _values(raw.get("invoices") if isinstance(raw, dict) else None, "number")


def collector_ids(root: Path) -> list[str]:
    raw = _read(Layout(root).config, None)
    found = raw.get("collectors") if isinstance(raw, dict) else None
    return _values(found, "id")


def _read(path: Path, customer_id: str | None) -> Any:
    if customer_id is not None and not valid_slug(customer_id):
        return None  # never a path built from whatever was typed
    try:
        return store.read(path, path.name)
    except _QUIET:
        return None


def _values(items: Iterable[Any] | None, key: str) -> list[str]:
    if not isinstance(items, list):
        return []
    return [str(item[key]) for item in items if isinstance(item, dict) and item.get(key)]
