"""`collectctl watch`: a process that watches a ledger's customer folders through Linux's
inotify, so a listing can learn which accounts changed without git stat-ing every file
(0.24 s of a 10,000-customer call list's 0.45 s).

It watches every folder under customers/ and numbers what happens in them; a reader
asks what changed since the number it was last given (storage/watch.py). One request
line per connection on a socket only its own user may use:

    changes TOKEN|-   ->  "some TOKEN\\n" and the changed customer ids, NUL-separated,
                          or "all TOKEN\\n" when it cannot say (see below)
    status            ->  one line of JSON: pid, ledger, since, folders, changed
    stop              ->  "stopping\\n", and it ends

Before it answers `changes` it creates a cookie file in a folder it watches and waits
for its own event: the kernel queues events in order, so every change made before the
question has then been read. It answers "all" to a token from another run of it, and to
any token older than a moment it may have missed events (the kernel's queue overflowed,
or its cookie did not come back): the reader then asks git about everything, as it
would with no watcher. Folders created later are watched as they appear.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import selectors
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from collectctl.errors import UsageError
from collectctl.storage.layout import Layout
from collectctl.storage.watch import address, request

_COOKIE_SECONDS = 2.0  # how long an answer waits for its cookie before it says "all"
_START_SECONDS = 120.0  # watching 20,000 folders takes well under a second
LOG_FILE = "watch.log"
COOKIE_DIR = "watch"


def _watch_limit() -> str:
    try:
        return f"{int(Path('/proc/sys/fs/inotify/max_user_watches').read_text()):,}"
    except (OSError, ValueError):
        return "fewer"


def _inotify() -> Any:
    try:
        import inotify_simple
    except ImportError:
        raise UsageError(
            "collectctl watch needs Linux's inotify; elsewhere git's own monitor "
            "(git config core.fsmonitor true) makes git status quick"
        ) from None
    return inotify_simple


class Watcher:
    def __init__(self, layout: Layout):
        self.layout = layout
        inotify = _inotify()
        self.flags = inotify.flags
        f = self.flags
        self.mask = (
            f.MODIFY | f.ATTRIB | f.CLOSE_WRITE | f.MOVED_FROM | f.MOVED_TO | f.CREATE
            | f.DELETE | f.DELETE_SELF | f.MOVE_SELF | f.ONLYDIR | f.DONT_FOLLOW
        )  # fmt: skip
        self.inotify = inotify.INotify()
        self.instance = secrets.token_hex(6)
        self.seq = 0  # numbers what happened; a token is "instance:seq"
        self.all_before = 0  # a token older than this may have missed events
        self.changed: dict[str, int] = {}  # customer id -> seq of its latest change
        self.folders: dict[int, str] = {}  # watch -> folder, relative to customers/
        self.started = datetime.now().astimezone()
        self.running = True
        self.cookies = layout.state_dir() / COOKIE_DIR
        self.cookie_watch = self._watch_cookies()
        for stale in self.cookies.iterdir():
            stale.unlink(missing_ok=True)
        self.cookie_count = 0
        self._watch_tree("")

    def _watch_cookies(self) -> int:
        self.cookies.mkdir(parents=True, exist_ok=True)
        return int(self.inotify.add_watch(self.cookies, self.flags.CREATE | self.flags.ONLYDIR))

    # --- what happens in the folders ---------------------------------------------------

    def _watch_tree(self, rel: str) -> None:
        """Watch the folder `rel` (under customers/) and every folder inside it."""
        pending = [rel]
        while pending:
            folder = pending.pop()
            path = self.layout.customers / folder if folder else self.layout.customers
            try:
                self.folders[self.inotify.add_watch(path, self.mask)] = folder
                entries = list(os.scandir(path))
            except FileNotFoundError:
                continue  # gone already: its parent's event said so
            except OSError as exc:
                if exc.errno == errno.ENOSPC:  # the kernel says "no space" for this
                    raise UsageError(
                        f"cannot watch {len(self.folders):,}+ folders: the kernel allows "
                        f"{_watch_limit()} (fs.inotify.max_user_watches); raise it, or "
                        "work in a sparse clone (collectctl clone --collector)"
                    ) from None
                raise UsageError(f"cannot watch {path}: {exc.strerror}") from None
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(f"{folder}/{entry.name}" if folder else entry.name)

    def _forget_tree(self, rel: str) -> None:
        """Stop watching a folder moved away, and the folders in it: their watches would
        go on naming the customer they were under."""
        for watch, folder in list(self.folders.items()):
            if folder == rel or folder.startswith(rel + "/"):
                del self.folders[watch]
                with contextlib.suppress(OSError):  # removed by the kernel already
                    self.inotify.rm_watch(watch)

    def _mark(self, customer: str) -> None:
        self.seq += 1
        self.changed[customer] = self.seq

    def _cannot_vouch(self) -> None:
        """Events may have been missed: every token handed out so far gets "all"."""
        self.seq += 1
        self.all_before = self.seq

    def handle(self, event: Any) -> str | None:
        """Take one event in; the cookie's name when it is one of ours."""
        f = self.flags
        if event.mask & f.Q_OVERFLOW:
            self._cannot_vouch()
            self._watch_tree("")  # folders made meanwhile are watched too
            return None
        if event.wd == self.cookie_watch:
            return str(event.name)
        folder = self.folders.get(event.wd)
        if folder is None:
            return None  # a watch already forgotten
        if event.mask & f.IGNORED:
            del self.folders[event.wd]
            return None
        if folder == "" and event.mask & (f.DELETE_SELF | f.MOVE_SELF):
            self.running = False  # the ledger's customers/ went away: nothing to watch
            return None
        path = f"{folder}/{event.name}" if folder and event.name else folder or event.name
        if path:
            self._mark(path.split("/", 1)[0])
        if event.mask & f.ISDIR and event.name:
            if event.mask & f.MOVED_FROM:
                self._forget_tree(path)
            if event.mask & (f.CREATE | f.MOVED_TO):
                self._watch_tree(path)
        return None

    def read_events(self, timeout_ms: int = 0) -> list[str]:
        return [name for e in self.inotify.read(timeout=timeout_ms) if (name := self.handle(e))]

    def synced(self) -> None:
        """Every event from before this call read: a cookie made now has come back."""
        self.cookie_count += 1
        name = f"cookie-{os.getpid()}-{self.cookie_count}"
        cookie = self.cookies / name
        if not self.cookies.is_dir():  # removed by hand (.collectctl/ cleared): again
            self.cookie_watch = self._watch_cookies()
        cookie.touch()
        deadline = time.monotonic() + _COOKIE_SECONDS
        try:
            while (left := deadline - time.monotonic()) > 0:
                if name in self.read_events(max(1, int(left * 1000))):
                    return
            self._cannot_vouch()
        finally:
            cookie.unlink(missing_ok=True)

    # --- answering -----------------------------------------------------------------------

    def changes(self, token: str) -> bytes:
        self.synced()
        instance, _, number = token.partition(":")
        now = f"{self.instance}:{self.seq}"
        if instance != self.instance or not number.isdigit() or int(number) < self.all_before:
            return f"all {now}\n".encode()
        since = int(number)
        names = [customer for customer, at in self.changed.items() if at > since]
        return f"some {now}\n".encode() + "\0".join(names).encode("utf-8", "surrogateescape")

    def status(self) -> bytes:
        found = {
            "pid": os.getpid(),
            "ledger": str(self.layout.root),
            "since": self.started.isoformat(timespec="seconds"),
            "folders": len(self.folders),
            "changed": len(self.changed),
        }
        return json.dumps(found).encode() + b"\n"

    def answer(self, connection: socket.socket) -> None:
        with connection:
            credentials = connection.getsockopt(
                socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")
            )
            if struct.unpack("3i", credentials)[1] != os.getuid():
                return  # another user's process: nothing to say to it
            connection.settimeout(1.0)
            line = b""
            try:
                while not line.endswith(b"\n") and len(line) < 4096:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    line += chunk
                command, _, argument = line.decode("utf-8", "replace").strip().partition(" ")
                if command == "changes":
                    connection.sendall(self.changes(argument))
                elif command == "status":
                    connection.sendall(self.status())
                elif command == "stop":
                    self.running = False
                    connection.sendall(b"stopping\n")
            except OSError:
                pass  # the reader gave up on us: it asks git instead

    def serve(self, ready: Callable[[], None]) -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            try:
                server.bind(address(self.layout))
            except OSError:
                raise UsageError(f"already watching {self.layout.root}") from None
            server.listen(16)
            ready()
            selector = selectors.DefaultSelector()
            selector.register(server, selectors.EVENT_READ)
            selector.register(self.inotify.fileno(), selectors.EVENT_READ)
            while self.running:
                for key, _ in selector.select(timeout=60):
                    if key.fileobj is server:
                        self.answer(server.accept()[0])
                    else:
                        self.read_events()


