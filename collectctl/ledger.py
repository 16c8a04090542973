"""The loaded ledger: configuration and every customer's account, read from disk once."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from collectctl.errors import LedgerFileError, NotFoundError, Problem, did_you_mean
from collectctl.files import read_text
from collectctl.layout import (
    ACTIVITY_DIR,
    CUSTOMER_FILE,
    INVOICES_FILE,
    Layout,
    valid_event_file,
    valid_slug,
)
from collectctl.models import Account, Config

if TYPE_CHECKING:
    from collectctl.policy import Standing


class AccountRecord:
    """One account as a loaded ledger holds it: objects, or the cache's pickled bytes
    until something asks for them. A call list reads standings, never whole accounts,
    and only of accounts awake on the day."""

    __slots__ = ("_account", "_standing", "wake")

    def __init__(self, wake: date | None, standing: Standing | bytes, account: Account | bytes):
        self.wake = wake
        self._standing = standing
        self._account = account

    @classmethod
    def parsed(cls, account: Account, config: Config) -> AccountRecord:
        from collectctl.policy import standing

        found = standing(account, config)
        return cls(found.wake, found, account)

    @property
    def standing(self) -> Standing:
        if isinstance(self._standing, bytes):
            self._standing = pickle.loads(self._standing)
        return self._standing

    @property
    def account(self) -> Account:
        if isinstance(self._account, bytes):
            self._account = pickle.loads(self._account)
        return self._account

    def pickled(self) -> tuple[date | None, bytes, bytes]:
        return self.wake, _pickled(self._standing), _pickled(self._account)


def _pickled(value) -> bytes:
    return value if isinstance(value, bytes) else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


class Accounts(Mapping):
    """Accounts by customer id, in id order, each unpickled when first asked for."""

    def __init__(self, records: dict[str, AccountRecord]):
        self._records = records

    def __getitem__(self, customer_id: str) -> Account:
        return self._records[customer_id].account

    def __iter__(self):
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


@dataclass(frozen=True)
class Ledger:
    layout: Layout
    config: Config
    records: dict[str, AccountRecord]  # by customer id, in id order

    @property
    def root(self) -> Path:
        return self.layout.root

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.records)

    def standings(self, awake_on: date | None = None) -> Iterator[Standing]:
        """Every account's standing, in id order; with `awake_on`, only those that could
        need a call or a follow-up on that day."""
        for record in self.records.values():
            if awake_on is None or (record.wake is not None and record.wake <= awake_on):
                yield record.standing

    @classmethod
    def load(cls, root: Path) -> Ledger:
        """Read the whole ledger; the first problem found is raised with its file and line."""
        problems: list[Problem] = []
        ledger = scan(Layout(root), problems)
        if problems:
            raise problems[0].error()
        return ledger

    @classmethod
    def load_one(cls, root: Path, customer_id: str) -> Ledger:
        """The configuration and one customer's account: all a change to that customer
        needs, without reading (or even stat-ing) anyone else's files."""
        layout = Layout(root)
        problems: list[Problem] = []
        config = load_config(layout, problems)
        if problems:
            raise problems[0].error()
        layout.customer_dir(customer_id)  # validates the id and refuses symlinks
        if not (layout.customers / customer_id).is_dir():
            known = (
                sorted(entry.name for entry in os.scandir(layout.customers))
                if layout.customers.is_dir()
                else []
            )
            hint = did_you_mean(customer_id, known)
            raise NotFoundError(f"unknown customer '{customer_id}'{hint}")
        account = load_account(layout, config, customer_id)
        return cls(layout, config, {customer_id: AccountRecord.parsed(account, config)})

    def account(self, customer_id: str) -> Account:
        try:
            return self.accounts[customer_id]
        except KeyError:
            hint = did_you_mean(customer_id, self.accounts)
            raise NotFoundError(f"unknown customer '{customer_id}'{hint}") from None


def load_config(layout: Layout, problems: list[Problem]) -> Config:
    return _config(layout, read_config_text(layout, problems), problems)[0]


