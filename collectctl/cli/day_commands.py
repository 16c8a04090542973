"""The collector's day: due, brief, log-call, promise, pay, followups, escalate."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from collectctl.cli.ledger_commands import report
from collectctl.cli.params import ListFormat, iso_date
from collectctl.cli.session import Session
from collectctl.models import CALL_OUTCOMES, DISPUTE_REASONS, PAYMENT_METHODS

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
) -> None:
    """Show today's call list, ranked: who to call and why.

    Broken promises and escalations come first, then follow-ups that are due, then
    accounts past the first-call line; within each, the largest amount x days past due.

    \b
    Example:
      collectctl due --collector maria --limit 10
    """
    from collectctl import policy, reports
    from collectctl.money import format_amount
    from collectctl.output import Column, write_json, write_rows

    session: Session = ctx.obj
    ledger = session.ledger()
    entries = policy.call_list(
        ledger.accounts.values(), ledger.config, session.today, _collector_filter(ledger, collector)
    )[:limit]
    rows = reports.due_rows(entries)
    if fmt is ListFormat.json:
        write_json(rows)
        return
    flat = [
        row | {f"contact_{key}": value for key, value in row["contact"].items()} for row in rows
    ]
    if fmt is ListFormat.csv:
        columns = [
            "rank",
            "customer",
            "name",
            "contact_name",
            "contact_phone",
            "contact_email",
            "overdue",
            "currency",
            "days_past_due",
            "reasons",
            "last_contact",
            "collector",
        ]
        write_rows(flat, [Column(key, key) for key in columns], "csv", "")
        return
    day = f"{session.today:%A} {session.today.isoformat()}"
    if not rows:
        typer.echo(f"Nothing to call on {day}.")
        return
    count = f"{len(rows)} account{'s' if len(rows) != 1 else ''}"
    typer.echo(f"Call list for {day} · {count} · {reports.due_totals(entries)} overdue\n")
    for row in flat:
        row["overdue"] = format_amount(row["overdue"], row["currency"])
    write_rows(
        flat,
        [
            Column("rank", "#", "right"),
            Column("customer", "CUSTOMER"),
            Column("contact_name", "ASK FOR"),
            Column("contact_phone", "PHONE"),
            Column("overdue", "OVERDUE", "right"),
            Column("currency", "CUR"),
            Column("days_past_due", "DAYS", "right"),
            Column("last_contact", "LAST CONTACT"),
            Column("reasons", "WHY"),
        ],
        "table",
        "",
    )


def brief(
    ctx: typer.Context,
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="The customer's id."),
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
    ledger = session.ledger()
    account = ledger.account(customer)
    profile = session.collector_profile(ledger, account)
    data = reports.brief(account, ledger.config, session.today, profile["name"])
    template = reports.opener_template(account, ledger.config, session.today)
    context = reports.opener_context(account, ledger.config, session.today, profile)
    data["opener"] = Templates(ledger.root).render(template, context)
    if fmt is BriefFormat.json:
        write_json(data)
    else:
        sys.stdout.write(reports.brief_text(data, markdown=fmt is BriefFormat.markdown))


def log_call(
    ctx: typer.Context,
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="The customer's id."),
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
    mailed: date = typer.Option(
        None,
        "--mailed",
        parser=iso_date,
        metavar="YYYY-MM-DD",
        help="check-in-mail: the date mailed.",
    ),
    reason: DisputeReason = typer.Option(
        None, "--reason", help="dispute: why the invoice is disputed."
    ),
    disputed_amount: str = typer.Option(
        None, "--disputed-amount", metavar="AMOUNT", help="dispute: the amount in dispute."
    ),
    amount: str = typer.Option(
        None, "--amount", metavar="AMOUNT", help="promise: the amount promised."
    ),
    by: list[date] = typer.Option(
        None,
        "--by",
        parser=iso_date,
        metavar="YYYY-MM-DD",
        help="promise: the date (repeat for installments).",
    ),
    method: Method = typer.Option(None, "--method", help="promise: how they will pay."),
    follow_up: date = typer.Option(
        None,
        "--follow-up",
        parser=iso_date,
        metavar="YYYY-MM-DD",
        help="Book the next call on this date instead of the policy's.",
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
    ledger = session.ledger()
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
    )
    report(outcome_)


def promise(
    ctx: typer.Context,
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="The customer's id."),
    amount: str = typer.Option(..., "--amount", metavar="AMOUNT", help="The total promised."),
    by: list[date] = typer.Option(
        ...,
        "--by",
        parser=iso_date,
        metavar="YYYY-MM-DD",
        help="The date; repeat for an installment plan.",
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
    ledger = session.ledger()
    terms = PromiseTerms(
        amount, list(by), installments, every, method and method.value, list(invoice or [])
    )
    outcome, plan, who = add_promise(
        ledger, session.identity(ledger), customer, session.clock(), terms=terms, contact=contact
    )
    report(outcome)
    if show_email:
        account = session.ledger().account(customer)
        profile = session.collector_profile(ledger, account)
        context = reports.confirmation_context(account, ledger.config, plan, who, profile)
        templates = Templates(ledger.root)
        subject = templates.render("promise-confirmation.subject.j2", context).strip()
        typer.echo(f"\nSubject: {subject}\n")
        typer.echo(templates.render("promise-confirmation.txt.j2", context).rstrip())


def pay(
    ctx: typer.Context,
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="The customer's id."),
    amount: str = typer.Option(..., "--amount", metavar="AMOUNT", help="The amount received."),
    on: date = typer.Option(
        None,
        "--date",
        parser=iso_date,
        metavar="YYYY-MM-DD",
        help="Date received (default: today).",
    ),
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
    ledger = session.ledger()
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
        ledger.accounts.values(),
        ledger.config,
        session.today,
        days,
        _collector_filter(ledger, collector),
    )
    if ics is not None:
        write_ics(ics, rows, ledger.config.company, session.clock().now)
    if fmt is ListFormat.table:
        for row in rows:
            row["when"] = (
                "overdue" if row["overdue"] else "today" if row["date"] == session.today else ""
            )
    columns = [
        Column("date", "DATE"),
        Column("customer", "CUSTOMER"),
        Column("kind", "KIND"),
        Column("detail", "DETAIL"),
        Column("collector", "COLLECTOR"),
    ]
    if fmt is ListFormat.table:
        columns.insert(1, Column("when", ""))
    else:
        columns.append(Column("overdue", "overdue"))
    write_rows(rows, columns, fmt.value, f"No follow-ups due on {session.today}.")
    if ics is not None and fmt is ListFormat.table:
        print(
            f"wrote {len(rows)} follow-up{'s' if len(rows) != 1 else ''} to {ics}", file=sys.stderr
        )


def escalate(
    ctx: typer.Context,
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="The customer's id."),
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
    ledger = session.ledger()
    report(
        record_escalation(
            ledger, session.identity(ledger), customer, session.clock(), to=to, reason=reason
        )
    )
