"""Every change to a ledger, each one commit, all through `account_change.ledger_change`."""
