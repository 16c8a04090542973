"""Commands about the ledger as a whole: init, check, history."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from collectctl.cli import completion
from collectctl.cli.params import BriefFormat, ListFormat, ReportFormat, list_format_option
from collectctl.cli.report import report
from collectctl.cli.session import Session
from collectctl.cli.terminal import paged

if TYPE_CHECKING:
    from collectctl.storage.watcher import Watching


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("check")(paged(check))
    app.command("history")(paged(history))
    app.command("export")(paged(export))
    app.command("migrate")(migrate)
    app.command("review")(paged(review))
    app.command("sync")(sync)
    app.command("clone")(clone)
    app.command("watch")(watch)
    app.command("merge-driver", hidden=True)(merge_driver)


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
    email_from: str = typer.Option(
        None, "--email-from", metavar="ADDRESS", help="The address mail comes from (email.from)."
    ),
    hooks: bool = typer.Option(
        False,
        "--hooks",
        help="Also install a git pre-commit hook running check (alone, on an existing ledger).",
    ),
) -> None:
    """Create a new ledger (git repository, config, first commit).

    Beside collectctl.yaml it writes .gitattributes and, at the top of a repository,
    .pre-commit-config.yaml and a CI workflow (.github/workflows/ledger.yml) that checks
    every push and reviews every pull request.

    \b
    Examples:
      collectctl init ~/ar-ledger --company "Northwind Supply" --email-from ar@northwind.example
      collectctl init ~/ar-ledger --hooks      # an existing ledger: just the git hook
    """
    import sys

    from collectctl.changes.init import executable_of, init_ledger, install_hook, is_ledger
    from collectctl.domain.inputs import address_option, currency_option

    session: Session = ctx.obj
    executable = executable_of(sys.argv[0])
    if not (hooks and is_ledger(directory)):
        report(
            init_ledger(
                directory,
                sample=sample,
                today=session.today,
                who=session.collector,
                company=company,
                currency=currency_option(currency, "--currency"),
                executable=executable,
                email_from=address_option(email_from, "--email-from") if email_from else None,
            )
        )
    if hooks:
        typer.echo(f"installed {install_hook(directory, executable)}")


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
    from collectctl.audit.sparse import partial
    from collectctl.ledger.checks import check_ledger
    from collectctl.presentation.output import write_json

    session: Session = ctx.obj
    layout = session.layout()
    problems = check_ledger(layout, session.announce)
    if fmt is ReportFormat.json:
        write_json([{"path": p.path, "line": p.line, "message": p.message} for p in problems])
    else:
        for problem in problems:
            typer.echo(str(problem))
        if not problems:
            held = partial(layout.root)
            typer.echo(f"ledger OK: {held}; checked those only" if held else "ledger OK")
    if problems:
        raise typer.Exit(1)


def history(
    ctx: typer.Context,
    targets: list[str] = typer.Argument(
        None,
        metavar="[CUSTOMER] [RANGE]",
        help="Only this customer's trail; only the commits of RANGE (main..topic, A...B).",
    ),
    limit: int = typer.Option(None, "--limit", min=1, metavar="N", help="At most N entries."),
    fmt: ListFormat = list_format_option(),
) -> None:
    """Show the audit trail from git, newest first.

    Date, collector, action and summary of every change, hand edits and merges included.

    \b
    Examples:
      collectctl history acme --limit 10
      collectctl history main..maria-week-48     # what a branch adds
    """
    from collectctl.audit.history import history as audit_trail
    from collectctl.errors import UsageError
    from collectctl.presentation.history import history_columns, history_rows
    from collectctl.presentation.output import write_rows
    from collectctl.storage.layout import customer_pathspec

    session: Session = ctx.obj
    ranges = [t for t in targets or [] if ".." in t]
    customers = [t for t in targets or [] if ".." not in t]
    if len(ranges) > 1 or len(customers) > 1:
        raise UsageError("history takes at most one customer and one range (A..B)")
    customer = customers[0] if customers else None
    pathspec = customer_pathspec(customer)
    ledger = session.ledger()
    if customer is not None:
        ledger.account(customer)
    commits = ranges[0] if ranges else None
    entries = audit_trail(ledger.root, pathspec, commits)[:limit]
    people = fmt is ListFormat.table
    empty = f"nothing in {commits}" if commits else "no history yet"
    rows = history_rows(entries, people, ledger.config)
    write_rows(rows, history_columns(people), fmt.value, empty)


def migrate(ctx: typer.Context) -> None:
    """Bring a ledger written by an older collectctl to the current format, in one commit.

    Format 2 keeps only the books' facts in invoices.yaml; payments and disputes are
    events, so two collectors' branches merge without conflicts. Every balance, status
    and dispute is checked to read the same before the commit is made. Running it again
    changes nothing. It also sets this clone up for many files (git's index version 4,
    split index, untracked cache) and the merge driver, as init and sync do.

    \b
    Example:
      collectctl migrate && collectctl check
    """
    import sys

    from collectctl.changes.init import executable_of
    from collectctl.changes.migrate import migrate as migrate_ledger

    session: Session = ctx.obj
    ledger = session.ledger(any_format=True, for_writing=True)
    executable = executable_of(sys.argv[0])
    report(migrate_ledger(ledger, session.identity(ledger), session.clock(), executable))


def review(
    ctx: typer.Context,
    commits: str = typer.Argument(
        None,
        metavar="[RANGE]",
        help="A..B or A...B (default: @{upstream}...HEAD, else main...HEAD).",
    ),
    fmt: BriefFormat = typer.Option(BriefFormat.text, "--format", help="text, markdown or json."),
) -> None:
    """What a branch or pull request changed in the ledger, in a collector's words.

    Calls by collector, promises, payments, disputes opened and resolved, escalations,
    emails, invoices added or changed, hand edits as a short diff, and every check
    problem in the files it touched. The markdown is fit for a pull request.

    \b
    Examples:
      collectctl review                         # this branch against its upstream
      collectctl review main...maria-week-48 --format markdown
    """
    from collectctl.ledger.review import review as changes_in
    from collectctl.presentation.output import write_json
    from collectctl.presentation.review import review_json, review_text

    session: Session = ctx.obj
    found = changes_in(session.root, session.config(), commits)
    if fmt is BriefFormat.json:
        write_json(review_json(found))
    else:
        typer.echo(review_text(found, markdown=fmt is BriefFormat.markdown), nl=False)


def sync(
    ctx: typer.Context,
    merge: bool = typer.Option(
        False, "--merge", help="Merge the team's work in instead of rebasing onto it."
    ),
) -> None:
    """Share your work and get the team's: fetch, rebase onto the upstream, push.

    For collectors who would rather not think about git. It never force-pushes; it
    refuses uncommitted changes; and when you and a teammate changed the same lines it
    stops, puts everything back as it was and names the files.

    \b
    Example:
      collectctl sync            # morning and evening
    """
    import sys

    from collectctl.audit.sync import sync as share
    from collectctl.changes.init import executable_of

    session: Session = ctx.obj
    done = share(session.layout().root, merge, executable_of(sys.argv[0]))
    pulled = f"{done.pulled} commit{'s' if done.pulled != 1 else ''} from {done.upstream}"
    pushed = f"{done.pushed} of yours"
    if not (done.pulled or done.pushed):
        typer.echo(f"up to date with {done.upstream}")
    else:
        typer.echo(f"synced: brought in {pulled}, sent {pushed}")
    if done.held is not None:
        typer.echo(f"this clone holds {done.held} account{'s' if done.held != 1 else ''}")


def clone(
    url: str = typer.Argument(..., metavar="URL", help="The team's ledger repository."),
    directory: Path = typer.Argument(..., metavar="DIR", help="Where the clone goes (new)."),
    collector: str = typer.Option(
        None,
        "--collector",
        metavar="NAME",
        help="Hold only this collector's accounts and those nobody owns (default: all).",
        autocompletion=completion.collectors,
    ),
) -> None:
    """Clone the team's ledger, set up for collectctl (merge driver, many files).

    With --collector, the clone checks out only that collector's accounts and those
    nobody owns (a git sparse checkout with a sparse index): status and commits then
    cost what the portfolio does, not the whole ledger. `sync` moves accounts in and
    out as they change hands; `git sparse-checkout add customers/ID` brings in one
    more. A manager's or a cron job's clone holds everything.

    \b
    Examples:
      collectctl clone git@example.com:ar/ledger.git ~/ar --collector maria
      collectctl clone /srv/git/ledger.git /srv/ar-cron
    """
    import sys

    from collectctl.changes.clone import clone_ledger
    from collectctl.changes.init import executable_of

    done = clone_ledger(url, directory, collector, executable_of(sys.argv[0]))
    if done.accounts is None:
        typer.echo(f"cloned the whole ledger into {done.folder}")
    else:
        held = f"{done.accounts} account{'s' if done.accounts != 1 else ''}"
        typer.echo(f"cloned {done.collector}'s {held} into {done.folder}")


def watch(
    ctx: typer.Context,
    stop: bool = typer.Option(False, "--stop", help="End the ledger's watcher."),
    status: bool = typer.Option(
        False, "--status", help="Say whether one is watching (exit 1 when none is)."
    ),
    foreground: bool = typer.Option(
        False, "--foreground", help="Watch in this process (for a service manager)."
    ),
) -> None:
    """Watch the ledger's files, so listings know which accounts changed without git
    looking at every file (Linux).

    Starts a watcher in the background, or says the one already running. While it runs,
    due, followups, check and the reports ask it what changed since they last looked,
    where git status would stat every file of the ledger: at 10,000 customers that is
    most of what a warm call list costs. Nothing else changes: without a watcher, or
    when it cannot vouch for a moment (it was restarted, the kernel dropped events),
    they ask git about everything, as before. One watcher per ledger and user; it ends
    with --stop, or when the ledger goes away.

    \b
    Examples:
      collectctl watch              # once a morning, or from a login script
      collectctl watch --status
      collectctl watch --stop
    """
    from collectctl.errors import UsageError
    from collectctl.storage import watcher

    if stop + status + foreground > 1:
        raise UsageError("give one of --stop, --status and --foreground")
    layout = ctx.obj.layout()
    if stop:
        ended = watcher.stop(layout)
        typer.echo(f"stopped watching {layout.root}" if ended else f"not watching {layout.root}")
        return
    if status:
        found = watcher.status(layout)
        if found is None:
            typer.echo(f"not watching {layout.root}")
            raise typer.Exit(1)
        typer.echo(_watching(layout.root, found))
        return
    if foreground:
        watcher.run(layout, ready=lambda: typer.echo(f"watching {layout.root}"))
        return
    typer.echo(_watching(layout.root, watcher.start(layout)))


def _watching(root: Path, found: Watching) -> str:
    folders = f"{found.folders:,} folder{'s' if found.folders != 1 else ''}"
    return f"watching {root} since {found.since} (pid {found.pid}): {folders}"


def merge_driver(
    base: Path = typer.Argument(..., metavar="BASE", help="The common ancestor (%O)."),
    ours: Path = typer.Argument(
        ..., metavar="OURS", help="Our version, where the result goes (%A)."
    ),
    theirs: Path = typer.Argument(..., metavar="THEIRS", help="Their version (%B)."),
    path: str = typer.Argument("", metavar="[PATH]", help="The file's path (%P)."),
) -> None:
    """Git's merge driver for customer.yaml and invoices.yaml, named in .gitattributes.

    Plumbing that git runs: contacts are merged by name and invoices by number, so two
    collectors who each add one merge cleanly; what both changed differently gets
    git's conflict markers. init and sync set it up in each clone.

    \b
    Example:
      collectctl merge-driver %O %A %B %P      # as git runs it
    """
    from collectctl.audit.hooks import merge_files

    if not merge_files(Path.cwd(), base, ours, theirs, path or ours.name):
        raise typer.Exit(1)


class ExportFormat(StrEnum):
    markdown = "markdown"
    json = "json"


def export(
    ctx: typer.Context,
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="The customer's id."),
    fmt: ExportFormat = typer.Option(ExportFormat.markdown, "--format", help="markdown or json."),
) -> None:
    """The account's full record for an agency or a lawyer: every contact, invoice,
    document and event, in order.

    \b
    Example:
      collectctl export keystone-build --format markdown > keystone-record.md
    """
    from collectctl.presentation import export as view
    from collectctl.presentation.output import write_json

    session: Session = ctx.obj
    ledger = session.ledger_for(customer)
    account = ledger.account(customer)
    if fmt is ExportFormat.json:
        write_json(view.record(account, ledger.config, ledger.layout, session.today))
    else:
        typer.echo(view.markdown(account, ledger.config, ledger.layout, session.today), nl=False)
