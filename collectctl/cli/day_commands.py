"""The collector's day: due, brief, log-call, promise, pay, followups, escalate."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from collectctl.cli.ledger_commands import report
from collectctl.cli.params import ListFormat, customer_argument, date_option
from collectctl.cli.session import Session
from collectctl.vocabulary import CALL_OUTCOMES, DISPUTE_REASONS, PAYMENT_METHODS

CallOutcome = StrEnum("CallOutcome", {value: value for value in CALL_OUTCOMES})
Method = StrEnum("Method", {value: value for value in PAYMENT_METHODS})
DisputeReason = StrEnum("DisputeReason", {value: value for value in DISPUTE_REASONS})


class BriefFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("due")(due)
    app.command("brief")(brief)
    app.command("log-call")(log_call)
    app.command("promise")(promise)
    app.command("pay")(pay)
    app.command("followups")(followups)
    app.command("escalate")(escalate)


def _collector_filter(ledger, name: str | None) -> str | None:
    from collectctl.errors import UsageError

    if name is None:
        return None
    found = ledger.config.find_collector(name)
    if found is None and ledger.config.collectors:
        known = ", ".join(c.id for c in ledger.config.collectors)
        raise UsageError(
            f"--collector: {name!r} is not a collector (collectctl.yaml lists: {known})"
        )
    return found.id if found else name


def due(
    ctx: typer.Context,
    collector: str = typer.Option(
        None, "--collector", metavar="NAME", help="Only this collector's accounts."
    ),
    limit: int = typer.Option(None, "--limit", min=1, metavar="N", help="At most N accounts."),
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", help="table, json or csv."),
    mail_to: str = typer.Option(
        None, "--mail-to", metavar="ADDRESS", help="Email the list (text and HTML) instead."
    ),
) -> None:
    """Show today's call list, ranked: who to call and why.

    Broken promises and escalations come first, then follow-ups that are due, then
    accounts past the first-call line; within each, the largest amount x days past due.

    \b
    Examples:
      collectctl due --collector maria --limit 10
      collectctl due --collector maria --mail-to maria@example.com   # from cron
    """
    from collectctl import policy, reports
    from collectctl.output import Column, write_json, write_rows

    session: Session = ctx.obj
    ledger = session.ledger()
    entries = policy.call_list(
        ledger.standings(awake_on=session.today),
        ledger.config,
        session.today,
        _collector_filter(ledger, collector),
    )[:limit]
    listing = reports.due_listing(entries, session.today)
    if mail_to is not None:
        _mail_listing(session, ledger, mail_to, listing)
    elif fmt is ListFormat.json:
        write_json(reports.due_rows(entries))
    elif fmt is ListFormat.csv:
        columns = [Column(key, key) for key in reports.DUE_CSV_COLUMNS]
        write_rows(reports.flat_due_rows(reports.due_rows(entries)), columns, "csv", "")
    else:
        sys.stdout.write(listing.text())


def _mail_listing(session: Session, ledger, to: str, listing) -> None:
    from collectctl.sending import mail_report

    subject = listing.title if listing.rows else listing.empty
    text = listing.text()
    html = listing.html()
    typer.echo(
        mail_report(
            ledger, session.clock(), to, subject, text, html, session.collector_profile(ledger)
        )
    )


def brief(
    ctx: typer.Context,
    customer: str = customer_argument(),
    fmt: BriefFormat = typer.Option(BriefFormat.text, "--format", help="text, markdown or json."),
) -> None:
    """Everything to know before dialing, on one screen.

    Whom to ask for, terms, aging, open invoices with POs, payments, promises, checks
    reported mailed, the last contacts, and the scripted opener for this situation.

    \b
    Example:
      collectctl brief delta-fab
    """
    from collectctl import reports
    from collectctl.layout import check_customer_id
    from collectctl.output import write_json
    from collectctl.render import Templates

    session: Session = ctx.obj
    check_customer_id(customer)
    ledger = session.ledger_for(customer)
    account = ledger.account(customer)
    profile = session.collector_profile(ledger, account)
    data = reports.brief(account, ledger.config, session.today)
    template = reports.opener_template(account, ledger.config, session.today)
    context = reports.opener_context(account, ledger.config, session.today, profile)
    data["opener"] = Templates(ledger.root).render(template, context)
    if fmt is BriefFormat.json:
        write_json(data)
    else:
        sys.stdout.write(reports.brief_text(data, markdown=fmt is BriefFormat.markdown))


def log_call(
    ctx: typer.Context,
    customer: str = customer_argument(),
    outcome: CallOutcome = typer.Option(..., "--outcome", help="What came of the call."),
    contact: str = typer.Option(
        None, "--contact", metavar="NAME", help="Who you spoke to (a new name joins the contacts)."
    ),
    notes: str = typer.Option(
        None,
        "--notes",
        metavar="TEXT",
        help="What was said; '-' reads standard input; none opens $EDITOR.",
    ),
    recording: str = typer.Option(
        None, "--recording", metavar="PATH-OR-URL", help="Recording or transcript reference."
    ),
    invoice: list[str] = typer.Option(
        None, "--invoice", metavar="NUMBER", help="Invoice(s) discussed (repeatable)."
    ),
    check_number: str = typer.Option(
        None, "--check-number", metavar="NUMBER", help="check-in-mail: the check number."
    ),
    check_amount: str = typer.Option(
        None, "--check-amount", metavar="AMOUNT", help="check-in-mail: its amount."
    ),
    mailed: date = date_option("--mailed", "check-in-mail: the date mailed."),
    reason: DisputeReason = typer.Option(
        None, "--reason", help="dispute: why the invoice is disputed."
    ),
    disputed_amount: str = typer.Option(
        None, "--disputed-amount", metavar="AMOUNT", help="dispute: the amount in dispute."
    ),
    amount: str = typer.Option(
        None, "--amount", metavar="AMOUNT", help="promise: the amount promised."
    ),
    by: list[date] = date_option("--by", "promise: the date (repeat for installments)."),
    method: Method = typer.Option(None, "--method", help="promise: how they will pay."),
    send: bool = typer.Option(
        None, "--send/--no-send", help="promise: email the confirmation (default: policy)."
    ),
    to: str = typer.Option(
        None, "--to", metavar="ADDRESS", help="promise: send the confirmation here."
    ),
    follow_up: date = date_option(
        "--follow-up", "Book the next call on this date instead of the policy's."
    ),
) -> None:
    """Record a call: who, what came of it, and what was agreed.

    \b
    Examples:
      collectctl log-call delta-fab --contact "Tom Reyes" --outcome check-in-mail \\
          --check-number 4411 --check-amount 3250.00 --mailed 2026-11-12
      collectctl log-call acme --outcome promise --amount 5000 --by 2026-12-01 --method ach
    """
    from collectctl.cli.editor import read_notes
    from collectctl.errors import UsageError
    from collectctl.layout import check_customer_id
    from collectctl.recording import MailedCheck, PromiseTerms
    from collectctl.recording import log_call as record_call

    session: Session = ctx.obj
    check_customer_id(customer)
    check = None
    if any(v is not None for v in (check_number, check_amount, mailed)):
        if None in (check_number, check_amount, mailed):
            raise UsageError(
                "a check in the mail needs --check-number, --check-amount and --mailed"
            )
        check = MailedCheck(check_number, check_amount, mailed)
    terms = None
    if amount is not None or by:
        terms = PromiseTerms(amount or "", list(by or []), method=method and method.value)
    elif method is not None:
        raise UsageError("--method goes with a promise (--amount and --by)")
    ledger = session.ledger_for(customer)
    identity = session.identity(ledger)
    outcome_, _, _ = record_call(
        ledger,
        identity,
        customer,
        session.clock(),
        outcome=outcome.value,
        contact=contact,
        notes=read_notes(notes),
        recording=recording,
        invoices=list(invoice or []),
        check=check,
        dispute_reason=reason and reason.value,
        disputed_amount=disputed_amount,
        promise=terms,
        follow_up=follow_up,
        confirm=_confirmation(session, ledger, customer, send, to) if terms else None,
    )
    report(outcome_)


def promise(
    ctx: typer.Context,
    customer: str = customer_argument(),
    amount: str = typer.Option(..., "--amount", metavar="AMOUNT", help="The total promised."),
    by: list[date] = date_option(
        "--by", "The date; repeat for an installment plan.", required=True
    ),
    method: Method = typer.Option(None, "--method", help="How they will pay."),
    invoice: list[str] = typer.Option(
        None,
        "--invoice",
        metavar="NUMBER",
        help="Invoices covered (repeatable; default: oldest first).",
    ),
    contact: str = typer.Option(None, "--contact", metavar="NAME", help="Who made the promise."),
    installments: int = typer.Option(
        None, "--installments", min=2, metavar="N", help="Split into N equal payments..."
    ),
    every: str = typer.Option(
        None, "--every", metavar="PERIOD", help="...this far apart: 14d, 2w or 1m."
    ),
    show_email: bool = typer.Option(False, "--show-email", help="Print the written confirmation."),
    send: bool = typer.Option(
        None, "--send/--no-send", help="Email the confirmation (default: the policy's setting)."
    ),
    to: str = typer.Option(
        None, "--to", metavar="ADDRESS", help="Send the confirmation here instead."
    ),
) -> None:
    """Record a promise to pay: amount, date(s), method, invoices.

    Each date becomes a follow-up on the date plus the policy's grace; kept or broken
    is worked out from payments.

    \b
    Examples:
      collectctl promise harbor-marine --amount 2000 --by 2026-12-01 --method check --show-email
      collectctl promise ironclad --amount 9000 --by 2026-12-01 --installments 3 --every 14d
    """
    from collectctl import reports
    from collectctl.layout import check_customer_id
    from collectctl.recording import PromiseTerms, add_promise
    from collectctl.render import Templates

    session: Session = ctx.obj
    check_customer_id(customer)
    ledger = session.ledger_for(customer)
    terms = PromiseTerms(
        amount, list(by), installments, every, method and method.value, list(invoice or [])
    )
    outcome, plan, who = add_promise(
        ledger,
        session.identity(ledger),
        customer,
        session.clock(),
        terms=terms,
        contact=contact,
        confirm=_confirmation(session, ledger, customer, send, to),
    )
    report(outcome)
    if show_email:
        account = session.ledger_for(customer).account(customer)
        profile = session.collector_profile(ledger, account)
        context = reports.confirmation_context(account, ledger.config, plan, who, profile)
        subject, text, _ = Templates(ledger.root).message("promise-confirmation", context)
        typer.echo(f"\nSubject: {subject}\n")
        typer.echo(text.rstrip())


def _confirmation(session: Session, ledger, customer: str, send: bool | None, to: str | None):
    """Whether and where to email a promise's confirmation: --send/--no-send, else the
    policy's send_confirmations; --to alone means send."""
    from collectctl.recording import Confirm

    wanted = (
        send if send is not None else (to is not None or ledger.config.policy.send_confirmations)
    )
    if not wanted:
        return None
    return Confirm(session.collector_profile(ledger, ledger.account(customer)), to)


