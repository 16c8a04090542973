"""The credit manager's reports as listings: a titled table for people, the same rows
as JSON and CSV for machines. Figures come from domain/reports.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from collectctl.domain import reports
from collectctl.domain.account_facts import AccountFacts
from collectctl.domain.models import Config
from collectctl.domain.money import format_amount, format_money, normalize
from collectctl.domain.portfolio import Portfolio
from collectctl.domain.standing import Standing
from collectctl.presentation.disputes import dispute_rows
from collectctl.presentation.output import Column, Listing

KINDS = ("aging", "dso", "cei", "promises", "activity", "forecast", "escalations", "disputes")


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    as_of: date
    start: date | None = None  # --from
    end: date | None = None  # --to (default: as_of)
    by: str | None = None
    weeks: int = 6
    edges: tuple[int, ...] = reports.BUCKETS


@dataclass(frozen=True)
class Report:
    """A report ready for any format: rows of plain values (Decimal, date, str, int)."""

    title: str
    rows: list[dict[str, Any]]
    columns: list[Column]  # for people and CSV
    money: tuple[str, ...] = ()  # keys formatted as amounts in the table
    note: str = ""  # what a person should know: rates used, formulas

    def listing(self) -> Listing:
        shown = []
        for row in self.rows:
            cells = dict(row)
            for key in self.money:
                if isinstance(cells.get(key), Decimal):
                    cells[key] = format_amount(cells[key], str(cells.get("currency") or "USD"))
            shown.append(cells)
        title = self.title + (f"\n{self.note}" if self.note else "")
        return Listing(title, shown, self.columns, f"{self.title}: nothing to report.")


def build(
    request: ReportRequest,
    accounts: Portfolio,
    standings: list[Standing],
    config: Config,
) -> Report:
    """The report asked for, its amounts with their currency's decimals."""
    found = _build(request, accounts, standings, config)
    for row in found.rows:
        currency = str(row.get("currency") or config.currency)
        for key in found.money:
            if isinstance(row.get(key), Decimal):
                row[key] = normalize(row[key], currency)
    return found


def _build(
    request: ReportRequest,
    accounts: Portfolio,
    standings: list[Standing],
    config: Config,
) -> Report:
    kind = request.kind
    if kind == "aging":
        return _aging(request, accounts, config)
    if kind == "dso":
        return _dso(request, accounts)
    if kind == "cei":
        return _cei(request, accounts)
    if kind == "promises":
        return _promises(request, accounts)
    if kind == "activity":
        return _activity(request, accounts)
    if kind == "forecast":
        return _forecast(request, accounts)
    if kind == "disputes":
        rows = [dict(vars(r)) for r in dispute_rows(standings, config, request.as_of, None)]
        columns = [
            Column(k, k.upper())
            for k in (
                "customer",
                "invoice",
                "reason",
                "held",
                "currency",
                "opened",
                "days_open",
                "owner",
            )
        ]
        return Report(f"Open disputes on {request.as_of}", rows, columns, ("held",))
    return _escalations(request, standings)


def _currencies(by_currency: dict[str, Decimal], config: Config) -> str:
    """Totals per currency, and converted when `rates:` covers them."""
    shown = " + ".join(format_money(v, k) for k, v in sorted(by_currency.items()))
    total = config.in_ledger_currency(by_currency)
    if len(by_currency) > 1 and total is not None:
        used = ", ".join(
            f"{k} at {config.rate(k)}" for k in sorted(by_currency) if k != config.currency
        )
        shown += f" ≈ {format_money(total, config.currency)} ({used})"
    elif len(by_currency) > 1:
        shown += " (currencies kept apart: no rate for some in collectctl.yaml)"
    return shown


