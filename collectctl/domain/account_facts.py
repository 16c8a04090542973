"""An account reduced to what the credit manager's reports read: open items, credit,
invoicing, receipts, promised installments and the collectors' touches. The facts of an
account as read hold for every day from its last dated record on, so the cache keeps
them beside the standing and a report for today never unpickles a whole account; for an
earlier day, their History says what was owed then, or, where it cannot, the account is
settled again as it stood (`as_of`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from msgspec import Struct
from msgspec.structs import replace

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
    Escalation,
    Payment,
    Policy,
    Promise,
    due_order,
)
from collectctl.domain.promises import InstallmentStatus, installments
from collectctl.domain.settle import dispute_history, settle


class OpenItem(Struct, frozen=True):
    number: str
    due: date
    balance: Decimal
    held: Decimal  # the part an open dispute holds back


# Plain tuples where an account has dozens: the cache unpickles them without a call each.
Touch = tuple[date, str, str, str]
"""A collector's call, promise obtained or email sent: (day, collector, "call" | "promise"
| "email", the call's outcome or "")."""
Movement = tuple[date, str, date, Decimal]
"""A change in what is owed on one invoice: (day, invoice, its due date, amount) — the
invoice issued (+), money applied or a dispute's credit (-)."""


class History(Struct, frozen=True):
    """What an account owed on any earlier day, without settling it again: the running
    sums of its movements. Settling applies a payment among the invoices of the whole
    account, so these sums match the account as it stood on a day only when no money
    went to an invoice issued after it (and no invoice got two credits); else the
    account has no History and only settling it as it stood then can say."""

    movements: tuple[Movement, ...]
    invoices: tuple[tuple[str, date, date], ...]  # not void: number, issued, due; by due
    disputes: tuple[tuple[str, date, date | None, Decimal | None], ...]
    # (invoice, opened, resolved, amount disputed or None for all of it)
    credits: tuple[tuple[date, Decimal], ...]  # each payment's unapplied part, by its day
    handoffs: tuple[tuple[date, str | None], ...]  # escalations: day, to (None: back)

    def owed(self, day: date, current_only: bool = False) -> Decimal:
        """Open balances at the end of `day` (with `current_only`, those not yet due)."""
        return sum(
            (
                amount
                for on, _, due, amount in self.movements
                if on <= day and (not current_only or due >= day)
            ),
            Decimal(0),
        )

    def open_items(self, day: date) -> tuple[OpenItem, ...]:
        balances: dict[str, Decimal] = {}
        for on, number, _, amount in self.movements:
            if on <= day:
                balances[number] = balances.get(number, Decimal(0)) + amount
        items = []
        for number, issued, due in self.invoices:
            balance = balances.get(number, Decimal(0))
            if issued <= day and balance > 0:
                items.append(OpenItem(number, due, balance, self._held(number, balance, day)))
        return tuple(items)

    def _held(self, number: str, balance: Decimal, day: date) -> Decimal:
        """As invoices.held: the latest dispute opened by `day`, if still open then."""
        latest = None
        for invoice, opened, resolved, amount in self.disputes:
            if invoice == number and opened <= day:
                latest = (resolved, amount)
        if latest is None or (latest[0] is not None and latest[0] <= day):
            return Decimal(0)
        return balance if latest[1] is None else min(latest[1], balance)

    def credit(self, day: date) -> Decimal:
        return sum((amount for on, amount in self.credits if on <= day), Decimal(0))

    def collector(self, owner: str | None, day: date) -> str | None:
        """As escalation.responsible_collector, on `day`."""
        latest = [to for on, to in self.handoffs if on <= day]
        return latest[-1] if latest and latest[-1] else owner


class AccountFacts(Struct, frozen=True):
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
    history: History | None

    def hold_on(self, day: date) -> bool:
        """Whether these facts, as read, are the account's at the end of `day`: nothing
        in it is dated later."""
        return self.through is None or self.through <= day

    def balances_on(self, day: date) -> AccountFacts | None:
        """These facts with the open items, credit and collector of the end of `day`;
        None when only settling the account as it stood then can say."""
        if self.hold_on(day):
            return self
        if self.history is None:
            return None
        return replace(
            self,
            open_items=self.history.open_items(day),
            credit=self.history.credit(day),
            collector=self.history.collector(self.owner, day),
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
        if type(event) is Call:
            touches.append((event.date, event.collector, "call", event.outcome))
        elif type(event) is Promise:
            touches.append((event.date, event.collector, "promise", ""))
        elif type(event) is EmailSent:
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
        history=_history(account),
    )


def _history(account: Account) -> History | None:
    invoices = {i.number: i for i in account.invoices}
    movements: list[Movement] = [
        (i.issued, i.number, i.due, i.amount) for i in account.invoices if i.status != "void"
    ]
    credits: list[tuple[date, Decimal]] = []
    handoffs: list[tuple[date, str | None]] = []
    credited: set[str] = set()
    for event in account.events:
        if type(event) is Payment:
            for share in event.applied:
                invoice = invoices[share.invoice]
                if invoice.issued > event.date:
                    return None
                movements.append((event.date, invoice.number, invoice.due, -share.amount))
            if event.unapplied:
                credits.append((event.date, event.unapplied))
        elif type(event) is DisputeEvent and event.credit and event.invoice in invoices:
            invoice = invoices[event.invoice]
            if invoice.issued > event.date or event.invoice in credited:
                return None
            credited.add(event.invoice)
            if invoice.credited:
                movements.append((event.date, invoice.number, invoice.due, -invoice.credited))
        elif type(event) is Escalation:
            handoffs.append((event.date, event.to))
    live = [i for i in account.invoices if i.status != "void"]
    return History(
        movements=tuple(movements),
        invoices=tuple((i.number, i.issued, i.due) for i in sorted(live, key=due_order)),
        disputes=tuple(
            (number, d.opened, d.resolved, d.amount)
            for number, found in dispute_history(account.events).items()
            for d in found
        ),
        credits=tuple(credits),
        handoffs=tuple(handoffs),
    )