def _config(layout: Layout, text: str | None, problems: list[Problem]) -> tuple[Config, bool]:
    """The configuration, as parsed before from the same text or parsed now; and
    whether it was parsed now."""
    from collectctl.cache import cached_config

    found = cached_config(layout, text) if text is not None else None
    if found is not None:
        return found, False
    return parse_config_text(layout, text, problems), True


def read_config_text(layout: Layout, problems: list[Problem]) -> str | None:
    try:
        return read_text(layout.config, layout.rel(layout.config))
    except LedgerFileError as exc:
        problems.append(Problem(exc.path, exc.line, exc.detail))
        return None


def parse_config_text(layout: Layout, text: str | None, problems: list[Problem]) -> Config:
    from collectctl import store
    from collectctl.schema import parse_config

    if text is None:
        return Config(company="?")  # its problem is noted; go on to note the rest
    label = layout.rel(layout.config)
    try:
        raw = store.parse(text, label)
    except LedgerFileError as exc:
        problems.append(Problem(exc.path, exc.line, exc.detail))
        return Config(company="?")
    return parse_config(raw, label, problems)


def scan(layout: Layout, problems: list[Problem]) -> Ledger:
    """Read everything, noting every problem instead of stopping at the first.

    The configuration and the accounts whose folders are unchanged since they were
    last parsed come from the cache (a warm read never imports the YAML parser); the
    rest are parsed, and cached when they parse without a problem."""
    from collectctl.cache import AccountCache

    config_text = read_config_text(layout, problems)
    config, parsed_now = _config(layout, config_text, problems)
    cache = AccountCache(layout)
    cached = not problems and cache.open(config_text)  # a bad configuration: not cached
    if cached and parsed_now:
        cache.put_config(config)
    ids = _customer_ids(layout, problems)
    found = cache.lookup(ids) if cached else {}
    records = {customer_id: AccountRecord(*entry) for customer_id, entry in found.items()}
    missing = [customer_id for customer_id in ids if customer_id not in records]
    for parsed in _parse_accounts(layout, config, missing):
        problems.extend(parsed.problems)
        if parsed.record is None:
            continue
        records[parsed.customer_id] = parsed.record
        if cached and not parsed.problems:
            cache.put(parsed.customer_id, parsed.stamp, parsed.record.pickled(), parsed.files)
    if cached:
        cache.save()
    return Ledger(layout, config, {i: records[i] for i in ids if i in records})


@dataclass(frozen=True)
class Parsed:
    customer_id: str
    record: AccountRecord | None
    problems: list[Problem]
    stamp: tuple | None  # the folder's stamp, taken before its files were read
    files: list[str]  # the files read, relative to the folder


PARALLEL_FROM = 64  # below this many accounts to parse, starting workers costs more


