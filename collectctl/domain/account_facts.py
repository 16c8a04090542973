"""An account reduced to what the credit manager's reports read: open items, credit,
invoicing, receipts, promised installments and the collectors' touches. The facts of an
account as read hold for every day from its last dated record on, so the cache keeps
them beside the standing and a report for today never unpickles a whole account; for an
earlier day they are worked out again from the account as it stood then (`as_of`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from collectctl.domain.escalation import responsible_collector
from collectctl.domain.invoices import (
    average_days_to_pay,
    held,
    open_invoices,
    receipts,
    unapplied_credit,
)
from collectctl.domain.models import (
    Account,
    Call,
    DisputeEvent,
    EmailSent,
    Payment,
    Policy,
    Promise,
)
from collectctl.domain.promises import InstallmentStatus, installments
from collectctl.domain.settle import settle


@dataclass(frozen=True, slots=True)
class OpenItem:
    number: str
    due: date
    balance: Decimal
    held: Decimal  # the part an open dispute holds back


# Plain tuples where an account has dozens: the cache unpickles them without a call each.
Movement = tuple[date, date, Decimal]
"""A change in what is owed: (day, the invoice's due date, amount) — an invoice issued
(+), money applied or a dispute's credit (-)."""
Touch = tuple[date, str, str, str]
"""A collector's call, promise obtained or email sent: (day, collector, "call" | "promise"
| "email", the call's outcome or "")."""


@dataclass(frozen=True, slots=True)
class AccountFacts:
    id: str
    currency: str
    owner: str | None
    collector: str | None  # the owner, or whoever the account was escalated to
    through: date | None  # the last invoice issued or event dated: the facts hold from then
    open_items: tuple[OpenItem, ...]  # oldest due first
    credit: Decimal  # received and not applied to any invoice
    invoiced: tuple[tuple[date, Decimal], ...]  # every invoice: issued, amount
    receipts: tuple[tuple[date, Decimal], ...]
    installments: tuple[InstallmentStatus, ...]  # statuses that do not depend on the day
    touches: tuple[Touch, ...]
    usual_lateness: int  # days past due the customer usually pays, never below 0
    # What is owed on an earlier day is the sum of the movements up to it, unless money
    # was applied to an invoice before its issue date (or one invoice got two credits):
    # then None, and only settling the account as it stood then can say.
    movements: tuple[Movement, ...] | None

    def owed_on(self, day: date, current_only: bool = False) -> Decimal:
        """Open balances at the end of `day` (with `current_only`, those not yet due);
        needs `movements`."""
        assert self.movements is not None
        return sum(
            (
                amount
                for on, due, amount in self.movements
                if on <= day and (not current_only or due >= day)
            ),
            Decimal(0),
        )

    def installments_on(self, day: date) -> list[InstallmentStatus]:
        return [status.on(day) for status in self.installments]


def as_of(account: Account, day: date) -> Account:
    """The account as it stood at the end of `day`: invoices issued and events dated by
    then, settled again."""
    invoices = tuple(i for i in account.invoices if i.issued <= day)
    events = tuple(e for e in account.events if e.date <= day)
    if len(invoices) == len(account.invoices) and len(events) == len(account.events):
        return account  # nothing after the day: as read (and settled) already
    settled, _ = settle(replace(account, invoices=invoices, events=events))
    return settled


def account_facts(account: Account, policy: Policy) -> AccountFacts:
    """The facts of a settled account as read."""
    dates = [i.issued for i in account.invoices] + [e.date for e in account.events]
    touches: list[Touch] = []
    for event in account.events:
        if isinstance(event, Call):
            touches.append((event.date, event.collector, "call", event.outcome))
        elif isinstance(event, Promise):
            touches.append((event.date, event.collector, "promise", ""))
        elif isinstance(event, EmailSent):
            touches.append((event.date, event.collector, "email", ""))
    average = average_days_to_pay(account)
    return AccountFacts(
        id=account.id,
        currency=account.customer.currency,
        owner=account.customer.owner,
        collector=responsible_collector(account),
        through=max(dates, default=None),
        open_items=tuple(
            OpenItem(i.number, i.due, i.balance, held(i)) for i in open_invoices(account)
        ),
        credit=unapplied_credit(account),
        invoiced=tuple((i.issued, i.amount) for i in account.invoices),
        receipts=tuple((r.date, r.amount) for r in receipts(account)),
        installments=tuple(installments(account, policy)),
        touches=tuple(touches),
        usual_lateness=0 if average is None else max(int(average) - account.customer.terms, 0),
        movements=_movements(account),
    )


def _movements(account: Account) -> tuple[Movement, ...] | None:
    """Each invoice's issue, each payment applied and each credit, for `owed_on`. Settling
    applies a payment among the invoices of the whole account, so the running sum
    matches the account as it stood on a day only when no money went to an invoice
    issued after it; else None."""
    invoices = {i.number: i for i in account.invoices}
    found: list[Movement] = [
        (i.issued, i.due, i.amount) for i in account.invoices if i.status != "void"
    ]
    credits: set[str] = set()
    for event in account.events:
        if isinstance(event, Payment):
            for share in event.applied:
                invoice = invoices[share.invoice]
                if invoice.issued > event.date:
                    return None
                found.append((event.date, invoice.due, -share.amount))
        elif isinstance(event, DisputeEvent) and event.credit and event.invoice in invoices:
            invoice = invoices[event.invoice]
            if invoice.issued > event.date or event.invoice in credits:
                return None
            credits.add(event.invoice)
            if invoice.credited:
                found.append((event.date, invoice.due, -invoice.credited))
    return tuple(found)


@dataclass
class Portfolio:
    """The accounts a report covers: their facts as read, and as they stood on any
    earlier day (worked out once per account and day, from the whole account)."""

    latest: list[AccountFacts]
    replay: Callable[[str, date], AccountFacts]  # an account's facts at the end of a day
    _days: dict[tuple[str, date], AccountFacts] = field(default_factory=dict)

    def on(self, day: date) -> list[AccountFacts]:
        return [
            f if f.through is None or f.through <= day else self._then(f, day) for f in self.latest
        ]

    def only(self, members: Iterable[AccountFacts]) -> Portfolio:
        return Portfolio(list(members), self.replay, self._days)

    def owed_on(self, day: date, current_only: bool = False) -> Decimal:
        """Open balances of all these accounts at the end of `day`."""
        total = Decimal(0)
        for facts in self.latest:
            settled_by_then = facts.through is None or facts.through <= day
            if not settled_by_then and facts.movements is not None:
                total += facts.owed_on(day, current_only)
                continue
            then = facts if settled_by_then else self._then(facts, day)
            total += sum(
                (i.balance for i in then.open_items if not current_only or i.due >= day),
                Decimal(0),
            )
        return total

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
