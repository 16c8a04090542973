"""Email that really goes out: invoice copies, promise confirmations, the daily list.

A send that belongs in the audit trail is recorded as an email event in the same commit
as whatever it confirms. The event is written first, the message sent, and only then is
the change past its point of no return: a failed send leaves the ledger as it was, and a
crash after sending is committed by the next command instead of being sent again.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Any

from collectctl import mail
from collectctl.audit.identity import Identity
from collectctl.changes.account_change import AccountEdit, Clock, Outcome, account_change
from collectctl.changes.lookups import find_invoices
from collectctl.domain.contacts import payables_contact
from collectctl.domain.models import Account, Config, Contact, EmailSent, Invoice
from collectctl.domain.promises import PlannedPromise
from collectctl.errors import CollectctlError, NotFoundError, UsageError
from collectctl.ledger.accounts import Ledger
from collectctl.presentation.contexts import invoice_copy_context, promise_confirmation
from collectctl.presentation.preview import preview
from collectctl.presentation.templates import Templates
from collectctl.storage.layout import DOCUMENTS_DIR, OUTBOX_DIR, Layout

INTERRUPTED = "interrupted"


class NotSent(CollectctlError):
    """A message asked to be sent was only saved to outbox/ (no SMTP host configured)."""

    exit_code = 3  # an email event's delivery while, or if, its send never returned


@dataclass(frozen=True)
class Recipient:
    """--to ADDRESS or --contact NAME as the user gave them; neither means the default."""

    address: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class Confirm:
    """Email the written confirmation of a promise: to --to, else the promising contact."""

    profile: dict[str, Any]  # the collector: name and email
    to: str | None = None
    resend: bool = False  # though the last confirmation to them was interrupted


def recipient_address(
    account: Account, recipient: Recipient, default: Contact | None, what: str
) -> Address:
    if recipient.address is not None:  # --to '' is a mistake, not "the default"
        return mail.address(recipient.address, None, "--to")
    contact = default
    if recipient.contact:
        contact = account.customer.find_contact(recipient.contact)
        if contact is None:
            raise NotFoundError(f"{account.id} has no contact named {recipient.contact!r}")
    if contact is None or not contact.email:
        who = f"{contact.name} has no email address" if contact else f"no {what} on file"
        raise UsageError(f"{who} for {account.id}: pass --to ADDRESS")
    return mail.address(contact.email, contact.name, f"{contact.name}'s email")


def envelope(config: Config, profile: dict[str, Any]) -> dict[str, Any]:
    """From, Reply-To and Cc as the ledger's email settings ask."""
    settings = config.email
    collector = None
    if profile.get("email"):
        collector = mail.address(profile["email"], profile.get("name"), "collector email")
    return {
        "sender": mail.sender(config),
        "reply_to": collector if settings.reply_to_collector else None,
        "cc": [collector] if collector and settings.cc_collector else [],
    }


def _save_unsent(layout: Layout, message: EmailMessage, name: str) -> str:
    """No SMTP host: the message goes to outbox/, and the user is told it was not sent."""
    path = mail.save_to_outbox(message, layout.root / OUTBOX_DIR, name)
    return f"no SMTP host configured: saved {layout.rel(path)} (not sent)"


def record_and_send(
    edit: AccountEdit, message: EmailMessage, purpose: str, invoices: list[str]
) -> tuple[str, bool]:
    """Send inside a change, recording the send; or save to outbox/ when no SMTP host."""
    settings = mail.smtp_config(edit.config)
    recipients = ", ".join(a.addr_spec for a in message["To"].addresses)
    if settings is None:
        name = f"{edit.clock.now:%Y-%m-%dT%H%M%S}-{purpose}-{edit.id}"
        return _save_unsent(edit.layout, message, name), False
    warning = send_recorded(edit, message, message_record(message, purpose, invoices), settings)
    sent = f"emailed to {recipients} via {settings.where}"
    return (f"{sent} ({warning})" if warning else sent), True


def message_record(
    message: EmailMessage, purpose: str, invoices: list[str], **more: Any
) -> dict[str, Any]:
    """The email event's fields for a message."""
    return {
        "to": [a.addr_spec for a in message["To"].addresses],
        "cc": [a.addr_spec for a in message["Cc"].addresses] if message["Cc"] else [],
        "subject": str(message["Subject"]),
        "message_id": str(message["Message-ID"]),
        "attachments": [part.get_filename() for part in message.iter_attachments()],
        "invoices": invoices,
        "purpose": purpose,
        **more,
    }


def send_recorded(
    edit: AccountEdit, message: EmailMessage, record: dict[str, Any], settings: mail.SmtpConfig
) -> str | None:
    """Send one message inside a change, recorded as an email event; the server's
    warning, if any.

    No message reaches a server unrecorded: the event is written first as `delivery:
    interrupted` and the change passes its point of no return, so a crash from here on
    commits that record ("may have been delivered") instead of losing it. A refusal
    before the server accepted the message takes its record back (and, when no other
    message of the change went out, the point of no return with it); once accepted, the
    record is confirmed and nothing undoes it."""
    name = edit.write_event("email", record | {"delivery": INTERRUPTED})
    change = edit.change
    change.point_of_no_return()
    try:
        warning = mail.send(message, settings)
    except mail.MailError:
        change.discard(edit.layout.activity_dir(edit.id) / name)
        if not change.sends_confirmed:
            change.not_past_the_point_of_no_return()  # refused: nothing went out
        raise
    edit.write_event("email", record, name=name)  # the server has it: confirmed
    change.sends_confirmed += 1
    return warning


