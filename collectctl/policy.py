"""Collection policy: pure functions of an account, the policy numbers and `today`.

Nothing here reads files or the clock. Promise status, follow-ups, aging and the call
list are all worked out from the ledger's records, never typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from collectctl.models import (
    Account,
    Call,
    Config,
    Contact,
    EmailSent,
    Escalation,
    Event,
    Invoice,
    Payment,
    Policy,
    Promise,
    fast_pickling,
)
from collectctl.money import format_amount
from collectctl.vocabulary import SPOKEN_OUTCOMES

ZERO = Decimal(0)

# --- business days ---------------------------------------------------------------------


def is_business_day(day: date, policy: Policy) -> bool:
    return day.weekday() < 5 and day not in policy.holidays


def roll_forward(day: date, policy: Policy) -> date:
    """The day itself if it is a business day, else the next one."""
    while not is_business_day(day, policy):
        day += timedelta(days=1)
    return day


def next_business_day(day: date, policy: Policy) -> date:
    """The first business day strictly after `day`."""
    return roll_forward(day + timedelta(days=1), policy)


def days_later(day: date, days: int, policy: Policy) -> date:
    """`days` calendar days on, moved off weekends and holidays."""
    return roll_forward(day + timedelta(days=days), policy)


# --- invoices and money ----------------------------------------------------------------


def is_open(invoice: Invoice) -> bool:
    return invoice.status == "open" and invoice.balance > 0


def in_dispute(invoice: Invoice) -> bool:
    return invoice.dispute is not None and invoice.dispute.resolved is None


def days_past_due(invoice: Invoice | OpenInvoice, today: date) -> int:
    return (today - invoice.due).days


def open_invoices(account: Account) -> list[Invoice]:
    """Open invoices, oldest due date first: the order payments and promises apply in."""
    return sorted(
        (i for i in account.invoices if is_open(i)), key=lambda i: (i.due, i.issued, i.number)
    )


AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def aging(account: Account, today: date) -> dict[str, Decimal]:
    buckets = dict.fromkeys(AGING_BUCKETS, ZERO)
    for invoice in open_invoices(account):
        late = days_past_due(invoice, today)
        if late <= 0:
            bucket = "current"
        elif late <= 30:
            bucket = "1-30"
        elif late <= 60:
            bucket = "31-60"
        elif late <= 90:
            bucket = "61-90"
        else:
            bucket = "90+"
        buckets[bucket] += invoice.balance
    return buckets


@dataclass(frozen=True)
class Receipt:
    date: date
    amount: Decimal
    reference: str | None


def receipts(account: Account) -> list[Receipt]:
    """Money received: payment events, plus payments applied on invoices that no event
    records (entered by hand or imported from the accounting system)."""
    found = [
        Receipt(e.date, e.amount, e.reference) for e in account.events if isinstance(e, Payment)
    ]
    recorded = {(r.date, r.reference) for r in found}
    for invoice in account.invoices:
        for payment in invoice.payments:
            if (payment.date, payment.reference) not in recorded:
                found.append(Receipt(payment.date, payment.amount, payment.reference))
                recorded.add((payment.date, payment.reference))
    return sorted(found, key=lambda r: r.date)


def unapplied_credit(account: Account) -> Decimal:
    return sum((e.unapplied for e in account.events if isinstance(e, Payment)), ZERO)


def average_days_to_pay(account: Account) -> Decimal | None:
    """Average days from issue to the payment that settled each paid invoice."""
    spans = [
        (max(p.date for p in invoice.payments) - invoice.issued).days
        for invoice in account.invoices
        if invoice.status == "paid" and invoice.payments
    ]
    if not spans:
        return None
    return (Decimal(sum(spans)) / len(spans)).quantize(Decimal("0.1"))


# --- promises --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InstallmentStatus:
    promise: Promise
    number: int  # 1-based position in the plan
    count: int
    by: date
    amount: Decimal
    paid: Decimal  # toward this installment, by its deadline (or so far)
    deadline: date  # the check day, by + grace on a business day: paid by then is kept
    status: str  # kept, or "open" until on(today) says pending | partial | broken
    followed_up: bool = False  # a call or agreement on or after the check day took over

    def on(self, today: date) -> InstallmentStatus:
        if self.status != "open":
            return self
        late = "partial" if self.paid > 0 else "broken"
        return replace(self, status="pending" if today <= self.deadline else late)

    @property
    def broken_on(self) -> date:
        return self.deadline + timedelta(days=1)

    def describe(self, currency: str) -> str:
        amount = format_amount(self.amount, currency)
        what = f"promise of {amount}"
        if self.count > 1:
            what = f"installment {self.number} of {self.count}: {amount}"
        if self.status == "broken":
            return f"{what} broken on {self.broken_on}"
        if self.status == "partial":
            paid = format_amount(self.paid, currency)
            return f"{what} only {paid} paid, broken on {self.broken_on}"
        if self.status == "kept":
            return f"{what} kept"
        return f"{what} due {self.by}"


def check_day(by: date, policy: Policy) -> date:
    """When a promise is checked: its date plus the grace, moved to a business day.
    Paid by the end of that day, it is kept."""
    return roll_forward(by + timedelta(days=policy.promise_grace), policy)


def installment_statuses(account: Account, policy: Policy, today: date) -> list[InstallmentStatus]:
    """Every promised installment with its status, worked out from money received
    from the day the promise was made."""
    return [status.on(today) for status in installments(account, policy)]


def installments(account: Account, policy: Policy) -> list[InstallmentStatus]:
    """Every promised installment, kept or still open: what does not depend on the day."""
    money = receipts(account)
    events = account.events
    result = []
    for index, promise in enumerate(events):
        if not isinstance(promise, Promise):
            continue
        required = ZERO
        count = len(promise.installments)
        for number, part in enumerate(promise.installments, 1):
            # paid by the check day counts: the date plus grace, moved off weekends and holidays
            deadline = check_day(part.by, policy)
            paid_by_deadline = sum(
                (r.amount for r in money if promise.date <= r.date <= deadline), ZERO
            )
            toward = min(max(paid_by_deadline - required, ZERO), part.amount)
            required += part.amount
            followed_up = any(
                isinstance(e, Call | Promise) and e.date >= deadline for e in events[index + 1 :]
            )
            result.append(
                InstallmentStatus(
                    promise,
                    number,
                    count,
                    part.by,
                    part.amount,
                    toward,
                    deadline,
                    "kept" if toward >= part.amount else "open",
                    followed_up,
                )
            )
    return result


# --- contacts --------------------------------------------------------------------------


def last_contact_event(account: Account) -> Event | None:
    """The last call, agreement or email: when the customer last heard from us."""
    return next(
        (e for e in reversed(account.events) if isinstance(e, Call | Promise | EmailSent)), None
    )


def last_person_spoken_to(account: Account) -> str | None:
    for event in reversed(account.events):
        if isinstance(event, Call) and event.contact and event.outcome in SPOKEN_OUTCOMES:
            return event.contact
    return None


def contact_to_call(account: Account) -> tuple[Contact | None, str]:
    """Whom to ask for, and why: the person who authorizes payments; else the last
    person spoken to; else the primary (first) contact."""
    contacts = account.customer.contacts
    approver = next((c for c in contacts if c.authorizes_payment), None)
    if approver:
        return approver, "authorizes payments"
    last = last_person_spoken_to(account)
    if last and (contact := account.customer.find_contact(last)):
        return contact, "spoken to last time"
    if contacts:
        return contacts[0], "primary contact"
    return None, "no contact on file"


def email_words(event: EmailSent) -> str:
    """How the brief and the call list speak of a sent email."""
    to = ", ".join(event.to)
    if event.purpose == "invoice-copy":
        return f"invoice copy of {', '.join(event.invoices)} emailed {event.date} to {to}"
    if event.purpose == "promise-confirmation":
        return f"promise confirmation emailed {event.date} to {to}"
    return f"emailed {event.date} to {to}: {event.subject}"


# --- follow-ups ------------------------------------------------------------------------

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


@dataclass(frozen=True)
class FollowUp:
    date: date
    customer: str
    kind: str
    detail: str
    collector: str | None
    urgent: bool = False  # a broken promise or an escalation: top of the list
    source: str | None = None  # the event file that booked it


def _call_detail(call: Call, kind: str) -> str:
    if kind == "check-in-mail" and call.check:
        return f"check #{call.check.number} mailed {call.check.mailed} not received"
    if kind == "callback":
        return f"callback after hostile call on {call.date}"
    if kind == "invoice-copy":
        numbers = ", ".join(call.invoices) or "the invoice"
        return f"confirm the copy of {numbers} arrived (not received, {call.date})"
    if kind == "retry":
        return f"{call.outcome} on {call.date}: try again"
    who = f" {call.contact}" if call.contact else ""
    return f"call again: {call.outcome}{who} on {call.date}"


def _call_follow_up(account: Account, config: Config) -> FollowUp | None:
    """The follow-up the last conversation booked, unless something closed it: only the
    latest call or agreement counts, since each one takes over from the ones before."""
    events = account.events
    last = next(
        (i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], Call | Promise)),
        None,
    )
    if last is None or not isinstance(events[last], Call):
        return None
    call = events[last]
    booked = booked_follow_up(
        call.outcome, call.date, config.policy, call.check.mailed if call.check else None
    )
    if booked is None or not any(is_open(i) for i in account.invoices):
        return None
    kind = booked[1]
    arrived = call.check and any(r.reference == call.check.number for r in receipts(account))
    if kind == "check-in-mail" and arrived:
        return None
    detail = _call_detail(call, kind)
    if kind == "invoice-copy":
        sent = [e for e in events[last + 1 :] if isinstance(e, EmailSent) and e.purpose == kind]
        if sent:
            detail = f"{email_words(sent[-1])}: confirm it arrived"
    when = call.follow_up or booked[0]
    return FollowUp(
        when, account.id, kind, detail, responsible_collector(account), source=call.file
    )


def follow_ups(account: Account, config: Config, today: date) -> list[FollowUp]:
    """Every open follow-up of an account, whatever its date."""
    return standing_follow_ups(standing(account, config), config, today)


def standing_follow_ups(account: Standing, config: Config, today: date) -> list[FollowUp]:
    found: list[FollowUp] = []
    if account.call_follow_up is not None:
        found.append(account.call_follow_up)
    statuses = [status.on(today) for status in account.installments]
    for status in statuses:
        if status.followed_up:
            continue
        kind = "installment" if status.count > 1 else "promise-check"
        found.append(
            FollowUp(
                status.deadline,
                account.id,
                kind,
                status.describe(account.currency),
                account.collector,
                urgent=status.status != "pending",
                source=status.promise.file,
            )
        )
    escalation = escalation_due(account, config, today, statuses)
    if escalation is not None:
        found.append(escalation)
    return sorted(found, key=lambda f: (f.date, f.kind, f.detail))


# --- escalation ------------------------------------------------------------------------


def escalated(account: Account) -> Escalation | None:
    return next((e for e in reversed(account.events) if isinstance(e, Escalation)), None)


def credit_manager(config: Config) -> str | None:
    return next((c.id for c in config.collectors if c.role == "credit-manager"), None)


def responsible_collector(account: Account) -> str | None:
    """The account's owner, or whoever it was escalated to."""
    escalation = escalated(account)
    if escalation and escalation.to:
        return escalation.to
    return account.customer.owner


