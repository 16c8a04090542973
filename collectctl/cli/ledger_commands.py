"""Commands about the ledger as a whole: init, check, history."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from collectctl.cli.params import ListFormat, ReportFormat
from collectctl.cli.session import Session


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("check")(check)
    app.command("history")(history)


def report(outcome) -> None:
    """Tell the user what an action did and which commit holds it."""
    if outcome.notice:
        print(f"collectctl: {outcome.notice}", file=sys.stderr)
    if outcome.commit:
        typer.echo(f"{outcome.summary} [{outcome.commit}]")
    else:
        typer.echo(f"nothing changed: {outcome.summary}")
    for line in outcome.details:
        typer.echo(f"  {line}")


def init(
    ctx: typer.Context,
    directory: Path = typer.Argument(
        ..., metavar="DIR", help="Folder for the new ledger (created if missing)."
    ),
    sample: bool = typer.Option(
        False, "--sample", help="Fill it with the sample company, dates moved up to this week."
    ),
    company: str = typer.Option(
        None, "--company", metavar="NAME", help="Company name (default: folder name)."
    ),
    currency: str = typer.Option("USD", "--currency", metavar="CODE", help="Home currency."),
) -> None:
    """Create a new ledger (git repository, config, first commit).

    \b
    Example:
      collectctl init ~/ar-ledger --company "Northwind Supply"
    """
    from collectctl.actions import init_ledger
    from collectctl.errors import UsageError
    from collectctl.money import check_currency

    session: Session = ctx.obj
    try:
        check_currency(currency)
    except ValueError as exc:
        raise UsageError(f"--currency: {exc}") from None
    outcome = init_ledger(
        directory,
        sample=sample,
        today=session.today,
        who=session.collector,
        company=company,
        currency=currency,
    )
    report(outcome)


def check(
    ctx: typer.Context,
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", help="text or json."),
) -> None:
    """Validate the whole ledger; print problems as path:line: message.

    Exit status 1 when there is any problem, so it fits a CI job or a pre-commit hook.

    \b
    Example:
      collectctl check && git push
    """
    from collectctl.checks import check_ledger
    from collectctl.output import write_json

    session: Session = ctx.obj
    problems = check_ledger(session.layout)
    if fmt is ReportFormat.json:
        write_json([{"path": p.path, "line": p.line, "message": p.message} for p in problems])
    else:
        for problem in problems:
            typer.echo(str(problem))
        if not problems:
            typer.echo("ledger OK")
    if problems:
        raise typer.Exit(1)


def history(
    ctx: typer.Context,
    customer: str = typer.Argument(None, metavar="[CUSTOMER]", help="Only this customer's trail."),
    limit: int = typer.Option(None, "--limit", min=1, metavar="N", help="At most N entries."),
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", help="table, json or csv."),
) -> None:
    """Show the audit trail from git, newest first.

    Date, collector, action and summary of every change, hand edits included.

    \b
    Example:
      collectctl history acme --limit 10
    """
    from collectctl.audit import Audit
    from collectctl.layout import CUSTOMERS_DIR, check_customer_id
    from collectctl.output import Column, write_rows

    session: Session = ctx.obj
    ledger = session.ledger()
    pathspec = "."
    if customer is not None:
        check_customer_id(customer)
        ledger.account(customer)
        pathspec = f"{CUSTOMERS_DIR}/{customer}"
    entries = Audit(ledger.layout).history(pathspec)[:limit]
    rows = [
        {
            "date": entry.date,
            "collector": entry.collector,
            "email": entry.email,
            "action": entry.action,
            "customer": entry.customer,
            "summary": entry.summary,
            "commit": entry.commit,
        }
        for entry in entries
    ]
    if fmt is ListFormat.table:
        for row in rows:
            row["date"] = row["date"][:16].replace("T", " ")
            row["commit"] = row["commit"][:7]
    columns = [
        Column("date", "DATE"),
        Column("collector", "COLLECTOR"),
        Column("action", "ACTION"),
        Column("summary", "SUMMARY"),
        Column("commit", "COMMIT"),
    ]
    if fmt is not ListFormat.table:
        columns[2:2] = [Column("email", "EMAIL")]
        columns.insert(4, Column("customer", "CUSTOMER"))
    write_rows(rows, columns, fmt.value, "no history yet")
