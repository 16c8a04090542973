"""Exports from the books, recognised by their headers: QuickBooks Online reports, Xero
reports and exports, plain columns, or a mapping. Finds the header row under a report's
title lines and reads the rows under it — customer header lines, subtotals, the grand
total, blank lines and the footer set aside — as records of named fields."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from msgspec import Struct, field

ImportKind = Literal["invoices", "payments", "customers"]
IMPORT_KINDS: tuple[ImportKind, ...] = ("invoices", "payments", "customers")
SOURCES = ("auto", "quickbooks", "xero", "csv")

# The fields a row can give, by the plain default column names.
FIELDS = (
    "customer",  # the ledger's id
    "name",  # the customer's name
    "number",  # the books' own customer number
    "invoice",
    "po",
    "issued",
    "due",
    "amount",
    "balance",
    "currency",
    "terms",
    "contact",
    "role",
    "phone",
    "email",
    "authorizes_payment",
    "date",
    "reference",
    "method",
    "type",  # the transaction type: Invoice, Payment, Credit Memo, …
    "status",
    "line_amount",
    "quantity",
    "unit_amount",
    "tax_amount",
)
PLAIN_COLUMNS: dict[ImportKind, tuple[str, ...]] = {
    "invoices": (
        "customer", "name", "invoice", "po", "issued", "due", "amount", "balance", "currency",
        "terms",
    ),
    "payments": ("customer", "name", "date", "amount", "reference", "invoice", "method"),
    "customers": (
        "customer", "name", "terms", "currency", "contact", "role", "phone", "email",
        "authorizes_payment",
    ),
}  # fmt: skip


class Layout(Struct, frozen=True):
    """One kind of export: the headers that identify it and what each column means."""

    source: str  # quickbooks | xero | csv
    title: str
    signature: tuple[str, ...]  # headers (normalised) that must all be present
    columns: dict[str, tuple[str, ...]]  # field -> the headers that carry it
    day_first: bool | None = None  # numeric dates: 15/01 (Xero) or 01/15 (QuickBooks US)
    grouped: bool = False  # customer header lines, "Total for …" rows
    open_items: bool = False  # lists only what is still open
    line_items: bool = False  # one row per invoice line: lines are summed
    for_payments: dict[str, tuple[str, ...]] = field(default_factory=dict)  # overrides


_QB_COLUMNS = {
    "issued": ("date", "invoice date"),
    "date": ("date",),
    "type": ("transaction type", "type"),
    "invoice": ("num", "no.", "invoice no.", "invoice #"),
    "name": ("customer", "customer full name", "name", "customer name"),
    "due": ("due date",),
    "amount": ("amount", "total amount"),
    "balance": ("open balance", "balance"),
    "terms": ("terms", "term"),
    "po": ("p.o. number", "po number", "p.o. no."),
    "method": ("payment method",),
}

LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "quickbooks",
        "QuickBooks Online report",
        ("date", "transaction type", "num"),
        _QB_COLUMNS,
        day_first=False,
        grouped=True,
        for_payments={"reference": ("num", "no."), "invoice": ()},
    ),
    Layout(
        "quickbooks",
        "QuickBooks Online Customer Contact List",
        ("customer", "full name"),
        {
            "name": ("customer",),
            "contact": ("full name",),
            "phone": ("phone numbers", "phone"),
            "email": ("email",),
        },
    ),
    Layout(
        "xero",
        "Xero Aged Receivables Detail",
        ("invoice number", "invoice date", "due date", "total"),
        {
            "number": ("contact account number", "account number"),
            "contact": ("primary person",),
            "phone": ("phone",),
            "email": ("email",),
            "issued": ("invoice date",),
            "due": ("due date",),
            "invoice": ("invoice number",),
            "po": ("invoice reference", "reference"),
            "balance": ("total",),
            "name": ("contact", "contact name"),
            "currency": ("currency",),
        },
        day_first=True,
        grouped=True,
        open_items=True,
    ),
    Layout(
        "xero",
        "Xero invoice export",
        ("contactname", "invoicenumber", "invoicedate"),
        {
            "name": ("contactname",),
            "number": ("accountnumber",),
            "email": ("emailaddress",),
            "invoice": ("invoicenumber",),
            "po": ("reference",),
            "issued": ("invoicedate",),
            "due": ("duedate",),
            "amount": ("total",),
            "balance": ("invoiceamountdue", "amountdue"),
            "line_amount": ("lineamount",),
            "quantity": ("quantity",),
            "unit_amount": ("unitamount",),
            "tax_amount": ("taxamount",),
            "currency": ("currency", "currencycode"),
            "type": ("type",),
            "status": ("status",),
        },
        day_first=True,
        line_items=True,
    ),
    Layout(
        "xero",
        "Xero contacts export",
        ("contactname", "emailaddress"),
        {
            "name": ("contactname",),
            "number": ("accountnumber",),
            "email": ("emailaddress",),
            "contact": ("firstname",),  # joined with lastname below
            "phone": ("phonenumber", "phone"),
        },
    ),
)


def plain_layout(kind: ImportKind) -> Layout:
    columns: dict[str, tuple[str, ...]] = {name: (name,) for name in FIELDS}
    signature = {"invoices": ("invoice",), "payments": ("date", "amount")}.get(kind, ("name",))
    return Layout("csv", "plain columns", signature, columns)


def mapped_layout(mapping: Iterable[tuple[str, str]]) -> Layout:
    """`--map FIELD=HEADER`: the named headers, and the plain names for the rest."""
    columns: dict[str, tuple[str, ...]] = {name: (name,) for name in FIELDS}
    pairs = [(name, header_key(header)) for name, header in mapping]
    for name, header in pairs:
        columns[name] = (header,)
    return Layout("csv", "mapped columns", tuple(header for _, header in pairs), columns)


def header_key(text: str) -> str:
    """A header as compared: `*ContactName ` → `contactname`, `Open  Balance` → `open balance`."""
    return " ".join(text.strip().lstrip("*").casefold().split())


class Record(Struct, frozen=True):
    """One data row: its row number in the file and the fields it gives (never empty)."""

    row: int
    values: dict[str, str]
    group: str | None = None  # the customer header line above it, in a grouped report

    def get(self, name: str) -> str | None:
        return self.values.get(name)


class Sheet(Struct, frozen=True):
    layout: Layout
    header_row: int
    records: tuple[Record, ...]


class NotRecognised(ValueError):
    """No row of the file looks like a header collectctl knows."""


_FOOTER = re.compile(r"(accrual|cash) basis\b", re.IGNORECASE)
_TOTAL = re.compile(r"total\b", re.IGNORECASE)


def read_sheet(
    rows: list[tuple[int, tuple[str, ...]]],
    kind: ImportKind,
    source: str,
    mapping: list[tuple[str, str]] | None = None,
) -> Sheet:
    """The header row (the first that fits a layout) and the records under it."""
    if mapping:
        candidates: tuple[Layout, ...] = (mapped_layout(mapping),)
    else:
        known = tuple(layout for layout in LAYOUTS if source in ("auto", layout.source))
        candidates = known + ((plain_layout(kind),) if source in ("auto", "csv") else ())
    for number, cells in rows[:40]:
        keys = [header_key(cell) for cell in cells]
        for layout in candidates:
            if all(header in keys for header in layout.signature):
                return Sheet(layout, number, tuple(_records(rows, number, keys, layout, kind)))
    expected = ", ".join(PLAIN_COLUMNS[kind])
    raise NotRecognised(
        f"no header row collectctl knows (QuickBooks, Xero, or the plain columns {expected}); "
        "name the columns with --map FIELD=HEADER or --mapping NAME"
    )


def _records(
    rows: list[tuple[int, tuple[str, ...]]],
    header_row: int,
    keys: list[str],
    layout: Layout,
    kind: ImportKind,
) -> Iterable[Record]:
    columns = dict(layout.columns)
    if kind == "payments":
        columns.update(layout.for_payments)
    where = {
        name: next((keys.index(h) for h in headers if h in keys), None)
        for name, headers in columns.items()
    }
    found = {name: index for name, index in where.items() if index is not None}
    last_name = keys.index("lastname") if layout.source == "xero" and "lastname" in keys else None
    identifying = {"invoices": "invoice", "payments": "date"}.get(kind, "name")
    group: str | None = None
    for number, cells in rows:
        if number <= header_row:
            continue
        filled = [cell.strip() for cell in cells if cell.strip()]
        if not filled:
            continue
        first = cells[0].strip() if cells else ""
        if layout.grouped and len(filled) == 1 and first:
            group = first  # a customer header line (or the footer, never followed by rows)
            continue
        values = {
            name: cells[index].strip()
            for name, index in found.items()
            if index < len(cells) and cells[index].strip()
        }
        marker = _TOTAL.match(filled[0]) or _FOOTER.match(filled[0])
        lone_footer = len(filled) == 1 and _FOOTER.match(filled[0])
        if lone_footer or (marker and not values.get(identifying)):
            continue  # "Total for Acme, Inc.", "TOTAL", "Accrual Basis Monday, December 1…"
        if last_name is not None and last_name < len(cells) and cells[last_name].strip():
            values["contact"] = f"{values.get('contact', '')} {cells[last_name].strip()}".strip()
        if values:
            yield Record(number, values, group if layout.grouped else None)
