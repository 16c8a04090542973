"""Asking a ledger's watcher (`collectctl watch`, storage/watcher.py) what changed.

The watcher hands out tokens; given the last one, it names every customer folder in
which anything was created, written, deleted, renamed or touched since — after seeing
its own cookie file arrive, so no change made before the question is still on its way.
"all" means it cannot say (it started after the token, or the kernel dropped events).
A reader with no watcher running loses a fraction of a millisecond to ask.
"""

from __future__ import annotations

import hashlib
import os
import socket

from msgspec import Struct

from collectctl.storage.layout import Layout

_ASK_SECONDS = 5.0  # the watcher answers at once, unless it is wedged: then do without


class Changes(Struct, frozen=True):
    token: str  # to ask with next time
    folders: frozenset[str] | None  # customer folders changed since the token; None: all


def address(layout: Layout) -> bytes:
    """The watcher's socket, in Linux's abstract namespace (no file to leave behind,
    no length limit from a deep ledger path), one per user and ledger."""
    root = hashlib.sha1(str(layout.root.resolve()).encode()).hexdigest()[:24]
    return f"\0collectctl-watch-{os.getuid()}-{root}".encode()


def request(layout: Layout, line: str) -> bytes | None:
    """The watcher's whole answer to one request line; None when none is watching."""
    if not hasattr(socket, "AF_UNIX"):
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(_ASK_SECONDS)
            connection.connect(address(layout))
            connection.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
    except OSError:
        return None
    return b"".join(chunks)


def changes_since(layout: Layout, token: str | None) -> Changes | None:
    """What changed in the customer folders since `token` (None: never asked); None
    when no watcher answers, or it answers with something other than changes."""
    answer = request(layout, f"changes {token or '-'}")
    head, _, rest = (answer or b"").partition(b"\n")
    kind, _, new_token = head.decode("utf-8", "replace").partition(" ")
    if kind == "all" and new_token:
        return Changes(new_token, None)
    if kind == "some" and new_token:
        names = rest.decode("utf-8", "surrogateescape").split("\0")
        return Changes(new_token, frozenset(name for name in names if name))
    return None
