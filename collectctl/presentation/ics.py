"""Follow-ups as an iCalendar file a calendar application imports."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from collectctl import __version__
from collectctl.presentation.followups import FollowUpRow


def calendar_bytes(rows: list[FollowUpRow], company: str, stamp: datetime) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//collectctl {__version__}//{company}//EN")
    calendar.add("version", "2.0")
    for row in rows:
        event = Event()
        key = f"{row.customer}|{row.kind}|{row.date}|{row.detail}"
        event.add("uid", hashlib.sha1(key.encode()).hexdigest() + "@collectctl")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.date)
        event.add("summary", f"{row.customer}: {row.kind}")
        event.add("description", f"{row.detail} (collector: {row.collector or '-'})")
        event.add("categories", ["collections"])
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def write_ics(path: Path, rows: list[FollowUpRow], company: str, stamp: datetime) -> None:
    from collectctl.storage.files import atomic_write

    atomic_write(path, calendar_bytes(rows, company, stamp))
