"""The one way to change a ledger: resolve the account, take the lock, re-read it under
the lock, hand the edit its documents, commit once, and say what happened.

    with account_change(ledger, identity, "acme", clock) as edit:
        edits.add_contact(edit, {"name": "Dana"})
        edit.describe("contact add acme: Dana", "contact-add")
    return edit.outcome()

`ledger_change` is the same for a change that spans accounts (an import) or creates one.
Any exception inside the block puts every file back; nothing is committed that the
block did not finish.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from msgspec import Struct

from collectctl.audit.change import Audit, Change, Progress, recover_interrupted
from collectctl.audit.identity import Identity
from collectctl.domain.models import Account, Config
from collectctl.errors import CollectctlError
from collectctl.ledger.accounts import Ledger
from collectctl.ledger.checks import account_problems
from collectctl.ledger.read import read_account, read_accounts_fresh, read_ledger
from collectctl.storage import store
from collectctl.storage.layout import CUSTOMERS_DIR, Layout, event_file_name, written_at


class Clock(Struct, frozen=True):
    """The business date (--today) and the wall-clock moment events are recorded at."""

    today: date
    now: datetime


class Outcome(Struct, frozen=True):
    """What a change did, for the command to report."""

    summary: str
    commit: str | None = None
    notice: str | None = None  # what crash recovery did first, if anything
    details: tuple[str, ...] = ()  # further lines for the user: the next follow-up, …


class LedgerChange:
    """One commit's worth of edits to a ledger, under its lock."""

    def __init__(
        self, change: Change, ledger: Ledger, clock: Clock | None, any_format: bool = False
    ):
        self.change = change
        self.ledger = ledger
        self.clock = clock
        self.any_format = any_format  # migrate reads the format it upgrades
        self._accounts: dict[str, AccountEdit] = {}
        # per activity folder, the latest moment an event file there is named for (on
        # disk, or named by this change): the next one is named after it
        self._latest: dict[Path, datetime | None] = {}

    @property
    def layout(self) -> Layout:
        return self.ledger.layout

    @property
    def config(self) -> Config:
        return self.ledger.config

    def account(self, customer_id: str) -> AccountEdit:
        """The account as it is now, read again under the lock."""
        if customer_id not in self._accounts:
            account = read_account(self.layout.root, customer_id, self.any_format)
            self._accounts[customer_id] = AccountEdit(self, account)
        return self._accounts[customer_id]

    def write(self, path: Path, content: str | bytes) -> None:
        self.change.write(path, content)

    def whole_ledger(self) -> Ledger:
        """Every account as it is now, read under the lock: for rules that span customers
        (read before the lock, two writers could both pass them)."""
        return read_ledger(self.layout.root, any_format=self.any_format).strict()

    def refuse_what_check_would_reject(self) -> None:
        """Read every account this change wrote to as any command will read it next, and
        refuse the change when that would fail: nothing is committed that check rejects."""
        written = sorted({
            parts[1]
            for parts in (path.split("/") for path in self.change.paths)
            if parts[0] == CUSTOMERS_DIR and len(parts) > 2
        })  # fmt: skip
        for _, account, problems in read_accounts_fresh(self.layout.root, written, self.any_format):
            if account is not None and not problems:
                known = self.ledger.config.collector_ids
                problems = account_problems(self.layout, account, set(), known)
            if problems:
                raise CollectctlError(f"nothing recorded: it would leave {problems[0]}")

    def write_many(self, files: list[tuple[Path, str]], progress: Progress = None) -> None:
        """Many files at once (an import): one check against HEAD and one journal for all."""
        self.change.write_many(files, progress)

    def _next_moment(self, folder: Path, now: datetime) -> datetime:
        """Now, or, when the account already has a file from this second or later (two
        records in one second), the second after it: a folder lists in the order its
        files were written, to the second, without a suffix (`recorded:` keeps the time)."""
        if folder not in self._latest:  # once per folder and change, not per event
            names = os.listdir(folder) if folder.is_dir() else []
            stamps = [moment for moment in map(written_at, names) if moment is not None]
            self._latest[folder] = max(stamps, default=None)
        latest = self._latest[folder]
        if latest is not None and latest >= now.replace(microsecond=0):
            now = latest + timedelta(seconds=1)
        self._latest[folder] = now.replace(microsecond=0)
        return now

    def event_file(
        self,
        customer_id: str,
        kind: str,
        record: dict[str, Any],
        on: date | None = None,
        name: str | None = None,
    ) -> tuple[Path, str]:
        """An activity file's path and text: `on` is the day it tells of (a payment's
        arrival), if not the business date. A new file's name is free in the folder and
        among the files this change has named; `name` is a file this change wrote, again."""
        assert self.clock is not None, "a change that records events needs a clock"
        clock, collector = self.clock, self.change.identity.collector_id
        folder = self.layout.activity_dir(customer_id)
        if name is None:
            name = event_file_name(self._next_moment(folder, clock.now), kind, collector)
        header = {
            "kind": kind,
            "date": on or clock.today,
            "collector": collector,
            "recorded": clock.now.astimezone(UTC).isoformat(timespec="seconds"),
        }
        body = {key: value for key, value in record.items() if value not in (None, [], "")}
        return folder / name, store.records_text(header | body)

    def describe(
        self, subject: str, action: str, customer: str | None = None, body: str | None = None
    ) -> None:
        """The commit subject a person reads in `git log --oneline`, its body, trailers."""
        self.change.describe(subject, action, customer, body)

    def outcome(self, details: tuple[str, ...] | list[str] = ()) -> Outcome:
        """What happened, once the block has committed."""
        change = self.change
        return Outcome(change.subject or "", change.commit_id, change.notice, tuple(details))


