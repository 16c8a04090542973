"""What the global options decide for every command: which ledger, what day, who acts."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collectctl.errors import NotFoundError
from collectctl.storage.layout import CONFIG_FILE, JOURNAL_FILE, Layout, find_ledger_root

if TYPE_CHECKING:
    from collections.abc import Callable

    from collectctl.audit.identity import Identity
    from collectctl.changes.account_change import Clock
    from collectctl.domain.models import Account, Collector, Config
    from collectctl.ledger.accounts import Ledger


@dataclass
class Session:
    ledger_option: Path | None
    today: date
    collector: str | None
    debug: bool = False
    ledger_from: str = "--ledger"  # or COLLECTCTL_LEDGER: what to name in an error
    _recovered: bool = field(default=False, repr=False)

    @cached_property
    def root(self) -> Path:
        if self.ledger_option is None:
            return find_ledger_root(Path.cwd())
        root = self.ledger_option.expanduser().resolve()
        if not (root / CONFIG_FILE).is_file():
            given = f"{self.ledger_from}={self.ledger_option}"
            if self.ledger_from == "--ledger":
                given = f"--ledger {self.ledger_option}"
            raise NotFoundError(f"{given}: no {CONFIG_FILE} there")
        return root

    def layout(self) -> Layout:
        """The ledger's layout, once any change a killed process left half-done is
        finished (rolled back, or committed if its email had gone out)."""
        layout = Layout(self.root)
        if not self._recovered and (layout.state / JOURNAL_FILE).exists():
            # only then: a read never pays for importing the change machinery
            from collectctl.changes.account_change import finish_interrupted

            self._recovered = True
            notice = finish_interrupted(layout)
            if notice:
                print(f"collectctl: {notice}", file=sys.stderr)
        return layout

    def ledger(self, any_format: bool = False, for_writing: bool = False) -> Ledger:
        """The whole ledger; the first problem in it stops the command. A ledger in an
        older format is refused (run migrate) unless `any_format`; one git is busy with
        (a merge, a rebase…) is refused first when the command will write."""
        from collectctl.ledger.read import read_ledger

        layout = self._layout_for(for_writing)
        return read_ledger(layout.root, any_format=any_format, announce=self.announce).strict()

    @property
    def announce(self) -> Callable[[int], None] | None:
        """Where a long rebuild of the cache is announced: on a terminal, not to a pipe
        or a cron job's mail."""
        return _announce_rebuild if sys.stderr.isatty() else None

    def _layout_for(self, writing: bool) -> Layout:
        layout = self.layout()
        if writing:
            from collectctl.changes.account_change import ready_to_write

            ready_to_write(layout)
        return layout

    def config(self) -> Config:
        """The ledger's configuration alone, whatever the state of its other files."""
        from collectctl.ledger.read import read_config

        return read_config(self.layout().root)

    def ledger_for_list(self, collector: str | None, everyone: bool) -> tuple[Ledger, str | None]:
        """The ledger as a call list or follow-ups read it, and whose they are (None:
        everyone's; see `whose_list`): only the accounts that collector could have a say
        in and those nobody owns, the first problem in them stopping the command. The
        rest are read no further than their owner and their activity's file names."""
        from collectctl.domain.call_list import whose_accounts
        from collectctl.ledger.read import read_ledger

        config = self.config()
        who = whose_list(self, config, collector, everyone)
        view = whose_accounts(config, who)
        root = self.layout().root
        return read_ledger(root, announce=self.announce, view=view).strict(), who

    def ledger_for(self, customer_id: str, for_writing: bool = False) -> Ledger:
        """Just the configuration and this customer: what a change to one account needs."""
        from collectctl.ledger.read import read_ledger
        from collectctl.storage.layout import check_customer_id

        check_customer_id(customer_id)
        layout = self._layout_for(for_writing)
        return read_ledger(layout.root, only=customer_id).strict()

    def moment(self, hhmm: str | None) -> datetime:
        """`--now HH:MM` on the business date, in this machine's time zone (else the
        clock's time of day): when the call list is worked, for calling hours."""
        from datetime import time

        from collectctl.errors import UsageError

        local = datetime.now().astimezone()
        if hhmm is None:
            return datetime.combine(self.today, local.time(), local.tzinfo)
        try:
            if len(hhmm) != 5:
                raise ValueError
            at = time.fromisoformat(hhmm)
        except ValueError:
            raise UsageError(f"--now {hhmm!r}: write the time as HH:MM, like 09:30") from None
        return datetime.combine(self.today, at, local.tzinfo)

    def clock(self) -> Clock:
        from collectctl.changes.account_change import Clock

        return Clock(self.today, datetime.now().astimezone())

    def collector_profile(self, ledger: Ledger, owner_of: Account | None = None) -> dict[str, Any]:
        """Name and email of the person acting, for the templates: emails are signed by
        and copied to whoever sends them, not the account's owner. A document only
        printed (`owner_of` its account) may speak for the owner when no one is acting."""
        from collectctl.errors import CollectctlError

        try:
            acting = self.identity(ledger)
        except CollectctlError:
            if owner_of is None:
                raise
            from collectctl.domain.escalation import responsible_collector
            from collectctl.presentation.contexts import collector_context

            return collector_context(ledger.config, responsible_collector(owner_of))
        return {"id": acting.collector_id, "name": acting.name, "email": acting.email}

    def acting_collector(self, config: Config) -> Collector | None:
        """The collector acting (--collector, COLLECTCTL_COLLECTOR or git's user), when the
        ledger lists collectors and they are one; None otherwise. A --collector that names
        nobody is still refused."""
        from collectctl.audit.identity import resolve_identity
        from collectctl.errors import CollectctlError

        if not config.collectors:
            return None
        try:
            acting = resolve_identity(self.root, config, self.collector)
        except CollectctlError:
            if self.collector:
                raise
            return None
        return config.find_collector(acting.collector_id)

    def identity(self, ledger: Ledger) -> Identity:
        from collectctl.audit.identity import resolve_identity

        return resolve_identity(ledger.root, ledger.config, self.collector)


