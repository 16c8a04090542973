"""Today's call list: who should be called, in what order, and why."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from msgspec import Struct, field
from msgspec.structs import replace

from collectctl.domain.escalation import credit_manager
from collectctl.domain.followups import FollowUp
from collectctl.domain.invoices import ZERO, days_past_due
from collectctl.domain.models import Config
from collectctl.domain.reasons import (
    DisputeReview,
    Escalated,
    EscalationDue,
    InDispute,
    PastDue,
    Reason,
    Unassigned,
)
from collectctl.domain.schedule import standing_follow_ups
from collectctl.domain.standing import Standing

# Follow-ups ahead that do not hold off the chase: a dispute's review (the undisputed part
# is still owed) and the call after an unanswered final reminder (it only ranks sooner).
NOT_WAITING = ("dispute-review", "final-reminder")


class CallListEntry(Struct, frozen=True):
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
    chased = [i for i in overdue if i.chased > 0]
    disputed = [i for i in overdue if i.held > 0]
    past_line = [i for i in chased if days_past_due(i, today) >= policy.first_call_after_due]
    open_follow_ups = standing_follow_ups(account, config, today)
    due_now = [f for f in open_follow_ups if f.date <= today]
    # a conversation's follow-up or a promise still ahead holds the chase off; a dispute's
    # review ahead does not hold off the undisputed part
    waiting = any(f.date > today and f.kind not in NOT_WAITING for f in open_follow_ups)
    escalated_on = account.escalated_on
    if escalated_on is not None and escalated_on > today:
        escalated_on = None  # (a standing holds no day; an escalation never lies ahead)
    owed = bool(chased) or bool(account.disputes)
    # escalated and nobody has called since: whoever took it starts today
    fresh = (
        escalated_on is not None and owed and (account.last_call or escalated_on) <= escalated_on
    )
    if not due_now and not fresh and (waiting or not past_line):
        return None

    reasons: list[Reason] = [f.reason for f in due_now if f.urgent]
    if escalated_on and owed:
        reasons.append(
            Escalated(
                account.escalated_to, escalated_on, account.escalated_by, account.escalation_reason
            )
        )
    reasons += [f.reason for f in due_now if not f.urgent]
    oldest = max((days_past_due(i, today) for i in chased or overdue), default=0)
    if past_line:
        last_call = account.last_call
        first_due = min(i.due for i in past_line)
        reasons.append(PastDue(oldest, last_call is None or last_call < first_due))
    reviewed = {f.reason.invoice for f in due_now if isinstance(f.reason, DisputeReview)}
    reasons += [
        InDispute(i.number, i.dispute) for i in disputed if i.dispute and i.number not in reviewed
    ]

    urgent = any(f.urgent for f in due_now) or (escalated_on is not None and owed)
    return CallListEntry(
        account=account,
        overdue=sum((i.chased for i in chased), ZERO),
        disputed=sum((i.held for i in disputed), ZERO),
        days_past_due=oldest,
        reasons=tuple(reasons),
        tier=0 if urgent else 1 if due_now else 2,
        follow_ups=tuple(due_now),
    )


def rank(entries: list[CallListEntry], config: Config | None = None) -> list[CallListEntry]:
    """Broken promises and escalations first, then follow-ups due, then plain overdue;
    within each, the largest amount x days past due first (in the ledger's currency,
    through `rates:`); a currency without a rate is ranked apart, after; ties by id."""

    def key(entry: CallListEntry) -> tuple[int, str, Decimal, str]:
        currency = entry.account.currency
        rate = config.rate(currency) if config else Decimal(1)
        apart = "" if rate is not None else currency
        return (entry.tier, apart, -entry.weight * (rate or 1), entry.account.id)

    return sorted(entries, key=key)


def whose_accounts(config: Config, collector: str | None) -> str | None:
    """Whose accounts alone can be on this collector's list: theirs (and the unowned),
    or anyone's (None) for everyone's list and for the credit manager, who also sees
    every account the policy says to escalate."""
    return None if collector == credit_manager(config) else collector


def call_list(
    standings: Iterable[Standing], config: Config, today: date, collector: str | None = None
) -> list[CallListEntry]:
    """Everyone's list, or one collector's: the accounts they own or were handed, and
    for the credit manager also every account the policy says to escalate."""
    manager = credit_manager(config)
    entries = []
    for account in standings:
        unowned = account.collector is None and account.owner is None
        mine = collector is None or unowned or collector in (account.collector, account.owner)
        if not mine and collector != manager:
            continue
        entry = call_list_entry(account, config, today)
        if entry is None:
            continue
        if unowned and collector is not None:  # shown to everyone, marked, until taken
            entry = replace(entry, reasons=(*entry.reasons, Unassigned()))
        if mine or any(isinstance(r, EscalationDue) for r in entry.reasons):
            entries.append(entry)
    return rank(entries, config)