def _parse_accounts(layout: Layout, config: Config, ids: list[str]) -> list[Parsed]:
    """Parse accounts, on every core when there are many; results in the order given.
    Workers hand back pickled records: the parent unpickles only what it reads."""
    parse = partial(_parse_one, layout, config)
    workers = int(os.environ.get("COLLECTCTL_WORKERS") or min(os.cpu_count() or 1, 8))
    if len(ids) < PARALLEL_FROM or workers < 2:
        return [parse(customer_id) for customer_id in ids]
    import multiprocessing  # a cold read needs them; a warm one does not import them
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        chunks = max(1, len(ids) // (workers * 8))
        return list(pool.map(partial(_parse_pickled, parse), ids, chunksize=chunks))


def _parse_one(layout: Layout, config: Config, customer_id: str) -> Parsed:
    from collectctl.cache import folder_stamp

    stamp = folder_stamp(str(layout.customers), customer_id)
    problems: list[Problem] = []
    files: list[str] = []
    account = read_account(layout, customer_id, config, problems, files)
    record = AccountRecord.parsed(account, config) if account is not None else None
    return Parsed(customer_id, record, problems, stamp, files)


def _parse_pickled(parse, customer_id: str) -> Parsed:
    parsed = parse(customer_id)
    if parsed.record is not None:
        parsed = replace(parsed, record=AccountRecord(*parsed.record.pickled()))
    return parsed


def _customer_ids(layout: Layout, problems: list[Problem]) -> list[str]:
    try:
        entries = sorted(os.scandir(layout.customers), key=lambda entry: entry.name)
    except FileNotFoundError:
        return []
    ids = []
    for entry in entries:
        label = f"customers/{entry.name}"
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(Problem(label, None, "is a symlink; ledgers hold only real files"))
        elif not entry.is_dir():
            problems.append(Problem(label, None, "only customer folders belong in customers/"))
        elif not valid_slug(entry.name):
            problems.append(
                Problem(
                    label, None, "folder name is not a valid customer id (letters, digits, - _)"
                )
            )
        else:
            ids.append(entry.name)
    return ids


_UNREADABLE = object()  # a file whose problem is already noted; parsing it would only echo


def _read_raw(path: Path, label: str, problems: list[Problem]):
    from collectctl import store

    if path.is_symlink():
        problems.append(Problem(label, None, "is a symlink; ledgers hold only real files"))
        return _UNREADABLE
    try:
        return store.read(path, label)
    except LedgerFileError as exc:
        problems.append(Problem(exc.path, exc.line, exc.detail))
        return _UNREADABLE


def read_account(
    layout: Layout,
    customer_id: str,
    config: Config,
    problems: list[Problem],
    files: list[str] | None = None,
) -> Account | None:
    """One account from its files, noting problems; `files` collects the names read."""
    from collectctl.schema import parse_customer, parse_event, parse_invoices

    files = [] if files is None else files
    folder = layout.customers / customer_id
    prefix = f"customers/{customer_id}"
    customer_path = folder / CUSTOMER_FILE
    if not customer_path.exists():
        problems.append(Problem(prefix, None, f"customer folder has no {CUSTOMER_FILE}"))
        return None
    label = f"{prefix}/{CUSTOMER_FILE}"
    files.append(CUSTOMER_FILE)
    raw_customer = _read_raw(customer_path, label, problems)
    if raw_customer is _UNREADABLE:
        return None
    customer = parse_customer(raw_customer, customer_id, label, config, problems)

    invoices = []
    invoices_path = folder / INVOICES_FILE
    if invoices_path.exists() or invoices_path.is_symlink():
        label = f"{prefix}/{INVOICES_FILE}"
        files.append(INVOICES_FILE)
        raw_invoices = _read_raw(invoices_path, label, problems)
        if raw_invoices is not _UNREADABLE:
            invoices = parse_invoices(raw_invoices, label, customer, problems)

    events = []
    activity = folder / ACTIVITY_DIR
    names = sorted(os.listdir(activity)) if activity.is_dir() else []
    for name in names:
        if name.startswith("."):
            continue
        label = f"{prefix}/{ACTIVITY_DIR}/{name}"
        if not valid_event_file(name):
            problems.append(
                Problem(label, None, "activity file name should be DATE'T'TIME-KIND-COLLECTOR.yaml")
            )
            continue
        files.append(f"{ACTIVITY_DIR}/{name}")
        raw_event = _read_raw(activity / name, label, problems)
        if raw_event is _UNREADABLE:
            continue
        event = parse_event(raw_event, name, label, problems)
        if event is not None:
            events.append(event)
    events.sort(key=lambda event: (event.date, event.file))
    return Account(customer, tuple(invoices), tuple(events))


def load_account(layout: Layout, config: Config, customer_id: str) -> Account:
    """One customer's account, read fresh (under the write lock); stops at the first problem."""
    layout.customer_dir(customer_id)  # validates the id and refuses symlinks
    if not (layout.customers / customer_id).is_dir():
        raise NotFoundError(f"unknown customer '{customer_id}'")
    problems: list[Problem] = []
    account = read_account(layout, customer_id, config, problems)
    if problems:
        raise problems[0].error()
    return account
