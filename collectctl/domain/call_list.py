"""Today's call list: who should be called, in what order, and why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from collectctl.domain.followups import FollowUp
from collectctl.domain.invoices import ZERO, days_past_due
from collectctl.domain.models import Config
from collectctl.domain.reasons import Escalated, InDispute, PastDue, Reason
from collectctl.domain.schedule import standing_follow_ups
from collectctl.domain.standing import Standing


@dataclass(frozen=True)
class CallListEntry:
    account: Standing
    overdue: Decimal  # past due and not in dispute
    disputed: Decimal
    days_past_due: int
    reasons: tuple[Reason, ...]
    tier: int  # 0: broken promises and escalations; 1: follow-ups due; 2: overdue
    follow_ups: tuple[FollowUp, ...] = field(default=())

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

    reasons: list[Reason] = [f.reason for f in due_now if f.urgent]
    escalated_on = account.escalated_on
    if escalated_on and chased:
        reasons.append(Escalated(account.escalated_to, escalated_on))
    reasons += [f.reason for f in due_now if not f.urgent]
    oldest = max((days_past_due(i, today) for i in chased or overdue), default=0)
    if past_line:
        last_call = account.last_call
        first_due = min(i.due for i in past_line)
        reasons.append(PastDue(oldest, last_call is None or last_call < first_due))
    reasons += [InDispute(i.number, i.dispute) for i in disputed if i.dispute]

    urgent = any(f.urgent for f in due_now) or (escalated_on is not None and bool(chased))
    return CallListEntry(
        account=account,
        overdue=sum((i.balance for i in chased), ZERO),
        disputed=sum((i.balance for i in disputed), ZERO),
        days_past_due=oldest,
        reasons=tuple(reasons),
        tier=0 if urgent else 1 if due_now else 2,
        follow_ups=tuple(due_now),
    )


def rank(entries: list[CallListEntry]) -> list[CallListEntry]:
    """Broken promises and escalations first, then follow-ups due, then plain overdue;
    within each, the largest amount x days past due first; ties by customer id."""
    return sorted(entries, key=lambda e: (e.tier, -e.weight, e.account.id))


def call_list(
    standings: Iterable[Standing], config: Config, today: date, collector: str | None = None
) -> list[CallListEntry]:
    entries = []
    for account in standings:
        if collector is not None and collector not in (account.collector, account.owner):
            continue
        entry = call_list_entry(account, config, today)
        if entry is not None:
            entries.append(entry)
    return rank(entries)
