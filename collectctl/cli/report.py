"""Telling the user what a change did and which commit holds it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from collectctl.changes.account_change import Outcome


def report(outcome: Outcome) -> None:
    if outcome.notice:
        print(f"collectctl: {outcome.notice}", file=sys.stderr)
    if outcome.commit:
        typer.echo(f"{outcome.summary} [{outcome.commit}]")
    else:
        typer.echo(f"nothing changed: {outcome.summary}")
    for line in outcome.details:
        typer.echo(f"  {line}")
