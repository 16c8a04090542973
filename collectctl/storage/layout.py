"""Where things live in a ledger folder, and the guards that keep paths inside it."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

from collectctl.domain.identifiers import valid_invoice_number as valid_invoice_number
from collectctl.domain.identifiers import valid_slug as valid_slug
from collectctl.errors import NotFoundError, UsageError

CONFIG_FILE = "collectctl.yaml"
CUSTOMERS_DIR = "customers"
CUSTOMER_FILE = "customer.yaml"
INVOICES_FILE = "invoices.yaml"
ACTIVITY_DIR = "activity"
DOCUMENTS_DIR = "documents"
TEMPLATES_DIR = "templates"
STATE_DIR = ".collectctl"  # git-ignored: lock, journal, cache
JOURNAL_FILE = "journal.json"  # an unfinished change, for crash recovery
OUTBOX_DIR = "outbox"

# Written since collectctl 0.x: UTC to the second with a Z; earlier ledgers hold local
# times, some with microseconds. All are read.
_EVENT_FILE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})T\d{6}(\.\d{6}|Z)?-(?P<kind>[a-z]+)-[A-Za-z0-9_-]+(-\d+)?\.yaml"
)


def check_customer_id(value: str) -> str:
    """A customer id is a short slug; anything else never reaches a path or git."""
    if not valid_slug(value):
        raise UsageError(
            f"invalid customer id {value!r}: use letters, digits, '-' and '_' "
            "(starting with a letter or digit, at most 64)"
        )
    return value


def customer_pathspec(customer_id: str | None) -> str:
    """The part of the ledger that holds one customer's files (everything for None)."""
    return "." if customer_id is None else f"{CUSTOMERS_DIR}/{check_customer_id(customer_id)}"


def event_file_kind(name: str) -> str | None:
    """The kind of event an activity file's name says it holds; None for a name that
    is not an activity file's."""
    found = _EVENT_FILE.fullmatch(name)
    return found["kind"] if found else None


def slugify(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return slug[:32] or "someone"


def event_file_name(moment: datetime, kind: str, collector_id: str) -> str:
    """When it was written (UTC, to the second) + kind + collector: two collectors in
    their own clones never pick the same name, and `ls` lists a customer's activity in
    the order it happened, wherever each collector's clock is. (The day an event tells
    of is its `date:`.)"""
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H%M%SZ}-{kind}-{slugify(collector_id)}.yaml"


def written_at(name: str) -> datetime | None:
    """The moment an activity file's name gives, for names written in UTC."""
    try:
        return datetime.strptime(name[:18], "%Y-%m-%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None  # an older name, in local time: not comparable


def find_ledger_root(start: Path) -> Path:
    """The nearest folder upward from `start` that holds collectctl.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise NotFoundError(
        f"no ledger here: no {CONFIG_FILE} in {start} or any folder above it "
        "(pass --ledger PATH, set COLLECTCTL_LEDGER, or run 'collectctl init DIR')"
    )


class Layout:
    """Paths inside one ledger; every path handed out is checked to stay inside it."""

    def __init__(self, root: Path):
        self.root = root

    @property
    def config(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def customers(self) -> Path:
        return self.root / CUSTOMERS_DIR

    @property
    def state(self) -> Path:
        return self.root / STATE_DIR

    def state_dir(self) -> Path:
        """The state folder, created if need be, ignoring itself in any repository."""
        self.state.mkdir(exist_ok=True)
        ignore = self.state / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n")
        return self.state

    def customer_dir(self, customer_id: str) -> Path:
        return self.inside(self.customers / check_customer_id(customer_id))

    def customer_file(self, customer_id: str) -> Path:
        return self.inside(self.customer_dir(customer_id) / CUSTOMER_FILE)

    def invoices_file(self, customer_id: str) -> Path:
        return self.inside(self.customer_dir(customer_id) / INVOICES_FILE)

    def activity_dir(self, customer_id: str) -> Path:
        return self.inside(self.customer_dir(customer_id) / ACTIVITY_DIR)

    def rel(self, path: Path) -> str:
        """The path as a person reads it in messages and git: relative, with slashes."""
        return path.relative_to(self.root).as_posix()

    def inside(self, path: Path) -> Path:
        """Refuse a path that leaves the ledger or passes through a symlink."""
        relative = path.relative_to(self.root)
        current = self.root
        for part in relative.parts:
            current = current / part
            if current.is_symlink():
                raise UsageError(f"{self.rel(current)} is a symlink; ledgers hold only real files")
        if not os.path.realpath(path).startswith(os.path.realpath(self.root) + os.sep):
            raise UsageError(f"{path} is outside the ledger")
        return path