def escalation_due(
    account: Standing, config: Config, today: date, statuses: list[InstallmentStatus]
) -> FollowUp | None:
    """A follow-up to escalate, once the account crosses a policy line and has not been
    escalated since."""
    policy = config.policy
    chased = account.chased
    reasons: list[tuple[date, str]] = []
    if chased:
        oldest = chased[0]
        line = oldest.due + timedelta(days=policy.escalate_days_past_due)
        if today >= line:
            reasons.append((line, f"{days_past_due(oldest, today)} days past due"))
    broken = [s for s in statuses if s.status in ("broken", "partial")]
    if chased and len(broken) >= policy.escalate_broken_promises:
        line = broken[policy.escalate_broken_promises - 1].broken_on
        reasons.append((line, f"{len(broken)} broken promises"))
    if not reasons:
        return None
    since = min(day for day, _ in reasons)
    if account.escalated_on is not None and account.escalated_on >= since:
        return None
    detail = "escalate to the credit manager: " + ", ".join(text for _, text in reasons)
    return FollowUp(
        roll_forward(since, policy), account.id, "escalate", detail, account.owner, urgent=True
    )


# --- an account's standing -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    number: str
    due: date
    balance: Decimal
    dispute: str | None  # the reason, while a dispute is open


@dataclass(frozen=True, slots=True)
class Standing:
    """What the call list and follow-ups need of an account, none of it depending on the
    day: small enough to cache for every account and read back fast."""

    id: str
    name: str
    currency: str
    owner: str | None
    collector: str | None  # the owner, or whoever it was escalated to
    contact: Contact | None
    contact_reason: str
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
        OpenInvoice(i.number, i.due, i.balance, i.dispute.reason if in_dispute(i) else None)
        for i in open_invoices(account)
    )
    unkept = tuple(s for s in installments(account, policy) if s.status != "kept")
    call_follow_up = _call_follow_up(account, config)
    escalation = escalated(account)
    contact, why = contact_to_call(account)
    last = last_contact_event(account)
    calls = [e.date for e in account.events if isinstance(e, Call | Promise)]
    chased = [i.due for i in invoices if i.dispute is None]
    # The earliest day any rule of the call list or follow-ups could fire. A booked
    # follow-up still ahead keeps an overdue account off the list until it falls due,
    # so the first-call line counts only from the last booked date on.
    first_call = timedelta(days=max(policy.first_call_after_due, 1))
    escalate = timedelta(days=policy.escalate_days_past_due)
    booked = [s.deadline for s in unkept if not s.followed_up]
    booked += [call_follow_up.date] if call_follow_up else []
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
        contact=contact,
        contact_reason=why,
        open_invoices=invoices,
        installments=unkept,
        call_follow_up=call_follow_up,
        escalated_on=escalation.date if escalation else None,
        escalated_to=escalation.to if escalation else None,
        last_contact=last.date if last else None,
        last_call=max(calls, default=None),
        wake=min(candidates, default=None),
    )


