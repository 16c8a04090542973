"""A cache of parsed accounts, keyed by git's own content addresses.

Each customer folder committed at HEAD has a tree id that changes whenever any file in
it changes; git status names the folders whose files differ from HEAD (hand edits,
untracked or ignored files), and git handles the hard cases itself (an edit that keeps
size and mtime, a branch switch, a reset). So an account is taken from the cache only
when its folder is clean and its tree id, the configuration and collectctl's version
all match what it was parsed from; everything else is parsed from the files. A missing,
corrupt or foreign cache file is rebuilt without a word.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import subprocess
from pathlib import Path

from collectctl import __version__
from collectctl.layout import CONFIG_FILE, CUSTOMERS_DIR, Layout
from collectctl.models import Account

CACHE_FOLDER = "accounts"
_FORMAT = f"collectctl-accounts-2/{__version__}"
# Accounts are spread over up to 256 shard files by the first two hex digits of their
# folder's tree id, so recording one call rewrites one small shard, not the whole cache.


class AccountCache:
    def __init__(self, layout: Layout):
        self.layout = layout
        self._prefix = ""  # the ledger's folder inside its repository
        self.folder = layout.state / "cache" / CACHE_FOLDER
        self._entries: dict[str, Account] = {}
        self._keys: dict[str, str] = {}  # customer id -> cache key, for clean folders only
        self._changed_shards: set[str] = set()
        self._used: set[str] = set()

    def open(self) -> bool:
        """Read git's view of the customer folders and the cache file; False means the
        ledger cannot be cached (not in git, no commit yet)."""
        trees = self._committed_trees()
        if trees is None:
            return False
        changed = self._changed_customers()
        if changed is None:
            return False
        config = hashlib.sha1(self.layout.config.read_bytes()).hexdigest()
        self._keys = {
            customer: f"{tree}:{config}"
            for customer, tree in trees.items()
            if customer not in changed
        }
        for shard in sorted({key[:2] for key in self._keys.values()}):
            self._entries.update(self._read(shard))
        return True

    def get(self, customer_id: str) -> Account | None:
        key = self._keys.get(customer_id)
        if key is None:
            return None
        account = self._entries.get(key)
        if account is not None:
            self._used.add(key)
        return account

    def put(self, customer_id: str, account: Account) -> None:
        key = self._keys.get(customer_id)
        if key is not None:  # only clean, committed folders are worth remembering
            self._entries[key] = account
            self._used.add(key)
            self._changed_shards.add(key[:2])

    def save(self) -> None:
        """Rewrite the shards that gained entries or hold entries no longer in use."""
        from collectctl.store import atomic_write

        stale = {key[:2] for key in self._entries if key not in self._used}
        shards = self._changed_shards | stale
        if not shards:
            return
        try:
            self.layout.state_dir()
        except OSError:
            return  # a read-only ledger is read, just not cached
        for shard in sorted(shards):
            kept = {
                key: a for key, a in self._entries.items() if key[:2] == shard and key in self._used
            }
            path = self.folder / f"{shard}.pickle"
            with contextlib.suppress(OSError):  # a read-only ledger is read, just not cached
                if kept:
                    payload = pickle.dumps((_FORMAT, kept), protocol=pickle.HIGHEST_PROTOCOL)
                    atomic_write(path, payload)
                else:
                    path.unlink(missing_ok=True)

    def _read(self, shard: str) -> dict[str, Account]:
        try:
            with open(self.folder / f"{shard}.pickle", "rb") as handle:
                version, entries = pickle.load(handle)
            if version != _FORMAT or not isinstance(entries, dict):
                return {}
            return entries
        except Exception:  # missing, truncated, garbage, another version: rebuild
            return {}

    def _git(self, *args: str) -> str | None:
        done = subprocess.run(["git", *args], cwd=self.layout.root, capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else None

    def _committed_trees(self) -> dict[str, str] | None:
        prefix = self._git("rev-parse", "--show-prefix")
        if prefix is None:
            return None
        self._prefix = prefix.strip()
        # --full-tree: from a ledger in a subfolder, ls-tree would filter by that folder
        listing = self._git("ls-tree", "-z", "--full-tree", f"HEAD:{self._prefix}{CUSTOMERS_DIR}")
        if listing is None:
            head = self._git("rev-parse", "--verify", "-q", "HEAD")
            return {} if head else None  # committed ledger without customers yet
        trees = {}
        for entry in listing.split("\0"):
            if not entry:
                continue
            meta, name = entry.split("\t", 1)
            _mode, kind, object_id = meta.split()
            if kind == "tree":
                trees[name] = object_id
        return trees

    def _changed_customers(self) -> set[str] | None:
        """Customer folders with anything that differs from HEAD, ignored files included."""
        status = self._git(
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--ignored=matching",
            "--no-renames",
            "--",
            CUSTOMERS_DIR,
            CONFIG_FILE,
        )
        if status is None:
            return None
        changed = set()
        for entry in status.split("\0"):
            path = entry[3:].removeprefix(self._prefix)  # porcelain paths start at the repo root
            parts = Path(path).parts
            if len(parts) >= 2 and parts[0] == CUSTOMERS_DIR:
                changed.add(parts[1])
        return changed
