"""The one way to read a ledger: `read_ledger` returns it with every problem found.

Commands that need a sound ledger call `.strict()`, which raises the first problem with
its file and line; `check` lists them all. Reading one customer reads just the
configuration and that customer's files — all a change to one account needs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from msgspec import Struct

from collectctl.audit.sparse import outside_checkout
from collectctl.domain.models import LEDGER_FORMAT, Account, Config
from collectctl.errors import CollectctlError, NotFoundError, Problem
from collectctl.ledger import cache, loader
from collectctl.ledger.accounts import AccountRecord, Ledger, unknown_customer
from collectctl.storage.layout import CONFIG_FILE, Layout


class Loaded(Struct, frozen=True):
    ledger: Ledger
    problems: list[Problem]

    def strict(self) -> Ledger:
        """The ledger, or the first problem found as an error with its file and line."""
        if self.problems:
            raise self.problems[0].error()
        return self.ledger


def read_ledger(
    root: Path,
    only: str | None = None,
    any_format: bool = False,
    announce: Callable[[int], None] | None = None,
    view: str | None = None,
) -> Loaded:
    """The whole ledger, through the cache; with `only`, the configuration and that one
    customer's account, read fresh from its files (an unknown id is an error). A ledger in
    an older format is refused (run migrate) unless `any_format`. `announce`: told how
    many accounts are read from their files to rebuild the cache, when they are many.
    With `view`, a collector's: only the accounts they could have a say in and those
    nobody owns (what their call list and follow-ups read); problems elsewhere go unseen."""
    layout = Layout(root)
    problems: list[Problem] = []
    config, text, parsed_now = cache.read_config(layout, problems)
    if not problems and not any_format:
        _check_format(config.format)
    if only is None:
        records = cache.read_accounts(layout, config, text, parsed_now, problems, announce, view)
        return Loaded(Ledger(layout, config, records, view), problems)
    if problems:  # a broken configuration: say so before anything about the customer
        return Loaded(Ledger(layout, config, {}), problems)
    layout.customer_dir(only)  # validates the id and refuses symlinks
    if not (layout.customers / only).is_dir():
        elsewhere = outside_checkout(root, only)
        if elsewhere:
            raise NotFoundError(elsewhere)
        known = sorted(os.listdir(layout.customers)) if layout.customers.is_dir() else []
        raise unknown_customer(only, known)
    account = loader.read_account(layout, only, config, problems)
    records = {only: AccountRecord(account, config)} if account else {}
    return Loaded(Ledger(layout, config, records), problems)


def read_config(root: Path) -> Config:
    """Just the configuration (what reads the ledger at other commits needs); a problem in
    it stops the command, problems elsewhere do not."""
    problems: list[Problem] = []
    config, _, _ = cache.read_config(Layout(root), problems)
    if problems:
        raise problems[0].error()
    _check_format(config.format)
    return config


def read_account(root: Path, customer_id: str, any_format: bool = False) -> Account:
    """One customer's account read fresh from its files (under the write lock, say);
    the first problem stops it."""
    return read_ledger(root, customer_id, any_format).strict().account(customer_id)


def read_accounts_fresh(
    root: Path, ids: list[str], any_format: bool = False
) -> list[tuple[str, Account | None, list[Problem]]]:
    """Accounts read fresh from their files, on every core when there are many (what a
    change with thousands of files reads back before it commits), each with its problems."""
    layout = Layout(root)
    problems: list[Problem] = []
    config, _, _ = cache.read_config(layout, problems)
    if problems:
        raise problems[0].error()
    if not any_format:
        _check_format(config.format)
    parsed = loader.parse_accounts(layout, config, ids)
    return [(p.customer_id, p.result, p.problems) for p in parsed]


class OldFormatError(CollectctlError):
    """The ledger was written by an older collectctl and must be migrated first."""


def _check_format(found: int) -> None:
    if found < LEDGER_FORMAT:
        raise OldFormatError(
            f"{CONFIG_FILE}: this ledger is in format {found}; run 'collectctl migrate' to bring "
            f"it to format {LEDGER_FORMAT} (one commit), then try again"
        )
    if found > LEDGER_FORMAT:
        raise OldFormatError(
            f"{CONFIG_FILE}: this ledger is in format {found}, newer than this collectctl "
            f"reads ({LEDGER_FORMAT}); upgrade collectctl"
        )
