"""The ledger as read: the uncached loader, the cache that wraps it, the one entry point
(`read.read_ledger`) and whole-ledger checks."""
