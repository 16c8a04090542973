"""One export row's values, typed: dates, amounts in a currency's decimals, the customer
it names, the contact it carries. Every problem is kept with its row, so an import
reports all bad rows at once instead of stopping at the first."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from msgspec import Struct

from collectctl.domain.export_values import DateReader, check_decimals, parse_money
from collectctl.domain.exports import Record
from collectctl.domain.inputs import one_address
from collectctl.domain.money import check_currency, minor_units
from collectctl.domain.vocabulary import PAYMENT_METHODS

MAX_TEXT = 200  # a name, reference or number longer than this is not one
_TRUE = {"true", "yes", "y", "1", "x"}
_METHODS = {
    "cheque": "check",
    "eft": "ach",
    "direct deposit": "ach",
    "bank transfer": "wire",
    "credit card": "card",
    "visa": "card",
    "mastercard": "card",
    "amex": "card",
    "american express": "card",
}


class RowProblem(Struct, frozen=True):
    row: int
    message: str


class ContactEntry(Struct, frozen=True):
    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    authorizes_payment: bool = False


class RowReader:
    """Typed reads from the records of one file; problems collect in `problems`."""

    def __init__(self, dates: DateReader, decimal_comma: bool):
        self.dates = dates
        self.decimal_comma = decimal_comma
        self.problems: list[RowProblem] = []

    def problem(self, record: Record, message: str) -> None:
        self.problems.append(RowProblem(record.row, message))

    def text(self, record: Record, name: str) -> str | None:
        value = record.get(name)
        if value is not None and (len(value) > MAX_TEXT or "\n" in value or "\r" in value):
            self.problem(record, f"{name}: {value[:40]!r}… is not one short line")
            return None
        return value

    def date(self, record: Record, name: str, required: bool = False) -> date | None:
        value = record.get(name)
        if value is None:
            if required:
                self.problem(record, f"no {name} date")
            return None
        try:
            return self.dates.read(value)
        except ValueError as exc:
            self.problem(record, f"{name}: {exc}")
            return None

    def money(self, record: Record, name: str) -> Decimal | None:
        """Any sign; None (and a problem) when it is not an amount."""
        value = record.get(name)
        if value is None:
            return None
        try:
            return parse_money(value, self.decimal_comma)
        except ValueError as exc:
            self.problem(record, f"{name}: {exc}")
            return None

    def in_currency(self, record: Record, name: str, amount: Decimal, currency: str) -> bool:
        try:
            check_decimals(amount, minor_units(currency), currency)
        except ValueError as exc:
            self.problem(record, f"{name}: {exc}")
            return False
        return True

    def currency(self, record: Record) -> str | None:
        value = record.get("currency")
        if value is None:
            return None
        try:
            return check_currency(value.upper())
        except ValueError as exc:
            self.problem(record, f"currency: {exc}")
            return None

    def terms(self, record: Record) -> int | None:
        """`30`, `Net 30`, `Due on receipt`; None when the row gives none."""
        value = record.get("terms")
        if value is None:
            return None
        if "receipt" in value.casefold():
            return 0
        digits = re.search(r"\d+", value)
        if digits is None or int(digits.group()) > 3650:
            self.problem(record, f"terms: {value!r} is not a number of days (like Net 30)")
            return None
        return int(digits.group())

    def method(self, record: Record) -> str | None:
        value = (record.get("method") or "").strip().casefold()
        if value in PAYMENT_METHODS:
            return value
        return _METHODS.get(value)

    def contact(self, record: Record, customer_name: str) -> ContactEntry | None:
        """The person a row names, if any; named after the customer when the row gives
        only a phone or an address (the company's own line)."""
        name = self.text(record, "contact")
        phone, email = self.text(record, "phone"), record.get("email")
        if email is not None:
            try:
                email = one_address(email)
            except ValueError as exc:
                self.problem(record, f"email: {exc}")
                email = None
        if not (name or phone or email):
            return None
        flag = (record.get("authorizes_payment") or "").casefold() in _TRUE
        return ContactEntry(name or customer_name, self.text(record, "role"), phone, email, flag)
