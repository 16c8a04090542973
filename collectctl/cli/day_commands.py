"""The collector's day: due, brief, log-call, promise, pay, followups, escalate."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from collectctl.cli.params import (
    BriefFormat,
    ListFormat,
    amount_option,
    collector_filter_option,
    contact_option,
    customer_argument,
    date_option,
    dispute_reason_option,
    invoices_option,
    list_format_option,
    mail_to_option,
    method_option,
    outcome_option,
    send_option,
    to_option,
)
from collectctl.cli.report import MAIL_WIDTH, mail_out, report
from collectctl.cli.session import Session, say_if_partial
from collectctl.cli.terminal import paged
from collectctl.domain.vocabulary import CallOutcome, DisputeReason, PaymentMethod

if TYPE_CHECKING:
    from collectctl.changes.sending import Confirm
    from collectctl.ledger.accounts import Ledger
    from collectctl.presentation.output import Listing


def register(app: typer.Typer) -> None:
    app.command("due")(paged(due))
    app.command("brief")(paged(brief))
    app.command("log-call")(log_call)
    app.command("promise")(promise)
    app.command("pay")(pay)
    app.command("followups")(paged(followups))
    app.command("escalate")(escalate)


def due(
    ctx: typer.Context,
    collector: str = collector_filter_option(
        "This collector's accounts (default: yours, when collectctl.yaml lists collectors)."
    ),
    everyone: bool = typer.Option(False, "--all", help="Everyone's accounts, as a manager reads."),
    limit: int = typer.Option(None, "--limit", min=1, metavar="N", help="At most N accounts."),
    fmt: ListFormat = list_format_option(),
    mail_to: str = mail_to_option(),
    now: str = typer.Option(
        None, "--now", metavar="HH:MM", help="Your time of day (default: the clock's)."
    ),
) -> None:
    """Show today's call list, ranked: who to call and why.

    Broken promises and escalations come first, then follow-ups that are due, then
    accounts past the first-call line; within each, the largest amount x days past due.
    Where contacts' calling hours are known, who can be reached now comes first.
    A collector sees their own accounts and those nobody owns; --all shows everyone's.

    \b
    Examples:
      collectctl due --limit 10
      collectctl due --all
      collectctl due --collector maria --mail-to maria@example.com   # from cron
    """
    from collectctl.presentation import call_list as view
    from collectctl.presentation.output import write_json, write_rows

    session: Session = ctx.obj
    ledger, who = session.ledger_for_list(collector, everyone)
    note = say_if_partial(ledger, who)
    rows = view.todays_list(ledger, session.today, who, limit, session.moment(now))
    listing = view.listing(rows, session.today, ledger.config, who)
    if mail_to is not None:
        _mail_listing(session, ledger, mail_to, listing, note)
    elif fmt is ListFormat.json:
        write_json(view.as_json(rows, ledger.config))
    elif fmt is ListFormat.csv:
        write_rows(view.flat(rows), view.CSV_COLUMNS, "csv", "")
    else:
        sys.stdout.write(listing.text())


def _mail_listing(
    session: Session, ledger: Ledger, to: str, listing: Listing, note: str | None
) -> None:
    subject = listing.title if listing.rows else listing.empty
    mail_out(session, ledger, to, subject, listing.text(MAIL_WIDTH), listing.html(), note)


def brief(
    ctx: typer.Context,
    customer: str = customer_argument(),
    fmt: BriefFormat = typer.Option(BriefFormat.text, "--format", help="text, markdown or json."),
    everything: bool = typer.Option(
        False, "--all", help="Every contact, touch and payment, not the last five."
    ),
) -> None:
    """Everything to know before dialing, on one screen.

    Whom to ask for, terms, aging, open invoices with POs, payments, promises, checks
    reported mailed, the last contacts, and the scripted opener for this situation.

    \b
    Example:
      collectctl brief delta-fab
    """
    from collectctl.presentation.brief import as_json, brief_of
    from collectctl.presentation.brief_text import brief_text
    from collectctl.presentation.output import write_json

    session: Session = ctx.obj
    ledger = session.ledger_for(customer)
    view = brief_of(ledger, customer, session.today, session.collector, everything)
    if fmt is BriefFormat.json:
        write_json(as_json(view))
    else:
        sys.stdout.write(brief_text(view, markdown=fmt is BriefFormat.markdown))


def log_call(
    ctx: typer.Context,
    customer: str = customer_argument(),
    outcome: CallOutcome = outcome_option(),
    contact: str = contact_option("Who you spoke to (a new name joins the contacts)."),
    notes: str = typer.Option(
        None,
        "--notes",
        metavar="TEXT",
        help="What was said; '-' reads standard input; none opens $EDITOR.",
    ),
    recording: str = typer.Option(
        None, "--recording", metavar="PATH-OR-URL", help="Recording or transcript reference."
    ),
    invoice: list[str] = invoices_option("Invoice(s) discussed (repeatable)."),
    check_number: str = typer.Option(
        None, "--check-number", metavar="NUMBER", help="check-in-mail: the check number."
    ),
    check_amount: str = typer.Option(
        None, "--check-amount", metavar="AMOUNT", help="check-in-mail: its amount."
    ),
    mailed: date = date_option("--mailed", "check-in-mail: the date mailed."),
    reason: DisputeReason = dispute_reason_option(),
    disputed_amount: str = typer.Option(
        None, "--disputed-amount", metavar="AMOUNT", help="dispute: the amount in dispute."
    ),
    amount: str = amount_option("promise: the amount promised."),
    by: list[date] = date_option("--by", "promise: the date (repeat for installments)."),
    method: PaymentMethod = method_option("promise: how they will pay."),
    send: bool = send_option("promise: email the confirmation (default: policy)."),
    to: str = to_option("promise: send the confirmation here."),
    resend: bool = typer.Option(
        False, "--resend", help="promise: send though the last confirmation was interrupted."
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
    from collectctl.changes.calls import CallRecord, MailedCheck, log_call
    from collectctl.changes.promises import PromiseTerms
    from collectctl.presentation.editor import read_notes
    from collectctl.storage.layout import check_customer_id

    session: Session = ctx.obj
    check_customer_id(customer)
    check = MailedCheck.from_options(check_number, check_amount, mailed)
    terms = PromiseTerms.from_options(amount, by, method)
    ledger = session.ledger_for(customer, for_writing=True)
    call = CallRecord(
        outcome=outcome,
        contact=contact,
        notes=read_notes(notes),
        recording=recording,
        invoices=tuple(invoice or ()),
        check=check,
        dispute_reason=reason,
        disputed_amount=disputed_amount,
        promise=terms,
        follow_up=follow_up,
        confirm=_confirmation(session, ledger, customer, send, to, resend) if terms else None,
    )
    outcome_, _, _ = log_call(ledger, session.identity(ledger), customer, session.clock(), call)
    report(outcome_)


def promise(
    ctx: typer.Context,
    customer: str = customer_argument(),
    amount: str = amount_option("The total promised.", required=True),
    by: list[date] = date_option(
        "--by", "The date; repeat for an installment plan.", required=True
    ),
    method: PaymentMethod = method_option("How they will pay."),
    invoice: list[str] = invoices_option("Invoices covered (repeatable; default: oldest first)."),
    contact: str = contact_option("Who made the promise."),
    installments: int = typer.Option(
        None, "--installments", min=2, max=120, metavar="N", help="Split into N equal payments..."
    ),
    every: str = typer.Option(
        None, "--every", metavar="PERIOD", help="...this far apart: 14d, 2w or 1m."
    ),
    show_email: bool = typer.Option(False, "--show-email", help="Print the written confirmation."),
    send: bool = send_option("Email the confirmation (default: the policy's setting)."),
    to: str = to_option("Send the confirmation here instead."),
    resend: bool = typer.Option(
        False, "--resend", help="Send though the last confirmation was interrupted."
    ),
) -> None:
    """Record a promise to pay: amount, date(s), method, invoices.

    Each date becomes a follow-up on the date plus the policy's grace; kept or broken
    is worked out from payments.

    \b
    Examples:
      collectctl promise harbor-marine --amount 2000 --by 2026-12-01 --method check --show-email
      collectctl promise cobalt-tool --amount 6000 --by 2026-12-01 --installments 3 --every 14d
    """
    from collectctl.changes.promises import PromiseTerms, add_promise
    from collectctl.presentation.contexts import promise_confirmation

    session: Session = ctx.obj
    ledger = session.ledger_for(customer, for_writing=True)
    terms = PromiseTerms(amount, list(by), installments, every, method, list(invoice or []))
    outcome, plan, who = add_promise(
        ledger,
        session.identity(ledger),
        customer,
        session.clock(),
        terms=terms,
        contact=contact,
        confirm=_confirmation(session, ledger, customer, send, to, resend),
    )
    report(outcome)
    if show_email:
        account = session.ledger_for(customer).account(customer)
        profile = session.collector_profile(ledger)
        subject, text, _ = promise_confirmation(
            ledger.root, account, ledger.config, plan, who, profile
        )
        typer.echo(f"\nSubject: {subject}\n")
        typer.echo(text.rstrip())


def _confirmation(
    session: Session,
    ledger: Ledger,
    customer: str,
    send: bool | None,
    to: str | None,
    resend: bool = False,
) -> Confirm | None:
    """Whether and where to email a promise's confirmation: --send/--no-send, else the
    policy's send_confirmations; --to alone means send."""
    from collectctl.changes.sending import Confirm

    wanted = (
        send if send is not None else (to is not None or ledger.config.policy.send_confirmations)
    )
    if not wanted:
        return None
    return Confirm(session.collector_profile(ledger), to, resend)


