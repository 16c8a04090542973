"""The audit trail as a listing: short ids and minutes for people, everything for machines."""

from __future__ import annotations

from typing import Any

from collectctl.audit.history import HistoryEntry
from collectctl.domain.models import Config
from collectctl.presentation.output import Column


def history_rows(
    entries: list[HistoryEntry], for_people: bool, config: Config
) -> list[dict[str, Any]]:
    """Every field for machines, as git has it; for people, minutes, short ids, the
    collector's id where the author is one (as every other listing names them), and the
    summary without the action the ACTION column already says."""
    rows = [dict(vars(entry)) for entry in entries]
    if for_people:
        for row in rows:
            row["date"] = row["date"][:16].replace("T", " ")
            row["commit"] = row["commit"][:7]
            known = config.find_collector(row["email"]) or config.find_collector(row["collector"])
            row["collector"] = known.id if known else row["collector"]
            row["summary"] = _without_action(row["summary"], row["action"])
    return rows


def _without_action(summary: str, action: str) -> str:
    """`invoice add acme: INV-1 …` under ACTION invoice-add reads `acme: INV-1 …`."""
    for words in (action.replace("-", " "), action):
        for prefix in (f"{words} ", f"{words}: "):
            if summary.startswith(prefix):
                return summary[len(prefix) :]
    return summary


def history_columns(for_people: bool) -> list[Column]:
    columns = [
        Column("date", "DATE"),
        Column("collector", "COLLECTOR"),
        Column("action", "ACTION"),
        Column("summary", "SUMMARY"),
        Column("commit", "COMMIT"),
    ]
    if not for_people:
        columns[2:2] = [Column("email", "EMAIL")]
        columns.insert(4, Column("customer", "CUSTOMER"))
    return columns
