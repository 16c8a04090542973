"""What a range of commits changed in a ledger, as records a reviewer reads: the events
collectors added, invoices added or changed, hand edits, and the problems `check` finds
in the files the range touched."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collectctl.audit.revisions import Span, changed_files, short_diff, span, text_at
from collectctl.domain.models import Config, Customer, Event, Invoice
from collectctl.errors import LedgerFileError, Problem
from collectctl.ledger.checks import check_ledger
from collectctl.storage import store
from collectctl.storage.event_schema import parse_event
from collectctl.storage.invoice_schema import parse_invoices
from collectctl.storage.layout import (
    ACTIVITY_DIR,
    CUSTOMER_FILE,
    CUSTOMERS_DIR,
    INVOICES_FILE,
    Layout,
)
from collectctl.storage.schema import parse_customer


@dataclass(frozen=True)
class AddedEvent:
    customer: str
    currency: str
    event: Event


@dataclass(frozen=True)
class InvoiceChange:
    customer: str
    currency: str
    number: str
    before: Invoice | None  # None: added
    after: Invoice | None  # None: removed


@dataclass(frozen=True)
class HandEdit:
    path: str
    status: str  # A, M or D
    lines: tuple[str, ...]  # -removed / +added


@dataclass(frozen=True)
class Review:
    span: Span
    customers: tuple[str, ...]  # touched, in id order
    events: tuple[AddedEvent, ...]  # oldest first
    invoices: tuple[InvoiceChange, ...]
    hand_edits: tuple[HandEdit, ...]
    problems: tuple[Problem, ...] | None  # None: the tip is not checked out, not checked


def review(root: Path, config: Config, text: str | None) -> Review:
    between = span(root, text)
    files = changed_files(root, between)
    reader = _Reader(root, config, between)
    events, invoices, edits = [], [], []
    customers = set()
    for status, path in files:
        parts = path.split("/")
        if parts[0] == CUSTOMERS_DIR and len(parts) >= 3:
            customers.add(parts[1])
        if parts[0] == CUSTOMERS_DIR and len(parts) == 4 and parts[2] == ACTIVITY_DIR:
            event = reader.event(path) if status == "A" else None
            if event is not None:
                events.append(AddedEvent(parts[1], reader.currency(parts[1]), event))
                continue
        elif parts[0] == CUSTOMERS_DIR and len(parts) == 3 and parts[2] == INVOICES_FILE:
            changes = reader.invoice_changes(parts[1], path)
            if changes is not None:  # else it does not parse: show the lines themselves
                invoices += changes
                continue
        edits.append(HandEdit(path, status, tuple(short_diff(root, between, path))))
    touched = {path for _, path in files}
    problems = None
    if between.tip_is_head:
        problems = tuple(p for p in check_ledger(Layout(root)) if _within(p.path, touched))
    events.sort(key=lambda added: (added.event.date, added.event.file))
    return Review(
        between, tuple(sorted(customers)), tuple(events), tuple(invoices), tuple(edits), problems
    )


def _within(path: str, touched: set[str]) -> bool:
    return path in touched or any(t.startswith(path + "/") for t in touched)


class _Reader:
    """The ledger's files at the two ends of a range, parsed as collectctl reads them."""

    def __init__(self, root: Path, config: Config, between: Span):
        self.root = root
        self.config = config
        self.between = between
        self._customers: dict[str, Customer] = {}

    def _raw(self, commit: str, path: str) -> Any:
        """A file's data at a commit; None where it did not exist or does not parse (check
        names that problem)."""
        text = text_at(self.root, commit, path)
        if text is None:
            return None
        try:
            return store.parse(text, path)
        except LedgerFileError:
            return None

    def customer(self, customer_id: str) -> Customer:
        if customer_id not in self._customers:
            path = f"{CUSTOMERS_DIR}/{customer_id}/{CUSTOMER_FILE}"
            raw = self._raw(self.between.tip, path)
            self._customers[customer_id] = parse_customer(
                raw or {"name": customer_id}, customer_id, path, self.config, []
            )
        return self._customers[customer_id]

    def currency(self, customer_id: str) -> str:
        return self.customer(customer_id).currency

    def event(self, path: str) -> Event | None:
        raw = self._raw(self.between.tip, path)
        if raw is None:
            return None
        return parse_event(raw, path.rsplit("/", 1)[1], path, [], self.config.format)

    def invoice_changes(self, customer_id: str, path: str) -> list[InvoiceChange] | None:
        """Invoices added, removed or changed; None when either side does not parse."""
        customer = self.customer(customer_id)
        sides = []
        for commit in (self.between.base, self.between.tip):
            problems: list[Problem] = []
            text = text_at(self.root, commit, path)
            found: list[Invoice] = []
            if text is not None:  # read once: whether it is there, and what it says
                try:
                    raw = store.parse(text, path)
                except LedgerFileError:
                    return None
                if raw is None:
                    return None
                found = parse_invoices(raw, path, customer, problems, self.config.format)
            if problems:
                return None
            sides.append({invoice.number: invoice for invoice in found})
        before, after = sides
        return [
            InvoiceChange(
                customer_id, customer.currency, number, before.get(number), after.get(number)
            )
            for number in sorted(before.keys() | after.keys())
            if before.get(number) != after.get(number)
        ]
