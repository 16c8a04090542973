"""The domain model: immutable records with exact money. No I/O here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar, final

from msgspec import Struct, field


class Collector(Struct, frozen=True):
    id: str
    name: str
    email: str | None = None
    role: str = "collector"


class ReminderLevel(Struct, frozen=True):
    """A written reminder sent once an invoice is `after` days past due (`remind`)."""

    level: int
    after: int
    template: str  # reminder-friendly: templates/reminder-friendly.{subject,txt,html}.j2
    attach: str | None = None  # "invoices" (their PDFs) or "statement"


DEFAULT_REMINDERS = (
    ReminderLevel(1, 3, "reminder-friendly"),
    ReminderLevel(2, 15, "reminder-firm", "invoices"),
    ReminderLevel(3, 30, "reminder-final", "statement"),
)


class Policy(Struct, frozen=True):
    """The numbers the call list and follow-ups use; defaults follow collection practice."""

    first_call_after_due: int = 5
    check_in_mail_followup: int = 7
    promise_grace: int = 1
    escalate_days_past_due: int = 60
    escalate_broken_promises: int = 2
    retry_after_no_answer: int = 2
    call_again_after: int = 7
    invoice_copy_followup: int = 3
    dispute_review_days: int = 10  # an open dispute comes up for review this often
    dispute_escalate_days: int = 30  # open this long, it goes to the credit manager
    send_confirmations: bool = False  # promise --send by default
    holidays: tuple[date, ...] = ()
    reminders: tuple[ReminderLevel, ...] = DEFAULT_REMINDERS
    reminder_gap: int = 7  # days at least between two reminders to one customer
    reminder_minimum: Decimal = Decimal(0)  # less overdue than this: no reminder
    reminder_followup: int = 3  # days after an unanswered final reminder: call


class SmtpSettings(Struct, frozen=True):
    host: str | None = None
    port: int | None = None
    security: str = "starttls"
    username: str | None = None


class EmailSettings(Struct, frozen=True):
    sender: str | None = None
    reply_to_collector: bool = True
    cc_collector: bool = False
    smtp: SmtpSettings = field(default_factory=SmtpSettings)


class ImportMapping(Struct, frozen=True):
    """A named column mapping for an export collectctl does not know (`--mapping NAME`)."""

    name: str
    columns: tuple[tuple[str, str], ...]  # (field, the export's header)
    date_format: str | None = None
    decimal_comma: bool = False


LEDGER_FORMAT = 2  # 2: invoices.yaml holds only the books' facts; all else is events


class Config(Struct, frozen=True):
    company: str
    currency: str = "USD"
    terms: int = 30
    collectors: tuple[Collector, ...] = ()
    policy: Policy = field(default_factory=Policy)
    email: EmailSettings = field(default_factory=EmailSettings)
    format: int = 1  # a ledger without `format:` predates format 2
    mappings: tuple[ImportMapping, ...] = ()
    rates: tuple[tuple[str, Decimal], ...] = ()  # 1 unit of a currency in `currency`

    def rate(self, currency: str) -> Decimal | None:
        """What one unit of `currency` is worth in the ledger's currency, if known."""
        if currency == self.currency:
            return Decimal(1)
        return next((rate for code, rate in self.rates if code == currency), None)

    def in_ledger_currency(self, amounts: dict[str, Decimal]) -> Decimal | None:
        """Amounts by currency added up in the ledger's currency; None when one has no
        rate (amounts in different currencies are never added as they are)."""
        rates = [self.rate(code) for code in amounts]
        if any(rate is None for rate in rates):
            return None
        return sum((v * (r or 1) for v, r in zip(amounts.values(), rates, strict=True)), Decimal(0))

    @property
    def collector_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.collectors)

    def find_collector(self, who: str) -> Collector | None:
        wanted = who.strip().casefold()
        for collector in self.collectors:
            keys = (collector.id, collector.name, collector.email or "")
            if wanted in (key.casefold() for key in keys):
                return collector
        return None


