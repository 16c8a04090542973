"""A loaded ledger: its configuration and every customer's account."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path

from msgspec import Struct

from collectctl.domain.account_facts import AccountFacts, account_facts
from collectctl.domain.models import Account, Config
from collectctl.domain.portfolio import Portfolio, replaying
from collectctl.domain.standing import Standing, standing
from collectctl.errors import NotFoundError, did_you_mean
from collectctl.storage.layout import Layout


class AccountRecord:
    """One account as a loaded ledger holds it; its standing is worked out when first
    asked for. (The cache's records hold both pickled until something reads them.)"""

    __slots__ = ("_account", "_config", "_facts", "_standing")

    def __init__(self, account: Account, config: Config):
        self._account = account
        self._config = config
        self._standing: Standing | None = None
        self._facts: AccountFacts | None = None

    @property
    def wake(self) -> date | None:
        return self.standing.wake

    @property
    def people(self) -> tuple[str | None, ...]:
        return self.standing.people

    @property
    def standing(self) -> Standing:
        if self._standing is None:
            self._standing = standing(self._account, self._config)
        return self._standing

    @property
    def account(self) -> Account:
        return self._account

    @property
    def facts(self) -> AccountFacts:
        if self._facts is None:
            self._facts = account_facts(self._account, self._config.policy)
        return self._facts


class Accounts(Mapping[str, Account]):
    """Accounts by customer id, in id order, each read when first asked for."""

    def __init__(self, records: dict[str, AccountRecord]):
        self._records = records

    def __getitem__(self, customer_id: str) -> Account:
        return self._records[customer_id].account

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


def unknown_customer(customer_id: str, known: Iterable[str]) -> NotFoundError:
    """The one message for a customer id that is not in the ledger."""
    return NotFoundError(f"unknown customer '{customer_id}'{did_you_mean(customer_id, known)}")


class Ledger(Struct, frozen=True):
    layout: Layout
    config: Config
    records: dict[str, AccountRecord]  # by customer id, in id order
    # A collector's view (read.read_ledger): records hold only the accounts they could
    # have a say in, and those nobody owns.
    view: str | None = None

    @property
    def root(self) -> Path:
        return self.layout.root

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.records)

    def standings(self, awake_on: date | None = None, of: str | None = None) -> Iterator[Standing]:
        """Every account's standing, in id order; with `awake_on`, only those that could
        need a call or a follow-up by that day; with `of`, only the accounts that
        collector has a say in (Standing.people) and those nobody owns — asked of the
        cache's headers, so nobody else's standing is unpickled."""
        if self.view is not None and of != self.view:
            raise ValueError(f"a ledger read for {self.view}'s view has no standings of {of}")
        for record in self.records.values():
            if awake_on is not None and (record.wake is None or record.wake > awake_on):
                continue
            if of is not None:
                people = record.people
                if of not in people and (people[0] or people[1]):
                    continue
            yield record.standing

    def portfolio(self, customer_ids: Iterable[str]) -> Portfolio:
        """These accounts' facts for the reports, as read and on any earlier day."""
        facts = [self.records[customer_id].facts for customer_id in customer_ids]
        return Portfolio(facts, replaying(self.account, self.config.policy))

    def account(self, customer_id: str) -> Account:
        record = self.records.get(customer_id)
        if record is None:
            raise unknown_customer(customer_id, self.records)
        return record.account
