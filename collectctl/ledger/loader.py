"""Reading a ledger from its files, noting every problem with its file and line.

Nothing here caches: `cache.py` wraps these functions, and `read.py` is the one entry
point that commands and changes use.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from functools import partial
from typing import Any

from msgspec import Struct

from collectctl.domain.models import Account, Config, DisputeEvent, Escalation, Event
from collectctl.domain.settle import settle
from collectctl.errors import LedgerFileError, Problem
from collectctl.storage.environment import env_number
from collectctl.storage.files import read_text
from collectctl.storage.layout import (
    ACTIVITY_DIR,
    CUSTOMER_FILE,
    INVOICES_FILE,
    Layout,
    event_file_kind,
    valid_slug,
)

PARALLEL_FROM = 64  # below this many accounts to parse, starting workers costs more
# Accounts handed to a worker at a time: enough that handing them over costs little, few
# enough that when one worker takes the last task the others wait only ~50 ms idle.
_MOST_A_TASK = 40


def read_config_text(layout: Layout, problems: list[Problem]) -> str | None:
    try:
        return read_text(layout.config, layout.rel(layout.config))
    except LedgerFileError as exc:
        problems.append(exc.problem())
        return None


def parse_config_text(layout: Layout, text: str | None, problems: list[Problem]) -> Config:
    from collectctl.storage import store
    from collectctl.storage.schema import parse_config

    if text is None:
        return Config(company="?")  # its problem is noted; go on to note the rest
    label = layout.rel(layout.config)
    try:
        raw = store.parse(text, label)
    except LedgerFileError as exc:
        problems.append(exc.problem())
        return Config(company="?")
    return parse_config(raw, label, problems)


def customer_ids(layout: Layout, problems: list[Problem]) -> list[str]:
    """The customer folders, in id order; anything else in customers/ is a problem."""
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
_SYMLINK = "is a symlink; ledgers hold only real files"


def _kind(path: str) -> int | None:
    """The file type bits of `path` itself (one lstat: symlinks not followed), None when
    there is nothing there."""
    try:
        return stat.S_IFMT(os.lstat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _read_raw(path: str, label: str, problems: list[Problem], symlink: bool) -> Any:
    """A file's data, or _UNREADABLE with its problem noted; `symlink` as the folder's
    listing or an lstat said (a cold read lists 20,000 activity folders: no lstat each)."""
    import collectctl.storage.store as store  # not `from … import`: a call less a file

    if symlink:
        problems.append(Problem(label, None, _SYMLINK))
        return _UNREADABLE
    try:
        return store.read(path, label)
    except LedgerFileError as exc:
        problems.append(exc.problem())
        return _UNREADABLE


def read_account(
    layout: Layout,
    customer_id: str,
    config: Config,
    problems: list[Problem],
    files: list[str] | None = None,
) -> Account | None:
    """One account from its files, noting problems; `files` collects the paths read (as
    problems name them: from the ledger's root)."""
    from collectctl.storage.event_schema import parse_event
    from collectctl.storage.invoice_schema import parse_invoices
    from collectctl.storage.schema import parse_customer

    files = [] if files is None else files
    folder = f"{layout.customers}/{customer_id}"
    prefix = f"customers/{customer_id}"
    customer_path = f"{folder}/{CUSTOMER_FILE}"
    kind = _kind(customer_path)
    if kind is None or (kind == stat.S_IFLNK and not os.path.exists(customer_path)):
        problems.append(Problem(prefix, None, f"customer folder has no {CUSTOMER_FILE}"))
        return None
    label = f"{prefix}/{CUSTOMER_FILE}"
    files.append(label)
    raw_customer = _read_raw(customer_path, label, problems, kind == stat.S_IFLNK)
    if raw_customer is _UNREADABLE:
        return None
    customer = parse_customer(raw_customer, customer_id, label, config, problems)

    invoices = []
    invoices_path = f"{folder}/{INVOICES_FILE}"
    kind = _kind(invoices_path)
    if kind is not None:
        label = f"{prefix}/{INVOICES_FILE}"
        files.append(label)
        raw_invoices = _read_raw(invoices_path, label, problems, kind == stat.S_IFLNK)
        if raw_invoices is not _UNREADABLE:
            invoices = parse_invoices(raw_invoices, label, customer, problems, config.format)

    events: list[Event] = []
    activity = f"{folder}/{ACTIVITY_DIR}"
    kind = _kind(activity)
    if kind == stat.S_IFLNK:
        problems.append(Problem(f"{prefix}/{ACTIVITY_DIR}", None, _SYMLINK))
        return None
    entries = sorted(os.scandir(activity), key=_name) if kind == stat.S_IFDIR else []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        label = f"{prefix}/{ACTIVITY_DIR}/{name}"
        named = event_file_kind(name)
        if named is None:
            problems.append(
                Problem(label, None, "activity file name should be DATE'T'TIME-KIND-COLLECTOR.yaml")
            )
            continue
        files.append(label)
        raw_event = _read_raw(entry.path, label, problems, entry.is_symlink())
        if raw_event is _UNREADABLE:
            continue
        event = parse_event(raw_event, name, label, problems, config.format)
        if event is None:
            continue
        if event.kind != named:
            problems.append(_misnamed(label, named, event.kind))
            continue
        events.append(event)
    events.sort(key=lambda event: (event.date, event.file))
    account = Account(customer, tuple(invoices), _corrected(events, prefix, problems))
    if config.format < 2:
        return account  # format 1 stored its applications: read as they were, to migrate
    return settle(account)[0]


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _misnamed(label: str, named: str, kind: str) -> Problem:
    # The name is what `ls`, reviewers and a collector's view (set_aside) go by.
    right = label.rsplit("/", 1)[1].replace(f"-{named}-", f"-{kind}-", 1)
    article = "an" if kind[0] in "aeiou" else "a"
    return Problem(
        label, None, f"holds {article} {kind}, but its name says {named}: rename it {right}"
    )


def _corrected(events: list[Event], prefix: str, problems: list[Problem]) -> tuple[Event, ...]:
    """The events in force: one that names another in `corrects:` takes its place (event
    files are never rewritten; a mistake is put right by a new file)."""
    names = {event.file for event in events}
    replaced = set()
    for event in events:
        if event.corrects is None:
            continue
        if event.corrects in names and event.corrects != event.file:
            replaced.add(event.corrects)
        else:
            problems.append(
                Problem(
                    f"{prefix}/{ACTIVITY_DIR}/{event.file}",
                    None,
                    f"corrects {event.corrects}, which is not another file in {ACTIVITY_DIR}/",
                )
            )
    return tuple(event for event in events if event.file not in replaced)


# Only an escalation (`to:`) or a dispute (`owner:`) gives another collector a say in an
# account; an activity file's name says which kind it holds (read_account holds it to it).
_KINDS_FOR_OTHERS = frozenset((Escalation.kind, DisputeEvent.kind))


class Aside(Struct, frozen=True):
    """An account a collector's view leaves unread: its owner is someone else, and
    nothing in it could give the collector a say."""

    owner: str


def set_aside(
    layout: Layout, customer_id: str, config: Config, view: str, files: list[str]
) -> Aside | None:
    """The account as `Aside` when it surely cannot be on `view`'s lists: it has an owner
    who is not `view`, and no activity file is named for an escalation or a dispute.
    Read: its customer.yaml and its activity's names. None when it might be on them, or
    when anything looks amiss (reading it in full notes the problem); `files` collects
    the paths read."""
    from collectctl.storage.schema import parse_customer

    folder = f"{layout.customers}/{customer_id}"
    label = f"customers/{customer_id}/{CUSTOMER_FILE}"
    if _kind(f"{folder}/{CUSTOMER_FILE}") != stat.S_IFREG:
        return None
    problems: list[Problem] = []
    raw = _read_raw(f"{folder}/{CUSTOMER_FILE}", label, problems, symlink=False)
    if raw is _UNREADABLE:
        return None
    owner = parse_customer(raw, customer_id, label, config, problems).owner
    if problems or owner is None or owner == view:
        return None
    activity = f"{folder}/{ACTIVITY_DIR}"
    kind = _kind(activity)
    if kind not in (None, stat.S_IFDIR):
        return None
    for entry in os.scandir(activity) if kind else ():
        named = event_file_kind(entry.name)
        if named in _KINDS_FOR_OTHERS or (named is None and not entry.name.startswith(".")):
            return None
    files.append(label)
    return Aside(owner)


class Parsed(Struct, frozen=True):
    customer_id: str
    # the Account, or what `freeze` made of it; an Aside; None when it did not parse
    result: Any
    problems: list[Problem]
    stamp: tuple[int, ...] | None  # the folder's stamp, taken before its files were read
    files: list[str]  # the files read, from the ledger's root


Stamper = Callable[[Layout, str], "tuple[int, ...] | None"]


def parse_accounts(
    layout: Layout,
    config: Config,
    ids: list[str],
    freeze: Callable[[Account, Config], Any] | None = None,
    stamper: Stamper | None = None,
    view: str | None = None,
) -> list[Parsed]:
    """Parse accounts, on every core when there are many; results in the order given.
    `freeze` turns each account into what the caller keeps (the cache's pickles), in the
    worker, so the parent never rebuilds objects it does not read; `stamper` stamps each
    folder before its files are read; with `view`, a collector's, the accounts that
    surely cannot be on their lists are only set aside (`Aside`)."""
    parse = partial(_parse_one, layout, config, freeze, stamper, view)
    workers = worker_count()
    if len(ids) < PARALLEL_FROM or workers < 2:
        return [parse(customer_id) for customer_id in ids]
    import multiprocessing  # a cold read needs them; a warm one does not import them
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        chunks = max(1, min(_MOST_A_TASK, len(ids) // (workers * 8)))
        return list(pool.map(parse, ids, chunksize=chunks))


def worker_count() -> int:
    """COLLECTCTL_WORKERS, else the cores (at most 8)."""
    return int(env_number("COLLECTCTL_WORKERS", min(os.cpu_count() or 1, 8), 1, 64, whole=True))


def _parse_one(
    layout: Layout,
    config: Config,
    freeze: Callable[[Account, Config], Any] | None,
    stamper: Stamper | None,
    view: str | None,
    customer_id: str,
) -> Parsed:
    stamp = stamper(layout, customer_id) if stamper else None
    problems: list[Problem] = []
    files: list[str] = []
    if view is not None and (aside := set_aside(layout, customer_id, config, view, files)):
        return Parsed(customer_id, aside, problems, stamp, files)
    account = read_account(layout, customer_id, config, problems, files)
    result: Any = account
    if account is not None and freeze is not None:
        result = freeze(account, config)
    return Parsed(customer_id, result, problems, stamp, files)