class Contact(Struct, frozen=True):
    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    authorizes_payment: bool = False
    notes: str | None = None
    timezone: str | None = None  # IANA zone, e.g. America/Chicago
    hours: str | None = None  # when to call, in their zone: 09:00-17:00
    formerly: tuple[str, ...] = ()  # earlier names, as events recorded them
    inactive: bool = False  # left the company: kept for history, never asked for


class Customer(Struct, frozen=True):
    id: str
    name: str
    terms: int
    currency: str
    credit_limit: Decimal | None = None
    owner: str | None = None
    contacts: tuple[Contact, ...] = ()
    notes: str | None = None
    books_id: str | None = None  # the accounting system's customer number, for imports
    timezone: str | None = None  # the customer's zone, for contacts without their own
    hours: str | None = None  # 09:00-17:00
    no_reminders: bool = False  # `remind` never writes to them (a phone-only account)

    def find_contact(self, name: str) -> Contact | None:
        """By name, or a name the contact had when an event recorded it."""
        wanted = name.strip().casefold()
        for contact in self.contacts:
            if contact.name.casefold() == wanted:
                return contact
            if any(old.casefold() == wanted for old in contact.formerly):
                return contact
        return None

    @property
    def active_contacts(self) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if not c.inactive)


class AppliedPayment(Struct, frozen=True):
    date: date
    amount: Decimal
    reference: str | None = None


class Dispute(Struct, frozen=True):
    reason: str
    opened: date
    amount: Decimal | None = None  # the part disputed; None: the whole balance
    resolved: date | None = None
    notes: str | None = None
    owner: str | None = None  # the collector working it
    outcome: str | None = None  # how it was resolved: credited, rejected, paid
    credit: Decimal | None = None  # what the resolution credited


class Invoice(Struct, frozen=True):
    number: str
    issued: date
    due: date
    amount: Decimal
    currency: str
    po: str | None = None
    status: str = "open"
    payments: tuple[AppliedPayment, ...] = ()
    dispute: Dispute | None = None
    document: str | None = None
    credited: Decimal = Decimal(0)  # credits from resolved disputes: not money received

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal(0))

    @property
    def balance(self) -> Decimal:
        if self.status == "void":
            return Decimal(0)
        return self.amount - self.paid - self.credited


def due_order(invoice: Invoice) -> tuple[date, date, str]:
    """Oldest due date first: the order payments and promises apply in."""
    return invoice.due, invoice.issued, invoice.number


# Activity events: one small file each, never rewritten; corrections are new events.
# Each kind is a final class, so code asks an event's kind as `type(event) is Payment`:
# `isinstance` against a msgspec Struct class that does not match leaves CPython's quick
# path (about 1,000 instructions, against 100), and a cold read asks hundreds of times an
# account.


class Event(Struct, frozen=True, kw_only=True):
    kind: ClassVar[str] = "event"
    file: str  # the file name inside activity/, unique across clones
    date: date
    collector: str
    recorded: str | None = None  # when it was written, ISO timestamp
    contact: str | None = None
    notes: str | None = None
    corrects: str | None = None  # the file name of an event this one corrects


class MailedCheck(Struct, frozen=True):
    number: str
    amount: Decimal
    mailed: date


@final
class Call(Event, frozen=True, kw_only=True, tag=True):
    kind: ClassVar[str] = "call"
    outcome: str
    invoices: tuple[str, ...] = ()
    recording: str | None = None
    check: MailedCheck | None = None
    dispute_reason: str | None = None
    follow_up: date | None = None


class Installment(Struct, frozen=True):
    by: date
    amount: Decimal


@final
class Promise(Event, frozen=True, kw_only=True, tag=True):
    kind: ClassVar[str] = "promise"
    installments: tuple[Installment, ...]
    method: str | None = None
    invoices: tuple[str, ...] = ()


class Allocation(Struct, frozen=True):
    invoice: str
    amount: Decimal


