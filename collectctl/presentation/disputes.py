"""Open disputes across the ledger, for `dispute list`: what is held back, since when,
who works it, and when it comes up for review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from collectctl.domain.calendar import days_later
from collectctl.domain.models import Config
from collectctl.domain.money import normalize
from collectctl.domain.standing import Standing
from collectctl.presentation.output import Column, Listing


@dataclass(frozen=True)
class DisputeRow:
    customer: str
    invoice: str
    reason: str
    held: Decimal
    currency: str
    opened: date
    days_open: int
    owner: str | None
    review: date


def dispute_rows(
    standings: Iterable[Standing], config: Config, today: date, collector: str | None
) -> list[DisputeRow]:
    policy = config.policy
    rows = []
    for account in standings:
        for dispute in account.disputes:
            owner = dispute.owner or account.collector
            if collector is not None and collector not in (owner, account.owner):
                continue
            rows.append(
                DisputeRow(
                    account.id,
                    dispute.invoice,
                    dispute.reason,
                    normalize(dispute.held, account.currency),
                    account.currency,
                    dispute.opened,
                    (today - dispute.opened).days,
                    owner,
                    days_later(dispute.reviewed, policy.dispute_review_days, policy),
                )
            )
    return sorted(rows, key=lambda r: (r.opened, r.customer, r.invoice))


COLUMNS = [
    Column("customer", "CUSTOMER"),
    Column("invoice", "INVOICE"),
    Column("reason", "REASON"),
    Column("held", "DISPUTED", align="right"),
    Column("currency", "CUR"),
    Column("opened", "OPENED"),
    Column("days_open", "DAYS", align="right"),
    Column("owner", "OWNER"),
    Column("review", "REVIEW"),
]


def as_dicts(rows: list[DisputeRow]) -> list[dict[str, Any]]:
    return [dict(vars(row)) for row in rows]


def listing(rows: list[DisputeRow], today: date) -> Listing:
    count = f"{len(rows)} open dispute{'s' if len(rows) != 1 else ''}"
    return Listing(
        title=f"Disputes on {today:%A} {today.isoformat()} · {count}",
        rows=as_dicts(rows),
        columns=COLUMNS,
        empty=f"No open disputes on {today}.",
    )
