"""remind: the morning's written reminders, one message per customer at the level its
invoices have reached, each recorded as an email event, all in one commit.

Every send goes through `sending.send_recorded`: the event is written (as possibly
delivered) before the message goes, so a killed run is committed by the next command and
nothing is sent twice. A message the server refuses is taken back and the run goes on;
without an SMTP host the messages go to outbox/ and nothing is recorded.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

from collectctl import mail
from collectctl.audit.identity import Identity
from collectctl.changes.account_change import Clock, LedgerChange, Outcome, ledger_change
from collectctl.changes.sending import (
    NotSent,
    envelope,
    invoice_document,
    message_record,
    send_recorded,
)
from collectctl.changes.statements import render_statement
from collectctl.domain.call_list import whose_accounts
from collectctl.domain.invoices import days_past_due
from collectctl.domain.models import Account
from collectctl.domain.reminders import PURPOSE, Reminder, Skipped, plan_reminder
from collectctl.errors import CollectctlError
from collectctl.ledger.accounts import Ledger
from collectctl.presentation.contexts import collector_context, reminder_context
from collectctl.presentation.templates import Templates
from collectctl.storage.layout import OUTBOX_DIR


def plan_reminders(
    ledger: Ledger, today: date, collector: str | None, customer: str | None
) -> tuple[list[Reminder], list[Skipped]]:
    """Today's reminders and the accounts passed over, in customer order."""
    levels = ledger.config.policy.reminders
    if not levels:
        return [], []
    first = min(level.after for level in levels)
    if customer is not None:
        ledger.account(customer)  # an unknown id is an error
    due: list[Reminder] = []
    skipped: list[Skipped] = []
    for standing in ledger.standings(of=whose_accounts(ledger.config, collector)):
        if customer is not None and standing.id != customer:
            continue
        if collector is not None and collector not in (standing.owner, standing.collector):
            continue
        if not any(days_past_due(i, today) >= first for i in standing.open_invoices):
            continue  # nothing has reached a level: no need to read the whole account
        found = plan_reminder(standing, ledger.account(standing.id), ledger.config, today)
        if isinstance(found, Reminder):
            due.append(found)
        elif isinstance(found, Skipped):
            skipped.append(found)
    return due, skipped


def send_reminders(
    ledger: Ledger,
    identity: Identity,
    clock: Clock,
    due: list[Reminder],
    acting: dict[str, Any],
) -> tuple[list[tuple[Reminder, str]], list[tuple[Reminder, str]], Outcome | None]:
    """Send each reminder, recorded; one commit for the run. Without an SMTP host they
    are saved to outbox/ and NotSent is raised once all are saved. A reminder speaks for
    the account's collector (who makes the call that follows); `acting`, the person
    running it, where the account has none with an email address."""
    settings = mail.smtp_config(ledger.config)
    if settings is None:
        saved = [_save(ledger, r, clock, _speaker(ledger, r, acting)) for r in due]
        raise NotSent(
            f"no SMTP host configured: saved {len(saved)} reminder"
            f"{'s' if len(saved) != 1 else ''} to {OUTBOX_DIR}/ (not sent, not recorded)"
        )
    sent: list[tuple[Reminder, str]] = []
    refused: list[tuple[Reminder, str]] = []
    with ledger_change(ledger, identity, clock) as change:
        change.describe(f"remind: {len(due)} reminders", "remind", body=_listing(due))
        for reminder in due:
            try:
                profile = _speaker(ledger, reminder, acting)
                where = _send_one(change, reminder, clock, profile, settings)
            except mail.MailError as exc:
                refused.append((reminder, str(exc)))
                continue
            sent.append((reminder, where))
        if not sent:
            detail = refused[0][1] if refused else "nothing to send"
            raise CollectctlError(f"no reminder sent: {detail}")
        levels = ", ".join(
            f"{count} at level {level}"
            for level, count in sorted(Counter(r.level.level for r, _ in sent).items())
        )
        count = f"{len(sent)} reminder{'s' if len(sent) != 1 else ''}"
        change.describe(
            f"remind: {count} emailed ({levels})",
            "remind",
            body=_listing([r for r, _ in sent]),
        )
    return sent, refused, change.outcome()


def _send_one(
    change: LedgerChange,
    reminder: Reminder,
    clock: Clock,
    profile: dict[str, Any],
    settings: mail.SmtpConfig,
) -> str:
    edit = change.account(reminder.customer)
    message = reminder_message(change.ledger, edit.account, reminder, clock, profile)
    numbers = [i.number for i in reminder.invoices]
    record = message_record(message, PURPOSE, numbers, level=reminder.level.level)
    send_recorded(edit, message, record, settings)
    return ", ".join(record["to"])


def reminder_message(
    ledger: Ledger, account: Account, reminder: Reminder, clock: Clock, profile: dict[str, Any]
) -> EmailMessage:
    level = reminder.level
    attachments: list[mail.Attachment] = []
    if level.attach == "invoices":
        invoices = [account.find_invoice(i.number) for i in reminder.invoices]
        documents = [invoice_document(ledger.layout, account, i) for i in invoices if i]
        attachments = [d for d in documents if d is not None]
    elif level.attach == "statement":
        since = min(i.due for i in reminder.invoices) - timedelta(days=90)
        done = render_statement(ledger, account.id, since, clock.today, profile)
        attachments = [mail.Attachment(done.filename, done.pdf, "application", "pdf")]
    context = reminder_context(account, ledger.config, reminder, clock.today, profile)
    context["attached"] = [a.filename for a in attachments]
    subject, text, html = Templates(ledger.root).message(level.template, context)
    to = mail.address(reminder.to.email or "", reminder.to.name, f"{reminder.to.name}'s email")
    draft = mail.Draft(
        to=[to],
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        **envelope(ledger.config, profile),
    )
    message = draft.build(clock.now)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    return message


def _speaker(ledger: Ledger, reminder: Reminder, acting: dict[str, Any]) -> dict[str, Any]:
    speaker = collector_context(ledger.config, reminder.collector)
    return speaker if speaker["email"] else acting


def _save(ledger: Ledger, reminder: Reminder, clock: Clock, profile: dict[str, Any]) -> str:
    account = ledger.account(reminder.customer)
    message = reminder_message(ledger, account, reminder, clock, profile)
    name = f"{clock.now:%Y-%m-%dT%H%M%S}-reminder-{reminder.level.level}-{reminder.customer}"
    return str(mail.save_to_outbox(message, ledger.root / OUTBOX_DIR, name))


def _listing(reminders: list[Reminder]) -> str:
    return "\n".join(
        f"{r.customer}: level {r.level.level} ({', '.join(i.number for i in r.invoices)})"
        for r in reminders
    )
