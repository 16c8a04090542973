"""statement: a customer's statement of account, printed, saved, or emailed with the same
recorded-send guarantees as an invoice copy (recorded in the commit that sends it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from collectctl import mail
from collectctl.audit.identity import Identity
from collectctl.changes.account_change import Clock, Outcome, account_change
from collectctl.changes.sending import (
    Recipient,
    envelope,
    interrupted_send,
    recipient_address,
    record_and_send,
)
from collectctl.domain.contacts import payables_contact
from collectctl.errors import CollectctlError
from collectctl.ledger.accounts import Ledger
from collectctl.presentation import statement as view
from collectctl.presentation.statement_pdf import statement_pdf


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    pdf: bytes
    filename: str


def render_statement(
    ledger: Ledger, customer_id: str, since: date, on: date, profile: dict[str, Any]
) -> Rendered:
    account = ledger.account(customer_id)
    statement = view.statement_of(account, ledger.config, since, on)
    contact = payables_contact(account)
    context = view.context(statement, contact.name if contact else None, profile)
    subject, text, html = view.rendered(ledger, statement, context)
    pdf = statement_pdf(statement, profile)
    return Rendered(subject, text, html, pdf, f"statement-{customer_id}-{on}.pdf")


@dataclass(frozen=True)
class StatementSend:
    since: date
    recipient: Recipient
    profile: dict[str, Any]
    resend: bool = False


def send_statement(
    ledger: Ledger, identity: Identity, customer_id: str, clock: Clock, send: StatementSend
) -> Outcome:
    account = ledger.account(customer_id)
    to = recipient_address(account, send.recipient, payables_contact(account), "payables contact")
    interrupted = None if send.resend else interrupted_send(account, "statement", {to.addr_spec})
    if interrupted is not None:
        raise CollectctlError(
            f"the statement to {to.addr_spec} sent {interrupted.date} was interrupted and may "
            "have been delivered; ask the customer, or pass --resend"
        )
    with account_change(ledger, identity, customer_id, clock) as edit:
        done = render_statement(ledger, customer_id, send.since, clock.today, send.profile)
        attachment = mail.Attachment(done.filename, done.pdf, "application", "pdf")
        draft = mail.Draft(
            to=[to],
            subject=done.subject,
            text=done.text,
            html=done.html,
            attachments=[attachment],
            **envelope(ledger.config, send.profile),
        )
        edit.describe(f"statement {customer_id}: emailed to {to.addr_spec}", "statement")
        detail, _ = record_and_send(edit, draft.build(clock.now), "statement", [])
    return edit.outcome((detail,))