# --- the call list ---------------------------------------------------------------------


@dataclass(frozen=True)
class CallListEntry:
    account: Standing
    overdue: Decimal  # past due and not in dispute
    disputed: Decimal
    days_past_due: int
    reasons: list[str]
    tier: int  # 0: broken promises and escalations; 1: follow-ups due; 2: overdue
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def weight(self) -> Decimal:
        """Amount x age: the money at stake, weighted by how stale it is."""
        return self.overdue * max(self.days_past_due, 1)


def call_list_entry(account: Standing, config: Config, today: date) -> CallListEntry | None:
    """Why this account should be called today, or None when it should not."""
    if account.wake is None or today < account.wake:
        return None
    policy = config.policy
    overdue = [i for i in account.open_invoices if days_past_due(i, today) > 0]
    chased = [i for i in overdue if i.dispute is None]
    disputed = [i for i in overdue if i.dispute is not None]
    past_line = [i for i in chased if days_past_due(i, today) >= policy.first_call_after_due]
    open_follow_ups = standing_follow_ups(account, config, today)
    due_now = [f for f in open_follow_ups if f.date <= today]
    waiting = any(f.date > today for f in open_follow_ups)
    if not due_now and (waiting or not past_line):
        return None

    reasons = [f.detail for f in due_now if f.urgent]
    escalated_on = account.escalated_on
    if escalated_on and chased:
        who = _collector_name(config, account.escalated_to)
        reasons.append(f"escalated to {who} on {escalated_on}")
    reasons += [f.detail for f in due_now if not f.urgent]
    oldest = max((days_past_due(i, today) for i in chased or overdue), default=0)
    if past_line:
        last_call = account.last_call
        first_due = min(i.due for i in past_line)
        first = " — first call" if last_call is None or last_call < first_due else ""
        reasons.append(f"{oldest} days past due{first}")
    for invoice in disputed:
        reasons.append(f"{invoice.number} in dispute ({invoice.dispute})")

    urgent = any(f.urgent for f in due_now) or (escalated_on is not None and bool(chased))
    return CallListEntry(
        account=account,
        overdue=sum((i.balance for i in chased), ZERO),
        disputed=sum((i.balance for i in disputed), ZERO),
        days_past_due=oldest,
        reasons=reasons,
        tier=0 if urgent else 1 if due_now else 2,
        follow_ups=due_now,
    )


def _collector_name(config: Config, who: str | None) -> str:
    collector = config.find_collector(who) if who else None
    return collector.name if collector else (who or "the credit manager")


def rank(entries: list[CallListEntry]) -> list[CallListEntry]:
    """Broken promises and escalations first, then follow-ups due, then plain overdue;
    within each, the largest amount x days past due first; ties by customer id."""
    return sorted(entries, key=lambda e: (e.tier, -e.weight, e.account.id))


def call_list(standings, config: Config, today: date, collector: str | None = None):
    entries = []
    for account in standings:
        if collector is not None and collector not in (account.collector, account.owner):
            continue
        entry = call_list_entry(account, config, today)
        if entry is not None:
            entries.append(entry)
    return rank(entries)


fast_pickling(globals())
