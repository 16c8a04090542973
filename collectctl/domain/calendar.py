"""Business days: weekends and the policy's holidays are never a follow-up's day."""

from __future__ import annotations

from datetime import date, timedelta

from collectctl.domain.models import Policy


def is_business_day(day: date, policy: Policy) -> bool:
    return day.weekday() < 5 and day not in policy.holidays


def roll_forward(day: date, policy: Policy) -> date:
    """The day itself if it is a business day, else the next one."""
    while not is_business_day(day, policy):
        day += timedelta(days=1)
    return day


def next_business_day(day: date, policy: Policy) -> date:
    """The first business day strictly after `day`."""
    return roll_forward(day + timedelta(days=1), policy)


def days_later(day: date, days: int, policy: Policy) -> date:
    """`days` calendar days on, moved off weekends and holidays."""
    return roll_forward(day + timedelta(days=days), policy)
