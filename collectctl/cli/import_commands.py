"""import invoices|payments|customers FILE: exports from the books, in one commit."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

import typer
from msgspec.structs import replace

from collectctl.cli.params import ReportFormat
from collectctl.cli.report import report
from collectctl.cli.session import Session
from collectctl.cli.typer_app import App

import_app = App(
    help="Bring invoices, payments and customers in from the books' exports (CSV or XLSX).",
    no_args_is_help=True,
)
PROGRESS_FROM_ROWS = 2000  # a bar on a terminal for files longer than this


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")


def _file() -> Any:
    return typer.Argument(..., metavar="FILE", help="CSV or XLSX export; - reads stdin.")


def _source() -> Any:
    return typer.Option(
        "auto", "--from", metavar="SOURCE", help="auto, quickbooks, xero or csv (default: auto)."
    )


def _columns() -> Any:
    return typer.Option(
        None, "--map", metavar="FIELD=HEADER", help="Read FIELD from the column HEADER (repeat)."
    )


def _mapping() -> Any:
    return typer.Option(
        None, "--mapping", metavar="NAME", help="A column mapping kept in collectctl.yaml."
    )


def _date_format() -> Any:
    return typer.Option(
        None, "--date-format", metavar="FORMAT", help="Dates like %d/%m/%Y (default: recognised)."
    )


def _decimal_comma() -> Any:
    return typer.Option(False, "--decimal-comma", help="Amounts like 1.234,50.")


def _dry_run() -> Any:
    return typer.Option(False, "--dry-run", help="Show what would change; write nothing.")


def _format() -> Any:
    return typer.Option(ReportFormat.text, "--format", help="text or json.")


@import_app.command("invoices")
def import_invoices(
    ctx: typer.Context,
    file: str = _file(),
    source: str = _source(),
    columns: list[str] = _columns(),
    mapping: str = _mapping(),
    date_format: str = _date_format(),
    decimal_comma: bool = _decimal_comma(),
    close_missing: bool = typer.Option(
        False,
        "--close-missing",
        help="Close the invoices of the customers in the file that it no longer lists as open.",
    ),
    dry_run: bool = _dry_run(),
    fmt: ReportFormat = _format(),
) -> None:
    """Add new invoices, update changed ones, bring balances to the books'.

    \b
    Examples:
      collectctl import invoices open-invoices.csv --dry-run
      collectctl import invoices "Aged Receivables Detail.xlsx" --close-missing
    """
    _run(ctx, "invoices", file, source, columns, mapping, date_format, decimal_comma,
         close_missing, dry_run, fmt)  # fmt: skip


@import_app.command("payments")
def import_payments(
    ctx: typer.Context,
    file: str = _file(),
    source: str = _source(),
    columns: list[str] = _columns(),
    mapping: str = _mapping(),
    date_format: str = _date_format(),
    decimal_comma: bool = _decimal_comma(),
    dry_run: bool = _dry_run(),
    fmt: ReportFormat = _format(),
) -> None:
    """Record payments; rows of one check become one payment over their invoices.

    \b
    Example:
      collectctl import payments remittance.csv --map customer="Payer" --map amount="Paid"
    """
    _run(ctx, "payments", file, source, columns, mapping, date_format, decimal_comma,
         False, dry_run, fmt)  # fmt: skip


@import_app.command("customers")
def import_customers(
    ctx: typer.Context,
    file: str = _file(),
    source: str = _source(),
    columns: list[str] = _columns(),
    mapping: str = _mapping(),
    date_format: str = _date_format(),
    decimal_comma: bool = _decimal_comma(),
    dry_run: bool = _dry_run(),
    fmt: ReportFormat = _format(),
) -> None:
    """Add customers and their contacts.

    \b
    Example:
      collectctl import customers "Customer Contact List.csv"
    """
    _run(ctx, "customers", file, source, columns, mapping, date_format, decimal_comma,
         False, dry_run, fmt)  # fmt: skip


def _run(
    ctx: typer.Context,
    kind: Any,
    file: str,
    source: str,
    columns: list[str] | None,
    mapping: str | None,
    date_format: str | None,
    decimal_comma: bool,
    close_missing: bool,
    dry_run: bool,
    fmt: ReportFormat,
) -> None:
    from collectctl.changes.imports import ImportRequest, preview_import, run_import
    from collectctl.presentation import import_summary
    from collectctl.presentation.output import write_json
    from collectctl.storage.tables import read_table

    session: Session = ctx.obj
    request = ImportRequest(
        kind,
        _checked_source(source),
        _pairs(columns or []),
        mapping,
        _checked_date_format(date_format),
        decimal_comma,
        close_missing,
    )
    ledger = session.ledger(for_writing=not dry_run)
    table = read_table(file, sys.stdin.buffer)
    if dry_run:
        plan = preview_import(ledger, table, request, session.clock())
        if fmt is ReportFormat.json:
            write_json(import_summary.as_json(plan) | {"dry_run": True})
            return
        typer.echo(f"would {import_summary.subject(plan)} (dry run: nothing written)")
        for line in import_summary.lines(plan):
            typer.echo(f"  {line}")
        return
    show = _progress if len(table.rows) > PROGRESS_FROM_ROWS and sys.stderr.isatty() else None
    plan, outcome = run_import(
        ledger, session.identity(ledger), session.clock(), table, request, show
    )
    if fmt is ReportFormat.json:
        write_json(import_summary.as_json(plan, outcome.commit) | {"dry_run": False})
        return
    ahead = [line for line in import_summary.lines(plan) if line.startswith("ahead of")]
    report(replace(outcome, details=tuple(ahead)))


def _progress(items: list[Any], what: str) -> Iterable[Any]:
    from tqdm import tqdm

    bar: Iterable[Any] = tqdm(items, desc=what, unit=" files", leave=False, file=sys.stderr)
    return bar


def _checked_source(source: str) -> str:
    from collectctl.domain.exports import SOURCES
    from collectctl.errors import UsageError

    if source not in SOURCES:
        raise UsageError(f"--from {source}: use one of {', '.join(SOURCES)}")
    return source


def _pairs(columns: list[str]) -> tuple[tuple[str, str], ...]:
    from collectctl.domain.exports import FIELDS
    from collectctl.errors import UsageError

    pairs = []
    for item in columns:
        name, equals, header = item.partition("=")
        name = name.strip()
        if not equals or not header.strip():
            raise UsageError(f'--map {item}: write FIELD=HEADER, like customer="Payer Name"')
        if name not in FIELDS:
            raise UsageError(f"--map {item}: {name!r} is not a field ({', '.join(FIELDS)})")
        pairs.append((name, header.strip()))
    return tuple(pairs)


def _checked_date_format(date_format: str | None) -> str | None:
    """A format that writes and reads back a date, with day, month and year in it."""
    from datetime import date, datetime

    from collectctl.errors import UsageError

    if date_format is None:
        return None
    sample = date(2026, 1, 15)
    try:
        ok = datetime.strptime(sample.strftime(date_format), date_format).date() == sample
    except ValueError:
        ok = False
    if not ok or len(date_format) > 40:
        raise UsageError(
            f"--date-format {date_format}: not a date format with day, month and year "
            "(like %d/%m/%Y)"
        )
    return date_format
