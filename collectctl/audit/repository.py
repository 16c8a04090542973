"""Every git command collectctl runs goes through `Git`.

Readers (`read`, `start`) use plain subprocesses: importing GitPython costs a warm call
list more than the rest of its work (it runs `git version` on import). Writers go
through GitPython's `Git.execute`, whose error carries git's own message; its
pure-Python index is never used, since it loses commits under concurrency.
"""

from __future__ import annotations

import subprocess
from functools import cached_property
from pathlib import Path
from typing import Any

from collectctl.errors import ConflictError


class Git:
    def __init__(self, root: Path):
        self.root = root
        self._prefix: str | None = None

    @cached_property
    def _git(self) -> Any:
        from git import Git as GitPython

        return GitPython(self.root)

    # --- reading ---------------------------------------------------------------------------

    def read(self, *args: str) -> str | None:
        """git's output, or None when git fails (not a repository, no such object…)."""
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else None

    def start(self, *args: str) -> subprocess.Popen[str]:
        """A git command running in the background; its output is read later."""
        return subprocess.Popen(
            ["git", *args],
            cwd=self.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    @property
    def prefix(self) -> str | None:
        """The ledger's folder inside its repository, as git writes paths ('' at the top);
        None outside a repository (asked again next time: `git init` may have run)."""
        if self._prefix is None:
            found = self.read("rev-parse", "--show-prefix")
            self._prefix = None if found is None else found.strip()
        return self._prefix

    def has_commit(self) -> bool:
        return self.read("rev-parse", "--verify", "-q", "HEAD") is not None

    def config(self, key: str) -> str | None:
        found = self.read("config", "--get", key)
        return found.strip() or None if found else None

    # --- writing ---------------------------------------------------------------------------

    def run(self, *args: str, env: dict[str, str] | None = None) -> str:
        """git's output; a failure is a ConflictError with git's last line of complaint."""
        from git import GitCommandError

        try:
            return str(self._git.execute(["git", *args], env=env))
        except GitCommandError as exc:
            stderr = str(exc.stderr or "").strip().removeprefix("stderr:").strip(" '\n")
            detail = stderr.splitlines()[-1] if stderr else f"exit {exc.status}"
            raise ConflictError(f"git {args[0]} failed: {detail}") from None
