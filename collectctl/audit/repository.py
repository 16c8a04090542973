"""Every git command collectctl runs goes through `Git`.

Readers (`read`, `start`) use plain subprocesses: importing GitPython costs a warm call
list more than the rest of its work (it runs `git version` on import). Writers go
through GitPython's `Git.execute`, whose error carries git's own message; its
pure-Python index is never used, since it loses commits under concurrency.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

from collectctl.errors import CollectctlError, ConflictError, DiskFullError

# What git leaves in its folder while an operation waits for the user, and how to end it.
_OPERATIONS = (
    ("MERGE_HEAD", "a merge", "finish it (resolve, git commit) or abort it (git merge --abort)"),
    (
        "rebase-merge",
        "a rebase",
        "finish it (git rebase --continue) or abort it (git rebase --abort)",
    ),
    (
        "rebase-apply",
        "a rebase",
        "finish it (git rebase --continue) or abort it (git rebase --abort)",
    ),
    (
        "CHERRY_PICK_HEAD",
        "a cherry-pick",
        "finish it (git cherry-pick --continue) or abort it (git cherry-pick --abort)",
    ),
    (
        "REVERT_HEAD",
        "a revert",
        "finish it (git revert --continue) or abort it (git revert --abort)",
    ),
    ("BISECT_LOG", "a bisect", "end it (git bisect reset)"),
)


# How git says the disk is full: the error itself, or (writing a ref's lock file, where
# git 2.39 does not pass the reason on) "couldn't write '.git/refs/heads/main.lock'".
_DISK_FULL = re.compile(r"No space left on device|Out of diskspace|couldn't write '[^']*\.lock")


_BLOB_ENTRY = re.compile(r"(?:^|\0)\d+ blob ([0-9a-f]+)\t([^\0]+)")  # ls-tree -r -z
_LOCATED: dict[str, tuple[Path, str]] = {}  # work tree -> (git's folder, prefix)
_ON_A_BRANCH: set[str] = set()  # work trees whose HEAD this process found on a branch


class Git:
    def __init__(self, root: Path):
        self.root = root

    @cached_property
    def _git(self) -> Any:
        from git import Git as GitPython

        return GitPython(self.root)

    # --- reading ---------------------------------------------------------------------------

    def read(self, *args: str) -> str | None:
        """git's output, or None when git fails (not a repository, no such object…)."""
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else None

    def feed(self, *args: str, text: str) -> str:
        """git's output for `text` on its standard input (hash-object --stdin-paths)."""
        done = subprocess.run(
            ["git", *args], cwd=self.root, input=text, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise ConflictError(f"git {args[0]} failed: {done.stderr.strip()[-200:]}")
        return done.stdout

    def read_status(self, *args: str) -> int:
        """Run git for its exit status alone (merge-file counts conflicts in it)."""
        return subprocess.run(["git", *args], cwd=self.root, capture_output=True).returncode

    def start(self, *args: str) -> subprocess.Popen[str]:
        """A git command running in the background; its output is read later."""
        return subprocess.Popen(
            ["git", *args],
            cwd=self.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def spool(self, *args: str) -> Callable[[], str | None]:
        """A git command started now with its output kept in a temporary file (no pipe
        fills while the caller works on); call what is returned for the output, None
        when git failed."""
        import tempfile

        try:
            output = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the result
        except OSError:  # no writable temporary folder: ask when the output is wanted
            return lambda: self.read(*args)
        process = subprocess.Popen(
            ["git", *args], cwd=self.root, stdout=output, stderr=subprocess.DEVNULL
        )

        def result() -> str | None:
            with output:
                failed = process.wait() != 0
                output.seek(0)
                return None if failed else output.read().decode()

        return result

    def _located(self) -> tuple[Path, str] | None:
        """git's folder and the ledger's folder inside the repository, asked once per
        process for each work tree (every layer asks); None outside a repository, and
        asked again next time: `git init` may have run."""
        key = str(self.root)
        if key not in _LOCATED:
            found = self.read("rev-parse", "--absolute-git-dir", "--show-prefix")
            if found is None:
                return None
            git_dir, prefix = [*found.split("\n"), ""][:2]
            _LOCATED[key] = (Path(git_dir), prefix)
        return _LOCATED[key]

    @property
    def prefix(self) -> str | None:
        """The ledger's folder inside its repository, as git writes paths ('' at the top);
        None outside a repository."""
        located = self._located()
        return located[1] if located else None

    def has_commit(self) -> bool:
        return self.read("rev-parse", "--verify", "-q", "HEAD") is not None

    @property
    def git_dir(self) -> Path | None:
        """git's own folder for this work tree; None outside a repository."""
        located = self._located()
        return located[0] if located else None

    def operation_in_progress(self) -> str | None:
        """What git is in the middle of — a merge, rebase, cherry-pick, revert or bisect,
        or a detached HEAD — and what to do about it; None when a commit may be made."""
        folder = self.git_dir
        if folder is None:
            return None
        for marker, what, finish in _OPERATIONS:
            if (folder / marker).exists():
                return f"git is in the middle of {what}: {finish}, then try again"
        if str(self.root) in _ON_A_BRANCH:
            return None  # asked already by this process, before the lock and under it
        if self.read("symbolic-ref", "-q", "HEAD") is None:
            return (
                "HEAD is detached (not on a branch): switch to a branch "
                "(git switch main) before recording anything"
            )
        _ON_A_BRANCH.add(str(self.root))
        return None

    def top(self) -> Path:
        found = self.read("rev-parse", "--show-toplevel")
        return Path(found.strip()).resolve() if found else self.root.resolve()

    def index_file(self) -> Path:
        """git's index: $GIT_INDEX_FILE when set (as git itself reads it), else the one in
        git's folder."""
        chosen = os.environ.get("GIT_INDEX_FILE")
        if chosen:
            return self.root / chosen
        return (self.git_dir or self.root / ".git") / "index"

    def index_lock(self) -> Path | None:
        """git's index lock, if one is there (a git at work, or one that crashed)."""
        index = self.index_file()
        lock = index.with_name(index.name + ".lock")
        return lock if lock.exists() else None

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
            raise _failure(args[0], stderr, exc.status) from None

    def plumb(
        self, *args: str, text: str | bytes | None = None, env: dict[str, str] | None = None
    ) -> str:
        """`run` for the plumbing of a commit (update-index, fast-import, update-ref),
        without GitPython: importing it costs a write 0.05 s, a fifth of the rest; `text`
        goes to git's standard input (bytes as they are: fast-import counts them)."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        done = subprocess.run(
            ["git", *args],
            cwd=self.root,
            input=data,
            capture_output=True,
            env={**os.environ, **env} if env else None,
        )
        return _output(args[0], done.returncode, done.stdout, done.stderr)

    def begin(self, *args: str, text: str) -> subprocess.Popen[bytes]:
        """`plumb` started in the background, `text` given to it; `finish` waits for it.
        For commands that read all their input before they answer (update-index)."""
        started = subprocess.Popen(
            ["git", *args],
            cwd=self.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert started.stdin is not None
        started.stdin.write(text.encode("utf-8"))
        started.stdin.close()
        started.stdin = None  # given in full: communicate() has nothing more to send
        return started

    def finish(self, started: subprocess.Popen[bytes]) -> str:
        stdout, stderr = started.communicate()
        command = started.args[1]  # type: ignore[index]  # ["git", command, ...]
        return _output(str(command), started.returncode, stdout, stderr)

    def blobs_at_head(self, pathspecs: list[str]) -> dict[str, str] | None:
        """The content id of every file at HEAD under these paths (files or folders, as
        the ledger names them), keyed by its path from the repository's top; None when
        git cannot say. Nothing asked, nothing listed (no pathspec would mean all)."""
        found: dict[str, str] = {}
        for start in range(0, len(pathspecs), 2000):  # past what one command line holds
            chunk = pathspecs[start : start + 2000]
            listing = self.read("ls-tree", "-r", "-z", "--full-name", "HEAD", "--", *chunk)
            if listing is None:
                return None
            found.update((path, blob) for blob, path in _BLOB_ENTRY.findall(listing))
        return found

    def blobs_on_disk(self, paths: list[str]) -> dict[str, str]:
        """The content id git would give each of these files as they are now (its filters
        applied), keyed as given; a failure (a file gone) as `feed` reports it."""
        if not paths:
            return {}
        ids = self.feed("hash-object", "--stdin-paths", text="\n".join(paths)).split()
        return dict(zip(paths, ids, strict=True))

    @cached_property
    def hooks(self) -> Path:
        """Where git looks for hooks (core.hooksPath, or the hooks folder)."""
        found = self.read("rev-parse", "--git-path", "hooks") or ".git/hooks"
        return self.root / found.strip()


def _output(command: str, status: int, stdout: bytes, stderr: bytes) -> str:
    if status != 0:
        raise _failure(command, stderr.decode("utf-8", "replace").strip(), status)
    return stdout.decode("utf-8", "replace")


def _failure(command: str, stderr: str, status: object) -> CollectctlError:
    if _DISK_FULL.search(stderr):
        return DiskFullError()
    detail = stderr.splitlines()[-1] if stderr else f"exit {status}"
    return ConflictError(f"git {command} failed: {detail}")


def running_git_processes(top: Path) -> list[int]:
    """Ids of the git processes at work in the repository whose top folder is `top`
    (read from Linux's /proc; none found elsewhere)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if (entry / "comm").read_text().strip() != "git":
                continue
            cwd = (entry / "cwd").resolve()
        except OSError:
            continue  # gone, or not ours to read
        if cwd == top or top in cwd.parents:
            found.append(int(entry.name))
    return sorted(found)
