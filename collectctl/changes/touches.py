"""note and log-email: the touches that are not calls — a note to the file, an email the
customer sent or one sent from elsewhere, a portal message — each an event, optionally
booking a follow-up of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from collectctl.audit.identity import Identity
from collectctl.changes.account_change import Clock, Outcome, account_change
from collectctl.changes.lookups import resolve_contact
from collectctl.domain.inputs import one_address, text_option
from collectctl.errors import UsageError
from collectctl.ledger.accounts import Ledger

MAX_NOTE = 20_000  # characters: a note, not a document


@dataclass(frozen=True)
class Touch:
    text: str | None = None  # a note's text; a message's notes
    contact: str | None = None
    follow_up: date | None = None


@dataclass(frozen=True)
class LoggedMessage:
    direction: str  # in | out
    subject: str
    channel: str = "email"
    sender: str | None = None
    to: list[str] = field(default_factory=list)


def add_note(
    ledger: Ledger, identity: Identity, customer_id: str, clock: Clock, touch: Touch
) -> Outcome:
    text = (touch.text or "").strip()
    if not text:
        raise UsageError("the note is empty")
    if len(text) > MAX_NOTE:
        raise UsageError(f"the note is {len(text):,} characters; the limit is {MAX_NOTE:,}")
    _check_follow_up(touch, clock)
    with account_change(ledger, identity, customer_id, clock) as edit:
        who = resolve_contact(edit, touch.contact) if touch.contact else None
        record: dict[str, Any] = {"contact": who, "notes": text, "follow_up": touch.follow_up}
        edit.write_event("note", record)
        first = text.splitlines()[0]
        edit.describe(f"note {customer_id}: {first[:60]}", "note")
    return edit.outcome(_next(touch))


def log_message(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    clock: Clock,
    message: LoggedMessage,
    touch: Touch,
) -> Outcome:
    subject = text_option(message.subject, "--subject")
    sender = _address(message.sender, "--from") if message.sender else None
    to = [_address(address, "--to") for address in message.to]
    _check_follow_up(touch, clock)
    with account_change(ledger, identity, customer_id, clock) as edit:
        who = resolve_contact(edit, touch.contact) if touch.contact else None
        record: dict[str, Any] = {
            "contact": who,
            "direction": message.direction,
            "channel": message.channel,
            "subject": subject,
            "from": sender,
            "to": to,
            "notes": touch.text,
            "follow_up": touch.follow_up,
        }
        edit.write_event("message", record)
        way = "from" if message.direction == "in" else "to"
        party = sender if message.direction == "in" else ", ".join(to)
        edit.describe(
            f"log-email {customer_id}: {message.channel} {way} {party or who or customer_id}: "
            f"{subject[:60]}",
            "log-email",
        )
    return edit.outcome(_next(touch))


def _address(text: str, option: str) -> str:
    try:
        return one_address(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _check_follow_up(touch: Touch, clock: Clock) -> None:
    if touch.follow_up is not None and touch.follow_up < clock.today:
        raise UsageError(f"--follow-up {touch.follow_up} is in the past (today is {clock.today})")


def _next(touch: Touch) -> tuple[str, ...]:
    return (f"next: follow-up on {touch.follow_up}",) if touch.follow_up else ()
