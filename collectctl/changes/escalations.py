"""escalate: hand an account to the credit manager (or another collector), or back."""

from __future__ import annotations

from collectctl.audit.identity import Identity
from collectctl.changes.account_change import Clock, Outcome, account_change
from collectctl.domain.escalation import credit_manager, escalated
from collectctl.domain.inputs import collector_option
from collectctl.errors import CollectctlError, UsageError
from collectctl.ledger.accounts import Ledger


def escalate(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    clock: Clock,
    *,
    to: str | None,
    reason: str | None,
) -> Outcome:
    config = ledger.config
    if not reason:
        raise UsageError("--reason is required: say why it needs the credit manager")
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


def hand_back(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    clock: Clock,
    *,
    to: str | None,
    reason: str | None,
) -> Outcome:
    """The escalation is over: the account goes back to `to`, or to its owner."""
    config = ledger.config
    back_to = collector_option(config, to, "--back-to") if to is not None else None
    with account_change(ledger, identity, customer_id, clock) as edit:
        account = edit.account
        if escalated(account) is None:
            raise CollectctlError(f"{customer_id} is not escalated")
        who = back_to or account.customer.owner
        edit.write_event("escalation", {"to": back_to, "reason": reason, "returned": True})
        words = f"back to {who}" if who else "escalation resolved"
        edit.describe(
            f"escalate {customer_id}: {words}" + (f": {reason}" if reason else ""), "escalate"
        )
    shown = f"{customer_id} is back on {who}'s call list" if who else f"{customer_id} is unassigned"
    return edit.outcome((shown,))
