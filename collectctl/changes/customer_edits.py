"""contact edit | remove, customer edit: keeping the people and the terms current. Each
changes customer.yaml in place (round-trip, so comments and order survive), one commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from collectctl.audit.identity import Identity
from collectctl.changes.account_change import Outcome, account_change
from collectctl.domain.inputs import (
    address_option,
    amount_option,
    as_option,
    calling_hours,
    check_timezone,
    collector_option,
    text_option,
)
from collectctl.domain.models import Account
from collectctl.errors import CollectctlError, NotFoundError, UsageError
from collectctl.ledger.accounts import Ledger

UNSET = "-"  # `--phone -` clears a field


@dataclass(frozen=True)
class ContactChanges:
    rename: str | None = None
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    authorizes_payment: bool | None = None
    timezone: str | None = None
    hours: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class CustomerChanges:
    name: str | None = None
    terms: int | None = None
    owner: str | None = None
    credit_limit: str | None = None
    notes: str | None = None
    books_id: str | None = None
    timezone: str | None = None
    hours: str | None = None
    reminders: bool | None = None  # False: no written reminders (no_reminders: true)


def edit_contact(
    ledger: Ledger, identity: Identity, customer_id: str, name: str, changes: ContactChanges
) -> Outcome:
    values = _contact_values(changes)
    if not values and changes.rename is None:
        raise UsageError("nothing to change: give --phone, --email, --role, --rename, …")
    with account_change(ledger, identity, customer_id) as edit:
        contact = _contact(edit.account, name)
        path = edit.layout.customer_file(customer_id)
        item = _contact_item(edit.document(path).data, contact.name)
        if changes.rename is not None:
            new = text_option(changes.rename, "--rename")
            other = edit.account.customer.find_contact(new)
            if other is not None and other is not contact:
                raise CollectctlError(f"{customer_id} already has a contact named {other.name!r}")
            item["name"] = new
            item["formerly"] = [*contact.formerly, contact.name]  # events keep the old name
        _apply(item, values)
        edit.save(path)
        what = ", ".join(sorted(values) + (["name"] if changes.rename else []))
        edit.describe(f"contact edit {customer_id}: {contact.name}: {what}", "contact-edit")
    return edit.outcome()


def remove_contact(ledger: Ledger, identity: Identity, customer_id: str, name: str) -> Outcome:
    """Gone from the customer.yaml if no event names them; else kept for the history as
    inactive, never asked for again."""
    with account_change(ledger, identity, customer_id) as edit:
        account = edit.account
        contact = _contact(account, name)
        path = edit.layout.customer_file(customer_id)
        data = edit.document(path).data
        named = any(
            e.contact and account.customer.find_contact(e.contact) is contact
            for e in account.events
        )
        if named:
            _contact_item(data, contact.name)["inactive"] = True
            words = "kept as inactive (events name them)"
        else:
            data["contacts"].remove(_contact_item(data, contact.name))
            if not data["contacts"]:
                del data["contacts"]
            words = "removed"
        edit.save(path)
        edit.describe(f"contact remove {customer_id}: {contact.name} {words}", "contact-remove")
    return edit.outcome()


def edit_customer(
    ledger: Ledger, identity: Identity, customer_id: str, changes: CustomerChanges
) -> Outcome:
    config = ledger.config
    with account_change(ledger, identity, customer_id) as edit:
        currency = edit.account.customer.currency
        values: dict[str, Any] = {}
        if changes.name is not None:
            values["name"] = text_option(changes.name, "--name")
        if changes.terms is not None:
            values["terms"] = changes.terms
        if changes.owner is not None:
            values["owner"] = _or_unset(
                changes.owner, lambda v: collector_option(config, v, "--owner")
            )
        if changes.credit_limit is not None:
            values["credit_limit"] = _or_unset(
                changes.credit_limit, lambda v: amount_option(v, currency, "--credit-limit")
            )
        for key in ("notes", "books_id"):
            value = getattr(changes, key)
            if value is not None:
                values[key] = _or_unset(value, lambda v, k=key: text_option(v, f"--{k}"))
        values |= _zone_values(changes.timezone, changes.hours)
        if changes.reminders is not None:  # the default (reminders) is the key's absence
            values["no_reminders"] = None if changes.reminders else True
        if not values:
            raise UsageError("nothing to change: give --terms, --owner, --credit-limit, …")
        path = edit.layout.customer_file(customer_id)
        _apply(edit.document(path).data, values)
        edit.save(path)
        edit.describe(f"customer edit {customer_id}: {', '.join(sorted(values))}", "customer-edit")
    return edit.outcome()


def _contact_values(changes: ContactChanges) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if changes.role is not None:
        values["role"] = _or_unset(changes.role, lambda v: text_option(v, "--role"))
    if changes.phone is not None:
        values["phone"] = _or_unset(changes.phone, lambda v: text_option(v, "--phone"))
    if changes.email is not None:
        values["email"] = _or_unset(changes.email, lambda v: address_option(v, "--email"))
    if changes.notes is not None:
        values["notes"] = _or_unset(changes.notes, lambda v: text_option(v, "--notes"))
    if changes.authorizes_payment is not None:
        values["authorizes_payment"] = True if changes.authorizes_payment else None
    return values | _zone_values(changes.timezone, changes.hours)


def _zone_values(timezone: str | None, hours: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if timezone is not None:
        values["timezone"] = _or_unset(
            timezone, lambda v: as_option(check_timezone, v, "--timezone")
        )
    if hours is not None:
        values["hours"] = _or_unset(hours, lambda v: _hours(v))
    return values


def _hours(text: str) -> str:
    start, end = as_option(calling_hours, text, "--hours")
    return f"{start:%H:%M}-{end:%H:%M}"


def _or_unset(value: str, check: Any) -> Any:
    """None (the key removed) for `-`; else the checked value."""
    return None if value == UNSET else check(value)


def _apply(mapping: Any, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if value is None:
            mapping.pop(key, None)
        else:
            mapping[key] = value


def _contact(account: Account, name: str) -> Any:
    contact = account.customer.find_contact(name)
    if contact is None:
        known = ", ".join(c.name for c in account.customer.contacts) or "none"
        raise NotFoundError(f"{account.id} has no contact {name!r} (contacts: {known})")
    return contact


def _contact_item(data: Any, name: str) -> Any:
    for item in data.get("contacts") or []:
        if str(item.get("name", "")).casefold() == name.casefold():
            return item
    raise CollectctlError(f"customer.yaml lists no contact {name!r}")  # pragma: no cover
