"""Shared option parsing: ISO dates and the output formats listings offer."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import typer


def iso_date(value: str | date) -> date:
    """Typer parser for YYYY-MM-DD options; a bad value is a usage error naming the option."""
    if isinstance(value, date):
        return value
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (write YYYY-MM-DD)") from None


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


def date_option(flag: str, help: str, required: bool = False):
    """An ISO-date option; a bad value is a usage error naming the option."""
    default = ... if required else None
    return typer.Option(default, flag, parser=iso_date, metavar="YYYY-MM-DD", help=help)


def customer_argument():
    return typer.Argument(..., metavar="CUSTOMER", help="The customer's id.")
