"""The follow-ups an account has on a day: the one its last call booked, each promised
installment's check, and escalation once a policy line is crossed."""

from __future__ import annotations

from datetime import date, timedelta

from collectctl.domain.calendar import days_later, roll_forward
from collectctl.domain.followups import FollowUp
from collectctl.domain.invoices import days_past_due
from collectctl.domain.models import Account, Config
from collectctl.domain.promises import InstallmentStatus
from collectctl.domain.reasons import DisputeReview, EscalationDue, FinalReminderUnanswered
from collectctl.domain.standing import Standing, standing


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
        # checked on its check day; once broken, dated the day it broke, as it says
        when = (
            roll_forward(status.broken_on, config.policy) if status.is_broken else status.deadline
        )
        found.append(
            FollowUp(
                when,
                account.id,
                kind,
                status,
                account.collector,
                urgent=status.status != "pending",
                source=status.promise.file,
            )
        )
    for dispute in account.disputes:
        review = days_later(dispute.reviewed, config.policy.dispute_review_days, config.policy)
        found.append(
            FollowUp(
                review,
                account.id,
                "dispute-review",
                DisputeReview(dispute.invoice, dispute.reason, dispute.opened, dispute.held),
                dispute.owner or account.collector,
            )
        )
    if account.final_reminder is not None:
        found.append(
            FollowUp(
                days_later(account.final_reminder, config.policy.reminder_followup, config.policy),
                account.id,
                "final-reminder",
                FinalReminderUnanswered(account.final_reminder),
                account.collector,
            )
        )
    escalation = escalation_due(account, config, today, statuses)
    if escalation is not None:
        found.append(escalation)
    return sorted(found, key=lambda f: (f.date, f.kind, _order(f)))


def _order(follow_up: FollowUp) -> tuple:
    """Same-day follow-ups of one kind: installments in plan order, then by file."""
    reason = follow_up.reason
    if isinstance(reason, InstallmentStatus):
        return (reason.number, reason.promise.file)
    return (0, follow_up.source or "")


def escalation_due(
    account: Standing, config: Config, today: date, statuses: list[InstallmentStatus]
) -> FollowUp | None:
    """A follow-up to escalate, once the account crosses a policy line and has not been
    escalated since."""
    policy = config.policy
    chased = account.chased
    lines: list[date] = []
    days = broken_count = None
    if chased:
        oldest = chased[0]
        line = oldest.due + timedelta(days=policy.escalate_days_past_due)
        if today >= line:
            lines.append(line)
            days = days_past_due(oldest, today)
    broken = [s for s in statuses if s.is_broken]
    if chased and len(broken) >= policy.escalate_broken_promises:
        lines.append(broken[policy.escalate_broken_promises - 1].broken_on)
        broken_count = len(broken)
    dispute_days = dispute_invoice = None
    if account.disputes:
        oldest_dispute = min(account.disputes, key=lambda d: (d.opened, d.invoice))
        line = oldest_dispute.opened + timedelta(days=policy.dispute_escalate_days)
        if today >= line:
            lines.append(line)
            dispute_days = (today - oldest_dispute.opened).days
            dispute_invoice = oldest_dispute.invoice
    if not lines:
        return None
    since = min(lines)
    if account.escalated_on is not None and account.escalated_on >= since:
        return None
    return FollowUp(
        roll_forward(since, policy),
        account.id,
        "escalate",
        EscalationDue(days, broken_count, dispute_days, dispute_invoice),
        account.owner,
        urgent=True,
    )