def pay(
    ctx: typer.Context,
    customer: str = customer_argument(),
    amount: str = amount_option("The amount received.", required=True),
    on: date = date_option("--date", "Date received (default: today)."),
    reference: str = typer.Option(
        None, "--reference", metavar="REF", help="Check number or remittance id."
    ),
    method: PaymentMethod = method_option("How it was paid."),
    invoice: list[str] = invoices_option(
        "Apply to these invoices (repeatable; default: oldest first)."
    ),
    allow_duplicate_reference: bool = typer.Option(
        False,
        "--allow-duplicate-reference",
        help="Record it though a payment with this --reference is already recorded.",
    ),
) -> None:
    """Record a payment and apply it to invoices.

    Invoices paid in full become paid; an overpayment is kept as unapplied credit; a
    reference matching a check reported in the mail closes that check's follow-up. A
    reference already recorded for the customer is refused (the same check typed twice)
    unless --allow-duplicate-reference.

    \b
    Example:
      collectctl pay delta-fab --amount 3250.00 --reference 4411 --method check
    """
    from collectctl.changes.payments import PaymentReceived, record_payment

    session: Session = ctx.obj
    ledger = session.ledger_for(customer, for_writing=True)
    payment = PaymentReceived(
        amount, on, reference, method, list(invoice or []), allow_duplicate_reference
    )
    report(record_payment(ledger, session.identity(ledger), customer, session.clock(), payment))


