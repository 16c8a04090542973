"""A review in a collector's words: text for the terminal, markdown to paste as a pull
request's description, JSON for machines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from msgspec.structs import asdict

from collectctl.domain.models import (
    Call,
    DisputeEvent,
    EmailSent,
    Escalation,
    Event,
    Note,
    Payment,
    Promise,
)
from collectctl.domain.money import format_money
from collectctl.ledger.review import AddedEvent, InvoiceChange, Review
from collectctl.presentation import words

SECTIONS: tuple[tuple[str, type[Event]], ...] = (
    ("Calls", Call),
    ("Promises", Promise),
    ("Payments", Payment),
    ("Disputes", DisputeEvent),
    ("Escalations", Escalation),
    ("Emails sent", EmailSent),
    ("Notes", Note),
)


def first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def describe(added: AddedEvent) -> str:
    """One event as a reviewer reads it."""
    event = added.event

    def money(amount: Decimal) -> str:
        return format_money(amount, added.currency)

    who = f" ({event.contact})" if event.contact else ""
    said = f' — "{first_line(event.notes)}"' if first_line(event.notes) else ""
    match event:
        case Call():
            check = (
                f", check #{event.check.number} {money(event.check.amount)}" if event.check else ""
            )
            return f"{event.outcome}{who}{check}{said}"
        case Promise():
            parts = [f"{money(p.amount)} by {p.by}" for p in event.installments]
            plan = parts[0] if len(parts) == 1 else f"{len(parts)} installments: {', '.join(parts)}"
            method = f", paying by {event.method}" if event.method else ""
            return f"{plan}{method}{who}"
        case Payment():
            reference = f", ref {event.reference}" if event.reference else ""
            named = f", for {', '.join(event.named)}" if event.named else ""
            return f"{money(event.amount)} received {event.date}{reference}{named}"
        case DisputeEvent():
            if event.resolution is not None:
                return f"{event.invoice} resolved: {event.resolution}"
            amount = f", {money(event.amount)}" if event.amount else ""
            return f"{event.invoice} opened ({event.reason}{amount}){said}"
        case Escalation():
            return f"to {event.to or 'the credit manager'}: {event.reason or ''}".rstrip(": ")
        case EmailSent():
            return words.email_sent(event)
    return first_line(event.notes) or event.kind


def invoice_words(change: InvoiceChange) -> str:
    if change.before is None and change.after is not None:
        after = change.after
        amount = format_money(after.amount, change.currency)
        return f"{change.number} added: {amount}, due {after.due}"
    if change.before is None or change.after is None:
        return f"{change.number} removed"
    was, now = asdict(change.before), asdict(change.after)
    fields = [
        f"{key} {was[key]} → {now[key]}"
        for key in ("amount", "issued", "due", "po", "status", "currency", "document")
        if was[key] != now[key]
    ]
    return f"{change.number} changed: {', '.join(fields)}"


def review_text(found: Review, markdown: bool = False) -> str:
    page = _Page(markdown)
    span = found.span
    title = f"Review of {span.text}"
    counts = (
        f"{span.commits} commit{'s' if span.commits != 1 else ''} · "
        f"{len(found.customers)} customer{'s' if len(found.customers) != 1 else ''}"
    )
    page.lines.append(f"## {title}\n\n{counts}" if markdown else f"{title} · {counts}")
    if not (found.events or found.invoices or found.hand_edits):
        page.lines.append("\nNothing in the ledger changed.")
    for heading, kind in SECTIONS:
        chosen = [added for added in found.events if isinstance(added.event, kind)]
        if chosen:
            page.section(heading)
            _events(page, chosen, by_collector=kind is Call)
    if found.invoices:
        page.section("Invoices")
        for change in found.invoices:
            page.item(f"{change.customer}: {invoice_words(change)}")
    if found.hand_edits:
        page.section("Hand edits")
        for edit in found.hand_edits:
            verb = {"A": "added", "D": "deleted"}.get(edit.status, "edited")
            page.item(f"{edit.path} ({verb})")
            page.diff(edit.lines)
    page.section("Check")
    if found.problems is None:
        page.item("not run: check out the range's tip to check it")
    elif not found.problems:
        page.item("no problems in the files this range changed")
    for problem in found.problems or ():
        page.item(str(problem))
    return "\n".join(page.lines) + "\n"


def _events(page: _Page, chosen: list[AddedEvent], by_collector: bool) -> None:
    if not by_collector:
        for added in chosen:
            page.item(f"{added.event.date} {added.customer}: {describe(added)}")
        return
    collectors = sorted({added.event.collector for added in chosen})
    for collector in collectors:
        mine = [added for added in chosen if added.event.collector == collector]
        page.item(f"{collector} ({len(mine)})")
        for added in mine:
            page.item(f"{added.event.date} {added.customer}: {describe(added)}", level=1)


class _Page:
    def __init__(self, markdown: bool):
        self.markdown = markdown
        self.lines: list[str] = []

    def section(self, heading: str) -> None:
        self.lines.append(f"\n### {heading}\n" if self.markdown else f"\n{heading.upper()}")

    def item(self, text: str, level: int = 0) -> None:
        indent = "  " * level
        self.lines.append(f"{indent}- {text}" if self.markdown else f"  {indent}{text}")

    def diff(self, lines: tuple[str, ...]) -> None:
        if not lines:
            return
        if self.markdown:
            self.lines += ["", "  ```diff", *(f"  {line}" for line in lines), "  ```"]
        else:
            self.lines += [f"      {line}" for line in lines]


def review_json(found: Review) -> dict[str, Any]:
    span = found.span
    return {
        "range": span.text,
        "base": span.base,
        "tip": span.tip,
        "commits": span.commits,
        "customers": list(found.customers),
        "events": [_event_json(added) for added in found.events],
        "invoices": [
            {
                "customer": c.customer,
                "number": c.number,
                "change": "added"
                if c.before is None
                else "removed"
                if c.after is None
                else "changed",
                "text": invoice_words(c),
            }
            for c in found.invoices
        ],
        "hand_edits": [
            {"path": e.path, "status": e.status, "lines": list(e.lines)} for e in found.hand_edits
        ],
        "problems": None
        if found.problems is None
        else [{"path": p.path, "line": p.line, "message": p.message} for p in found.problems],
    }


def _change(change: InvoiceChange) -> str:
    if change.before is None:
        return "added"
    return "removed" if change.after is None else "changed"


def _event_json(added: AddedEvent) -> dict[str, Any]:
    event = added.event
    return {
        "customer": added.customer,
        "kind": event.kind,
        "date": event.date,
        "collector": event.collector,
        "file": event.file,
        "text": describe(added),
    }
