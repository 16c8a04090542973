"""Option declarations shared by commands, and the parsers behind them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import typer

from collectctl.cli import completion
from collectctl.domain.inputs import parse_date


def iso_date(value: str | date) -> date:
    """Typer parser for YYYY-MM-DD options; a bad value is a usage error naming the option."""
    if isinstance(value, date):
        return value
    try:
        return parse_date(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


class BriefFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def date_option(flag: str, help: str, required: bool = False) -> Any:
    """An ISO-date option; a bad value is a usage error naming the option."""
    default = ... if required else None
    return typer.Option(default, flag, parser=iso_date, metavar="YYYY-MM-DD", help=help)


def customer_argument() -> Any:
    return typer.Argument(
        ..., metavar="CUSTOMER", help="The customer's id.", autocompletion=completion.customers
    )


def outcome_option() -> Any:
    return typer.Option(..., "--outcome", help="What came of the call.")


def method_option(help: str) -> Any:
    return typer.Option(None, "--method", help=help)


def dispute_reason_option() -> Any:
    return typer.Option(None, "--reason", help="dispute: why the invoice is disputed.")


def invoices_option(help: str) -> Any:
    return typer.Option(
        None, "--invoice", metavar="NUMBER", help=help, autocompletion=completion.invoices
    )


def send_option(help: str) -> Any:
    return typer.Option(None, "--send/--no-send", help=help)


def to_option(help: str) -> Any:
    return typer.Option(None, "--to", metavar="ADDRESS", help=help)


def amount_option(help: str, required: bool = False) -> Any:
    return typer.Option(... if required else None, "--amount", metavar="AMOUNT", help=help)


def contact_option(help: str) -> Any:
    return typer.Option(
        None, "--contact", metavar="NAME", help=help, autocompletion=completion.contacts
    )


def collector_filter_option(help: str) -> Any:
    return typer.Option(
        None, "--collector", metavar="NAME", help=help, autocompletion=completion.collectors
    )


def list_format_option() -> Any:
    return typer.Option(ListFormat.table, "--format", help="table, json or csv.")


def mail_to_option() -> Any:
    return typer.Option(
        None, "--mail-to", metavar="ADDRESS", help="Email the list (text and HTML) instead."
    )
