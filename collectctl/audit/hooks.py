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