class AccountEdit:
    """One account inside a change: its documents, its new events, its description."""

    def __init__(self, parent: LedgerChange, account: Account):
        self.parent = parent
        self.account = account
        self._documents: dict[Path, store.Document] = {}

    @property
    def id(self) -> str:
        return self.account.id

    @property
    def layout(self) -> Layout:
        return self.parent.layout

    @property
    def config(self) -> Config:
        return self.parent.config

    @property
    def change(self) -> Change:
        return self.parent.change

    @property
    def clock(self) -> Clock:
        assert self.parent.clock is not None, "a change that records events needs a clock"
        return self.parent.clock

    def document(self, path: Path) -> store.Document:
        """A file of this account loaded round-trip; edits to it build on each other."""
        if path not in self._documents:
            self._documents[path] = store.Document.open(path, self.layout.rel(path))
        return self._documents[path]

    def save(self, path: Path) -> None:
        """Write an edited document (atomically; the change can still put it back)."""
        self.parent.write(path, self.document(path).text())

    def write_event(
        self, kind: str, record: dict[str, Any], on: date | None = None, name: str | None = None
    ) -> str:
        """Write one new activity file and return its name; `on` is the day it tells of
        (a payment's arrival), if not the business date; `name`: write again a file this
        change wrote (an email confirmed once the server accepted it)."""
        path, text = self.parent.event_file(self.id, kind, record, on, name)
        self.parent.write(path, text)
        return path.name

    def describe(self, subject: str, action: str) -> None:
        self.parent.describe(subject, action, self.id)

    def outcome(self, details: tuple[str, ...] | list[str] = ()) -> Outcome:
        return self.parent.outcome(details)


@contextmanager
def ledger_change(
    ledger: Ledger, identity: Identity, clock: Clock | None = None, any_format: bool = False
) -> Iterator[LedgerChange]:
    """Lock the ledger, finish any interrupted change, let the block edit, commit once."""
    with Audit(ledger.layout).change(identity) as change:
        edit = LedgerChange(change, ledger, clock, any_format)
        yield edit
        edit.refuse_what_check_would_reject()


@contextmanager
def account_change(
    ledger: Ledger, identity: Identity, customer_id: str, clock: Clock | None = None
) -> Iterator[AccountEdit]:
    """`ledger_change` for one existing account; an unknown id fails before the lock."""
    ledger.account(customer_id)
    with ledger_change(ledger, identity, clock) as change:
        yield change.account(customer_id)


def finish_interrupted(layout: Layout) -> str | None:
    """Finish a change a killed process left half-done: roll it back, or commit it if its
    email had gone out. What was done, for the user; nothing when there was nothing."""
    return recover_interrupted(layout)


def ready_to_write(layout: Layout) -> None:
    """Refuse before reading anything when git is mid-merge, -rebase, … or detached: that
    is the first thing a collector needs to hear, not a conflict marker in some file."""
    Audit(layout).refuse_while_busy()
