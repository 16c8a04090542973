"""Email commands: resend-invoice, statement, remind."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from collectctl.cli import completion
from collectctl.cli.params import (
    collector_filter_option,
    contact_option,
    customer_argument,
    date_option,
    to_option,
)
from collectctl.cli.report import report
from collectctl.cli.session import Session, collector_filter, say_if_partial
from collectctl.cli.terminal import paged


class RemindFormat(StrEnum):
    text = "text"
    json = "json"


def remind(
    ctx: typer.Context,
    send: bool = typer.Option(False, "--send", help="Send them, recorded in one commit."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show who would get which reminder (the default)."
    ),
    collector: str = collector_filter_option("Only this collector's accounts."),
    customer: str = typer.Option(
        None,
        "--customer",
        metavar="ID",
        help="Only this customer.",
        autocompletion=completion.customers,
    ),
    fmt: RemindFormat = typer.Option(RemindFormat.text, "--format", help="text or json."),
) -> None:
    """Email the written reminders due today, by level (policy.reminders).

    One message per customer, covering every overdue invoice, at the highest level one
    of them has reached and not yet been reminded of. Accounts with a reason to wait (a
    promise pending, a check in the mail, every invoice in dispute, an escalation,
    `no_reminders: true`, no email, under the minimum, reminded too recently) are
    listed with the reason. Without --send nothing is sent.

    \b
    Examples:
      collectctl remind                  # who would get which reminder today
      collectctl remind --send           # from cron, each weekday morning
    """
    from collectctl.changes.reminders import plan_reminders, send_reminders
    from collectctl.errors import UsageError
    from collectctl.presentation import reminders as view
    from collectctl.presentation.output import write_json

    if send and dry_run:
        raise UsageError("--send and --dry-run: choose one")
    session: Session = ctx.obj
    ledger = session.ledger(for_writing=send)
    who = collector_filter(ledger.config, collector)
    if customer is not None:
        from collectctl.storage.layout import check_customer_id

        check_customer_id(customer)
    else:
        say_if_partial(ledger, who)
    due, skipped = plan_reminders(ledger, session.today, who, customer)
    status: dict[str, tuple[str, str]] = {}
    outcome = None
    if send and due:
        sent, refused, outcome = send_reminders(
            ledger,
            session.identity(ledger),
            session.clock(),
            due,
            session.collector_profile(ledger),
        )
        status = {r.customer: ("sent", where) for r, where in sent}
        status |= {r.customer: ("refused", why) for r, why in refused}
    found = view.rows(due, status)
    if fmt is RemindFormat.json:
        write_json(view.as_json(session.today, send, found, skipped))
    else:
        sys.stdout.write(view.listings(session.today, send, found, skipped))
    if outcome is not None and fmt is RemindFormat.text:
        report(outcome)
    turned_down = [(who, why) for who, (state, why) in status.items() if state == "refused"]
    for customer, why in turned_down:  # cron must be able to tell
        print(f"collectctl: the reminder to {customer} was refused: {why}", file=sys.stderr)
    if turned_down:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("resend-invoice")(resend_invoice)
    app.command("statement")(statement)
    app.command("remind")(paged(remind))


def resend_invoice(
    ctx: typer.Context,
    customer: str = customer_argument(),
    invoices: list[str] = typer.Argument(..., metavar="INVOICE...", help="Invoice number(s)."),
    to: str = to_option("Send here instead."),
    contact: str = contact_option("Send to this contact."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the message; send nothing."),
    resend: bool = typer.Option(
        False, "--resend", help="Send again a copy whose last send was interrupted."
    ),
) -> None:
    """Email a copy of invoices to the customer's payables contact.

    The invoice PDF is attached when the ledger has it (customers/ID/documents/NUMBER.pdf
    or the invoice's `document:`); otherwise the email carries the invoice details. The
    send is recorded and committed, so brief and due know a copy went out.

    \b
    Example:
      collectctl resend-invoice evergreen INV-2026-0110 --dry-run
    """
    from collectctl.changes.sending import Recipient
    from collectctl.changes.sending import resend_invoice as send_copy
    from collectctl.errors import UsageError
    from collectctl.storage.layout import check_customer_id

    session: Session = ctx.obj
    check_customer_id(customer)
    if to and contact:
        raise UsageError("give --to or --contact, not both")
    ledger = session.ledger_for(customer, for_writing=not dry_run)
    outcome, shown = send_copy(
        ledger,
        None if dry_run else session.identity(ledger),
        customer,
        session.clock(),
        numbers=list(invoices),
        recipient=Recipient(to, contact),
        profile=session.collector_profile(ledger),
        dry_run=dry_run,
        resend=resend,
    )
    if shown is not None:
        typer.echo(shown, nl=False)
        typer.echo("(dry run: nothing sent, nothing recorded)")
    elif outcome.commit:
        report(outcome)
    else:
        for line in outcome.details:
            typer.echo(line)


class StatementFormat(StrEnum):
    text = "text"
    html = "html"
    pdf = "pdf"


def statement(
    ctx: typer.Context,
    customer: str = customer_argument(),
    since: date = date_option("--from", "Payments and credits since this day (default: 30 days)."),
    fmt: StatementFormat = typer.Option(
        StatementFormat.text, "--format", help="text, html or pdf."
    ),
    output: Path = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write it here (- for stdout; pdf needs one)."
    ),
    send: bool = typer.Option(
        False, "--send", help="Email it, the PDF attached, to the payables contact."
    ),
    to: str = to_option("Email it here instead."),
    resend: bool = typer.Option(
        False, "--resend", help="Send again a statement whose last send was interrupted."
    ),
) -> None:
    """A statement of account: open invoices with POs, payments and credits, aging, total due.

    Emailed (--send or --to), the send is recorded and committed like an invoice copy.

    \b
    Examples:
      collectctl statement fulton-foods --format pdf -o fulton.pdf
      collectctl statement fulton-foods --send
    """
    from datetime import timedelta

    from collectctl.changes.sending import Recipient
    from collectctl.changes.statements import StatementSend, render_statement, send_statement
    from collectctl.errors import UsageError

    session: Session = ctx.obj
    today = session.today
    start = since or today - timedelta(days=30)
    if start > today:
        raise UsageError(f"--from {start} is after today ({today})")
    emailing = send or to is not None
    if emailing and output is not None:
        raise UsageError("--send/--to emails the statement; --output writes it: choose one")
    ledger = session.ledger_for(customer, for_writing=emailing)
    printed = None if emailing else ledger.account(customer)
    profile = session.collector_profile(ledger, owner_of=printed)
    if emailing:
        request = StatementSend(start, Recipient(to), profile, resend)
        identity = session.identity(ledger)
        report(send_statement(ledger, identity, customer, session.clock(), request))
        return
    done = render_statement(ledger, customer, start, today, profile)
    if fmt is StatementFormat.pdf and output is None:
        raise UsageError("--format pdf needs --output FILE")
    content = (
        done.pdf if fmt is StatementFormat.pdf else done.html if fmt.value == "html" else done.text
    )
    if output is None:
        typer.echo(content, nl=False)
        return
    from collectctl.presentation.output import to_stdout, write_file

    write_file(output, content)
    if not to_stdout(output):
        print(f"wrote {output}", file=sys.stderr)
