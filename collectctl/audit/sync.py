"""sync: bring a collector's branch level with the team's — fetch, rebase (or merge),
push — in plain words, never forcing anything. A real conflict stops it with the
repository put back exactly as it was, and the files both sides changed named."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from collectctl.audit.hooks import set_up_clone
from collectctl.audit.repository import Git
from collectctl.audit.sparse import follow_hand_overs
from collectctl.errors import ConflictError


@dataclass(frozen=True)
class Synced:
    upstream: str
    pulled: int  # commits brought in
    pushed: int  # commits sent
    held: int | None = None  # accounts a sparse clone holds now (None: it holds all)


def sync(root: Path, merge: bool, executable: str) -> Synced:
    """`executable`: this collectctl, set up as the clone's merge driver first."""
    git = Git(root)
    busy = git.operation_in_progress()
    if busy:
        raise ConflictError(f"nothing synced: {busy}")
    if git.read("status", "--porcelain", "--untracked-files=no") not in ("", None):
        raise ConflictError("nothing synced: there are uncommitted changes; commit or discard them")
    branch = (git.read("symbolic-ref", "-q", "--short", "HEAD") or "").strip()
    upstream = (
        git.read("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}") or ""
    ).strip()
    if not upstream:
        raise ConflictError(
            f"nothing synced: {branch} has no upstream; push it once with "
            f"'git push -u origin {branch}'"
        )
    remote = (git.read("config", "--get", f"branch.{branch}.remote") or "origin").strip()
    target = (git.read("config", "--get", f"branch.{branch}.merge") or "").strip()
    set_up_clone(root, executable)  # contacts and invoices merge by name, number
    git.run("fetch", "--quiet", remote)
    pulled = _count(git, "HEAD..@{upstream}")
    if pulled:
        _bring_in(git, merge)
    held = follow_hand_overs(root)  # a sparse clone follows accounts that changed hands
    pushed = _count(git, "@{upstream}..HEAD")
    if pushed:
        try:
            git.run("push", "--quiet", remote, f"HEAD:{target or branch}")
        except ConflictError:
            raise ConflictError(
                f"synced with {upstream}, but the push was refused (someone pushed meanwhile?); "
                "run sync again"
            ) from None
    return Synced(upstream, pulled, pushed, held)


def _count(git: Git, commits: str) -> int:
    return int((git.read("rev-list", "--count", commits) or "0").strip())


def _bring_in(git: Git, merge: bool) -> None:
    """Rebase onto (or merge) the upstream; on a conflict, abort and say what clashed."""
    before = git.run("rev-parse", "HEAD").strip()
    verb = "merge" if merge else "rebase"
    try:
        if merge:
            git.run("merge", "--no-edit", "--quiet", "@{upstream}")
        else:
            git.run("rebase", "--quiet", "@{upstream}")
    except ConflictError:
        clashes = sorted(
            {
                path
                for path in (git.read("diff", "--name-only", "--diff-filter=U") or "").split("\n")
                if path
            }
        )
        git.read(verb, "--abort")
        after = (git.read("rev-parse", "HEAD") or "").strip()
        if after != before:  # an abort should already have put it back
            git.run("reset", "--quiet", "--keep", before)
        files = ", ".join(clashes) or "the same lines"
        raise ConflictError(
            f"nothing synced: you and a teammate both changed {files}; your work is as it "
            f"was. Resolve it with 'git pull --{verb}' (or ask someone who knows git), "
            "then sync again"
        ) from None
