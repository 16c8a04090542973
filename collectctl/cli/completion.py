"""Shell completion: `collectctl completion bash|zsh|fish` prints the script, and the
completers behind it offer customer ids, the typed customer's contacts and invoice
numbers, and collector ids, from the ledger the command line points at."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

import typer

PROG = "collectctl"
COMPLETE_VAR = "_COLLECTCTL_COMPLETE"


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def register(app: typer.Typer) -> None:
    app.command("completion")(completion)


def enable() -> None:
    """Teach Typer's completion machinery the shells (only when a shell asks: Typer
    does it only for its --install-completion, which we do not offer)."""
    from typer._completion_classes import completion_init

    completion_init()


def completion(shell: Shell = typer.Argument(..., help="bash, zsh or fish.")) -> None:
    """Print the shell completion script.

    \b
    Examples:
      collectctl completion bash > ~/.local/share/bash-completion/completions/collectctl
      collectctl completion zsh > "${fpath[1]}/_collectctl"
      collectctl completion fish > ~/.config/fish/completions/collectctl.fish
    """
    from typer._completion_shared import get_completion_script

    print(get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell.value))


def _root(ctx: typer.Context) -> Path | None:
    """The ledger the command line points at, found as any command finds it."""
    from datetime import date

    from collectctl.cli.session import Session
    from collectctl.errors import CollectctlError

    given = ctx.find_root().params.get("ledger") or os.environ.get("COLLECTCTL_LEDGER")
    try:
        return Session(Path(given) if given else None, date.today(), None).root
    except (CollectctlError, OSError):
        return None


def _customer(ctx: typer.Context) -> str | None:
    """The customer typed so far. Click leaves the parameters unset while an option
    still waits for its value (`pay acme --invoice <TAB>`); then it is the first of
    the words left over."""
    typed = ctx.params.get("customer")
    return typed or next((word for word in ctx.args if not word.startswith("-")), None)


def _matching(names: list[str], incomplete: str) -> list[str]:
    return [name for name in names if name.startswith(incomplete)]


def customers(ctx: typer.Context, incomplete: str) -> list[str]:
    from collectctl.ledger.names import customer_ids

    root = _root(ctx)
    return _matching(customer_ids(root), incomplete) if root else []


def contacts(ctx: typer.Context, incomplete: str) -> list[str]:
    from collectctl.ledger.names import contact_names

    root, customer = _root(ctx), _customer(ctx)
    return _matching(contact_names(root, customer), incomplete) if root and customer else []


def invoices(ctx: typer.Context, incomplete: str) -> list[str]:
    from collectctl.ledger.names import invoice_numbers

    root, customer = _root(ctx), _customer(ctx)
    return _matching(invoice_numbers(root, customer), incomplete) if root and customer else []


def collectors(ctx: typer.Context, incomplete: str) -> list[str]:
    from collectctl.ledger.names import collector_ids

    root = _root(ctx)
    return _matching(collector_ids(root), incomplete) if root else []