@final
class Payment(Event, frozen=True, kw_only=True, tag=True):
    """Money received, as recorded: the amount, and the invoices the payer named, if any.
    `applied` and `unapplied` are worked out when the ledger is read (settle.py)."""

    kind: ClassVar[str] = "payment"
    amount: Decimal
    reference: str | None = None
    method: str | None = None
    named: tuple[str, ...] = ()  # `invoices:` the payer named, applied in that order
    explicit: tuple[Allocation, ...] = ()  # `applied:` amounts set by hand or by migrate
    duplicate_reference: bool = False  # recorded knowing an earlier payment has its reference
    source: str | None = None  # "books": written by an import from the accounting system
    on_account: bool = False  # the books hold it as credit: never applied oldest first
    applied: tuple[Allocation, ...] = ()  # derived
    unapplied: Decimal = Decimal(0)  # derived: credit on account
    # derived: named invoices that earlier payments had paid, and what became credit
    spilled: tuple[Allocation, ...] = ()


@final
class EmailSent(Event, frozen=True, kw_only=True, tag=True):
    kind: ClassVar[str] = "email"
    to: tuple[str, ...]
    subject: str
    cc: tuple[str, ...] = ()
    message_id: str | None = None
    attachments: tuple[str, ...] = ()
    invoices: tuple[str, ...] = ()
    purpose: str | None = None  # invoice-copy | promise-confirmation | statement | reminder
    delivery: str | None = None  # "interrupted": the send never returned; it may have gone
    level: int | None = None  # a reminder's level (policy.reminders)


@final
class DisputeEvent(Event, frozen=True, kw_only=True, tag=True):
    """A dispute opened on an invoice; or, with `resolution`, the open one resolved (and
    with `credit`, the invoice's balance lowered by that much)."""

    kind: ClassVar[str] = "dispute"
    invoice: str
    reason: str | None = None  # why it is disputed (required when opening)
    amount: Decimal | None = None
    resolution: str | None = None  # how it was resolved; present when this event closes it
    credit: Decimal | None = None  # what the resolution credits against the invoice
    owner: str | None = None  # the collector who works the dispute


@final
class Escalation(Event, frozen=True, kw_only=True, tag=True):
    """An account handed to `to` (the credit manager, by default); with `returned`, handed
    back — to `to`, or to its owner — and no longer escalated."""

    kind: ClassVar[str] = "escalation"
    to: str | None = None
    reason: str | None = None
    returned: bool = False


@final
class Note(Event, frozen=True, kw_only=True, tag=True):
    kind: ClassVar[str] = "note"
    follow_up: date | None = None  # a follow-up it books, taking over from a call's


@final
class Message(Event, frozen=True, kw_only=True, tag=True):
    """An email, portal message or letter logged by hand: one the customer sent (`in`),
    or one sent outside collectctl (`out`)."""

    kind: ClassVar[str] = "message"
    direction: str  # in | out
    subject: str
    channel: str = "email"  # email | portal | letter | other
    sender: str | None = None
    to: tuple[str, ...] = ()
    follow_up: date | None = None


@final
class CheckVoided(Event, frozen=True, kw_only=True, tag=True):
    """A check reported mailed that will never arrive: stopped, replaced or lost."""

    kind: ClassVar[str] = "check"
    number: str
    status: str  # stopped | replaced | lost
    replacement: str | None = None  # the new check's number


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        Call,
        Promise,
        Payment,
        EmailSent,
        DisputeEvent,
        Escalation,
        Note,
        Message,
        CheckVoided,
    )
}
CONVERSATIONS = (Call, Promise)  # someone spoke for the customer: `type(event) in CONVERSATIONS`


class Account(Struct, frozen=True):
    """One customer with everything the ledger holds about it."""

    customer: Customer
    invoices: tuple[Invoice, ...] = ()
    events: tuple[Event, ...] = ()  # oldest first

    @property
    def id(self) -> str:
        return self.customer.id

    def find_invoice(self, number: str) -> Invoice | None:
        return next((i for i in self.invoices if i.number == number), None)
