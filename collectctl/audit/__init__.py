"""git: the one place collectctl runs git — the repository, identities, the ledger-wide
lock and crash journal, one commit per change, and the history read back from it."""