# --- the command's three jobs ------------------------------------------------------------


@dataclass(frozen=True)
class Watching:
    pid: int
    since: str
    folders: int
    changed: int


def status(layout: Layout) -> Watching | None:
    answer = request(layout, "status")
    try:
        found = json.loads(answer or b"")
        return Watching(found["pid"], found["since"], found["folders"], found["changed"])
    except (ValueError, KeyError, TypeError):
        return None


def run(layout: Layout, ready: Callable[[], None]) -> None:
    """Watch in this process until stopped (`watch --stop`, SIGTERM or SIGINT)."""
    if not layout.customers.is_dir():
        raise UsageError(f"nothing to watch: {layout.customers} is not a folder")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    Watcher(layout).serve(ready)


def start(layout: Layout) -> Watching:
    """A watcher for this ledger running in the background (this one if one runs), once
    it answers; its complaint if it could not start."""
    running = status(layout)
    if running is not None:
        return running
    _inotify()  # refused here, in one line, where there is no inotify
    log = layout.state_dir() / LOG_FILE
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "collectctl", "-L", str(layout.root), "watch", "--foreground"],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            cwd=layout.root,  # not holding on to wherever it was started from
            start_new_session=True,  # not ended with the shell that started it
        )
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        found = status(layout)
        if found is not None:
            return found
        if process.poll() is not None:
            said = log.read_text(errors="replace").strip().splitlines()
            reason = said[-1].removeprefix("collectctl: ") if said else "it exited"
            raise UsageError(f"the watcher did not start: {reason}")
        time.sleep(0.02)
    process.kill()
    raise UsageError(f"the watcher did not answer within {_START_SECONDS:.0f} s")


def stop(layout: Layout) -> bool:
    """Whether a watcher was running; it has ended when this returns."""
    if request(layout, "stop") != b"stopping\n":
        return False
    deadline = time.monotonic() + 5.0
    while request(layout, "status") is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    return True