def pay(
    ctx: typer.Context,
    customer: str = customer_argument(),
    amount: str = typer.Option(..., "--amount", metavar="AMOUNT", help="The amount received."),
    on: date = date_option("--date", "Date received (default: today)."),
    reference: str = typer.Option(
        None, "--reference", metavar="REF", help="Check number or remittance id."
    ),
    method: Method = typer.Option(None, "--method", help="How it was paid."),
    invoice: list[str] = typer.Option(
        None,
        "--invoice",
        metavar="NUMBER",
        help="Apply to these invoices (repeatable; default: oldest first).",
    ),
) -> None:
    """Record a payment and apply it to invoices.

    Invoices paid in full become paid; an overpayment is kept as unapplied credit; a
    reference matching a check reported in the mail closes that check's follow-up.

    \b
    Example:
      collectctl pay delta-fab --amount 3250.00 --reference 4411 --method check
    """
    from collectctl.layout import check_customer_id
    from collectctl.recording import record_payment

    session: Session = ctx.obj
    check_customer_id(customer)
    ledger = session.ledger_for(customer)
    report(
        record_payment(
            ledger,
            session.identity(ledger),
            customer,
            session.clock(),
            amount=amount,
            received=on,
            reference=reference,
            method=method and method.value,
            invoices=list(invoice or []),
        )
    )


