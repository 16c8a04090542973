"""Email commands: resend-invoice."""

from __future__ import annotations

import typer

from collectctl.cli.params import contact_option, customer_argument, to_option
from collectctl.cli.report import report
from collectctl.cli.session import Session


def register(app: typer.Typer) -> None:
    app.command("resend-invoice")(resend_invoice)


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
        profile=session.collector_profile(ledger, ledger.account(customer)),
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
