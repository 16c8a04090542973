"""The Typer application: global options, then one module of commands per job."""

from __future__ import annotations

from pathlib import Path

import typer

from collectctl import __version__
from collectctl.cli import (
    completion,
    day_commands,
    dispute_commands,
    entry_commands,
    import_commands,
    ledger_commands,
    mail_commands,
    report_commands,
    terminal,
    touch_commands,
)
from collectctl.cli.session import Session, today_from
from collectctl.cli.typer_app import App

app = App(
    name="collectctl",
    help="Accounts-receivable collections from the shell: a plain-YAML ledger in git.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"collectctl {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    ledger: Path = typer.Option(
        None,
        "--ledger",
        "-L",
        envvar="COLLECTCTL_LEDGER",
        metavar="PATH",
        help="The ledger folder (default: the nearest folder upward holding collectctl.yaml).",
    ),
    today: str = typer.Option(
        None,
        "--today",
        metavar="YYYY-MM-DD",
        help="Pretend today is this date (or set COLLECTCTL_TODAY).",
    ),
    collector: str = typer.Option(
        None,
        "--collector",
        envvar="COLLECTCTL_COLLECTOR",
        help="Who is acting: a collector's id, name or email (default: git's user.name).",
        autocompletion=completion.collectors,
    ),
    width: int = typer.Option(
        None,
        "--width",
        min=20,
        max=1000,
        metavar="N",
        help="Fit listings to N columns (default: the terminal's; none into a pipe).",
    ),
    pager: bool = typer.Option(
        True, "--pager/--no-pager", help="Page long listings on a terminal (COLLECTCTL_PAGER)."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_show_version,
        is_eager=True,
        help="Show the version and exit.",
    ),
) -> None:
    """Accounts-receivable collections from the shell: a plain-YAML ledger in git.

    \b
    Example:
      collectctl init acme-ar --sample && cd acme-ar && collectctl check
    """
    terminal.set_up(width, pager)
    source = ctx.get_parameter_source("ledger")
    from_env = source is not None and source.name == "ENVIRONMENT"
    ledger_from = "COLLECTCTL_LEDGER" if from_env else "--ledger"
    ctx.obj = Session(ledger, today_from(today), collector, debug, ledger_from)


ledger_commands.register(app)
day_commands.register(app)
dispute_commands.register(app)
mail_commands.register(app)
entry_commands.register(app)
import_commands.register(app)
touch_commands.register(app)
report_commands.register(app)
completion.register(app)
