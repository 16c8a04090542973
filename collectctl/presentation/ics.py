"""Follow-ups as an iCalendar file a calendar application imports."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from collectctl import __version__
from collectctl.domain.inputs import calling_hours
from collectctl.presentation.followups import FollowUpRow

Hours = dict[str, tuple[str | None, str]]  # customer -> (time zone, calling hours)
TIMED_MINUTES = 30  # a timed follow-up: half an hour from the opening of their hours


def calendar_bytes(
    rows: list[FollowUpRow], company: str, stamp: datetime, hours: Hours | None = None
) -> bytes:
    """One event per follow-up: all day, or timed at the opening of the contact's
    calling hours (in their zone) where those are known."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//collectctl {__version__}//{company}//EN")
    calendar.add("version", "2.0")
    for row in rows:
        event = Event()
        key = f"{row.customer}|{row.kind}|{row.date}|{row.detail}"
        event.add("uid", hashlib.sha1(key.encode()).hexdigest() + "@collectctl")
        event.add("dtstamp", stamp)
        known = (hours or {}).get(row.customer)
        if known is None:
            event.add("dtstart", row.date)
        else:
            zone, window = known
            opens, _ = calling_hours(window)
            start = datetime.combine(row.date, opens, ZoneInfo(zone) if zone else None)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=TIMED_MINUTES))
        event.add("summary", f"{row.customer}: {row.kind}")
        event.add("description", f"{row.detail} (collector: {row.collector or '-'})")
        event.add("categories", ["collections"])
        calendar.add_component(event)
    calendar.add_missing_timezones()  # a VTIMEZONE for each zone the events use
    return bytes(calendar.to_ical())


def write_ics(
    path: Path, rows: list[FollowUpRow], company: str, stamp: datetime, hours: Hours | None = None
) -> None:
    from collectctl.presentation.output import write_file

    write_file(path, calendar_bytes(rows, company, stamp, hours))
