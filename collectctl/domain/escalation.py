"""Who an account belongs to, and whether it was escalated to the credit manager."""

from __future__ import annotations

from collectctl.domain.models import Account, Config, Escalation


def latest_escalation(account: Account) -> Escalation | None:
    return next((e for e in reversed(account.events) if type(e) is Escalation), None)


def escalated(account: Account) -> Escalation | None:
    """The escalation in force: the latest, unless it handed the account back."""
    latest = latest_escalation(account)
    return None if latest is None or latest.returned else latest


def credit_manager(config: Config) -> str | None:
    return next((c.id for c in config.collectors if c.role == "credit-manager"), None)


def responsible_collector(account: Account) -> str | None:
    """The account's owner, or whoever it was escalated to."""
    latest = latest_escalation(account)
    if latest and latest.to:
        return latest.to
    return account.customer.owner
