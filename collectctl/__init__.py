"""collectctl: accounts-receivable collections over a plain-YAML ledger in git."""

__version__ = "0.1.0"