def followups(
    ctx: typer.Context,
    collector: str = typer.Option(
        None, "--collector", metavar="NAME", help="Only this collector's follow-ups."
    ),
    days: int = typer.Option(0, "--days", min=0, metavar="N", help="Also show the next N days."),
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", help="table, json or csv."),
    ics: Path = typer.Option(
        None, "--ics", metavar="FILE", help="Also write them as an iCalendar file."
    ),
    mail_to: str = typer.Option(
        None, "--mail-to", metavar="ADDRESS", help="Email the list (text and HTML) instead."
    ),
) -> None:
    """Show follow-ups due today and overdue (and ahead, with --days).

    Promise checks, installment dates, checks in the mail, callbacks, escalations.

    \b
    Example:
      collectctl followups --days 7 --ics ~/followups.ics
    """
    from collectctl import reports
    from collectctl.ics import write_ics
    from collectctl.output import Column, write_rows

    session: Session = ctx.obj
    ledger = session.ledger()
    rows = reports.follow_up_rows(
        ledger.standings(),
        ledger.config,
        session.today,
        days,
        _collector_filter(ledger, collector),
    )
    if ics is not None:
        write_ics(ics, rows, ledger.config.company, session.clock().now)
        print(
            f"wrote {len(rows)} follow-up{'s' if len(rows) != 1 else ''} to {ics}", file=sys.stderr
        )
    listing = reports.follow_up_listing(rows, session.today, days)
    if mail_to is not None:
        _mail_listing(session, ledger, mail_to, listing)
    elif fmt is ListFormat.table:
        sys.stdout.write(listing.text())
    else:
        columns = [*reports.FOLLOW_UP_COLUMNS, Column("overdue", "overdue")]
        write_rows(rows, columns, fmt.value, "")


def escalate(
    ctx: typer.Context,
    customer: str = customer_argument(),
    reason: str = typer.Option(
        ..., "--reason", metavar="TEXT", help="Why it needs the credit manager."
    ),
    to: str = typer.Option(
        None, "--to", metavar="COLLECTOR", help="Who takes it (default: the credit manager)."
    ),
) -> None:
    """Escalate an account to the credit manager.

    \b
    Example:
      collectctl escalate keystone-build --reason "two broken promises, 96 days past due"
    """
    from collectctl.layout import check_customer_id
    from collectctl.recording import escalate as record_escalation

    session: Session = ctx.obj
    check_customer_id(customer)
    ledger = session.ledger_for(customer)
    report(
        record_escalation(
            ledger, session.identity(ledger), customer, session.clock(), to=to, reason=reason
        )
    )
