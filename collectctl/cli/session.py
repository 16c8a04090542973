"""What the global options decide for every command: which ledger, what day, who acts."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from collectctl.errors import NotFoundError
from collectctl.layout import CONFIG_FILE, JOURNAL_FILE, Layout, find_ledger_root


@dataclass
class Session:
    ledger_option: Path | None
    today: date
    collector: str | None
    debug: bool = False

    @cached_property
    def root(self) -> Path:
        if self.ledger_option is None:
            return find_ledger_root(Path.cwd())
        root = self.ledger_option.expanduser().resolve()
        if not (root / CONFIG_FILE).is_file():
            raise NotFoundError(f"--ledger {self.ledger_option}: no {CONFIG_FILE} there")
        return root

    @cached_property
    def layout(self) -> Layout:
        layout = Layout(self.root)
        if (layout.state / JOURNAL_FILE).exists():
            self._recover(layout)
        return layout

    def _recover(self, layout: Layout) -> None:
        from collectctl.audit import Audit

        audit = Audit(layout)
        with audit.lock():
            notice = audit.recover()
        if notice:
            print(f"collectctl: {notice}", file=sys.stderr)

    def ledger(self):
        from collectctl.ledger import Ledger

        return Ledger.load(self.layout.root)

    def ledger_for(self, customer_id: str):
        """Just the configuration and this customer: what a change to one account needs."""
        from collectctl.ledger import Ledger

        return Ledger.load_one(self.layout.root, customer_id)

    def clock(self):
        from datetime import datetime

        from collectctl.recording import Clock

        return Clock(self.today, datetime.now().astimezone())

    def collector_profile(self, ledger, account=None) -> dict:
        """Name and email of the collector for templates: --collector, else the account's."""
        from collectctl.policy import responsible_collector

        config = ledger.config
        who = self.collector or (responsible_collector(account) if account else None)
        found = config.find_collector(who) if who else None
        if found:
            return {"id": found.id, "name": found.name, "email": found.email}
        return {"id": who, "name": who or "your collector", "email": None}

    def identity(self, ledger):
        from collectctl.audit import Audit

        return Audit(ledger.layout).identity(ledger.config, self.collector)


def today_from(option: str | None) -> date:
    """--today, else COLLECTCTL_TODAY, else the real date: the one place the clock is read."""
    from collectctl.errors import UsageError

    text = option or os.environ.get("COLLECTCTL_TODAY")
    if not text:
        return date.today()
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        source = "--today" if option else "COLLECTCTL_TODAY"
        raise UsageError(f"{source}: {text!r} is not a date (write YYYY-MM-DD)") from None
