"""An account's standing: what the call list and follow-ups need of it, none of it
depending on the day, so it can be worked out once and kept."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from msgspec import Struct

from collectctl.domain.contacts import contact_to_call, last_contact_event
from collectctl.domain.escalation import escalated, responsible_collector
from collectctl.domain.followups import FollowUp, call_follow_up
from collectctl.domain.invoices import held, in_dispute, open_invoices
from collectctl.domain.models import CONVERSATIONS, Account, Config, Contact, Note
from collectctl.domain.promises import InstallmentStatus, installments
from collectctl.domain.sent_reminders import final_reminder_unanswered

_TALKS = (*CONVERSATIONS, Note)  # what reviews an open dispute: a call, agreement or note


class OpenInvoice(Struct, frozen=True):
    number: str
    due: date
    balance: Decimal
    dispute: str | None  # the reason, while a dispute is open
    held: Decimal = Decimal(0)  # the disputed part, held back from the chase

    @property
    def chased(self) -> Decimal:
        return self.balance - self.held


class OpenDispute(Struct, frozen=True):
    invoice: str
    reason: str
    opened: date
    held: Decimal
    owner: str | None  # who works it, if not the account's collector
    reviewed: date  # the last conversation since it opened, else the day it opened


class Standing(Struct, frozen=True):
    id: str
    name: str
    currency: str
    owner: str | None
    collector: str | None  # the owner, or whoever it was escalated to
    contact: Contact | None
    call_zone: str | None  # the contact's time zone, else the customer's
    call_hours: str | None  # when to call them: 09:00-17:00, their time
    open_invoices: tuple[OpenInvoice, ...]  # oldest due date first
    disputes: tuple[OpenDispute, ...]
    installments: tuple[InstallmentStatus, ...]  # promised and not (yet) kept
    call_follow_up: FollowUp | None
    escalated_on: date | None
    escalated_to: str | None
    escalated_by: str | None
    escalation_reason: str | None
    last_contact: date | None  # last call, agreement or email
    last_call: date | None  # last call or agreement
    # No call or follow-up can fall due before this day (None: not until something changes).
    wake: date | None
    final_reminder: date | None = None  # the last level's reminder, sent and unanswered

    @property
    def people(self) -> tuple[str | None, ...]:
        """Who has a say in this account: its owner, who is responsible now (the owner,
        or whom it was escalated to), then whoever owns one of its disputes."""
        owners = sorted({d.owner for d in self.disputes if d.owner})
        return (self.owner, self.collector, *owners)

    @property
    def chased(self) -> list[OpenInvoice]:
        """Invoices with something owed that no dispute holds back."""
        return [i for i in self.open_invoices if i.chased > 0]


def standing(account: Account, config: Config) -> Standing:
    policy = config.policy
    contact = contact_to_call(account).contact
    still_open = open_invoices(account)
    invoices = tuple(
        OpenInvoice(
            i.number,
            i.due,
            i.balance,
            i.dispute.reason if i.dispute and in_dispute(i) else None,
            held(i),
        )
        for i in still_open
    )
    talks = [e.date for e in account.events if type(e) in _TALKS]
    disputes = tuple(
        OpenDispute(
            i.number,
            i.dispute.reason,
            i.dispute.opened,
            held(i),
            i.dispute.owner,
            max((day for day in talks if day >= i.dispute.opened), default=i.dispute.opened),
        )
        for i in still_open
        if i.dispute is not None and in_dispute(i)
    )
    unkept = tuple(s for s in installments(account, policy) if s.status != "kept")
    follow_up = call_follow_up(account, config)
    escalation = escalated(account)
    last = last_contact_event(account)
    calls = [e.date for e in account.events if type(e) in CONVERSATIONS]
    chased = [i.due for i in invoices if i.chased > 0]
    # The earliest day any rule of the call list or follow-ups could fire. A booked
    # follow-up still ahead keeps an overdue account off the list until it falls due,
    # so the first-call line counts only from the last booked date on.
    first_call = timedelta(days=max(policy.first_call_after_due, 1))
    escalate = timedelta(days=policy.escalate_days_past_due)
    booked = [s.deadline for s in unkept if not s.followed_up]
    booked += [follow_up.date] if follow_up else []
    candidates = [max([min(chased) + first_call, *booked])] if chased else []
    candidates += [min(chased) + escalate] if chased else []
    candidates += [s.deadline for s in unkept]
    candidates += booked
    if escalation and (invoices or disputes):  # on the manager's list the day it is escalated
        candidates.append(escalation.date)
    final_reminder = final_reminder_unanswered(account, config) if invoices else None
    if final_reminder is not None:
        candidates.append(final_reminder + timedelta(days=policy.reminder_followup))
    for dispute in disputes:  # reviewed, then escalated, while it stays open
        candidates.append(dispute.reviewed + timedelta(days=policy.dispute_review_days))
        candidates.append(dispute.opened + timedelta(days=policy.dispute_escalate_days))
    return Standing(
        id=account.id,
        name=account.customer.name,
        currency=account.customer.currency,
        owner=account.customer.owner,
        collector=responsible_collector(account),
        contact=contact,
        call_zone=(contact.timezone if contact else None) or account.customer.timezone,
        call_hours=(contact.hours if contact else None) or account.customer.hours,
        open_invoices=invoices,
        disputes=disputes,
        installments=unkept,
        call_follow_up=follow_up,
        escalated_on=escalation.date if escalation else None,
        escalated_to=escalation.to if escalation else None,
        escalated_by=escalation.collector if escalation else None,
        escalation_reason=escalation.reason if escalation else None,
        last_contact=last.date if last else None,
        last_call=max(calls, default=None),
        wake=min(candidates, default=None),
        final_reminder=final_reminder,
    )
