"""dispute open | resolve | list: a dispute's life, apart from the call that raised it."""

from __future__ import annotations

import sys
from typing import Any

import typer

from collectctl.cli.params import (
    ListFormat,
    collector_filter_option,
    customer_argument,
    list_format_option,
)
from collectctl.cli.report import report
from collectctl.cli.session import Session, collector_filter, say_if_partial
from collectctl.cli.terminal import paged
from collectctl.cli.typer_app import App
from collectctl.domain.vocabulary import DisputeReason

dispute_app = App(
    help="Disputes: open one on an invoice, resolve it, list the open ones.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(dispute_app, name="dispute")


def _invoice() -> Any:
    return typer.Argument(..., metavar="INVOICE", help="The disputed invoice's number.")


@dispute_app.command("open")
def dispute_open(
    ctx: typer.Context,
    customer: str = customer_argument(),
    invoice: str = _invoice(),
    reason: DisputeReason = typer.Option(..., "--reason", help="Why the invoice is disputed."),
    amount: str = typer.Option(
        None, "--amount", metavar="PART", help="The disputed part (default: the whole balance)."
    ),
    owner: str = typer.Option(None, "--owner", metavar="COLLECTOR", help="Who works the dispute."),
    contact: str = typer.Option(None, "--contact", metavar="NAME", help="Who raised it."),
    notes: str = typer.Option(None, "--notes", metavar="TEXT", help="What is disputed."),
) -> None:
    """Open a dispute: only the disputed part is held back; the rest is still chased.

    \b
    Example:
      collectctl dispute open fulton-foods INV-2026-0119 --reason short-shipment --amount 300
    """
    from collectctl.changes.disputes import DisputeOpening, open_dispute

    session: Session = ctx.obj
    ledger = session.ledger_for(customer, for_writing=True)
    opening = DisputeOpening(str(reason), amount, owner, contact, notes)
    identity = session.identity(ledger)
    report(open_dispute(ledger, identity, customer, session.clock(), invoice, opening))


@dispute_app.command("resolve")
def dispute_resolve(
    ctx: typer.Context,
    customer: str = customer_argument(),
    invoice: str = _invoice(),
    outcome: str = typer.Option(
        ..., "--outcome", metavar="OUTCOME", help="credited, rejected or paid."
    ),
    credit: str = typer.Option(
        None, "--credit", metavar="AMOUNT", help="credited: the credit note's amount."
    ),
    notes: str = typer.Option(None, "--notes", metavar="TEXT", help="How it was settled."),
) -> None:
    """Resolve a dispute: credited (the credit lowers the balance), rejected, or paid.

    \b
    Example:
      collectctl dispute resolve granite-works INV-2026-0104 --outcome credited --credit 480
    """
    from collectctl.changes.disputes import resolve_dispute

    session: Session = ctx.obj
    ledger = session.ledger_for(customer, for_writing=True)
    identity = session.identity(ledger)
    report(
        resolve_dispute(
            ledger, identity, customer, session.clock(), invoice,
            outcome=outcome, credit=credit, notes=notes,
        )
    )  # fmt: skip


@dispute_app.command("list")
@paged
def dispute_list(
    ctx: typer.Context,
    collector: str = collector_filter_option("Only the disputes this collector works."),
    fmt: ListFormat = list_format_option(),
) -> None:
    """List open disputes: what is held back, since when, who works it, the next review.

    \b
    Example:
      collectctl dispute list --collector maria
    """
    from collectctl.presentation import disputes as view
    from collectctl.presentation.output import write_rows

    session: Session = ctx.obj
    ledger = session.ledger()
    who = collector_filter(ledger.config, collector)
    say_if_partial(ledger, who)
    rows = view.dispute_rows(ledger.standings(), ledger.config, session.today, who)
    if fmt is ListFormat.table:
        sys.stdout.write(view.listing(rows, session.today).text())
    else:
        write_rows(view.as_dicts(rows), view.COLUMNS, fmt.value, "")
