"""The audit trail read back from git: one entry per commit, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from collectctl.audit.repository import Git

_FIELD, _RECORD = "\x1f", "\x1e"
_FORMAT = [
    "%H",
    "%aI",
    "%an",
    "%ae",
    "%s",
    "%(trailers:key=Collectctl-Action,valueonly,separator=%x2C)",
    "%(trailers:key=Customer,valueonly,separator=%x2C)",
]


@dataclass(frozen=True)
class HistoryEntry:
    date: str
    collector: str
    email: str
    action: str  # the Collectctl-Action trailer, or "hand edit"
    customer: str | None
    summary: str
    commit: str


def history(root: Path, pathspec: str = ".") -> list[HistoryEntry]:
    """The audit trail for a path in the ledger, newest first."""
    git = Git(root)
    if not git.has_commit():
        return []
    output = git.run("log", f"--format={_FIELD.join(_FORMAT)}{_RECORD}", "--", pathspec)
    entries = []
    for record in output.split(_RECORD):
        parts = record.strip("\n").split(_FIELD)
        if len(parts) != len(_FORMAT):
            continue
        commit, when, name, email, subject, action, customer = parts
        entries.append(
            HistoryEntry(
                date=when,
                collector=name,
                email=email,
                action=action.strip() or "hand edit",
                customer=customer.strip() or None,
                summary=subject,
                commit=commit,
            )
        )
    return entries
