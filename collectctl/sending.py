"""Email that really goes out: invoice copies, promise confirmations, the daily list.

A send that belongs in the audit trail is recorded as an email event in the same commit
as whatever it confirms. The event is written first, the message sent, and only then is
the action past its point of no return: a failed send leaves the ledger as it was, and a
crash after sending is committed by the next command instead of being sent again.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Any

from collectctl import mail
from collectctl.actions import Outcome, finish
from collectctl.audit import Audit, Change, Identity
from collectctl.errors import CollectctlError, NotFoundError, UsageError
from collectctl.layout import DOCUMENTS_DIR, OUTBOX_DIR
from collectctl.ledger import Ledger, load_account
from collectctl.models import Account, Contact, Invoice
from collectctl.money import format_money
from collectctl.recording import Clock, PlannedPromise, find_invoices, write_event
from collectctl.render import Templates

PAYABLES_ROLES = ("payables", "accounts-payable", "ap", "ap-clerk", "ap-manager")


@dataclass(frozen=True)
class Recipient:
    """--to ADDRESS or --contact NAME as the user gave them; neither means the default."""

    address: str | None = None
    contact: str | None = None


def payables_contact(account: Account) -> Contact | None:
    """Who processes invoices: the first payables contact with an email address."""
    for role in PAYABLES_ROLES:
        for contact in account.customer.contacts:
            if contact.role == role and contact.email:
                return contact
    return None


def _to(account: Account, recipient: Recipient, default: Contact | None, what: str) -> Address:
    if recipient.address:
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


def _envelope(ledger: Ledger, profile: dict[str, Any]) -> dict[str, Any]:
    """From, Reply-To and Cc as the ledger's email settings ask."""
    settings = ledger.config.email
    collector = None
    if profile.get("email"):
        collector = mail.address(profile["email"], profile.get("name"), "collector email")
    return {
        "sender": mail.sender(ledger.config),
        "reply_to": collector if settings.reply_to_collector else None,
        "cc": [collector] if collector and settings.cc_collector else [],
    }


def preview(message: EmailMessage) -> str:
    """The message as a person checks it before it goes: headers, text, attachments."""
    lines = [
        f"{key}: {message[key]}"
        for key in ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID")
        if message[key]
    ]
    body = message.get_body(preferencelist=("plain",))
    lines += ["", body.get_content().rstrip() if body else ""]
    for part in message.iter_attachments():
        size = len(part.get_content())
        lines.append(f"[attached: {part.get_filename()}, {size:,} bytes]")
    return "\n".join(lines) + "\n"


def _save_unsent(ledger: Ledger, message: EmailMessage, name: str) -> str:
    """No SMTP host: the message goes to outbox/, and the user is told it was not sent."""
    path = mail.save_to_outbox(message, ledger.root / OUTBOX_DIR, name)
    return f"no SMTP host configured: saved {ledger.layout.rel(path)} (not sent)"


def _record_and_send(
    change: Change,
    ledger: Ledger,
    account: Account,
    clock: Clock,
    message: EmailMessage,
    purpose: str,
    invoices: list[str],
) -> tuple[str, bool]:
    """Send inside a change, recording the send; or save to outbox/ when no SMTP host."""
    settings = mail.smtp_config(ledger.config)
    recipients = ", ".join(a.addr_spec for a in message["To"].addresses)
    if settings is None:
        return _save_unsent(
            ledger, message, f"{clock.now:%Y-%m-%dT%H%M%S}-{purpose}-{account.id}"
        ), False
    record = {
        "to": [a.addr_spec for a in message["To"].addresses],
        "cc": [a.addr_spec for a in message["Cc"].addresses] if message["Cc"] else [],
        "subject": str(message["Subject"]),
        "message_id": str(message["Message-ID"]),
        "attachments": [part.get_filename() for part in message.iter_attachments()],
        "invoices": invoices,
        "purpose": purpose,
    }
    write_event(change, ledger.layout, account, clock, "email", record)
    mail.send(message, settings)
    change.point_of_no_return()
    return f"emailed to {recipients} via {settings.where}", True


# --- resend-invoice --------------------------------------------------------------------


