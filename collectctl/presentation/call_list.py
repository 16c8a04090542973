"""The call list as people and machines read it: a titled table, JSON, CSV."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from msgspec import Struct
from msgspec.structs import replace

from collectctl.domain.call_list import CallListEntry, call_list, whose_accounts
from collectctl.domain.calling import Reach, reach
from collectctl.domain.models import Config, Contact
from collectctl.domain.money import format_amount, format_money, normalize
from collectctl.domain.reasons import Reason
from collectctl.ledger.accounts import Ledger
from collectctl.presentation import words
from collectctl.presentation.contexts import contact_context
from collectctl.presentation.output import Column, Listing
from collectctl.presentation.reasons import reason_record
from collectctl.presentation.words import list_owner


class CallListRow(Struct, frozen=True):
    rank: int
    customer: str
    name: str
    contact: Contact | None
    overdue: Decimal
    currency: str
    days_past_due: int
    reasons: tuple[Reason, ...]
    reason_texts: tuple[str, ...]
    last_contact: date | None
    collector: str | None
    disputed: Decimal
    reach: Reach | None = None  # today's calling window, where the contact's hours are known

    @property
    def when(self) -> str | None:
        """When to call, in the collector's time, unless it is now."""
        if self.reach is None or self.reach.state == "now":
            return None
        start, end = (f"{t:%H:%M}" for t in (self.reach.start, self.reach.end))
        if self.reach.state == "later":
            return f"calls from {start} your time"
        return f"their hours are over ({start}-{end} your time)"

    def window(self) -> dict[str, Any] | None:
        if self.reach is None:
            return None
        return {
            "from": f"{self.reach.start:%H:%M}",
            "to": f"{self.reach.end:%H:%M}",
            "reachable_now": self.reach.state == "now",
        }


def todays_list(
    ledger: Ledger,
    today: date,
    collector: str | None,
    limit: int | None,
    now: datetime | None = None,
) -> list[CallListRow]:
    """Today's call list, ranked, for one collector or everyone, at most `limit` rows;
    with `now`, who can be reached now first, then by when their calling hours open."""
    of = whose_accounts(ledger.config, collector)
    standings = ledger.standings(awake_on=today, of=of)
    entries = call_list(standings, ledger.config, today, collector)
    rows = call_list_rows(entries, ledger.config, now)
    if now is not None:
        rows.sort(key=lambda row: row.reach.order if row.reach else (0, 0.0))
        rows = [replace(row, rank=rank) for rank, row in enumerate(rows, 1)]
    return rows[:limit]


def call_list_rows(
    entries: list[CallListEntry], config: Config, now: datetime | None = None
) -> list[CallListRow]:
    rows = []
    for rank, entry in enumerate(entries, 1):
        account, currency = entry.account, entry.account.currency
        window = reach(account.call_zone, account.call_hours, now.date(), now) if now else None
        rows.append(
            CallListRow(
                rank=rank,
                customer=account.id,
                name=account.name,
                contact=account.contact,
                overdue=normalize(entry.overdue, currency),
                currency=currency,
                days_past_due=entry.days_past_due,
                reasons=entry.reasons,
                reason_texts=tuple(words.reason(r, currency, config) for r in entry.reasons),
                last_contact=account.last_contact,
                collector=account.collector,
                disputed=normalize(entry.disputed, currency),
                reach=window,
            )
        )
    return rows


def as_json(rows: list[CallListRow], config: Config) -> list[dict[str, Any]]:
    """The call list for machines: `reasons` in words, `why` with a code for each."""
    return [
        {
            "rank": row.rank,
            "customer": row.customer,
            "name": row.name,
            "contact": contact_context(row.contact),
            "overdue": row.overdue,
            "currency": row.currency,
            "days_past_due": row.days_past_due,
            "reasons": list(row.reason_texts),
            "why": [reason_record(r, row.currency, config) for r in row.reasons],
            "last_contact": row.last_contact,
            "collector": row.collector,
            "disputed": row.disputed,
            "call_window": row.window(),
        }
        for row in rows
    ]


CSV_COLUMNS = [
    Column(key, key)
    for key in (
        "rank",
        "customer",
        "name",
        "contact_name",
        "contact_phone",
        "contact_email",
        "overdue",
        "currency",
        "days_past_due",
        "reasons",
        "last_contact",
        "collector",
        "reason_codes",
    )
]


def flat(rows: list[CallListRow]) -> list[dict[str, Any]]:
    """The call list with the contact spread into columns, for CSV and tables."""
    return [
        {
            "rank": row.rank,
            "customer": row.customer,
            "name": row.name,
            **{f"contact_{key}": value for key, value in contact_context(row.contact).items()},
            "overdue": row.overdue,
            "currency": row.currency,
            "days_past_due": row.days_past_due,
            "reasons": ([row.when] if row.when else []) + list(row.reason_texts),
            "last_contact": row.last_contact,
            "collector": row.collector,
            "reason_codes": [r.code for r in row.reasons],
        }
        for row in rows
    ]


def listing(
    rows: list[CallListRow], today: date, config: Config | None = None, whose: str | None = None
) -> Listing:
    """The list for people; `whose`: the collector it is for (None: everyone's)."""
    table_rows = flat(rows)
    for row in table_rows:
        row["overdue"] = format_amount(row["overdue"], row["currency"])
    day = f"{today:%A} {today.isoformat()}"
    count = f"{len(rows)} account{'s' if len(rows) != 1 else ''}"
    name = list_owner(config, whose)
    heading = f"{name}'s call list" if name else "Call list"
    return Listing(
        title=f"{heading} for {day} · {count} · {totals(rows)} overdue{_rates(rows, config)}",
        rows=table_rows,
        columns=[
            Column("rank", "#", "right"),
            Column("customer", "CUSTOMER"),
            Column("contact_name", "ASK FOR"),
            Column("contact_phone", "PHONE"),
            Column("overdue", "OVERDUE", "right"),
            Column("currency", "CUR"),
            Column("days_past_due", "DAYS", "right"),
            Column("last_contact", "LAST CONTACT"),
            Column("reasons", "WHY"),
        ],
        empty=f"Nothing for {name} to call on {day}." if name else f"Nothing to call on {day}.",
    )


def _rates(rows: list[CallListRow], config: Config | None) -> str:
    """How the list compared amounts in different currencies, said once."""
    sums = _sums(rows)
    if config is None or len(sums) < 2:
        return ""
    total, base = config.in_ledger_currency(sums), config.currency
    if total is None:
        apart = [code for code in sorted(sums) if config.rate(code) is None]
        return f" · {', '.join(apart)} ranked apart (no rate in collectctl.yaml)"
    said = [f"{code} at {config.rate(code)} {base}" for code in sorted(sums) if code != base]
    return f" · ≈ {format_money(total, base)} ({', '.join(said)})"


def _sums(rows: list[CallListRow]) -> dict[str, Decimal]:
    """The overdue amounts by currency."""
    sums: dict[str, Decimal] = {}
    for row in rows:
        sums[row.currency] = sums.get(row.currency, Decimal(0)) + row.overdue
    return sums


def totals(rows: list[CallListRow]) -> str:
    return " + ".join(format_money(amount, code) for code, amount in sorted(_sums(rows).items()))
