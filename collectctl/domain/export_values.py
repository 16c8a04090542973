"""Values as accounting exports write them: `$1,500.00`, `(200.00)`, `1.234,50`, US,
European and Xero dates; names compared the way a person would, and the ids made of them.
Each parser raises ValueError saying what is wrong; the importer adds the row."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from collectctl.domain.inputs import YEARS
from collectctl.domain.money import parse_amount

_SYMBOLS = re.compile(r"[$€£¥]|\b[A-Z]{3}\b")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")


def parse_money(text: str, decimal_comma: bool = False) -> Decimal:
    """An amount as an export writes it: `1,500.00`, `$1,500.00`, `-$200.00`, `(200.00)`,
    `200.00-`, `USD 99`; with `decimal_comma`, `1.234,50`. Exact, never through float."""
    raw = text.strip()
    value = _SYMBOLS.sub("", raw).replace("\u00a0", "").replace(" ", "")
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    if value.endswith("-"):
        negative, value = True, value[:-1]
    if value.startswith("-"):
        negative, value = not negative, value[1:]
    if decimal_comma:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+(,\d+)?", value) is None:
            raise ValueError(f"{raw!r} is not an amount (with --decimal-comma: like 1.234,50)")
        value = value.replace(".", "").replace(",", ".")
    try:
        amount = parse_amount(value)
    except ValueError:
        raise ValueError(f"{raw!r} is not an amount") from None
    return -amount if negative else amount


def check_decimals(amount: Decimal, places: int, currency: str) -> None:
    if -amount.normalize().as_tuple().exponent > places:  # type: ignore[operator]
        raise ValueError(f"{amount} has more than {places} decimal places for {currency}")


class DateReader:
    """Dates in one file: a format given (`--date-format`), else ISO, `15 Jan 2026`, and
    numeric dates whose day/month order the file itself settles — a date that could be
    read either way, in a file that never says which, is refused rather than guessed."""

    def __init__(self, date_format: str | None, day_first: bool | None = None):
        self.date_format = date_format
        self.day_first = day_first

    def settle_order(self, texts: list[str]) -> None:
        """Learn the day/month order from every date in the file, where one shows it."""
        if self.date_format or self.day_first is not None:
            return
        for text in texts:
            match = _NUMERIC_DATE.fullmatch(text.strip())
            if match:
                first, second = int(match.group(1)), int(match.group(3))
                if first > 12 >= second:
                    self.day_first = True
                    return
                if second > 12 >= first:
                    self.day_first = False
                    return

    def read(self, text: str) -> date:
        raw = text.strip()
        if self.date_format:
            try:
                day = datetime.strptime(raw, self.date_format).date()
            except ValueError:
                raise ValueError(
                    f"{raw!r} is not a date in the format {self.date_format}"
                ) from None
            return _in_years(day, raw)
        try:
            return _in_years(date.fromisoformat(raw[:10]), raw) if len(raw) >= 10 else _fail(raw)
        except ValueError:
            pass
        for layout in ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y"):
            try:
                return _in_years(datetime.strptime(raw, layout).date(), raw)
            except ValueError:
                continue
        match = _NUMERIC_DATE.fullmatch(raw)
        if match is None:
            return _fail(raw)
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        day_first = self.day_first
        if day_first is None:
            if first != second and first <= 12 and second <= 12:
                raise ValueError(
                    f"{raw!r} could be day/month or month/day: pass --date-format "
                    "(%d/%m/%Y or %m/%d/%Y)"
                )
            day_first = first > 12
        day_of_month, month = (first, second) if day_first else (second, first)
        try:
            return _in_years(date(year, month, day_of_month), raw)
        except ValueError:
            order = "day/month" if day_first else "month/day"
            raise ValueError(f"{raw!r} is not a date (read as {order}/year)") from None


def _in_years(day: date, raw: str) -> date:
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValueError(f"{raw!r} is outside the years {YEARS[0]}-{YEARS[1]}")
    return day


def _fail(raw: str) -> date:
    raise ValueError(f"{raw!r} is not a date")


def folded(text: str) -> str:
    """Accents off: `Café Müller` → `Cafe Muller`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(name: str) -> str:
    """A name as a person compares it: no case, accents or punctuation (`ACME Inc` is
    `Acme, Inc.`)."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded(name).casefold()).split())


def slug_of(name: str, taken: set[str]) -> str:
    """A new customer's id: lowercase ASCII letters, digits and single hyphens, made of
    its name (`Acme, Inc.` → `acme-inc`); a clash gets `-2`, `-3`, …"""
    base = re.sub(r"[^a-z0-9]+", "-", folded(name).lower()).strip("-")[:56].strip("-")
    base = base or "customer"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug
