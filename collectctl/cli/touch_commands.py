"""note, log-email, check-void: every touch recorded, not only calls."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import typer

from collectctl.cli.params import contact_option, customer_argument, date_option
from collectctl.cli.report import report
from collectctl.cli.session import Session
from collectctl.domain.vocabulary import CheckVoidReason


class Direction(StrEnum):
    in_ = "in"
    out = "out"


class Channel(StrEnum):
    email = "email"
    portal = "portal"
    letter = "letter"
    other = "other"


def register(app: typer.Typer) -> None:
    app.command("note")(note)
    app.command("log-email")(log_email)
    app.command("check-void")(check_void)


def note(
    ctx: typer.Context,
    customer: str = customer_argument(),
    text: str = typer.Argument(..., metavar="TEXT", help="The note; '-' reads standard input."),
    contact: str = contact_option("Whom it is about (a new name joins the contacts)."),
    follow_up: date = date_option("--follow-up", "Book a follow-up on this day."),
) -> None:
    """Add a note to the account's file.

    \b
    Example:
      collectctl note keystone-build "Refinance closes Dec 10" --follow-up 2026-12-11
    """
    from collectctl.changes.touches import Touch, add_note
    from collectctl.presentation.editor import stdin_text

    session: Session = ctx.obj
    body = stdin_text() if text == "-" else text
    ledger = session.ledger_for(customer, for_writing=True)
    touch = Touch(body, contact, follow_up)
    report(add_note(ledger, session.identity(ledger), customer, session.clock(), touch))


def log_email(
    ctx: typer.Context,
    customer: str = customer_argument(),
    direction: Direction = typer.Option(
        ..., "--direction", help="in: the customer wrote; out: sent from elsewhere."
    ),
    subject: str = typer.Option(..., "--subject", metavar="TEXT", help="Its subject."),
    sender: str = typer.Option(None, "--from", metavar="ADDRESS", help="Who sent it."),
    to: list[str] = typer.Option(None, "--to", metavar="ADDRESS", help="Recipients (repeat)."),
    channel: Channel = typer.Option(
        Channel.email, "--channel", help="email, portal, letter or other."
    ),
    contact: str = contact_option("The person at the customer (a new name joins the contacts)."),
    notes: str = typer.Option(None, "--notes", metavar="TEXT", help="What it said."),
    follow_up: date = date_option("--follow-up", "Book a follow-up on this day."),
) -> None:
    """Record an email (or portal message, letter) the customer sent, or one sent elsewhere.

    \b
    Example:
      collectctl log-email delta-fab --direction in --from tom@deltafab.example \\
        --subject "Remittance advice: check 4411" --follow-up 2026-11-26
    """
    from collectctl.changes.touches import LoggedMessage, Touch, log_message

    session: Session = ctx.obj
    ledger = session.ledger_for(customer, for_writing=True)
    message = LoggedMessage(direction.value, subject, channel.value, sender, list(to or []))
    touch = Touch(notes, contact, follow_up)
    report(log_message(ledger, session.identity(ledger), customer, session.clock(), message, touch))


def check_void(
    ctx: typer.Context,
    customer: str = customer_argument(),
    number: str = typer.Argument(..., metavar="NUMBER", help="The check's number."),
    reason: CheckVoidReason = typer.Option(..., "--reason", help="stopped, replaced or lost."),
    replacement: str = typer.Option(
        None, "--replacement", metavar="NUMBER", help="replaced: the new check's number."
    ),
    notes: str = typer.Option(None, "--notes", metavar="TEXT", help="What happened."),
) -> None:
    """Mark a check reported mailed as stopped, replaced or lost: its follow-up closes.

    \b
    Example:
      collectctl check-void delta-fab 4411 --reason replaced --replacement 4420
    """
    from collectctl.changes.calls import void_check

    session: Session = ctx.obj
    if replacement is not None and reason != "replaced":
        raise typer.BadParameter("--replacement goes with --reason replaced")
    ledger = session.ledger_for(customer, for_writing=True)
    report(
        void_check(
            ledger, session.identity(ledger), customer, session.clock(), number,
            status=str(reason), replacement=replacement, notes=notes,
        )
    )  # fmt: skip
