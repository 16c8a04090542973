"""The follow-up a conversation books: when, of what kind, and why."""

from __future__ import annotations

from datetime import date

from msgspec import Struct

from collectctl.domain.calendar import days_later, next_business_day
from collectctl.domain.escalation import responsible_collector
from collectctl.domain.invoices import is_open, receipts
from collectctl.domain.models import (
    CONVERSATIONS,
    Account,
    Call,
    CheckVoided,
    Config,
    EmailSent,
    Event,
    Message,
    Note,
    Policy,
)
from collectctl.domain.reasons import (
    CallAgain,
    Callback,
    CheckNotReceived,
    ConfirmInvoiceCopy,
    FollowUpBooked,
    FollowUpReason,
    RetryCall,
)

FOLLOW_UP_KINDS = {
    "hostile": "callback",
    "check-in-mail": "check-in-mail",
    "invoice-not-received": "invoice-copy",
    "voicemail": "retry",
    "no-answer": "retry",
    "reached": "call-again",
    "wrong-person": "call-again",
    "refused": "call-again",
}


class FollowUp(Struct, frozen=True):
    date: date
    customer: str
    kind: str
    reason: FollowUpReason
    collector: str | None
    urgent: bool = False  # a broken promise or an escalation: top of the list
    source: str | None = None  # the event file that booked it


def booked_follow_up(
    outcome: str, call_date: date, policy: Policy, mailed: date | None = None
) -> tuple[date, str] | None:
    """The follow-up the policy books for a call's outcome, as (date, kind)."""
    kind = FOLLOW_UP_KINDS.get(outcome)
    if kind is None:
        return None  # a promise books its own checks; a dispute waits for resolution
    if kind == "callback":
        return next_business_day(call_date, policy), kind
    if kind == "check-in-mail":
        return days_later(mailed or call_date, policy.check_in_mail_followup, policy), kind
    days = {
        "invoice-copy": policy.invoice_copy_followup,
        "retry": policy.retry_after_no_answer,
        "call-again": policy.call_again_after,
    }[kind]
    return days_later(call_date, days, policy), kind


def _call_reason(call: Call, kind: str, emailed: EmailSent | None) -> FollowUpReason:
    if kind == "check-in-mail" and call.check:
        return CheckNotReceived(call.check.number, call.check.mailed)
    if kind == "callback":
        return Callback(call.date)
    if kind == "invoice-copy":
        return ConfirmInvoiceCopy(call.invoices, call.date, emailed)
    if kind == "retry":
        return RetryCall(call.outcome, call.date)
    return CallAgain(call.outcome, call.contact, call.date)


def _takes_over(event: Event) -> bool:
    """A call or an agreement; or a note or message that booked a follow-up."""
    if type(event) in CONVERSATIONS:
        return True
    return (type(event) is Note or type(event) is Message) and event.follow_up is not None


def _first_line(text: str | None) -> str | None:
    return text.strip().splitlines()[0] if text and text.strip() else None


def call_follow_up(account: Account, config: Config) -> FollowUp | None:
    """The follow-up the last conversation booked, unless something closed it: only the
    latest call or agreement counts, since each one takes over from the ones before."""
    events = account.events
    last = next(
        (i for i in range(len(events) - 1, -1, -1) if _takes_over(events[i])),
        None,
    )
    if last is None:
        return None
    call = events[last]
    if (type(call) is Note or type(call) is Message) and call.follow_up is not None:
        if not any(is_open(i) for i in account.invoices):
            return None
        about = call.subject if type(call) is Message else _first_line(call.notes)
        booked_by = FollowUpBooked(call.kind, about, call.date)
        collector = responsible_collector(account)
        return FollowUp(
            call.follow_up, account.id, "follow-up", booked_by, collector, source=call.file
        )
    if type(call) is not Call:
        return None
    booked = booked_follow_up(
        call.outcome, call.date, config.policy, call.check.mailed if call.check else None
    )
    if booked is None or not any(is_open(i) for i in account.invoices):
        return None
    kind = booked[1]
    arrived = call.check and any(r.reference == call.check.number for r in receipts(account))
    voided = call.check and any(
        type(e) is CheckVoided and e.number == call.check.number for e in events[last + 1 :]
    )
    if kind == "check-in-mail" and (arrived or voided):
        return None
    sent = [e for e in events[last + 1 :] if type(e) is EmailSent and e.purpose == kind]
    reason = _call_reason(call, kind, sent[-1] if sent else None)
    when = call.follow_up or booked[0]
    return FollowUp(
        when, account.id, kind, reason, responsible_collector(account), source=call.file
    )
