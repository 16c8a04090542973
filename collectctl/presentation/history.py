"""The audit trail as a listing: short ids and minutes for people, everything for machines."""

from __future__ import annotations

from typing import Any

from collectctl.audit.history import HistoryEntry
from collectctl.presentation.output import Column


def history_rows(entries: list[HistoryEntry], for_people: bool) -> list[dict[str, Any]]:
    rows = [dict(vars(entry)) for entry in entries]
    if for_people:
        for row in rows:
            row["date"] = row["date"][:16].replace("T", " ")
            row["commit"] = row["commit"][:7]
    return rows


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
