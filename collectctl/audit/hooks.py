"""A plain git pre-commit hook that runs `collectctl check`, for teams without pre-commit."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from collectctl.audit.repository import Git
from collectctl.errors import ConflictError

MARK = "installed by collectctl init --hooks"


def install_pre_commit_hook(root: Path, executable: str) -> Path:
    """Write the hook where git looks for it (core.hooksPath respected); a hook someone
    else wrote is never overwritten. Returns its path."""
    git = Git(root)
    found = git.read("rev-parse", "--git-path", "hooks/pre-commit")
    if found is None:
        raise ConflictError(f"{root} is not in a git repository")
    path = root / found.strip()
    if path.exists() and MARK not in path.read_text(errors="replace"):
        raise ConflictError(
            f"{path} already holds a pre-commit hook; add 'collectctl check' to it yourself"
        )
    ledger = (git.prefix or "").rstrip("/") or "."
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "#!/bin/sh\n"
        f"# {MARK}: refuse a commit that `collectctl check` would reject.\n"
        f"collectctl={shlex.quote(executable)}\n"
        '[ -x "$collectctl" ] || collectctl=collectctl\n'
        f'exec "$collectctl" -L {shlex.quote(ledger)} check\n'
    )
    os.chmod(path, 0o755)
    return path


# --- the merge driver ---------------------------------------------------------------------

DRIVER = "collectctl"


# What git offers for trees of many files: a compressed index (v4), the index split so a
# commit rewrites a small part of it, and the untracked cache for status. Measured on the
# 10,000-customer benchmark (223,000 files): a bare commit 0.42 s -> 0.30 s, log-call
# with its commit 0.65 s -> 0.55 s.
MANY_FILES = (("index.version", "4"), ("core.splitIndex", "true"), ("core.untrackedCache", "true"))


def set_up_clone(root: Path, executable: str) -> None:
    """This clone's git settings (git keeps them per clone, so each collector's clone is
    set up once: init, init --hooks, or sync): how to run the merge driver
    .gitattributes names, and the settings for many files."""
    git = Git(root)
    command = f"{shlex.quote(executable)} merge-driver %O %A %B %P"
    git.run("config", f"merge.{DRIVER}.name", "collectctl: contacts by name, invoices by number")
    git.run("config", f"merge.{DRIVER}.driver", command)
    if git.config("index.sparse") == "true":
        return  # a sparse clone (collectctl clone --collector): set up for that instead
    if all(git.config(key) == value for key, value in MANY_FILES):
        return  # set up before (sync runs this every time)
    for key, value in MANY_FILES:
        git.run("config", key, value)
    if git.has_commit():  # an existing index is converted once; a new one starts so
        git.run("update-index", "--index-version", "4", "--split-index", "--untracked-cache")


def merge_files(root: Path, base: Path, ours: Path, theirs: Path, label: str) -> bool:
    """Git's merge driver: merge into `ours`; False (with git's markers written) when a
    person must decide."""
    from collectctl.storage.merge import merge_text

    old, mine, other = (path.read_text(encoding="utf-8") for path in (base, ours, theirs))
    merged = merge_text(old, mine, other, label)
    if merged is not None:
        ours.write_text(merged, encoding="utf-8")
        return True
    done = Git(root).read_status(
        "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", str(ours), str(base), str(theirs)
    )
    return done == 0
