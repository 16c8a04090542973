"""A reminder run as people and machines read it: who gets (or got) which level, and
why the others get none."""

from __future__ import annotations

from datetime import date
from typing import Any

from collectctl.domain.money import format_money
from collectctl.domain.reminders import Reminder, Skipped
from collectctl.presentation.output import Column, Listing

COLUMNS = [
    Column("customer", "CUSTOMER"),
    Column("level", "LEVEL", "right"),
    Column("to", "TO"),
    Column("invoices", "INVOICES"),
    Column("overdue", "OVERDUE", "right"),
    Column("status", "STATUS"),
]
SKIPPED_COLUMNS = [Column("customer", "CUSTOMER"), Column("why", "WHY NONE")]


def rows(
    due: list[Reminder], status: dict[str, tuple[str, str]] | None = None
) -> list[dict[str, Any]]:
    """One row per reminder; `status`: per customer, what became of it (sent, refused)."""
    found = []
    for reminder in due:
        state, detail = (status or {}).get(reminder.customer, ("due", ""))
        detail = detail if state == "refused" else ""
        found.append(
            {
                "customer": reminder.customer,
                "level": reminder.level.level,
                "template": reminder.level.template,
                "to": reminder.to.email,
                "contact": reminder.to.name,
                "invoices": [i.number for i in reminder.invoices],
                "overdue": reminder.overdue,
                "currency": reminder.currency,
                "status": state,
                "detail": detail or None,
            }
        )
    return found


def skipped_rows(skipped: list[Skipped]) -> list[dict[str, Any]]:
    return [{"customer": s.customer, "code": s.code, "why": s.why} for s in skipped]


def as_json(today: date, sending: bool, found: list[dict], skipped: list[Skipped]) -> dict:
    return {
        "date": today.isoformat(),
        "send": sending,
        "reminders": found,
        "skipped": skipped_rows(skipped),
    }


def listings(today: date, sending: bool, found: list[dict], skipped: list[Skipped]) -> str:
    day = f"{today:%A} {today.isoformat()}"
    count = f"{len(found)} reminder{'s' if len(found) != 1 else ''}"
    table_rows = [
        row
        | {
            "invoices": ", ".join(row["invoices"]),
            "overdue": format_money(row["overdue"], row["currency"]),
            "status": row["status"] + (f": {row['detail']}" if row["detail"] else ""),
        }
        for row in found
    ]
    said = "" if sending else " (dry run: nothing sent; --send sends them)"
    reminders = Listing(
        f"Reminders for {day} · {count}{said}",
        table_rows,
        COLUMNS,
        f"No reminder due on {day}.",
    )
    text = reminders.text()
    if skipped:
        passed = Listing(
            f"Passed over · {len(skipped)} account{'s' if len(skipped) != 1 else ''}",
            skipped_rows(skipped),
            SKIPPED_COLUMNS,
            "",
        )
        text += "\n" + passed.text()
    return text