def _aging(request: ReportRequest, accounts: Portfolio, config: Config) -> Report:
    by = request.by or "customer"
    found = reports.aging(accounts, request.as_of, by, request.edges)
    names = reports.bucket_names(request.edges)
    rows = []
    for row in found:
        cells: dict[str, Any] = {by: row.key, "currency": row.currency}
        cells |= dict(zip(names, row.buckets, strict=True))
        cells |= {"disputed": row.disputed, "credit": row.credit, "total": row.total}
        rows.append(cells)
    totals: dict[str, Decimal] = {}
    for row in found:
        totals[row.currency] = totals.get(row.currency, Decimal(0)) + row.total
    for currency in sorted(totals):  # a total per currency, after its rows
        mine = [r for r in rows if r["currency"] == currency]
        total: dict[str, Any] = {by: "TOTAL", "currency": currency}
        for key in (*names, "disputed", "credit", "total"):
            total[key] = sum((r[key] for r in mine), Decimal(0))
        rows.insert(max(i for i, r in enumerate(rows) if r["currency"] == currency) + 1, total)
    money = (*names, "disputed", "credit", "total")
    columns = [Column(by, by.upper()), Column("currency", "CUR")]
    columns += [Column(k, k.upper(), "right") for k in money]
    title = f"Aging on {request.as_of} by {by} · {_currencies(totals, config)} open"
    return Report(title, rows, columns, money)


def _groups(accounts: Portfolio, by: str | None) -> dict[tuple[str, str], Portfolio]:
    """Accounts by customer or collector (else the whole ledger) and currency: amounts in
    different currencies are never added together."""
    groups: dict[tuple[str, str], list[AccountFacts]] = {}
    for account in accounts.latest:
        key = reports.group_key(account, by) if by in ("customer", "collector") else "ledger"
        groups.setdefault((key, account.currency), []).append(account)
    return {key: accounts.only(members) for key, members in groups.items()}


def _scope(by: str | None) -> str:
    return by if by in ("customer", "collector") else "scope"


def _dso(request: ReportRequest, accounts: Portfolio) -> Report:
    scope = _scope(request.by)
    period = ((request.end or request.as_of) - request.start).days + 1 if request.start else 90
    rows = []
    for (key, currency), members in sorted(_groups(accounts, request.by).items()):
        figures = reports.dso(members, request.as_of, period)
        rows.append(
            {
                scope: key,
                "currency": currency,
                "receivables": figures.receivables,
                "dso_count_back": figures.count_back,
                "dso_simple": figures.simple,
                "sales": figures.period_sales,
                "days": figures.period_days,
            }
        )
    columns = [Column(scope, scope.upper()), Column("currency", "CUR")]
    columns += [
        Column(k, k.upper().replace("_", " "), "right")
        for k in ("receivables", "dso_count_back", "dso_simple", "sales", "days")
    ]
    note = (
        "count-back: walk back month by month from the as-of date, taking each month's "
        "invoicing until the receivables are used up; simple: receivables / invoicing of "
        f"the last {period} days x {period}"
    )
    return Report(f"DSO on {request.as_of}", rows, columns, ("receivables", "sales"), note)


def _cei(request: ReportRequest, accounts: Portfolio) -> Report:
    end = request.end or request.as_of
    start = request.start or end - timedelta(days=29)
    scope = _scope(request.by)
    rows = []
    for (key, currency), members in sorted(_groups(accounts, request.by).items()):
        figures = reports.cei(members, start, end)
        rows.append(
            {
                scope: key,
                "currency": currency,
                "from": start,
                "to": end,
                "opening": figures.opening,
                "invoiced": figures.invoiced,
                "closing": figures.closing,
                "closing_current": figures.closing_current,
                "cei": figures.index,
            }
        )
    keys = (
        scope,
        "currency",
        "from",
        "to",
        "opening",
        "invoiced",
        "closing",
        "closing_current",
        "cei",
    )
    columns = [Column(k, k.upper().replace("_", " ")) for k in keys]
    note = "CEI = (opening + invoiced - closing) / (opening + invoiced - closing current) x 100"
    money = ("opening", "invoiced", "closing", "closing_current")
    return Report(f"Collection effectiveness {start} to {end}", rows, columns, money, note)


