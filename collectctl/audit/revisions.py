"""Ranges of commits and the ledger's files as they were in them: what `review` reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from collectctl.audit.repository import Git
from collectctl.errors import UsageError


@dataclass(frozen=True)
class Span:
    """A range as a person wrote it, and the two commits its changes lie between."""

    text: str
    base: str  # full commit ids
    tip: str
    commits: int  # commits in the range, merges included
    tip_is_head: bool  # the work tree is the tip: check can read it


def span(root: Path, text: str | None) -> Span:
    """`A..B` (changes from A to B), `A...B` (since they parted), or by default the
    current branch against its upstream, else against main."""
    git = Git(root)
    if text is None:
        text = _default_range(git)
    if ".." not in text or text.startswith("-"):
        raise UsageError(f"{text!r} is not a range (write A..B or A...B)")
    symmetric = "..." in text
    left, right = text.split("..." if symmetric else "..", 1)
    left, right = left or "HEAD", right or "HEAD"
    tip = _commit(git, right, text)
    base = _commit(git, left, text)
    if symmetric:
        found = git.read("merge-base", base, tip)
        if found is None:
            raise UsageError(f"{text!r}: the two sides share no history")
        base = found.strip()
    count = git.read("rev-list", "--count", f"{base}..{tip}") or "0"
    head = git.read("rev-parse", "--verify", "-q", "HEAD")
    return Span(text, base, tip, int(count), head is not None and head.strip() == tip)


def _commit(git: Git, name: str, text: str) -> str:
    found = git.read("rev-parse", "--verify", "-q", f"{name}^{{commit}}")
    if found is None:
        raise UsageError(f"{text!r}: git knows no commit {name!r}")
    return found.strip()


def _default_range(git: Git) -> str:
    if git.read("rev-parse", "--verify", "-q", "@{upstream}") is not None:
        return "@{upstream}...HEAD"
    branch = (git.read("symbolic-ref", "-q", "--short", "HEAD") or "").strip()
    for main in ("main", "master"):
        if branch != main and git.read("rev-parse", "--verify", "-q", main) is not None:
            return f"{main}...HEAD"
    raise UsageError("no upstream and no main branch to compare with: give a range (A..B)")


def changed_files(root: Path, between: Span) -> list[tuple[str, str]]:
    """(status, path) of each ledger file the range changed: A added, M modified, D
    deleted; paths relative to the ledger, as they are at the tip."""
    listing = Git(root).run(
        "diff", "--name-status", "-z", "--no-renames", "--relative", between.base, between.tip,
        "--", ".",
    )  # fmt: skip
    parts = [part for part in listing.split("\0") if part]
    return [(parts[i][0], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]


def text_at(root: Path, commit: str, path: str) -> str | None:
    """A ledger file's text at a commit; None where it did not exist."""
    return Git(root).read("show", f"{commit}:./{path}")


def short_diff(root: Path, between: Span, path: str) -> list[str]:
    """The lines a range removed (-) and added (+) in a file, without context."""
    diff = Git(root).run("diff", "-U0", "--no-color", between.base, between.tip, "--", path)
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