def interrupted_send(
    account: Account, purpose: str, to: set[str], invoices: list[str] | None = None
) -> EmailSent | None:
    """The last email of this purpose to these addresses (about these invoices, when
    given), if its send never returned: it may have been delivered."""
    for event in reversed(account.events):
        if (
            type(event) is EmailSent
            and event.purpose == purpose
            and to & set(event.to)
            and (invoices is None or sorted(event.invoices) == sorted(invoices))
        ):
            return event if event.delivery == INTERRUPTED else None
    return None


# --- resend-invoice --------------------------------------------------------------------


def invoice_document(layout: Layout, account: Account, invoice: Invoice) -> mail.Attachment | None:
    folder = layout.customer_dir(account.id)
    path = folder / (invoice.document or f"{DOCUMENTS_DIR}/{invoice.number}.pdf")
    try:
        layout.inside(path)
    except ValueError:
        raise CollectctlError(
            f"invoice {invoice.number}: document {invoice.document!r} is outside "
            "the customer's folder"
        ) from None
    if not path.is_file():
        if invoice.document:
            raise CollectctlError(
                f"invoice {invoice.number} names document {layout.rel(path)}, which does not exist"
            )
        return None
    kind, _ = mimetypes.guess_type(path.name)
    maintype, subtype = (kind or "application/octet-stream").split("/")
    return mail.Attachment(path.name, path.read_bytes(), maintype, subtype)


def invoice_copy_message(
    ledger: Ledger,
    account: Account,
    invoices: list[Invoice],
    to: Address,
    profile: dict[str, Any],
    clock: Clock,
) -> EmailMessage:
    attachments = [invoice_document(ledger.layout, account, invoice) for invoice in invoices]
    contact = next((c for c in account.customer.contacts if c.email == to.addr_spec), None)
    context = invoice_copy_context(
        account,
        ledger.config,
        invoices,
        [a.filename if a else None for a in attachments],
        contact,
        profile,
    )
    subject, text, html = Templates(ledger.root).message("invoice-copy", context)
    draft = mail.Draft(
        to=[to],
        subject=subject,
        text=text,
        html=html,
        attachments=[a for a in attachments if a is not None],
        **envelope(ledger.config, profile),
    )
    return draft.build(clock.now)


def resend_invoice(
    ledger: Ledger,
    identity: Identity | None,
    customer_id: str,
    clock: Clock,
    *,
    numbers: list[str],
    recipient: Recipient,
    profile: dict[str, Any],
    dry_run: bool,
    resend: bool = False,
) -> tuple[Outcome, str | None]:
    account = ledger.account(customer_id)
    invoices = find_invoices(account, numbers)
    to = recipient_address(
        account, recipient, payables_contact(account), "payables contact with an email"
    )
    interrupted = None
    if not (dry_run or resend):
        interrupted = interrupted_send(account, "invoice-copy", {to.addr_spec}, numbers)
    if interrupted is not None:
        raise CollectctlError(
            f"the copy of {', '.join(numbers)} to {to.addr_spec} sent {interrupted.date} was "
            "interrupted and may have been delivered; ask the customer, or pass --resend"
        )
    if dry_run:
        message = invoice_copy_message(ledger, account, invoices, to, profile, clock)
        return Outcome("dry run: nothing sent"), preview(message)
    if identity is None:
        raise CollectctlError("who is sending? an identity is needed to record the send")
    with account_change(ledger, identity, customer_id, clock) as edit:
        message = invoice_copy_message(ledger, edit.account, invoices, to, profile, clock)
        edit.describe(
            f"resend-invoice {customer_id}: {', '.join(numbers)} emailed to {to.addr_spec}",
            "resend-invoice",
        )
        detail, _ = record_and_send(edit, message, "invoice-copy", numbers)
    return edit.outcome((detail,)), None


# --- promise confirmations -------------------------------------------------------------


def confirmation_message(
    edit: AccountEdit, plan: PlannedPromise, contact_name: str | None, confirm: Confirm
) -> EmailMessage:
    account, config = edit.account, edit.config
    contact = account.customer.find_contact(contact_name) if contact_name else None
    to = recipient_address(account, Recipient(confirm.to), contact, "contact for this promise")
    subject, text, html = promise_confirmation(
        edit.layout.root, account, config, plan, contact_name, confirm.profile
    )
    draft = mail.Draft(
        to=[to], subject=subject, text=text, html=html, **envelope(config, confirm.profile)
    )
    return draft.build(edit.clock.now)


# --- the daily list by mail --------------------------------------------------------------


def mail_report(
    ledger: Ledger,
    clock: Clock,
    to: str,
    subject: str,
    text: str,
    html: str,
    profile: dict[str, Any],
) -> str:
    """Send a listing; nothing in the ledger changes, so nothing is committed. Without an
    SMTP host it is saved to outbox/ and NotSent says so (cron must be able to tell)."""
    draft = mail.Draft(
        to=[mail.mailbox(to, "--mail-to")],
        subject=subject,
        text=text,
        html=html,
        **envelope(ledger.config, profile),
    )
    message = draft.build(clock.now)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    settings = mail.smtp_config(ledger.config)
    if settings is None:
        raise NotSent(_save_unsent(ledger.layout, message, f"{clock.now:%Y-%m-%dT%H%M%S}-report"))
    mail.send(message, settings)
    return f"mailed '{subject}' to {to} via {settings.where}"
