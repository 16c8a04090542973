"""Who an account belongs to, and whether it was escalated to the credit manager."""

from __future__ import annotations

from collectctl.domain.models import Account, Config, Escalation


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
