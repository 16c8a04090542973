"""Written reminders by level: which customer gets which reminder today, and why the
others get none.

An invoice reaches a level (policy.reminders) `after` days past due. A customer gets one
message a run, covering every overdue invoice not held back by a dispute, at the highest
level any of them has reached and not yet been reminded of; an invoice is never the
reason for the same level twice. What was sent is read back from the account's email
events (`purpose: reminder`, `level:`), so nothing is kept twice; a send that was
interrupted counts as sent (it may have been delivered).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from msgspec import Struct

from collectctl.domain.contacts import payables_contact
from collectctl.domain.invoices import days_past_due
from collectctl.domain.models import Account, Config, Contact, ReminderLevel
from collectctl.domain.money import format_money
from collectctl.domain.sent_reminders import PURPOSE, last_reminder, reminders_sent
from collectctl.domain.standing import OpenInvoice, Standing

__all__ = ["PURPOSE", "Reminder", "Skipped", "last_reminder", "plan_reminder", "reached"]


class Reminder(Struct, frozen=True):
    """A reminder due today: its level, the invoices it covers, to whom."""

    customer: str
    level: ReminderLevel
    invoices: tuple[OpenInvoice, ...]  # every overdue invoice still chased, oldest first
    currency: str
    to: Contact
    collector: str | None  # who it speaks for: the account's collector, who calls next

    @property
    def overdue(self) -> Decimal:
        return sum((i.chased for i in self.invoices), Decimal(0))


class Skipped(Struct, frozen=True):
    """An account with invoices overdue that gets no reminder today, and why."""

    customer: str
    code: str
    why: str


def reached(invoice: OpenInvoice, levels: tuple[ReminderLevel, ...], today: date) -> int:
    """The highest level this invoice has reached today (0: none yet)."""
    late = days_past_due(invoice, today)
    return max((level.level for level in levels if late >= level.after), default=0)


def plan_reminder(
    standing: Standing, account: Account, config: Config, today: date
) -> Reminder | Skipped | None:
    """Today's reminder for this account, why it gets none, or None when it has nothing
    a reminder could be about yet."""
    policy = config.policy
    levels = policy.reminders
    overdue = [i for i in standing.open_invoices if days_past_due(i, today) > 0]
    if not levels or not overdue:
        return None
    customer = account.id
    chased = [i for i in overdue if i.chased > 0]
    if not chased:
        return Skipped(customer, "disputed", "every overdue invoice is in dispute")
    sent: dict[str, int] = {}
    for email in reminders_sent(account):
        for number in email.invoices:
            sent[number] = max(sent.get(number, 0), email.level or 0)
    new = [i for i in chased if reached(i, levels, today) > sent.get(i.number, 0)]
    if not new:
        if not sent:
            return None  # not yet at the first level
        return Skipped(customer, "reminded", _reminded(account, chased, levels, today))
    why = _reason_to_wait(standing, account, config, today, chased)
    if why is not None:
        return Skipped(customer, *why)
    to = _recipient(account)
    if to is None:
        return Skipped(customer, "no-email", "no contact with an email address")
    level_number = max(reached(i, levels, today) for i in new)
    level = next(level for level in levels if level.level == level_number)
    speaker = standing.collector or standing.owner
    return Reminder(customer, level, tuple(chased), standing.currency, to, speaker)


def _reason_to_wait(
    standing: Standing, account: Account, config: Config, today: date, chased: list[OpenInvoice]
) -> tuple[str, str] | None:
    policy = config.policy
    if account.customer.no_reminders:
        return "no-reminders", "no_reminders: true in customer.yaml"
    if standing.escalated_on is not None and standing.escalated_on <= today:
        return "escalated", f"escalated to {standing.escalated_to} on {standing.escalated_on}"
    for status in (s.on(today) for s in standing.installments):
        if status.status == "pending":
            amount = format_money(status.amount, standing.currency)
            return "promise", f"promise of {amount} by {status.by} pending"
    follow_up = standing.call_follow_up
    if follow_up is not None and follow_up.kind == "check-in-mail" and follow_up.date > today:
        return "check-in-mail", f"a check is in the mail: waiting until {follow_up.date}"
    total = sum((i.chased for i in chased), Decimal(0))
    if total < policy.reminder_minimum:
        minimum = format_money(policy.reminder_minimum, standing.currency)
        return "below-minimum", f"{format_money(total, standing.currency)} overdue, under {minimum}"
    last = last_reminder(account)
    if last is not None and today < last.date + timedelta(days=policy.reminder_gap):
        again = last.date + timedelta(days=policy.reminder_gap)
        return "too-soon", f"reminded on {last.date}; not again before {again}"
    return None


def _reminded(
    account: Account, chased: list[OpenInvoice], levels: tuple[ReminderLevel, ...], today: date
) -> str:
    last = last_reminder(account)
    said = f"level {last.level} sent {last.date}" if last else "reminded"
    ahead = [
        (i.due + timedelta(days=level.after), level.level)
        for i in chased
        for level in levels
        if i.due + timedelta(days=level.after) > today
    ]
    if not ahead:
        return f"{said}; every level sent"
    when, number = min(ahead)
    return f"{said}; level {number} from {when}"


def _recipient(account: Account) -> Contact | None:
    """Who processes invoices, else the first contact with an email address."""
    found = payables_contact(account)
    if found is not None:
        return found
    return next((c for c in account.customer.active_contacts if c.email), None)
