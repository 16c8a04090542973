"""report KIND: what the credit manager reads — aging, DSO, CEI, promise-kept rates,
activity, a cash forecast, open escalations and disputes; or one HTML page of it all."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from collectctl.cli.params import date_option
from collectctl.cli.report import MAIL_WIDTH, mail_out
from collectctl.cli.session import Session, collector_filter, say_if_partial
from collectctl.cli.terminal import paged


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


KIND_HELP = "aging, dso, cei, promises, activity, forecast, escalations, disputes, or html."


def register(app: typer.Typer) -> None:
    app.command("report")(paged(report))


def report(
    ctx: typer.Context,
    kind: str = typer.Argument(..., metavar="KIND", help=KIND_HELP),
    out: Path = typer.Argument(
        None, metavar="[OUT.html]", help="html: the page to write (- for stdout)."
    ),
    as_of: date = date_option("--as-of", "The day the figures are for (default: today)."),
    start: date = date_option("--from", "Period reports: the first day."),
    end: date = date_option("--to", "Period reports: the last day (default: --as-of)."),
    by: str = typer.Option(
        None, "--by", metavar="GROUP", help="customer, collector, currency or month."
    ),
    collector: str = typer.Option(
        None, "--collector", metavar="NAME", help="Only this collector's accounts."
    ),
    customer: str = typer.Option(None, "--customer", metavar="ID", help="Only this customer."),
    weeks: int = typer.Option(6, "--weeks", min=1, max=52, help="forecast: how many weeks."),
    buckets: str = typer.Option(
        "30,60,90", "--buckets", metavar="N,N,N", help="aging: the buckets' upper edges."
    ),
    fmt: ReportFormat = typer.Option(
        ReportFormat.table, "--format", help="table, json, csv, html."
    ),
    mail_to: str = typer.Option(
        None, "--mail-to", metavar="ADDRESS", help="Email it (text and HTML) instead."
    ),
) -> None:
    """Reports for the credit manager.

    \b
    aging       open balances by days past due, disputed and credit apart (--by collector)
    dso         days sales outstanding: count-back (walk back month by month from the
                as-of date, taking each month's invoicing until the receivables are used
                up) and simple (receivables / invoicing of the period x its days)
    cei         collection effectiveness: (opening + invoiced - closing) /
                (opening + invoiced - closing current) x 100, over --from..--to
    promises    made, kept, partial, broken, pending; kept rate by count and amount
    activity    calls by outcome, reached vs attempts, promises, emails, money collected
    forecast    expected cash per week: promises weighted by kept rates, invoices due
    escalations, disputes   open items with age, owner, reason, amount
    html OUT    one page with the headline figures and charts

    \b
    Examples:
      collectctl report aging --by collector --format csv > aging.csv
      collectctl report html weekly.html
      collectctl report html weekly.html --mail-to grace@example.com   # from cron
    """
    from collectctl.domain.reports import BUCKETS
    from collectctl.errors import UsageError
    from collectctl.presentation import reports as view

    session: Session = ctx.obj
    if kind not in (*view.KINDS, "html"):
        raise UsageError(f"report {kind}: use one of {', '.join((*view.KINDS, 'html'))}")
    if out is not None and kind != "html":
        raise UsageError(f"report {kind} prints; only report html writes a file (or --format)")
    edges = _edges(buckets) if buckets != "30,60,90" else BUCKETS
    day = as_of or session.today
    if start is not None and start > (end or day):
        raise UsageError(f"--from {start} is after --to {end or day}")
    if by is not None and by not in ("customer", "collector", "currency", "month"):
        raise UsageError(f"--by {by}: use customer, collector, currency or month")
    ledger = session.ledger_for(customer) if customer else session.ledger()
    who = collector_filter(ledger.config, collector)
    note = say_if_partial(ledger, who) if customer is None else None
    everyone = ledger.portfolio([customer] if customer else ledger.records)
    accounts = everyone.only(
        a for a in everyone.latest if who is None or who in (a.owner, a.collector)
    )
    chosen = {a.id for a in accounts.latest}
    needs_standings = kind in ("escalations", "disputes")
    standings = [s for s in ledger.standings() if s.id in chosen] if needs_standings else []
    request = view.ReportRequest(kind, day, start, end, by, weeks, edges)
    if kind == "html":
        from collectctl.presentation.report_page import page

        html, headline = page(request, accounts, ledger.config)
        if mail_to is not None:
            mail_out(session, ledger, mail_to, f"Collections on {day}", headline, html, note)
            return
        if out is None:
            raise UsageError("report html needs the page's file: report html OUT.html")
        from collectctl.presentation.output import to_stdout, write_file

        write_file(out, html)
        if not to_stdout(out):
            print(f"wrote {out}", file=sys.stderr)
        return
    built = view.build(request, accounts, standings, ledger.config)
    listing = built.listing()
    if mail_to is not None:
        text, html = listing.text(MAIL_WIDTH), listing.html()
        mail_out(session, ledger, mail_to, built.title, text, html, note)
    elif fmt is ReportFormat.json:
        from collectctl.presentation.output import write_json

        write_json(built.rows)
    elif fmt is ReportFormat.csv:
        from collectctl.presentation.output import write_csv

        write_csv(built.rows, built.columns)
    elif fmt is ReportFormat.html:
        sys.stdout.write(listing.html())
    else:
        sys.stdout.write(listing.text())


def _edges(text: str) -> tuple[int, ...]:
    from collectctl.errors import UsageError

    try:
        edges = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise UsageError(f"--buckets {text}: write the upper edges, like 30,60,90") from None
    if not edges or any(e < 1 for e in edges) or list(edges) != sorted(set(edges)):
        raise UsageError(f"--buckets {text}: rising whole numbers of days, like 30,60,90")
    return edges
