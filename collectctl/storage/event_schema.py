"""From the raw data of an activity file to an event: calls, promises, payments, emails,
disputes, escalations and notes, every problem noted with its line."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from collectctl.domain.models import (
    EVENT_TYPES,
    Allocation,
    Call,
    CheckVoided,
    DisputeEvent,
    EmailSent,
    Escalation,
    Event,
    Installment,
    MailedCheck,
    Message,
    Note,
    Payment,
    Promise,
)
from collectctl.domain.vocabulary import (
    CALL_OUTCOMES,
    CHECK_VOID_REASONS,
    DISPUTE_REASONS,
    EMAIL_PURPOSES,
    MESSAGE_CHANNELS,
    PAYMENT_METHODS,
)
from collectctl.errors import Problem
from collectctl.storage.fields import Fields
from collectctl.storage.plain_records import plain_event

_KINDS = tuple(EVENT_TYPES)


def parse_event(
    raw: Any, file_name: str, path: str, problems: list[Problem], ledger_format: int = 2
) -> Event | None:
    """The event an activity file holds; None, with its problems noted, when it is bad."""
    if ledger_format >= 2 and (event := plain_event(raw, file_name)) is not None:
        return event
    return checked_event(raw, file_name, path, problems, ledger_format)


def checked_event(
    raw: Any, file_name: str, path: str, problems: list[Problem], ledger_format: int = 2
) -> Event | None:
    """The event read key by key, each problem noted with its line."""
    fields = Fields(raw, path, problems, "an event")
    kind = fields.choice("kind", _KINDS, required=True)
    common: dict[str, Any] = {
        "file": file_name,
        "date": fields.date("date", required=True),
        "collector": fields.text("collector", required=True),
        "recorded": fields.text("recorded"),
        "contact": fields.text("contact"),
        "notes": fields.text("notes"),
        "corrects": fields.text("corrects"),
    }
    if kind is None:
        return None
    if kind == Payment.kind:
        specific = _payment_fields(fields, ledger_format)
    else:
        specific = _EVENT_FIELDS[kind](fields)
    fields.finish()
    if None in (common["date"], common["collector"]) or specific is None:
        return None
    return EVENT_TYPES[kind](**common, **specific)


def _call_fields(fields: Fields) -> dict[str, Any] | None:
    outcome = fields.choice("outcome", CALL_OUTCOMES, required=True)
    check = None
    if "check" in fields.raw:
        check_fields = fields.nested("check")
        number = check_fields.text("number", required=True)
        amount = check_fields.amount("amount", None, required=True)
        mailed = check_fields.date("mailed", required=True)
        check_fields.finish()
        check = MailedCheck(number, amount, mailed) if number and amount and mailed else None
    values = {
        "outcome": outcome,
        "invoices": fields.text_list("invoices"),
        "recording": fields.text("recording"),
        "check": check,
        "dispute_reason": fields.choice("dispute_reason", DISPUTE_REASONS),
        "follow_up": fields.date("follow_up"),
    }
    return values if outcome else None


def _promise_fields(fields: Fields) -> dict[str, Any] | None:
    installments = []
    if "installments" in fields.raw:
        for item, line in fields.items("installments"):
            part = Fields(item, fields.path, fields.problems, "an installment", line)
            by, amount = part.date("by", required=True), part.amount("amount", None, required=True)
            part.finish()
            if by and amount:
                installments.append(Installment(by, amount))
    else:
        by, amount = fields.date("by", required=True), fields.amount("amount", None, required=True)
        if by and amount:
            installments.append(Installment(by, amount))
    values = {
        "installments": tuple(sorted(installments, key=lambda i: i.by)),
        "method": fields.choice("method", PAYMENT_METHODS),
        "invoices": fields.text_list("invoices"),
    }
    return values if installments else None


def _payment_fields(fields: Fields, ledger_format: int) -> dict[str, Any] | None:
    """What was received, and the invoices the payer named (`invoices:`) or amounts set
    against invoices (`applied:`); how it applies is worked out when the ledger is read.
    Format 1 also wrote what was left over (`unapplied:`)."""
    amount = fields.amount("amount", None, required=True)
    explicit = []
    for item, line in fields.items("applied"):
        part = Fields(item, fields.path, fields.problems, "an allocation", line)
        invoice, share = part.text("invoice", required=True), part.amount("amount", None, True)
        part.finish()
        if invoice and share:
            explicit.append(Allocation(invoice, share))
    values: dict[str, Any] = {
        "amount": amount,
        "reference": fields.text("reference"),
        "method": fields.choice("method", PAYMENT_METHODS),
        "named": fields.text_list("invoices"),
        "explicit": tuple(explicit),
        "duplicate_reference": fields.flag("duplicate_reference"),
        "source": fields.choice("source", ("books",)),
        "on_account": fields.flag("on_account"),
    }
    if ledger_format < 2:  # format 1 stored its own applications; read them as they were
        values["applied"] = tuple(explicit)
        values["unapplied"] = fields.amount("unapplied", None, zero_ok=True) or Decimal(0)
    total = sum((a.amount for a in explicit), values.get("unapplied", Decimal(0)))
    if amount is not None and total > amount:
        fields.problem(fields.raw.line_of("applied"), "applied and unapplied exceed the payment")
    return values if amount else None


def _email_fields(fields: Fields) -> dict[str, Any] | None:
    to = fields.text_list("to")
    subject = fields.text("subject", required=True)
    values = {
        "to": to,
        "subject": subject,
        "cc": fields.text_list("cc"),
        "message_id": fields.text("message_id"),
        "attachments": fields.text_list("attachments"),
        "invoices": fields.text_list("invoices"),
        "purpose": fields.choice("purpose", EMAIL_PURPOSES),
        "delivery": fields.choice("delivery", ("interrupted",)),
        "level": fields.integer("level", 0, minimum=0) or None,
    }
    if not to:
        fields.problem(fields.line, "missing required key 'to'")
    return values if to and subject else None


def _dispute_fields(fields: Fields) -> dict[str, Any] | None:
    """A dispute opened (`reason:`), or the open one resolved (`resolution:`)."""
    resolution = fields.text("resolution", required="resolution" in fields.raw)
    values = {
        "invoice": fields.text("invoice", required=True),
        "reason": fields.choice("reason", DISPUTE_REASONS, required=resolution is None),
        "amount": fields.amount("amount", None),
        "resolution": resolution,
        "credit": fields.amount("credit", None),
        "owner": fields.text("owner"),
    }
    return values if values["invoice"] and (values["reason"] or resolution) else None


def _escalation_fields(fields: Fields) -> dict[str, Any]:
    return {
        "to": fields.text("to"),
        "reason": fields.text("reason"),
        "returned": fields.flag("returned"),
    }


def _note_fields(fields: Fields) -> dict[str, Any]:
    return {"follow_up": fields.date("follow_up")}


def _check_fields(fields: Fields) -> dict[str, Any] | None:
    values = {
        "number": fields.text("number", required=True),
        "status": fields.choice("status", CHECK_VOID_REASONS, required=True),
        "replacement": fields.text("replacement"),
    }
    return values if values["number"] and values["status"] else None


def _message_fields(fields: Fields) -> dict[str, Any] | None:
    values = {
        "direction": fields.choice("direction", ("in", "out"), required=True),
        "subject": fields.text("subject", required=True),
        "channel": fields.choice("channel", MESSAGE_CHANNELS) or "email",
        "sender": fields.text("from"),
        "to": fields.text_list("to"),
        "follow_up": fields.date("follow_up"),
    }
    return values if values["direction"] and values["subject"] else None


_EVENT_FIELDS: dict[str, Callable[[Fields], dict[str, Any] | None]] = {
    Call.kind: _call_fields,
    Promise.kind: _promise_fields,
    EmailSent.kind: _email_fields,
    DisputeEvent.kind: _dispute_fields,
    Escalation.kind: _escalation_fields,
    Note.kind: _note_fields,
    Message.kind: _message_fields,
    CheckVoided.kind: _check_fields,
}


def event_references(event: Event) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The invoice numbers and contact names an event names, for cross-checks."""
    invoices: list[str] = list(getattr(event, "invoices", ()))
    if type(event) is DisputeEvent:
        invoices.append(event.invoice)
    if type(event) is Payment:
        invoices.extend(event.named)
        invoices.extend(a.invoice for a in event.explicit)
    contacts = (event.contact,) if event.contact else ()
    return tuple(invoices), contacts