def _promises(request: ReportRequest, accounts: Portfolio) -> Report:
    by = request.by or "collector"
    found = reports.promise_rows(accounts, request.as_of, by, by_currency=True)
    rows = [
        {
            by: r.key,
            "currency": r.currency,
            "made": r.made,
            "kept": r.kept,
            "partial": r.partial,
            "broken": r.broken,
            "pending": r.pending,
            "promised": r.promised,
            "collected": r.collected,
            "kept_rate": r.kept_rate,
            "amount_rate": r.amount_rate,
        }
        for r in found
    ]
    keys = (
        "made",
        "kept",
        "partial",
        "broken",
        "pending",
        "promised",
        "collected",
        "kept_rate",
        "amount_rate",
    )
    columns = [Column(by, by.upper()), Column("currency", "CUR")] + [
        Column(k, k.upper().replace("_", " "), "right") for k in keys
    ]
    note = "kept rate: kept / fell due (kept, partial, broken), by count and by amount, in %"
    return Report(
        f"Promises on {request.as_of} by {by}", rows, columns, ("promised", "collected"), note
    )


def _activity(request: ReportRequest, accounts: Portfolio) -> Report:
    end = request.end or request.as_of
    start = request.start or end - timedelta(days=6)
    found = reports.activity(accounts.latest, start, end)
    rows = [
        {
            "day": r.day,
            "collector": r.collector,
            "calls": r.calls,
            "reached": r.reached,
            "promises": r.promises,
            "emails": r.emails,
            "collected": {c: normalize(v, c) for c, v in sorted(r.collected.items())},
            "outcomes": ", ".join(f"{k} {v}" for k, v in sorted(r.outcomes.items())),
        }
        for r in found
    ]
    keys = ("day", "collector", "calls", "reached", "promises", "emails", "collected", "outcomes")
    columns = [Column(k, k.upper()) for k in keys]
    return Report(f"Activity {start} to {end}", rows, columns)


def _forecast(request: ReportRequest, accounts: Portfolio) -> Report:
    weeks = reports.forecast(accounts, request.as_of, request.weeks)
    rows = [
        {
            "week": w.starts,
            "currency": w.currency,
            "promised": w.promised,
            "promised_weighted": w.promised_weighted,
            "falling_due": w.falling_due,
            "expected": w.promised_weighted + w.falling_due,
            "unweighted": w.promised + w.falling_due,
        }
        for w in weeks
    ]
    keys = (
        "week",
        "currency",
        "promised",
        "promised_weighted",
        "falling_due",
        "expected",
        "unweighted",
    )
    columns = [Column(k, k.upper().replace("_", " ")) for k in keys]
    note = (
        "promised: pending installments, weighted by the customer's kept rate (else the "
        "collector's, else the ledger's); falling due: open invoices without a promise, "
        "on their due date plus the customer's usual lateness"
    )
    money = ("promised", "promised_weighted", "falling_due", "expected", "unweighted")
    return Report(
        f"Cash forecast from {request.as_of}, {request.weeks} weeks", rows, columns, money, note
    )


def _escalations(request: ReportRequest, standings: list[Standing]) -> Report:
    rows = [
        {
            "customer": s.id,
            "to": s.escalated_to,
            "by": s.escalated_by,
            "on": s.escalated_on,
            "days": (request.as_of - s.escalated_on).days,
            "reason": s.escalation_reason,
            "open": sum((i.balance for i in s.open_invoices), Decimal(0)),
            "currency": s.currency,
        }
        for s in standings
        if s.escalated_on is not None and s.escalated_on <= request.as_of
    ]
    keys = ("customer", "to", "by", "on", "days", "open", "currency", "reason")
    columns = [Column(k, k.upper()) for k in keys]
    return Report(f"Escalations open on {request.as_of}", rows, columns, ("open",))
