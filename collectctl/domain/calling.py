"""Calling hours: when a contact can be reached, in the collector's own time. Pure: the
day, the collector's "now" and the contact's zone and hours are given."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from msgspec import Struct

from collectctl.domain.inputs import calling_hours

ReachState = Literal["now", "later", "over"]


class Reach(Struct, frozen=True):
    """Today's window to call, in the collector's time, and where `now` stands in it."""

    state: ReachState
    start: datetime  # in the collector's zone
    end: datetime

    @property
    def order(self) -> tuple[int, float]:
        """Reachable now (in the list's order), then by when the window opens, then those
        whose hours are over for today."""
        if self.state == "later":
            return 1, self.start.timestamp()
        return (0 if self.state == "now" else 2), 0.0


def reach(zone: str | None, hours: str | None, day: date, now: datetime) -> Reach | None:
    """When the contact can be called on `day`, seen from `now` (aware, in the collector's
    zone); None when no hours are known. Without a zone, the hours are the collector's."""
    if hours is None:
        return None
    opens, closes = calling_hours(hours)
    where = ZoneInfo(zone) if zone else now.tzinfo
    mine = now.tzinfo
    start = datetime.combine(day, opens, where).astimezone(mine)
    end = datetime.combine(day, closes, where).astimezone(mine)
    state: ReachState = "now" if start <= now < end else "later" if now < start else "over"
    return Reach(state, start, end)


def window_time(moment: datetime) -> time:
    return moment.time().replace(second=0, microsecond=0)