def _document(ledger: Ledger, account: Account, invoice: Invoice) -> mail.Attachment | None:
    layout = ledger.layout
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
    profile: dict,
    moment: datetime,
) -> EmailMessage:
    currency = account.customer.currency
    attachments = [_document(ledger, account, invoice) for invoice in invoices]
    contact = next((c for c in account.customer.contacts if c.email == to.addr_spec), None)
    context = {
        "company": ledger.config.company,
        "collector": profile,
        "customer": {"id": account.id, "name": account.customer.name},
        "contact": {"name": contact.name} if contact else None,
        "invoices": [
            {
                "number": invoice.number,
                "po": invoice.po,
                "issued": invoice.issued.isoformat(),
                "due": invoice.due.isoformat(),
                "amount": format_money(invoice.amount, currency),
                "balance": format_money(invoice.balance, currency),
                "attached": attachment.filename if attachment else None,
            }
            for invoice, attachment in zip(invoices, attachments, strict=True)
        ],
    }
    subject, text, html = Templates(ledger.root).message("invoice-copy", context)
    draft = mail.Draft(
        to=[to],
        subject=subject,
        text=text,
        html=html,
        attachments=[a for a in attachments if a is not None],
        **_envelope(ledger, profile),
    )
    return draft.build(moment)


def resend_invoice(
    ledger: Ledger,
    identity: Identity | None,
    customer_id: str,
    clock: Clock,
    *,
    numbers: list[str],
    recipient: Recipient,
    profile: dict,
    dry_run: bool,
) -> tuple[Outcome, str | None]:
    account = ledger.account(customer_id)
    invoices = find_invoices(account, numbers)
    to = _to(account, recipient, payables_contact(account), "payables contact with an email")
    if dry_run:
        message = invoice_copy_message(ledger, account, invoices, to, profile, clock.now)
        return Outcome("dry run: nothing sent"), preview(message)
    assert identity is not None
    with Audit(ledger.layout).change(identity) as change:
        account = load_account(ledger.layout, ledger.config, customer_id)
        message = invoice_copy_message(ledger, account, invoices, to, profile, clock.now)
        numbers_text = ", ".join(numbers)
        change.describe(
            f"resend-invoice {customer_id}: {numbers_text} emailed to {to.addr_spec}",
            "resend-invoice",
            customer_id,
        )
        detail, _ = _record_and_send(
            change, ledger, account, clock, message, "invoice-copy", numbers
        )
    return finish(change, (detail,)), None


# --- promise confirmations -------------------------------------------------------------


def confirmation_message(
    ledger: Ledger,
    account: Account,
    plan: PlannedPromise,
    contact_name: str | None,
    profile: dict,
    recipient: Recipient,
    moment: datetime,
) -> EmailMessage:
    from collectctl.reports import confirmation_context

    contact = account.customer.find_contact(contact_name) if contact_name else None
    to = _to(account, recipient, contact, "contact for this promise")
    context = confirmation_context(account, ledger.config, plan, contact_name, profile)
    subject, text, html = Templates(ledger.root).message("promise-confirmation", context)
    draft = mail.Draft(to=[to], subject=subject, text=text, html=html, **_envelope(ledger, profile))
    return draft.build(moment)


def send_confirmation(
    change: Change,
    ledger: Ledger,
    account: Account,
    clock: Clock,
    message: EmailMessage,
    plan: PlannedPromise,
) -> tuple[str, bool]:
    """Inside a promise's change: record and send its written confirmation."""
    numbers = [i.number for i in plan.invoices]
    return _record_and_send(
        change, ledger, account, clock, message, "promise-confirmation", numbers
    )


# --- the daily list by mail --------------------------------------------------------------


def mail_report(
    ledger: Ledger, clock: Clock, to: str, subject: str, text: str, html: str, profile: dict
) -> str:
    """Send a listing; nothing in the ledger changes, so nothing is committed."""
    draft = mail.Draft(
        to=[mail.address(to, None, "--mail-to")],
        subject=subject,
        text=text,
        html=html,
        **_envelope(ledger, profile),
    )
    message = draft.build(clock.now)
    settings = mail.smtp_config(ledger.config)
    if settings is None:
        return _save_unsent(ledger, message, f"{clock.now:%Y-%m-%dT%H%M%S}-report")
    mail.send(message, settings)
    return f"mailed '{subject}' to {to} via {settings.where}"