def today_from(option: str | None) -> date:
    """--today, else COLLECTCTL_TODAY, else the real date: the one place the clock is read."""
    from collectctl.domain.inputs import as_option, parse_date

    text = option or os.environ.get("COLLECTCTL_TODAY")
    if not text:
        return date.today()
    return as_option(parse_date, text, "--today" if option else "COLLECTCTL_TODAY")


def collector_filter(config: Config, name: str | None) -> str | None:
    """`--collector` as a filter: a collector's id, or None for everyone."""
    from collectctl.domain.inputs import collector_option

    return None if name is None else collector_option(config, name, "--collector")


def whose_list(
    session: Session, config: Config, collector: str | None, everyone: bool
) -> str | None:
    """Whose call list or follow-ups: --collector's, else the person acting's when the
    ledger lists collectors and they are one; everyone's (None) with --all or otherwise."""
    from collectctl.errors import UsageError

    if everyone and collector:
        raise UsageError("--all and --collector: choose one")
    if everyone or collector:
        return collector_filter(config, collector)
    acting = session.acting_collector(config)
    return acting.id if acting else None


def say_if_partial(ledger: Ledger, who: str | None) -> str | None:
    """In a clone holding only some customers (`collectctl clone --collector`), a view of
    everyone's accounts (`who` None) or of another collector's covers only those checked
    out: say so on stderr, where it never changes a listing, a JSON or a CSV; the words
    are returned for a mailed copy, which must say it too. None in a clone holding all."""
    from collectctl.audit.sparse import partial

    held = partial(ledger.root, who)
    if held is None:
        return None
    note = f"{held}; what is shown covers those only"
    print(f"collectctl: {note}", file=sys.stderr)
    return note


def _announce_rebuild(accounts: int) -> None:
    print(
        f"collectctl: reading {accounts:,} accounts from their files; "
        "they are cached for the runs after this one...",
        file=sys.stderr,
        flush=True,
    )
