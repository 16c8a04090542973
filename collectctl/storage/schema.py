"""From the raw data of a ledger file to domain records, noting every problem with its line.

The loader stops at the first problem; `check` reports them all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from collectctl.domain.inputs import one_address, parse_date
from collectctl.domain.models import (
    EVENT_TYPES,
    Allocation,
    AppliedPayment,
    Call,
    Collector,
    Config,
    Contact,
    Customer,
    Dispute,
    DisputeEvent,
    EmailSent,
    EmailSettings,
    Escalation,
    Event,
    Installment,
    Invoice,
    MailedCheck,
    Note,
    Payment,
    Policy,
    Promise,
    SmtpSettings,
)
from collectctl.domain.money import check_currency, parse_amount
from collectctl.domain.vocabulary import (
    CALL_OUTCOMES,
    DISPUTE_REASONS,
    INVOICE_STATUSES,
    PAYMENT_METHODS,
)
from collectctl.errors import Problem, did_you_mean
from collectctl.storage import layout
from collectctl.storage.store import Mapping

T = TypeVar("T")


class Fields:
    """Typed reads from one mapping; unknown keys and bad values become problems."""

    def __init__(self, raw: Any, path: str, problems: list[Problem], what: str, line: int = 0):
        self.path = path
        self.problems = problems
        self.used: set[str] = set()
        if isinstance(raw, Mapping):
            self.raw = raw
        else:
            self.raw = Mapping()
            self.raw.line, self.raw.key_lines = line, {}
            if raw is not None:
                self.problem(line, f"{what} should be a mapping of keys to values")

    @property
    def line(self) -> int:
        return self.raw.line

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.path, line or None, message))

    def _value(self, key: str, required: bool) -> Any:
        self.used.add(key)
        value = self.raw.get(key)
        if value is None and required:
            self.problem(self.raw.line, f"missing required key '{key}'")
        return value

    def _converted(self, key: str, value: Any, convert: Callable[[str], T]) -> T | None:
        if not isinstance(value, str):
            self.problem(
                self.raw.line_of(key), f"{key}: expected a single value, got {_kind(value)}"
            )
            return None
        try:
            return convert(value)
        except ValueError as exc:
            self.problem(self.raw.line_of(key), f"{key}: {exc}")
            return None

    def text(self, key: str, required: bool = False) -> str | None:
        value = self._value(key, required)
        if value is None:
            return None
        result = self._converted(key, value, str)
        if result is not None and not result.strip() and required:
            self.problem(self.raw.line_of(key), f"{key}: must not be empty")
        return result

    def integer(self, key: str, default: int, minimum: int = 0) -> int:
        value = self._value(key, False)
        if value is None:
            return default
        result = self._converted(key, value, lambda text: _integer(text, minimum))
        return default if result is None else result

    def amount(
        self, key: str, currency: str | None, required: bool = False, zero_ok: bool = False
    ) -> Decimal | None:
        value = self._value(key, required)
        if value is None:
            return None
        return self._converted(
            key, value, lambda text: _positive(parse_amount(text, currency), zero_ok)
        )

    def date(self, key: str, required: bool = False) -> date | None:
        value = self._value(key, required)
        if value is None:
            return None
        return self._converted(key, value, parse_date)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._value(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(self.raw.line_of(key), f"{key}: expected true or false, got {value!r}")
            return default
        return value

    def choice(self, key: str, choices: tuple[str, ...], required: bool = False) -> str | None:
        value = self.text(key, required)
        if value is not None and value not in choices:
            self.problem(
                self.raw.line_of(key), f"{key}: {value!r} is not one of {', '.join(choices)}"
            )
            return None
        return value

    def currency(self, key: str, default: str) -> str:
        value = self.text(key)
        if value is None:
            return default
        return self._converted(key, value, check_currency) or default

    def items(self, key: str) -> list[tuple[Any, int]]:
        """A list's entries, each with its line."""
        value = self._value(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(self.raw.line_of(key), f"{key}: expected a list, got {_kind(value)}")
            return []
        line = self.raw.line_of(key)
        return [(item, item.line if isinstance(item, Mapping) else line) for item in value]

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of single values; a lone value is accepted as a list of one."""
        value = self._value(key, False)
        if value is None:
            return ()
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            self.problem(self.raw.line_of(key), f"{key}: expected a list of single values")
            return ()
        return tuple(values)

    def nested(self, key: str) -> Fields:
        return Fields(self._value(key, False), self.path, self.problems, key, self.raw.line_of(key))

    def finish(self) -> None:
        """Report keys nobody asked for: a typo must not silently drop data."""
        for key in self.raw:
            if key not in self.used:
                suggestion = did_you_mean(str(key), self.used)
                self.problem(self.raw.line_of(str(key)), f"unknown key '{key}'{suggestion}")


def _one_address(fields: Fields, key: str) -> str | None:
    """An email field holds exactly one address: two would be two recipients."""
    value = fields.text(key)
    if value is None:
        return None
    try:
        return one_address(value)
    except ValueError as exc:
        fields.problem(fields.raw.line_of(key), f"{key}: {exc}")
        return None


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _integer(text: str, minimum: int) -> int:
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a whole number")
    number = int(text)
    if number < minimum:
        raise ValueError(f"{number} is below the minimum of {minimum}")
    return number


def _positive(amount: Decimal, zero_ok: bool = False) -> Decimal:
    if amount < 0 or (amount == 0 and not zero_ok):
        raise ValueError(f"{amount} must be more than zero")
    return amount


# --- collectctl.yaml -------------------------------------------------------------------


def parse_config(raw: Any, path: str, problems: list[Problem]) -> Config:
    fields = Fields(raw, path, problems, "collectctl.yaml")
    company = fields.text("company", required=True) or "?"
    currency = fields.currency("currency", "USD")
    terms = fields.integer("terms", 30)
    collectors = tuple(
        collector
        for item, line in fields.items("collectors")
        if (collector := _parse_collector(item, line, path, problems))
    )
    seen: set[str] = set()
    for collector in collectors:
        if collector.id in seen:
            problems.append(
                Problem(
                    path,
                    fields.raw.line_of("collectors"),
                    f"collector id '{collector.id}' is listed twice",
                )
            )
        seen.add(collector.id)
    policy = _parse_policy(fields.nested("policy"))
    email = _parse_email(fields.nested("email"))
    fields.finish()
    return Config(company, currency, terms, collectors, policy, email)


def _parse_collector(raw: Any, line: int, path: str, problems: list[Problem]) -> Collector | None:
    fields = Fields(raw, path, problems, "a collector", line)
    collector_id = fields.text("id", required=True)
    name = fields.text("name", required=True)
    email = fields.text("email")
    role = fields.text("role") or "collector"
    fields.finish()
    if collector_id and not layout.valid_slug(collector_id):
        fields.problem(fields.raw.line_of("id"), f"collector id {collector_id!r} is not a slug")
        return None
    if not (collector_id and name):
        return None
    return Collector(collector_id, name, email, role)


_POLICY_NUMBERS = (
    "first_call_after_due",
    "check_in_mail_followup",
    "promise_grace",
    "escalate_days_past_due",
    "escalate_broken_promises",
    "retry_after_no_answer",
    "call_again_after",
    "invoice_copy_followup",
)


def _parse_policy(fields: Fields) -> Policy:
    defaults = Policy()
    holidays = []
    for item, line in fields.items("holidays"):
        try:
            holidays.append(parse_date(item if isinstance(item, str) else repr(item)))
        except ValueError as exc:
            fields.problem(line, f"holidays: {exc}")
    numbers = {
        name: fields.integer(name, getattr(defaults, name), minimum=1 if "promises" in name else 0)
        for name in _POLICY_NUMBERS
    }
    policy = Policy(
        **numbers,
        send_confirmations=fields.flag("send_confirmations", defaults.send_confirmations),
        holidays=tuple(sorted(holidays)),
    )
    fields.finish()
    return policy


def _parse_email(fields: Fields) -> EmailSettings:
    sender = fields.text("from")
    reply_to = fields.flag("reply_to_collector", True)
    cc = fields.flag("cc_collector", False)
    smtp_fields = fields.nested("smtp")
    smtp = SmtpSettings(
        host=smtp_fields.text("host"),
        port=smtp_fields.integer("port", 0) or None,
        security=smtp_fields.choice("security", ("none", "starttls", "ssl")) or "starttls",
        username=smtp_fields.text("username"),
    )
    if "password" in smtp_fields.raw:
        smtp_fields.used.add("password")
        smtp_fields.problem(
            smtp_fields.raw.line_of("password"),
            "never keep a password in the ledger; set COLLECTCTL_SMTP_PASSWORD instead",
        )
    smtp_fields.finish()
    fields.finish()
    return EmailSettings(sender, reply_to, cc, smtp)


# --- customers/<id>/customer.yaml -------------------------------------------------------


def parse_customer(
    raw: Any, customer_id: str, path: str, config: Config, problems: list[Problem]
) -> Customer:
    fields = Fields(raw, path, problems, "customer.yaml")
    name = fields.text("name", required=True) or customer_id
    terms = fields.integer("terms", config.terms)
    currency = fields.currency("currency", config.currency)
    credit_limit = fields.amount("credit_limit", currency)
    owner = fields.text("owner")
    if owner and config.collectors and not config.find_collector(owner):
        fields.problem(
            fields.raw.line_of("owner"), f"owner {owner!r} is not a collector in collectctl.yaml"
        )
    contacts: list[Contact] = []
    for item, line in fields.items("contacts"):
        contact_fields = Fields(item, path, problems, "a contact", line)
        contact = Contact(
            name=contact_fields.text("name", required=True) or "?",
            role=contact_fields.text("role"),
            phone=contact_fields.text("phone"),
            email=_one_address(contact_fields, "email"),
            authorizes_payment=contact_fields.flag("authorizes_payment"),
            notes=contact_fields.text("notes"),
        )
        contact_fields.finish()
        if any(c.name.casefold() == contact.name.casefold() for c in contacts):
            contact_fields.problem(line, f"contact {contact.name!r} is listed twice")
        contacts.append(contact)
    notes = fields.text("notes")
    fields.finish()
    return Customer(customer_id, name, terms, currency, credit_limit, owner, tuple(contacts), notes)


# --- customers/<id>/invoices.yaml -------------------------------------------------------


def parse_invoices(
    raw: Any, path: str, customer: Customer, problems: list[Problem]
) -> list[Invoice]:
    fields = Fields(raw, path, problems, "invoices.yaml")
    invoices: list[Invoice] = []
    numbers: dict[str, int] = {}
    for item, line in fields.items("invoices"):
        invoice = _parse_invoice(Fields(item, path, problems, "an invoice", line), customer)
        if invoice is None:
            continue
        if invoice.number in numbers:
            problems.append(
                Problem(
                    path,
                    line,
                    f"invoice {invoice.number} appears twice "
                    f"(first on line {numbers[invoice.number]})",
                )
            )
        numbers.setdefault(invoice.number, line)
        invoices.append(invoice)
    fields.finish()
    return invoices


def _parse_invoice(fields: Fields, customer: Customer) -> Invoice | None:
    number = fields.text("number", required=True)
    if number is not None and not layout.valid_invoice_number(number):
        fields.problem(
            fields.raw.line_of("number"),
            f"invoice number {number!r} has characters other than letters, digits and . _ # / -",
        )
        number = None
    po = fields.text("po")
    issued = fields.date("issued", required=True)
    due = fields.date("due")
    currency = fields.currency("currency", customer.currency)
    amount = fields.amount("amount", currency, required=True)
    status = fields.choice("status", INVOICE_STATUSES) or "open"
    payments = []
    for item, line in fields.items("payments"):
        payment_fields = Fields(item, fields.path, fields.problems, "a payment", line)
        paid_on = payment_fields.date("date", required=True)
        paid = payment_fields.amount("amount", currency, required=True)
        reference = payment_fields.text("reference")
        payment_fields.finish()
        if paid_on and paid:
            payments.append(AppliedPayment(paid_on, paid, reference))
    dispute = _parse_dispute(fields.nested("dispute")) if "dispute" in fields.raw else None
    document = fields.text("document")
    fields.finish()
    if not (number and issued and amount):
        return None
    if due is None:
        due = issued + timedelta(days=customer.terms)
    elif due < issued:
        fields.problem(
            fields.raw.line_of("due"), f"due date {due} is before the issue date {issued}"
        )
    invoice = Invoice(
        number, issued, due, amount, currency, po, status, tuple(payments), dispute, document
    )
    if invoice.paid > amount:
        fields.problem(
            fields.raw.line_of("payments"),
            f"payments applied ({invoice.paid}) exceed the amount ({amount})",
        )
    if status == "paid" and invoice.balance != 0:
        fields.problem(
            fields.raw.line_of("status"), f"status is paid but {invoice.balance} is still open"
        )
    return invoice


def _parse_dispute(fields: Fields) -> Dispute | None:
    reason = fields.choice("reason", DISPUTE_REASONS, required=True)
    opened = fields.date("opened", required=True)
    amount = fields.amount("amount", None)
    resolved = fields.date("resolved")
    notes = fields.text("notes")
    fields.finish()
    if not (reason and opened):
        return None
    return Dispute(reason, opened, amount, resolved, notes)


# --- customers/<id>/activity/*.yaml -----------------------------------------------------


def parse_event(raw: Any, file_name: str, path: str, problems: list[Problem]) -> Event | None:
    fields = Fields(raw, path, problems, "an event")
    kind = fields.choice("kind", tuple(EVENT_TYPES), required=True)
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


def _payment_fields(fields: Fields) -> dict[str, Any] | None:
    amount = fields.amount("amount", None, required=True)
    applied = []
    for item, line in fields.items("applied"):
        part = Fields(item, fields.path, fields.problems, "an allocation", line)
        invoice, share = part.text("invoice", required=True), part.amount("amount", None, True)
        part.finish()
        if invoice and share:
            applied.append(Allocation(invoice, share))
    unapplied = fields.amount("unapplied", None, zero_ok=True) or Decimal(0)
    values: dict[str, Any] = {
        "amount": amount,
        "reference": fields.text("reference"),
        "method": fields.choice("method", PAYMENT_METHODS),
        "applied": tuple(applied),
        "unapplied": unapplied,
    }
    if amount is not None and sum((a.amount for a in applied), unapplied) > amount:
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
        "purpose": fields.choice("purpose", ("invoice-copy", "promise-confirmation", "other")),
    }
    if not to:
        fields.problem(fields.line, "missing required key 'to'")
    return values if to and subject else None


def _dispute_fields(fields: Fields) -> dict[str, Any] | None:
    values = {
        "invoice": fields.text("invoice", required=True),
        "reason": fields.choice("reason", DISPUTE_REASONS, required=True),
        "amount": fields.amount("amount", None),
        "resolution": fields.text("resolution"),
    }
    return values if values["invoice"] and values["reason"] else None


def _escalation_fields(fields: Fields) -> dict[str, Any]:
    return {"to": fields.text("to"), "reason": fields.text("reason")}


def _note_fields(fields: Fields) -> dict[str, Any]:
    return {}


_EVENT_FIELDS: dict[str, Callable[[Fields], dict[str, Any] | None]] = {
    Call.kind: _call_fields,
    Promise.kind: _promise_fields,
    Payment.kind: _payment_fields,
    EmailSent.kind: _email_fields,
    DisputeEvent.kind: _dispute_fields,
    Escalation.kind: _escalation_fields,
    Note.kind: _note_fields,
}


def event_references(event: Event) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The invoice numbers and contact names an event names, for cross-checks."""
    invoices: list[str] = list(getattr(event, "invoices", ()))
    if isinstance(event, DisputeEvent):
        invoices.append(event.invoice)
    if isinstance(event, Payment):
        invoices.extend(a.invoice for a in event.applied)
    contacts = (event.contact,) if event.contact else ()
    return tuple(invoices), contacts
