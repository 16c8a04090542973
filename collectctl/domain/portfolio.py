"""The accounts a report covers: their facts as read, and as they stood on any earlier
day — from the facts' history where it can say, else from the account settled again as
it stood then (worked out once per account and day)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from collectctl.domain.account_facts import AccountFacts, account_facts, as_of
from collectctl.domain.models import Account, Policy


@dataclass
class Portfolio:
    latest: list[AccountFacts]
    replay: Callable[[str, date], AccountFacts]  # an account's facts at the end of a day
    _days: dict[tuple[str, date], AccountFacts] = field(default_factory=dict)

    def on(self, day: date) -> list[AccountFacts]:
        """Every fact as of the end of `day` (promised installments included)."""
        return [f if f.hold_on(day) else self._then(f, day) for f in self.latest]

    def balances_on(self, day: date) -> list[AccountFacts]:
        """Each account's open items, credit and collector at the end of `day`."""
        return [f.balances_on(day) or self._then(f, day) for f in self.latest]

    def owed_on(self, day: date, current_only: bool = False) -> Decimal:
        """Open balances of all these accounts at the end of `day` (with `current_only`,
        those not yet due)."""
        total = Decimal(0)
        for facts in self.latest:
            as_read = facts.hold_on(day)
            if not as_read and facts.history is not None:
                total += facts.history.owed(day, current_only)
                continue
            then = facts if as_read else self._then(facts, day)
            total += sum(
                (i.balance for i in then.open_items if not current_only or i.due >= day),
                Decimal(0),
            )
        return total

    def only(self, members: Iterable[AccountFacts]) -> Portfolio:
        return Portfolio(list(members), self.replay, self._days)

    def _then(self, facts: AccountFacts, day: date) -> AccountFacts:
        key = (facts.id, day)
        if key not in self._days:
            self._days[key] = self.replay(facts.id, day)
        return self._days[key]


def replaying(
    accounts: Callable[[str], Account], policy: Policy
) -> Callable[[str, date], AccountFacts]:
    """How a Portfolio works out an account's facts on an earlier day."""
    return lambda customer_id, day: account_facts(as_of(accounts(customer_id), day), policy)
