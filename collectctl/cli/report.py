"""Telling the user what a change did and which commit holds it, or what was mailed."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from collectctl.changes.account_change import Outcome
    from collectctl.cli.session import Session
    from collectctl.ledger.accounts import Ledger


def report(outcome: Outcome) -> None:
    if outcome.notice:
        print(f"collectctl: {outcome.notice}", file=sys.stderr)
    if outcome.commit:
        typer.echo(f"{outcome.summary} [{outcome.commit}]")
    else:
        typer.echo(f"nothing changed: {outcome.summary}")
    for line in outcome.details:
        typer.echo(f"  {line}")


MAIL_WIDTH = 80  # the plain-text part of a mailed listing; the HTML part has it all


def mail_out(
    session: Session,
    ledger: Ledger,
    to: str,
    subject: str,
    text: str,
    html: str,
    note: str | None = None,
) -> None:
    """Mail a listing or a report (text and HTML), from the person acting, and say so;
    `note` (what a partial clone's listing covers) goes above both."""
    from collectctl.changes.sending import mail_report
    from collectctl.presentation.output import noted

    if note is not None:
        text, html = noted(note, text, html)
    profile = session.collector_profile(ledger)
    typer.echo(mail_report(ledger, session.clock(), to, subject, text, html, profile))