def followups(
    ctx: typer.Context,
    collector: str = collector_filter_option(
        "This collector's follow-ups (default: yours, when collectctl.yaml lists collectors)."
    ),
    everyone: bool = typer.Option(False, "--all", help="Everyone's follow-ups."),
    days: int = typer.Option(
        0, "--days", min=0, max=3660, metavar="N", help="Also show the next N days."
    ),
    fmt: ListFormat = list_format_option(),
    ics: Path = typer.Option(
        None, "--ics", metavar="FILE", help="Also write them as an iCalendar file (- for stdout)."
    ),
    mail_to: str = mail_to_option(),
) -> None:
    """Show follow-ups due today and overdue (and ahead, with --days).

    Promise checks, installment dates, checks in the mail, callbacks, escalations.

    \b
    Example:
      collectctl followups --days 7 --ics ~/followups.ics
    """
    from collectctl.presentation import followups as view
    from collectctl.presentation.output import write_rows

    session: Session = ctx.obj
    ledger, who = session.ledger_for_list(collector, everyone)
    note = say_if_partial(ledger, who)
    rows = view.follow_ups_by(ledger, session.today, days, who)
    if ics is not None:
        from collectctl.presentation.ics import write_ics
        from collectctl.presentation.output import to_stdout

        hours = view.calling_hours(ledger, rows)
        write_ics(ics, rows, ledger.config.company, session.clock().now, hours)
        if to_stdout(ics):
            return  # the calendar on stdout, instead of the listing
        print(
            f"wrote {len(rows)} follow-up{'s' if len(rows) != 1 else ''} to {ics}", file=sys.stderr
        )
    listing = view.listing(rows, session.today, days, ledger.config, who)
    if mail_to is not None:
        _mail_listing(session, ledger, mail_to, listing, note)
    elif fmt is ListFormat.table:
        sys.stdout.write(listing.text())
    else:
        write_rows(view.as_dicts(rows), view.MACHINE_COLUMNS, fmt.value, "")


def escalate(
    ctx: typer.Context,
    customer: str = customer_argument(),
    reason: str = typer.Option(
        None, "--reason", metavar="TEXT", help="Why it needs the credit manager."
    ),
    to: str = typer.Option(
        None, "--to", metavar="COLLECTOR", help="Who takes it (default: the credit manager)."
    ),
    back_to: str = typer.Option(
        None, "--back-to", metavar="COLLECTOR", help="Hand it back to this collector."
    ),
    resolve: bool = typer.Option(
        False, "--resolve", help="The escalation is over: back to the account's owner."
    ),
) -> None:
    """Escalate an account to the credit manager, or hand it back.

    \b
    Examples:
      collectctl escalate keystone-build --reason "two broken promises, 96 days past due"
      collectctl escalate keystone-build --back-to maria --reason "payment plan agreed"
    """
    from collectctl.changes.escalations import escalate as record_escalation
    from collectctl.changes.escalations import hand_back
    from collectctl.errors import UsageError

    session: Session = ctx.obj
    if (back_to is not None or resolve) and to is not None:
        raise UsageError("--to escalates; --back-to and --resolve hand an account back")
    ledger = session.ledger_for(customer, for_writing=True)
    identity = session.identity(ledger)
    clock = session.clock()
    if back_to is not None or resolve:
        report(hand_back(ledger, identity, customer, clock, to=back_to, reason=reason))
        return
    report(record_escalation(ledger, identity, customer, clock, to=to, reason=reason))
