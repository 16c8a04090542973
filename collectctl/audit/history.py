"""The audit trail read back from git: one entry per commit, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from collectctl.audit.repository import Git
from collectctl.errors import CollectctlError, UsageError

_FIELD, _RECORD = "\x1f", "\x1e"
_FORMAT = [
    "%H",
    "%P",
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
    action: str  # the Collectctl-Action trailer, else "merge" or "hand edit"
    customer: str | None
    summary: str
    commit: str


def history(root: Path, pathspec: str = ".", commits: str | None = None) -> list[HistoryEntry]:
    """The audit trail for a path in the ledger, newest first; with `commits`, only that
    range (`main..topic`, `A...B`). Merges that brought changes in are listed as merges."""
    git = Git(root)
    if git.prefix is None:
        raise CollectctlError(f"{root} is not in a git repository: it has no history")
    if not git.has_commit():
        return []
    if commits is not None and (
        commits.startswith("-") or git.read("rev-parse", commits, "--") is None
    ):
        raise UsageError(f"{commits!r} is not a range of commits git knows (write A..B or A...B)")
    output = git.run(
        "log",
        "--full-history",  # a --no-ff merge is TREESAME to its branch: keep it anyway
        "--topo-order",  # each merge, then what it brought in, then the line it joined
        f"--format={_FIELD.join(_FORMAT)}{_RECORD}",
        *([commits] if commits else []),
        "--",
        pathspec,
    )
    entries = []
    for record in output.split(_RECORD):
        parts = record.strip("\n").split(_FIELD)
        if len(parts) != len(_FORMAT):
            continue
        commit, parents, when, name, email, subject, action, customer = parts
        merge = len(parents.split()) > 1
        entries.append(
            HistoryEntry(
                date=when,
                collector=name,
                email=email,
                action=action.strip() or ("merge" if merge else "hand edit"),
                customer=customer.strip() or None,
                summary=subject,
                commit=commit,
            )
        )
    return entries
