"""What the credit manager reads, computed from the accounts' facts as they stood on a
day: aging, DSO (count-back and simple), CEI, promise-kept rates, activity and a cash
forecast. Pure: facts in, figures out; nothing here formats or prints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from msgspec import Struct

from collectctl.domain.account_facts import AccountFacts
from collectctl.domain.invoices import ZERO
from collectctl.domain.portfolio import Portfolio
from collectctl.domain.vocabulary import SPOKEN_OUTCOMES

BUCKETS = (30, 60, 90)  # upper edges of 1-30, 31-60, 61-90; past the last: 90+


def bucket_names(edges: tuple[int, ...] = BUCKETS) -> list[str]:
    names, low = ["current"], 1
    for edge in edges:
        names.append(f"{low}-{edge}")
        low = edge + 1
    return [*names, f"{edges[-1]}+"]


def bucket_of(days_late: int, edges: tuple[int, ...] = BUCKETS) -> int:
    if days_late <= 0:
        return 0
    return next((n + 1 for n, edge in enumerate(edges) if days_late <= edge), len(edges) + 1)


@dataclass
class AgingRow:
    key: str  # a customer, a collector or a currency
    currency: str
    buckets: list[Decimal]
    disputed: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        """Everything open: the buckets (what is chased) and the disputed part."""
        return sum(self.buckets, ZERO) + self.disputed


def aging(
    accounts: Portfolio, day: date, by: str = "customer", edges: tuple[int, ...] = BUCKETS
) -> list[AgingRow]:
    """Open balances by days past due; the disputed part and unapplied credit apart."""
    rows: dict[tuple[str, str], AgingRow] = {}
    for then in accounts.balances_on(day):
        key = group_key(then, by)
        row = rows.get((key, then.currency))
        if row is None:
            row = rows[key, then.currency] = AgingRow(key, then.currency, [ZERO] * (len(edges) + 2))
        for item in then.open_items:
            row.disputed += item.held
            row.buckets[bucket_of((day - item.due).days, edges)] += item.balance - item.held
        row.credit += then.credit
    return sorted(
        (r for r in rows.values() if r.total or r.disputed or r.credit),
        key=lambda r: (r.currency, r.key),
    )


def group_key(account: AccountFacts, by: str) -> str:
    if by == "collector":
        return account.collector or "unassigned"
    if by == "currency":
        return account.currency
    return account.id


def receivables(accounts: Portfolio, day: date, current_only: bool = False) -> Decimal:
    """Open balances at the end of `day` (with `current_only`, those not yet due)."""
    return accounts.owed_on(day, current_only)


def invoiced(accounts: Iterable[AccountFacts], start: date, end: date) -> Decimal:
    """Invoices issued from `start` to `end`, both included."""
    return sum(
        (amount for a in accounts for issued, amount in a.invoiced if start <= issued <= end), ZERO
    )


def month_before(day: date) -> date:
    """The same day a month earlier (the last day of a shorter month); from a month's
    last day, the last day of the month before: the walk keeps to calendar months."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    month_end = (day + timedelta(days=1)).day == 1
    for candidate in (31, 30, 29, 28) if month_end else (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


class Dso(Struct, frozen=True):
    receivables: Decimal
    count_back: Decimal | None  # days; None when nothing was ever invoiced
    simple: Decimal | None
    period_sales: Decimal
    period_days: int


def dso(accounts: Portfolio, day: date, period_days: int = 90) -> Dso:
    """Count-back: walk back month by month from `day`, taking each month's invoicing
    until the receivables are used up (a part month counts in proportion). Simple:
    receivables / invoicing of the last `period_days` x `period_days`."""
    owed = receivables(accounts, day)
    remaining, days, end = owed, Decimal(0), day
    count_back: Decimal | None = Decimal(0) if owed == 0 else None
    for _ in range(120):  # ten years back at most
        if remaining <= 0:
            count_back = days
            break
        start = month_before(end)
        sales = invoiced(accounts.latest, start + timedelta(days=1), end)
        length = Decimal((end - start).days)
        if sales >= remaining:
            count_back = days + (remaining / sales * length)
            break
        days += length
        remaining -= sales
        end = start
    sales = invoiced(accounts.latest, day - timedelta(days=period_days - 1), day)
    simple = owed / sales * period_days if sales else None
    return Dso(owed, _days(count_back), _days(simple), sales, period_days)


def _days(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.1"))


class Cei(Struct, frozen=True):
    opening: Decimal
    invoiced: Decimal
    closing: Decimal
    closing_current: Decimal
    index: Decimal | None  # percent


def cei(accounts: Portfolio, start: date, end: date) -> Cei:
    """(opening + invoiced - closing) / (opening + invoiced - closing current) x 100."""
    opening = receivables(accounts, start - timedelta(days=1))
    sales = invoiced(accounts.latest, start, end)
    closing = receivables(accounts, end)
    current = receivables(accounts, end, current_only=True)
    divisor = opening + sales - current
    index = (
        ((opening + sales - closing) / divisor * 100).quantize(Decimal("0.1")) if divisor else None
    )
    return Cei(opening, sales, closing, current, index)


@dataclass
class PromiseRow:
    key: str
    currency: str = ""  # set when amounts are kept apart by currency
    made: int = 0
    kept: int = 0
    partial: int = 0
    broken: int = 0
    pending: int = 0
    promised: Decimal = ZERO  # installments that fell due
    collected: Decimal = ZERO  # paid toward those

    @property
    def fell_due(self) -> int:
        return self.kept + self.partial + self.broken

    @property
    def kept_rate(self) -> Decimal | None:
        return _rate(Decimal(self.kept), Decimal(self.fell_due))

    @property
    def amount_rate(self) -> Decimal | None:
        return _rate(self.collected, self.promised)


def _rate(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole * 100).quantize(Decimal("0.1")) if whole else None


def promise_rows(
    accounts: Portfolio,
    day: date,
    by: str = "collector",
    by_currency: bool = False,
) -> list[PromiseRow]:
    """Each installment promised by `day`, counted by how it stands on `day`; with
    `by_currency`, a row per currency too, so amounts are never added across them."""
    rows: dict[tuple[str, str], PromiseRow] = {}
    for then in accounts.on(day):
        for status in then.installments_on(day):
            if by == "month":
                key = f"{status.by:%Y-%m}"
            elif by == "customer":
                key = then.id
            else:
                key = status.promise.collector
            currency = then.currency if by_currency else ""
            row = rows.setdefault((key, currency), PromiseRow(key, currency))
            row.made += 1
            state = status.status
            if state == "pending":
                row.pending += 1
                continue
            setattr(row, state, getattr(row, state) + 1)
            row.promised += status.amount
            row.collected += status.paid
    return sorted(rows.values(), key=lambda r: (r.key, r.currency))


@dataclass
class ActivityRow:
    collector: str
    day: date
    outcomes: dict[str, int] = field(default_factory=dict)
    promises: int = 0
    emails: int = 0
    collected: dict[str, Decimal] = field(default_factory=dict)  # by currency

    @property
    def calls(self) -> int:
        return sum(self.outcomes.values())

    @property
    def reached(self) -> int:
        return sum(n for outcome, n in self.outcomes.items() if outcome in SPOKEN_OUTCOMES)


def activity(accounts: Iterable[AccountFacts], start: date, end: date) -> list[ActivityRow]:
    """Calls by outcome, reached vs attempts, promises and emails per collector per day,
    from the events' own dates; money received on each collector's accounts."""
    rows: dict[tuple[str, date], ActivityRow] = {}

    def row(who: str, day: date) -> ActivityRow:
        return rows.setdefault((who, day), ActivityRow(who, day))

    for account in accounts:
        for when, collector, kind, outcome in account.touches:
            if not start <= when <= end:
                continue
            if kind == "call":
                outcomes = row(collector, when).outcomes
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            elif kind == "promise":
                row(collector, when).promises += 1
            else:
                row(collector, when).emails += 1
        owner = account.collector or "unassigned"
        for when, amount in account.receipts:
            if start <= when <= end:
                money = row(owner, when).collected
                money[account.currency] = money.get(account.currency, ZERO) + amount
    return sorted(rows.values(), key=lambda r: (r.day, r.collector))


@dataclass
class ForecastWeek:
    starts: date
    promised: Decimal = ZERO  # unweighted
    promised_weighted: Decimal = ZERO
    falling_due: Decimal = ZERO  # unweighted: open invoices expected to be paid that week
    currency: str = ""


def forecast(accounts: Portfolio, day: date, weeks: int = 6) -> list[ForecastWeek]:
    """Expected cash per week for `weeks` weeks from `day`: pending installments weighted
    by the customer's kept rate (else the collector's, else the ledger's), and open
    invoices not under a promise, expected on their due date plus the customer's usual
    lateness."""
    by_customer = {r.key: r.kept_rate for r in promise_rows(accounts, day, "customer")}
    collectors = promise_rows(accounts, day, "collector")
    by_collector = {r.key: r.kept_rate for r in collectors}
    ledger_rate = overall_kept_rate(collectors)
    horizon = day + timedelta(weeks=weeks)
    found: dict[tuple[date, str], ForecastWeek] = {}

    def week(when: date, currency: str) -> ForecastWeek:
        starts = day + timedelta(weeks=(when - day).days // 7)
        return found.setdefault((starts, currency), ForecastWeek(starts, currency=currency))

    for account in accounts.latest:
        currency = account.currency
        statuses = [s for s in account.installments_on(day) if s.status == "pending"]
        collector = account.collector or ""
        rate = by_customer.get(account.id) or by_collector.get(collector) or ledger_rate
        weight = (rate or Decimal(100)) / 100
        promised_invoices: set[str] = set()
        for status in statuses:
            if day <= status.deadline < horizon:
                slot = week(status.deadline, currency)
                outstanding = status.amount - status.paid
                slot.promised += outstanding
                slot.promised_weighted += (outstanding * weight).quantize(Decimal("0.01"))
                promised_invoices.update(status.promise.invoices)
        for item in account.open_items:
            if item.number in promised_invoices or item.held >= item.balance:
                continue
            expected = item.due + timedelta(days=account.usual_lateness)
            if day <= expected < horizon:
                week(expected, currency).falling_due += item.balance - item.held
    return sorted(found.values(), key=lambda w: (w.currency, w.starts))


def overall_kept_rate(rows: list[PromiseRow]) -> Decimal | None:
    """The kept rate of all the rows together (kept / fell due, in %)."""
    kept = sum(r.kept for r in rows)
    fell = sum(r.fell_due for r in rows)
    return _rate(Decimal(kept), Decimal(fell))
