"""Follow-ups as people and machines read them, and as calendar entries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from msgspec import Struct
from msgspec.structs import asdict

from collectctl.domain.call_list import whose_accounts
from collectctl.domain.escalation import credit_manager
from collectctl.domain.models import Config
from collectctl.domain.schedule import standing_follow_ups
from collectctl.domain.standing import Standing
from collectctl.ledger.accounts import Ledger
from collectctl.presentation import words
from collectctl.presentation.output import Column, Listing


class FollowUpRow(Struct, frozen=True):
    date: date
    customer: str
    kind: str
    detail: str
    collector: str | None
    overdue: bool
    code: str


def follow_ups_by(
    ledger: Ledger, today: date, days: int, collector: str | None
) -> list[FollowUpRow]:
    """The follow-ups due by `days` from today, everyone's or one collector's. Only the
    accounts awake by then are read (none has a follow-up before its wake day), and for
    a collector only those they have a say in."""
    horizon = today + timedelta(days=days)
    of = whose_accounts(ledger.config, collector)
    return follow_up_rows(ledger.standings(horizon, of), ledger.config, today, days, collector)


def calling_hours(ledger: Ledger, rows: list[FollowUpRow]) -> dict[str, tuple[Any, Any]]:
    """When to call the customers these rows name, where it is known."""
    standings = [ledger.records[customer].standing for customer in {r.customer for r in rows}]
    return {s.id: (s.call_zone, s.call_hours) for s in standings if s.call_hours}


def follow_up_rows(
    standings: Iterable[Standing],
    config: Config,
    today: date,
    days: int,
    collector: str | None,
) -> list[FollowUpRow]:
    horizon = today + timedelta(days=days)
    manager = credit_manager(config)  # sees every escalation the policy calls for
    rows = []
    for account in standings:
        for follow_up in standing_follow_ups(account, config, today):
            if follow_up.date > horizon:
                continue
            mine = collector is None or collector in (follow_up.collector, account.owner)
            if not mine and not (follow_up.kind == "escalate" and collector == manager):
                continue
            rows.append(
                FollowUpRow(
                    date=follow_up.date,
                    customer=account.id,
                    kind=follow_up.kind,
                    detail=words.reason(follow_up.reason, account.currency, config),
                    collector=follow_up.collector,
                    overdue=follow_up.date < today,
                    code=follow_up.reason.code,
                )
            )
    return sorted(rows, key=lambda r: (r.date, r.customer, r.kind))


COLUMNS = [
    Column("date", "DATE"),
    Column("customer", "CUSTOMER"),
    Column("kind", "KIND"),
    Column("detail", "DETAIL"),
    Column("collector", "COLLECTOR"),
]
MACHINE_COLUMNS = [*COLUMNS, Column("overdue", "overdue"), Column("code", "code")]


def as_dicts(rows: list[FollowUpRow]) -> list[dict[str, Any]]:
    return [asdict(row) for row in rows]  # shallow: the values are kept as they are


def listing(
    rows: list[FollowUpRow], today: date, days: int, config: Config, who: str | None = None
) -> Listing:
    """For people; `who`: the collector whose follow-ups they are (None: everyone's)."""
    whose = words.list_owner(config, who)
    marked = [
        row | {"when": "overdue" if row["overdue"] else "today" if row["date"] == today else ""}
        for row in as_dicts(rows)
    ]
    ahead = f" and the next {days} days" if days else ""
    count = f"{len(rows)} follow-up{'s' if len(rows) != 1 else ''}"
    heading = f"{whose}'s follow-ups" if whose else "Follow-ups"
    return Listing(
        title=f"{heading} for {today:%A} {today.isoformat()}{ahead} · {count}",
        rows=marked,
        columns=[COLUMNS[0], Column("when", ""), *COLUMNS[1:]],
        empty=f"No follow-ups due on {today}" + (f" for {whose}." if whose else "."),
    )
