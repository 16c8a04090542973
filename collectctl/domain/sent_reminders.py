"""What an account's email events say about the written reminders it was sent (read back
from `purpose: reminder` events: nothing about them is kept anywhere else)."""

from __future__ import annotations

from datetime import date

from collectctl.domain.models import Account, Config, EmailSent

PURPOSE = "reminder"


def reminders_sent(account: Account) -> list[EmailSent]:
    """Every reminder sent, oldest first; an interrupted send counts (it may have gone)."""
    return [e for e in account.events if type(e) is EmailSent and e.purpose == PURPOSE]


def last_reminder(account: Account) -> EmailSent | None:
    sent = reminders_sent(account)
    return sent[-1] if sent else None


def final_reminder_unanswered(account: Account, config: Config) -> date | None:
    """The day the last level's reminder went out, when nothing has come back since: no
    payment, call or promise (then the collector calls)."""
    levels = config.policy.reminders
    last = last_reminder(account)
    if not levels or last is None or (last.level or 0) < levels[-1].level:
        return None
    answered = any(
        e.date >= last.date and e.kind in ("payment", "call", "promise") for e in account.events
    )
    return None if answered else last.date
