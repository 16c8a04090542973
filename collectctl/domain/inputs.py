"""The one check for each kind of value a person types: a date, an email address, an
amount, a collector. The core checks raise ValueError with the reason (the schema turns
that into a problem with its line); `*_option` ones name the option in a UsageError."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from collectctl.domain.money import check_currency, normalize, parse_amount
from collectctl.errors import UsageError, did_you_mean

T = TypeVar("T")

if TYPE_CHECKING:  # the records are not needed to check a date (--help stays quick)
    from collectctl.domain.models import Config


YEARS = (1900, 2999)  # a date outside them is a typo, and date arithmetic near year 9999 fails


@lru_cache(maxsize=4096)
def parse_date(text: str) -> date:
    """YYYY-MM-DD, exactly: `2026-1-5` or `20261105` are refused. Remembered: a ledger
    writes the same few hundred days over and over, and one `date` for each lets the
    cache's pickles write each day once an account (a cold read pickled 60,000 days)."""
    try:
        if len(text) != 10 or not text.isascii():
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (write YYYY-MM-DD)") from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValueError(f"{text} is outside the years {YEARS[0]}-{YEARS[1]}")
    return day


# RFC 5322's dot-atom on both sides of the @: the plain shape nearly every address has,
# and one the standard library's parser always takes. It decides everything else.
_DOT_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_PLAIN_ADDRESS = re.compile(rf"{_DOT_ATOM}@{_DOT_ATOM}")


def one_address(text: str) -> str:
    """Exactly one mailbox address (`a@x.example`); a list or a line break is refused.
    A plain address skips the parser: 95 µs each, 1 s of a cold read at 10,000
    customers, whose contacts have 20,000 of them."""
    address = text.strip()
    if "\n" not in text and "\r" not in text and _PLAIN_ADDRESS.fullmatch(address):
        return address
    from email.errors import HeaderParseError  # only an unusual address needs the parser
    from email.headerregistry import Address

    try:
        if "\n" in text or "\r" in text or "@" not in text:
            raise ValueError
        Address(addr_spec=address)
    # AttributeError: Python 3.11's parser trips over some malformed ones (`._@[`)
    except (ValueError, IndexError, AttributeError, HeaderParseError):
        raise ValueError(f"{text!r} is not one email address") from None
    return address


def as_option(check: Callable[[str], T], text: str, option: str) -> T:
    """`check(text)`, its ValueError turned into a usage error that names the option."""
    try:
        return check(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def address_option(text: str, option: str) -> str:
    return as_option(one_address, text, option)


def amount_option(text: str, currency: str, option: str) -> Decimal:
    """An amount typed by a person: exact, positive, in the currency's decimals."""
    amount = as_option(lambda typed: parse_amount(typed, currency), text, option)
    if amount <= 0:
        raise UsageError(f"{option}: {text} must be more than zero")
    return normalize(amount, currency)


def collector_option(config: Config, who: str, option: str) -> str:
    """A collector's id from their id, name or email; any name when the ledger lists no
    collectors. Refused with the list when it names none of them."""
    found = config.find_collector(who)
    if found is not None:
        return found.id
    if config.collectors:
        ids = [c.id for c in config.collectors]
        raise UsageError(
            f"{option}: {who!r} is not a collector{did_you_mean(who, ids)} "
            f"(collectctl.yaml lists: {', '.join(ids)})"
        )
    return who


def check_timezone(name: str) -> str:
    """An IANA time zone (`America/Chicago`, `Europe/Berlin`, `UTC`)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        raise ValueError(f"{name!r} is not a time zone (like America/Chicago)")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a time zone (like America/Chicago)") from None
    return name


def calling_hours(text: str) -> tuple[time, time]:
    """`09:00-17:00`: from and to, the same day, from before to."""
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ValueError(f"{text!r} is not calling hours (write 09:00-17:00)") from None
    if not start < end:
        raise ValueError(f"{text!r}: the hours must start before they end")
    return start, end


def text_option(text: str, option: str) -> str:
    """A name or label: surrounding spaces dropped, never empty, one line."""
    if not text.strip():
        raise UsageError(f"{option} must not be empty")
    if "\n" in text or "\r" in text:
        raise UsageError(f"{option}: {text!r} must be one line")
    return text.strip()


def currency_option(code: str, option: str) -> str:
    return as_option(check_currency, code, option)
