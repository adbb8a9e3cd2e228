"""Dates as a reader wants them: "3 h" today, "24 Nov" this year, "24 Nov 2015" before,
and the full date in the article's header.

Stored dates are ISO 8601 in UTC. One at exactly midnight UTC is a date without a time (a
plain-text article's `Date:` line, a feed that gives only the day): it is shown as that
day, never moved across midnight by the local time zone nor given an hour.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_FULL = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
DAYS_FULL = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse(value: str | None) -> datetime | date | None:
    """A local datetime, a date (date-only values), or None for nothing or something unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC)
    if (utc.hour, utc.minute, utc.second, utc.microsecond) == (0, 0, 0, 0):
        return utc.date()
    return moment.astimezone()  # the reader's local time


def current_time() -> datetime:
    """The clock list dates are relative to (tests set it, so snapshots do not age)."""
    return datetime.now(UTC)


def _day(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]}"


def list_date(value: str | None, now: datetime | None = None) -> str:
    """Short, for a list row: "now", "12 min", "3 h", "today", "24 Nov", "24 Nov 2015"."""
    moment = parse(value)
    if moment is None:
        return ""
    now = (now or current_time()).astimezone()
    if isinstance(moment, datetime):
        age = (now - moment).total_seconds()
        if 0 <= age < 60:
            return "now"
        if 0 <= age < 3600:
            return f"{int(age // 60)} min"
        if age >= 0 and moment.date() == now.date():
            return f"{int(age // 3600)} h"
        day = moment.date()
    else:
        day = moment
        if day == now.date():
            return "today"
    return _day(day) if day.year == now.year else f"{_day(day)} {day.year}"


def full_date(value: str | None) -> str:
    """Long, for the article's header: "Tuesday 24 November 2026, 07:30" (local time)."""
    moment = parse(value)
    if moment is None:
        return value or ""
    day = moment.date() if isinstance(moment, datetime) else moment
    text = f"{DAYS_FULL[day.weekday()]} {day.day} {MONTHS_FULL[day.month - 1]} {day.year}"
    if isinstance(moment, datetime):
        text += f", {moment:%H:%M}"
    return text
