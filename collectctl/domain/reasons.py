"""Why an account is on the call list or has a follow-up: typed data with a stable `code`
for machines. The presentation layer turns each into words; the policy never does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar

from collectctl.domain.models import EmailSent
from collectctl.domain.promises import InstallmentStatus


@dataclass(frozen=True, slots=True)
class CheckNotReceived:
    """A check the customer reported mailed has not arrived by the follow-up day."""

    code: ClassVar[str] = "check-not-received"
    number: str
    mailed: date


@dataclass(frozen=True, slots=True)
class Callback:
    """Call back the next business day after a hostile call."""

    code: ClassVar[str] = "callback"
    after: date


@dataclass(frozen=True, slots=True)
class ConfirmInvoiceCopy:
    """The customer said they never received the invoice: confirm the copy arrived."""

    code: ClassVar[str] = "confirm-invoice-copy"
    invoices: tuple[str, ...]
    not_received_on: date
    emailed: EmailSent | None  # the copy sent since, if any


@dataclass(frozen=True, slots=True)
class RetryCall:
    """Nobody answered: try again."""

    code: ClassVar[str] = "retry"
    outcome: str
    on: date


@dataclass(frozen=True, slots=True)
class CallAgain:
    """Somebody was reached but nothing was agreed: call again."""

    code: ClassVar[str] = "call-again"
    outcome: str
    contact: str | None
    on: date


@dataclass(frozen=True, slots=True)
class FollowUpBooked:
    """A note or a logged message booked this follow-up."""

    code: ClassVar[str] = "follow-up"
    what: str  # note | message
    about: str | None  # its first line, or the message's subject
    on: date


@dataclass(frozen=True, slots=True)
class EscalationDue:
    """The account crossed a policy line: escalate it to the credit manager."""

    code: ClassVar[str] = "escalation-due"
    days_past_due: int | None  # the oldest chased invoice, when past the days line
    broken_promises: int | None  # when at or past the broken-promises line
    dispute_days: int | None = None  # the oldest open dispute, when past the dispute line
    dispute_invoice: str | None = None


@dataclass(frozen=True, slots=True)
class DisputeReview:
    """An open dispute comes up for review: where does it stand, what is still owed."""

    code: ClassVar[str] = "dispute-review"
    invoice: str
    reason: str
    opened: date
    held: Decimal  # the disputed part held back from the chase


@dataclass(frozen=True, slots=True)
class Escalated:
    """The account was escalated and is being chased by whoever it went to."""

    code: ClassVar[str] = "escalated"
    to: str | None  # a collector id
    on: date
    by: str | None = None  # who escalated it
    why: str | None = None


@dataclass(frozen=True, slots=True)
class PastDue:
    """Past the first-call line; `first_call` when nobody has called since it fell due."""

    code: ClassVar[str] = "past-due"
    days: int
    first_call: bool


@dataclass(frozen=True, slots=True)
class InDispute:
    """An overdue invoice in dispute: not chased, but worth knowing before the call."""

    code: ClassVar[str] = "in-dispute"
    invoice: str
    reason: str


@dataclass(frozen=True, slots=True)
class FinalReminderUnanswered:
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


@dataclass(frozen=True, slots=True)
class Unassigned:
    """No collector owns the account: it is on everyone's list until someone takes it."""

    code: ClassVar[str] = "unassigned"


Reason = FollowUpReason | Escalated | PastDue | InDispute | Unassigned
