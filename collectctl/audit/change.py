"""One action, one commit: a ledger-wide lock, a crash journal, and the commit itself.

A change writes a journal before touching any file, writes each file atomically, then
commits through the git CLI. If a process dies in between, the next one finds the
journal and rolls that one action back — or, past its point of no return (an email went
out), commits it.

Longer than 400 lines: the lock, the journal, the rollback folder and the commit are one
protocol, and each step is safe only as the others do theirs; split up, no part could be
read and trusted alone.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

from msgspec.structs import asdict

from collectctl.audit import sparse
from collectctl.audit.identity import Identity
from collectctl.audit.repository import Git, running_git_processes
from collectctl.errors import CollectctlError, ConflictError
from collectctl.storage import faults
from collectctl.storage.environment import env_number
from collectctl.storage.files import atomic_write
from collectctl.storage.layout import JOURNAL_FILE, Layout

LOCK_TIMEOUT_SECONDS = 30.0  # COLLECTCTL_LOCK_TIMEOUT overrides
# Before a change replaces a file (or git's index), it hard-links the original here:
# putting it back is a rename, which needs neither git nor free space (a full disk).
ROLLBACK_DIR = "rollback"
Progress = Callable[[list[Any], str], Iterable[Any]] | None  # a progress bar, on a terminal
STAGED_FILE = "staged.json"  # what staged_paths() last found, and for which index and HEAD
_IMPORTED = "refs/collectctl/commit"  # where fast-import leaves a commit until HEAD moves to it


class Audit:
    def __init__(self, layout: Layout):
        self.layout = layout
        self.git = Git(layout.root)
        self._staged_key: list[str] | None = None  # the index staged_paths() last saw

    @property
    def prefix(self) -> str:
        return self.git.prefix or ""

    def is_repository(self) -> bool:
        return self.git.prefix is not None

    @cached_property
    def sparse(self) -> bool:
        """A clone holding part of the ledger (collectctl clone --collector)."""
        return sparse.is_sparse(self.git)

    def make_room(self, rels: list[str]) -> None:
        if self.sparse:
            sparse.make_room(self.git, rels)

    def init_repository(self) -> None:
        self.git.run("init", "-q")

    # --- locking and recovery ------------------------------------------------------------

    @contextmanager
    def lock(self, wait: bool = True) -> Iterator[bool]:
        """Serialise writers across processes; the OS drops the lock if we die. With
        wait=False, yields False at once when another process holds it."""
        with open(self.layout.state_dir() / "lock", "a+") as handle:
            patience = env_number("COLLECTCTL_LOCK_TIMEOUT", LOCK_TIMEOUT_SECONDS, 0, 3600)
            deadline = time.monotonic() + patience
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not wait:
                        yield False
                        return
                    if time.monotonic() > deadline:
                        raise ConflictError(
                            "the ledger is locked by another collectctl process; try again"
                        ) from None
                    time.sleep(0.02)
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @property
    def journal(self) -> Path:
        return self.layout.state / JOURNAL_FILE

    def recover(self) -> str | None:
        """Finish off an action a killed process left half-done. Call under the lock.

        An action is rolled back, unless it had passed its point of no return (an email
        went out): then its files are committed, so the email is never sent twice."""
        if not self.journal.exists():
            return None
        try:
            journal = json.loads(self.journal.read_text())
            subject, files = journal["subject"], journal["files"]
        except (ValueError, KeyError, TypeError):
            journal, subject, files = {}, "unknown action", []
        self._remove_stale_index_lock()
        self._remove_half_written(files)
        staged = self.staged_paths(remembered=False)
        differing = set(self.differing_from_head([f["path"] for f in files], staged))
        dirty = [f for f in files if f["path"] in differing]
        paths = ", ".join(entry["path"] for entry in dirty)
        if dirty and journal.get("complete"):
            identity = Identity(**journal["identity"])
            self.commit([f["path"] for f in files], subject, journal["trailers"], identity, staged)
            self.journal.unlink()
            self._clear_rollback_folder()
            return (
                f"completed an interrupted '{subject}' (its email had gone out): committed {paths}"
            )
        for entry in dirty:  # with git: a killed commit may have staged the files already
            self.restore(entry["path"], entry["existed"])
        self.journal.unlink()
        self._clear_rollback_folder()
        if dirty:
            return f"rolled back an interrupted '{subject}' (restored {paths})"
        return f"an interrupted '{subject}' had already been committed; nothing to undo"

    def commit(
        self,
        paths: list[str],
        subject: str,
        trailers: dict[str, str],
        identity: Identity,
        staged: set[str] | None = None,
        body: str | None = None,
    ) -> str:
        """Commit exactly these files as the collector, whatever else is staged; returns
        the short commit id. `staged` is what staged_paths() said before they were
        written, if known."""
        trailer_block = "\n".join(f"{key}: {value}" for key, value in trailers.items())
        env = {"GIT_AUTHOR_NAME": identity.name, "GIT_AUTHOR_EMAIL": identity.email}
        for key in ("NAME", "EMAIL"):
            env[f"GIT_COMMITTER_{key}"] = os.environ.get(
                f"GIT_COMMITTER_{key}", env[f"GIT_AUTHOR_{key}"]
            )
        found = self.git.read("rev-parse", "HEAD^{commit}", "HEAD^{tree}")
        head, head_tree = found.split() if found else ("", "")  # none: the first commit
        index_before = self._index_key(head)
        ours = {self.prefix + path for path in paths}
        if self._commit_needs_porcelain():
            staged = self.staged_paths() if staged is None else staged
            others = staged - ours
            self._commit_porcelain(paths, subject, body, trailer_block, env, others)
            commit = self.git.plumb("rev-parse", "HEAD").strip()
        else:
            message = _cleaned("\n\n".join(filter(None, (subject, body, trailer_block))))
            commit = self._commit_plumbing(paths, subject, message, env, head, head_tree)
        if staged is not None and index_before == self._staged_key:
            # nothing but these files was staged or committed meanwhile: what is staged
            # now is what was staged before, less these files, now committed
            self._remember_staged(self._index_key(commit), staged - ours)
        return self.git.plumb("rev-parse", "--short", commit).strip()

    def _commit_needs_porcelain(self) -> bool:
        """`git commit` runs the commit hooks and signs; the plumbing does neither. In a
        sparse clone it also keeps the index's cache of tree ids whole, which git status
        there leans on (0.20 s at 100,000 customers, 0.44 s after a commit the plumbing
        made: it must walk HEAD's tree of 100,000 customers instead)."""
        hooks = self.git.hooks
        for name in ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"):
            if os.access(hooks / name, os.X_OK):
                return True
        wanted = r"^(commit\.gpgsign|index\.sparse)$"
        settings = self.git.read("config", "--type=bool", "--get-regexp", wanted) or ""
        return any(line.endswith(" true") for line in settings.splitlines())

    def _commit_plumbing(
        self, paths: list[str], subject: str, message: str, env: dict, head: str, head_tree: str
    ) -> str:
        """The commit `git commit --only <paths>` would make, at a fraction of its cost:
        git fast-import builds it from HEAD's trees along the changed paths alone, never
        reading the 28 MB index of a 10,000-customer ledger (write-tree reads it twice),
        while update-index stages the same files for the index to match. Then the branch
        moves — only from the commit it had, so a commit made meanwhile is never lost."""
        staging = self.git.begin("update-index", "--add", "--remove", "-z", "--stdin",
                                 text=_nul(paths))  # fmt: skip
        try:
            idents = [
                self.git.plumb("var", f"GIT_{who}_IDENT", env=env).strip()
                for who in ("AUTHOR", "COMMITTER")
            ]
            stream = _import_stream(self.layout.root, self.prefix, paths, head, message, idents)
            output = self.git.plumb(
                "fast-import", "--quiet", "--done", "--force", "--date-format=raw",
                "--cat-blob-fd=1", text=stream,
            ).split()  # fmt: skip
        finally:  # a rollback must never race update-index for the index
            self.git.finish(staging)
        tree, commit = output[2], output[-1]  # "040000 tree <id>\t" of the root, then the commit
        faults.point("after-add")
        faults.point("after-commit-object")
        reflog = f"commit{'' if head else ' (initial)'}: {subject.splitlines()[0]}"
        moves = f"delete {_IMPORTED}\n"
        if tree == head_tree:
            self.git.plumb("update-ref", "--stdin", text=moves)
            raise ConflictError("git commit failed: nothing to commit, working tree clean")
        moves += f"update HEAD {commit} {head or '0' * 40}\n"
        self.git.plumb("update-ref", "-m", reflog, "--stdin", text=moves)
        self.git.plumb("maintenance", "run", "--auto", "--quiet")  # as `git commit` does
        return commit

    def _commit_porcelain(
        self,
        paths: list[str],
        subject: str,
        body: str | None,
        trailer_block: str,
        env: dict[str, str],
        others: set[str],
    ) -> None:
        pathspec = self._pathspec(paths)
        self.git.plumb("add", *pathspec)
        faults.point("after-add")
        message = ["-m", subject] + (["-m", body] if body else []) + ["-m", trailer_block]
        if body and len(body) > 50_000:  # an import's list: past what one argument may hold
            text = "\n\n".join((subject, body, trailer_block)) + "\n"
            listing = self.layout.state_dir() / "message"
            atomic_write(listing, text, durable=False)
            message = ["-F", str(listing)]
        # `git commit -- <paths>` rebuilds a whole temporary index from HEAD: 12 s at
        # 10,000 customers. When nothing else is staged, committing the index is the
        # same commit at a twentieth of the cost.
        only = pathspec if others else []
        self.git.plumb("commit", *message, *only, env=env)

    def _pathspec(self, paths: list[str]) -> list[str]:
        """`-- <paths>`; many paths (an import) go through a file, past the limit on the
        length of a command line."""
        if len(paths) <= 200:
            return ["--", *paths]
        listing = self.layout.state_dir() / "pathspec"
        atomic_write(listing, "\0".join(paths), durable=False)
        return [f"--pathspec-from-file={listing}", "--pathspec-file-nul"]

    def staged_paths(self, remembered: bool = True) -> set[str]:
        """Every path, from the repository's top, whose staged content differs from HEAD.
        Asking git reads the whole index (0.03 s at 10,000 customers), so the answer is
        kept beside HEAD's commit and the index's own checksum: while neither changes,
        no answer can."""
        head = (self.git.read("rev-parse", "-q", "--verify", "HEAD^{commit}") or "").strip()
        key = self._staged_key = self._index_key(head)
        if remembered and key is not None:
            try:
                memo = json.loads((self.layout.state / STAGED_FILE).read_text())
                if memo["key"] == key:
                    return set(memo["staged"])
            except (OSError, ValueError, KeyError, TypeError):
                pass  # none yet, or unreadable: asked again
        listing = self.git.plumb("diff", "--cached", "--name-only", "--no-renames", "-z")
        staged = {path for path in listing.split("\0") if path}
        self._remember_staged(key, staged)
        return staged

    def _index_key(self, head: str) -> list[str] | None:
        """HEAD's commit and the checksum git ends its index with (of all that precedes
        it); None without an index, or one written without it (index.skipHash)."""
        try:
            with open(self.git.index_file(), "rb") as index:
                index.seek(-20, os.SEEK_END)
                checksum = index.read(20)
        except OSError:
            return None
        return [head, checksum.hex()] if head and checksum.strip(b"\0") else None

    def _remember_staged(self, key: list[str] | None, staged: set[str]) -> None:
        if key is not None:
            memo = json.dumps({"key": key, "staged": sorted(staged)})
            atomic_write(self.layout.state_dir() / STAGED_FILE, memo, durable=False)

    def differing_from_head(self, rels: list[str], staged: set[str]) -> list[str]:
        """Of `rels`, those `git status` would show — an edit, staged or not, a deletion,
        a file git does not track — from `staged` (staged_paths(), read once) and, for
        the rest, one ls-tree and one hash-object for all of them; status itself reads
        every file's stat data (0.1 s at 10k)."""
        prefix = self.prefix
        asked = [rel for rel in rels if prefix + rel not in staged]
        committed = self.git.blobs_at_head(asked) or {}
        # a new file has no content id to ask for
        current = self.git.blobs_on_disk(
            [rel for rel in asked if (self.layout.root / rel).exists()]
        )
        return [
            rel
            for rel in rels
            if prefix + rel in staged or committed.get(prefix + rel) != current.get(rel)
        ]

    def _remove_stale_index_lock(self) -> None:
        # Only a lock newer than our journal can be ours: git died with our process.
        index_lock = self.git.index_lock()
        try:
            if index_lock and index_lock.stat().st_mtime >= self.journal.stat().st_mtime:
                index_lock.unlink()
        except FileNotFoundError:
            pass

    def _remove_half_written(self, files: list[dict[str, Any]]) -> None:
        """A process killed inside an atomic write leaves its temporary file beside the
        one it was replacing (`.NAME.xxxx.tmp`); the file itself is whole, old or new. A
        new file never put in place leaves the folders made for it, now empty."""
        for entry in files:
            path = self.layout.root / entry["path"]
            if path.parent.is_dir():
                for temporary in path.parent.glob(f".{path.name}.*.tmp"):
                    temporary.unlink(missing_ok=True)
                if not entry.get("existed", True) and not path.exists():
                    self._remove_empty_folders(path)

    def _clear_rollback_folder(self) -> None:
        """Originals a killed change had linked there hold their old space: let it go."""
        folder = self.layout.state / ROLLBACK_DIR
        for backup in folder.glob("*") if folder.is_dir() else ():
            backup.unlink(missing_ok=True)

    def put_back(self, entry: dict[str, Any]) -> bool:
        """Undo one file's change without git or new space, where the change allows it:
        its original from the rollback folder, or a file it created removed."""
        path = self.layout.root / entry["path"]
        backup = entry.get("backup")
        if backup and (self.layout.state / ROLLBACK_DIR / backup).exists():
            os.replace(self.layout.state / ROLLBACK_DIR / backup, path)
            return True
        if not entry["existed"]:
            path.unlink(missing_ok=True)
            self._remove_empty_folders(path)
            return True
        return False

    def _remove_empty_folders(self, path: Path) -> None:
        for folder in path.parents:  # folders the change created, now empty
            if folder == self.layout.root or not folder.exists() or any(folder.iterdir()):
                break
            folder.rmdir()

    def restore(self, rel: str, existed: bool) -> None:
        if existed:
            self.git.run("checkout", "HEAD", "--", rel)
        else:
            self.git.run("rm", "-q", "--cached", "--ignore-unmatch", "--", rel)
            path = self.layout.root / rel
            path.unlink(missing_ok=True)
            self._remove_empty_folders(path)

    def _clear_stale_index_lock(self) -> str | None:
        """A git that crashed leaves index.lock behind and every later commit fails: with
        no git running, it is removed (and said); with one running, wait for it."""
        lock = self.git.index_lock()
        if lock is None:
            return None
        running = running_git_processes(self.git.top())
        if running:
            raise ConflictError(
                f"{lock} is held by a running git (process {running[0]}); "
                "let it finish, then try again"
            )
        lock.unlink(missing_ok=True)
        return f"removed {lock}, which a git that stopped midway had left behind"

    def refuse_while_busy(self) -> None:
        """No commit while git waits for the user to finish something."""
        busy = self.git.operation_in_progress()
        if busy:
            raise ConflictError(f"nothing recorded: {busy}")

    # --- one action, one commit ----------------------------------------------------------

    @contextmanager
    def change(self, identity: Identity) -> Iterator[Change]:
        """Lock, recover, let the action write its files, then commit them as one."""
        if not self.is_repository():
            raise CollectctlError(
                f"{self.layout.root} is not in a git repository; run 'git init' there first"
            )
        self.refuse_while_busy()
        with self.lock():
            notice = self.recover() or self._clear_stale_index_lock()
            change = Change(self, identity, notice)
            try:
                yield change
                change.commit()
            except BaseException:
                change.roll_back()
                raise


def _cleaned(message: str) -> str:
    """A message as `git commit -m` leaves it (its "whitespace" clean-up): no trailing
    spaces, no blank lines at either end or two in a row, one final newline."""
    lines = [line.rstrip() for line in message.splitlines()]
    kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
    return "\n".join(kept).strip("\n") + "\n"


def _nul(paths: list[str]) -> str:
    return "".join(f"{path}\0" for path in paths)


def _import_stream(
    root: Path, prefix: str, paths: list[str], head: str, message: str, idents: list[str]
) -> bytes:
    """fast-import's input for one commit on `head` by the author and committer in
    `idents`, of these files as they are on disk (each one's content inline, its mode
    from the file, a file gone deleted), then asking for the root tree's id and the
    commit's."""
    author, committer = idents
    text = message.encode("utf-8")
    stream = [
        f"commit {_IMPORTED}\nmark :1\nauthor {author}\ncommitter {committer}\n".encode(),
        b"data %d\n" % len(text),
        text,
        b"\n",
        f"from {head}\n".encode() if head else b"",
    ]
    for rel in paths:
        path = prefix + rel
        if "\n" in path or path.startswith('"'):  # never a ledger path: they are checked
            raise ConflictError(f"git fast-import cannot take the path {path!r}")
        try:
            mode = "100755" if os.stat(root / rel).st_mode & 0o100 else "100644"
            content = (root / rel).read_bytes()
        except FileNotFoundError:
            stream.append(f"D {path}\n".encode())
            continue
        stream.append(f"M {mode} inline {path}\ndata {len(content)}\n".encode())
        stream.append(content + b"\n")
    return b"".join([*stream, b'\nls :1 ""\nget-mark :1\ndone\n'])


def recover_interrupted(layout: Layout) -> str | None:
    """Finish a change a killed process left behind, if its journal is there; what was
    done, for the user. Never waits: while a writer holds the lock, the journal is its
    own (a git hook running `check` inside that writer's commit must not wait for it)."""
    audit = Audit(layout)
    if not audit.journal.exists():
        return None
    with audit.lock(wait=False) as locked:
        return audit.recover() if locked else None


class Change:
    """The files one action writes; committed together, or all put back."""

    def __init__(self, audit: Audit, identity: Identity, notice: str | None):
        self.audit = audit
        self.identity = identity
        self.notice = notice  # what recovery did before this action, if anything
        self.files: list[dict[str, Any]] = []
        self.subject: str | None = None
        self.body: str | None = None  # what the commit lists below its subject, if anything
        self.trailers: dict[str, str] = {}
        self.commit_id: str | None = None
        self.complete = False  # past the point of no return
        self.sends_confirmed = 0  # messages the server accepted in this change
        self.staged: set[str] | None = None  # staged paths before the first write
        self._index: tuple[Path, Path] | None = None  # git's index and its backup

    @property
    def committed(self) -> bool:
        return self.commit_id is not None

    @property
    def paths(self) -> list[str]:
        return [entry["path"] for entry in self.files]

    def write(self, path: Path, content: str | bytes) -> None:
        layout = self.audit.layout
        layout.inside(path)
        rel = layout.rel(path)
        data = content.encode("utf-8") if isinstance(content, str) else content
        if rel not in self.paths and path.is_file() and path.read_bytes() == data:
            return  # nothing changes: nothing to write, nothing to commit
        if rel not in self.paths:
            self.audit.make_room([rel])
            if self.staged is None:
                self.staged = self.audit.staged_paths()
            if self.audit.differing_from_head([rel], self.staged):
                raise ConflictError(
                    f"{rel} has uncommitted changes; commit or discard them first "
                    "(collectctl never commits a half-finished edit)"
                )
            existed = path.exists()
            backup = self._backup(path, str(len(self.files))) if existed else None
            self.files.append({"path": rel, "existed": existed, "backup": backup})
            self._save_journal()
            faults.point("after-journal")
        atomic_write(path, content)
        faults.point("after-write")

    def write_many(self, files: list[tuple[Path, str]], progress: Progress = None) -> None:
        """`write` for many new or changed files at once (an import): each is checked
        against HEAD with one git call for all, journalled once, written without a flush
        each, then flushed together before the commit — a few seconds for thousands of
        files, where one `write` each costs two git calls and a journal."""
        layout = self.audit.layout
        todo = []
        for path, content in files:
            layout.inside(path)
            rel = layout.rel(path)
            if rel in self.paths or (path.is_file() and path.read_bytes() == content.encode()):
                continue
            todo.append((path, rel, content))
        self.audit.make_room([rel for _, rel, _ in todo])
        if self.staged is None:
            self.staged = self.audit.staged_paths()
        dirty = self.audit.differing_from_head([rel for _, rel, _ in todo], self.staged)
        if dirty:
            raise ConflictError(
                f"{dirty[0]} has uncommitted changes; commit or discard them first "
                "(collectctl never commits a half-finished edit)"
            )
        for path, rel, _ in todo:
            existed = path.exists()
            backup = self._backup(path, str(len(self.files))) if existed else None
            self.files.append({"path": rel, "existed": existed, "backup": backup})
        self._save_journal()
        faults.point("after-journal")
        steps = progress(todo, "writing") if progress else todo
        for path, _, content in steps:
            atomic_write(path, content, durable=False)
            faults.point("after-write")
        os.sync()  # one flush for all: each file's own would cost seconds

    def discard(self, path: Path) -> None:
        """Take back one file this change wrote and has not committed (a reminder the
        server refused, in a run that sent others): it is put back as it was."""
        rel = self.audit.layout.rel(path)
        entry = next((e for e in self.files if e["path"] == rel), None)
        if entry is None:
            return
        if not self.audit.put_back(entry):
            self.audit.restore(rel, entry["existed"])
        self.files.remove(entry)
        self._save_journal()

    def _backup(self, path: Path, name: str) -> str | None:
        """A hard link to the file as it is now (no data copied); None where the
        filesystem has no hard links, and the rollback then asks git."""
        try:
            folder = self.audit.layout.state_dir() / ROLLBACK_DIR
            folder.mkdir(exist_ok=True)
            (folder / name).unlink(missing_ok=True)
            os.link(path, folder / name)
        except OSError:
            return None
        return name

    def describe(
        self, subject: str, action: str, customer: str | None = None, body: str | None = None
    ) -> None:
        """The commit subject a person reads in `git log --oneline`, and its trailers."""
        self.subject, self.body = subject, body
        self.trailers = {"Collectctl-Action": action}
        if customer:
            self.trailers["Customer"] = customer

    def _save_journal(self) -> None:
        journal = {
            "subject": self.subject or "collectctl change",
            "trailers": self.trailers,
            "identity": asdict(self.identity),
            "complete": self.complete,
            "files": self.files,
        }
        atomic_write(self.audit.journal, json.dumps(journal, indent=1))

    def point_of_no_return(self) -> None:
        """From here on the action cannot be undone (an email went out): if the process
        dies before committing, the next command commits instead of rolling back."""
        assert self.subject, "describe the change before its point of no return"
        self.complete = True
        self._save_journal()

    def not_past_the_point_of_no_return(self) -> None:
        """The irreversible step did not happen after all (the server refused the
        message): a failure from here rolls back again."""
        self.complete = False
        self._save_journal()

    def commit(self) -> None:
        if not self.files:
            return
        assert self.subject, "an action must describe its change before it commits"
        self._save_journal()
        faults.point("before-commit")
        index = self.audit.git.index_file()
        backup = self._backup(index, "index") if index.exists() else None
        if backup:
            self._index = (index, self.audit.layout.state / ROLLBACK_DIR / backup)
        self.commit_id = self.audit.commit(
            self.paths, self.subject, self.trailers, self.identity, self.staged, self.body
        )
        faults.point("after-commit")
        self.audit.journal.unlink(missing_ok=True)
        self._forget_backups()

    def roll_back(self) -> None:
        """Put every file back as it was — by renaming the originals back, so a full disk
        cannot stop it — and git's index with them; else leave the journal for the next
        command to finish with git."""
        if self.complete or self.committed:
            return  # the journal stays: the next command commits what went out
        try:
            for entry in reversed(self.files):
                if not self.audit.put_back(entry):
                    self.audit.restore(entry["path"], entry["existed"])
            if self._index is not None:
                os.replace(self._index[1], self._index[0])
            self.audit.journal.unlink(missing_ok=True)
            self._forget_backups()
        except (CollectctlError, OSError):
            pass  # the journal stays; the next command finishes the rollback

    def _forget_backups(self) -> None:
        folder = self.audit.layout.state / ROLLBACK_DIR
        for entry in self.files:
            if entry.get("backup"):
                (folder / entry["backup"]).unlink(missing_ok=True)
        if self._index is not None:
            self._index[1].unlink(missing_ok=True)
