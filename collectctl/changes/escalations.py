"""escalate: hand an account to the credit manager (or another collector)."""

from __future__ import annotations

from collectctl.audit.identity import Identity
from collectctl.changes.account_change import Clock, Outcome, account_change
from collectctl.domain.escalation import credit_manager
from collectctl.domain.inputs import collector_option
from collectctl.errors import UsageError
from collectctl.ledger.accounts import Ledger


def escalate(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    clock: Clock,
    *,
    to: str | None,
    reason: str,
) -> Outcome:
    config = ledger.config
    if to is not None:
        to = collector_option(config, to, "--to")
    else:
        to = credit_manager(config)
        if to is None:
            raise UsageError("no collector has role credit-manager in collectctl.yaml; pass --to")
    with account_change(ledger, identity, customer_id, clock) as edit:
        edit.write_event("escalation", {"to": to, "reason": reason})
        edit.describe(f"escalate {customer_id}: to {to}: {reason}", "escalate")
    return edit.outcome((f"{customer_id} now shows on {to}'s call list",))
