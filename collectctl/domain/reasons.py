"""Why an account is on the call list or has a follow-up: typed data with a stable `code`
for machines. The presentation layer turns each into words; the policy never does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from msgspec import Struct

from collectctl.domain.models import EmailSent
from collectctl.domain.promises import InstallmentStatus


class CheckNotReceived(Struct, frozen=True, tag=True):
    """A check the customer reported mailed has not arrived by the follow-up day."""

    code: ClassVar[str] = "check-not-received"
    number: str
    mailed: date


class Callback(Struct, frozen=True, tag=True):
    """Call back the next business day after a hostile call."""

    code: ClassVar[str] = "callback"
    after: date


class ConfirmInvoiceCopy(Struct, frozen=True, tag=True):
    """The customer said they never received the invoice: confirm the copy arrived."""

    code: ClassVar[str] = "confirm-invoice-copy"
    invoices: tuple[str, ...]
    not_received_on: date
    emailed: EmailSent | None  # the copy sent since, if any


class RetryCall(Struct, frozen=True, tag=True):
    """Nobody answered: try again."""

    code: ClassVar[str] = "retry"
    outcome: str
    on: date


class CallAgain(Struct, frozen=True, tag=True):
    """Somebody was reached but nothing was agreed: call again."""

    code: ClassVar[str] = "call-again"
    outcome: str
    contact: str | None
    on: date


class FollowUpBooked(Struct, frozen=True, tag=True):
    """A note or a logged message booked this follow-up."""

    code: ClassVar[str] = "follow-up"
    what: str  # note | message
    about: str | None  # its first line, or the message's subject
    on: date


class EscalationDue(Struct, frozen=True, tag=True):
    """The account crossed a policy line: escalate it to the credit manager."""

    code: ClassVar[str] = "escalation-due"
    days_past_due: int | None  # the oldest chased invoice, when past the days line
    broken_promises: int | None  # when at or past the broken-promises line
    dispute_days: int | None = None  # the oldest open dispute, when past the dispute line
    dispute_invoice: str | None = None


class DisputeReview(Struct, frozen=True, tag=True):
    """An open dispute comes up for review: where does it stand, what is still owed."""

    code: ClassVar[str] = "dispute-review"
    invoice: str
    reason: str
    opened: date
    held: Decimal  # the disputed part held back from the chase


class Escalated(Struct, frozen=True, tag=True):
    """The account was escalated and is being chased by whoever it went to."""

    code: ClassVar[str] = "escalated"
    to: str | None  # a collector id
    on: date
    by: str | None = None  # who escalated it
    why: str | None = None


class PastDue(Struct, frozen=True, tag=True):
    """Past the first-call line; `first_call` when nobody has called since it fell due."""

    code: ClassVar[str] = "past-due"
    days: int
    first_call: bool


class InDispute(Struct, frozen=True, tag=True):
    """An overdue invoice in dispute: not chased, but worth knowing before the call."""

    code: ClassVar[str] = "in-dispute"
    invoice: str
    reason: str


class FinalReminderUnanswered(Struct, frozen=True, tag=True):
    """The last written reminder went out and nothing came back: time to call."""

    code: ClassVar[str] = "final-reminder"
    sent: date


FollowUpReason = (
    InstallmentStatus
    | CheckNotReceived
    | Callback
    | ConfirmInvoiceCopy
    | RetryCall
    | CallAgain
    | EscalationDue
    | DisputeReview
    | FollowUpBooked
    | FinalReminderUnanswered
)


class Unassigned(Struct, frozen=True, tag=True):
    """No collector owns the account: it is on everyone's list until someone takes it."""

    code: ClassVar[str] = "unassigned"


Reason = FollowUpReason | Escalated | PastDue | InDispute | Unassigned
