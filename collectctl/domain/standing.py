"""An account's standing: what the call list and follow-ups need of it, none of it
depending on the day, so it can be worked out once and kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from collectctl.domain.contacts import contact_to_call, last_contact_event
from collectctl.domain.escalation import escalated, responsible_collector
from collectctl.domain.followups import FollowUp, call_follow_up
from collectctl.domain.invoices import in_dispute, open_invoices
from collectctl.domain.models import Account, Call, Config, Contact, Promise
from collectctl.domain.promises import InstallmentStatus, installments


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    number: str
    due: date
    balance: Decimal
    dispute: str | None  # the reason, while a dispute is open


@dataclass(frozen=True, slots=True)
class Standing:
    id: str
    name: str
    currency: str
    owner: str | None
    collector: str | None  # the owner, or whoever it was escalated to
    contact: Contact | None
    open_invoices: tuple[OpenInvoice, ...]  # oldest due date first
    installments: tuple[InstallmentStatus, ...]  # promised and not (yet) kept
    call_follow_up: FollowUp | None
    escalated_on: date | None
    escalated_to: str | None
    last_contact: date | None  # last call, agreement or email
    last_call: date | None  # last call or agreement
    # No call or follow-up can fall due before this day (None: not until something changes).
    wake: date | None

    @property
    def chased(self) -> list[OpenInvoice]:
        return [i for i in self.open_invoices if i.dispute is None]


def standing(account: Account, config: Config) -> Standing:
    policy = config.policy
    invoices = tuple(
        OpenInvoice(
            i.number, i.due, i.balance, i.dispute.reason if i.dispute and in_dispute(i) else None
        )
        for i in open_invoices(account)
    )
    unkept = tuple(s for s in installments(account, policy) if s.status != "kept")
    follow_up = call_follow_up(account, config)
    escalation = escalated(account)
    last = last_contact_event(account)
    calls = [e.date for e in account.events if isinstance(e, Call | Promise)]
    chased = [i.due for i in invoices if i.dispute is None]
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
    return Standing(
        id=account.id,
        name=account.customer.name,
        currency=account.customer.currency,
        owner=account.customer.owner,
        collector=responsible_collector(account),
        contact=contact_to_call(account).contact,
        open_invoices=invoices,
        installments=unkept,
        call_follow_up=follow_up,
        escalated_on=escalation.date if escalation else None,
        escalated_to=escalation.to if escalation else None,
        last_contact=last.date if last else None,
        last_call=max(calls, default=None),
        wake=min(candidates, default=None),
    )
