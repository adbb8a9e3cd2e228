"""Dates in the list and the header (issue 16.7): the year when it is not this year,
relative times today, the full date in the header."""
from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tui.widgets.dates import full_date, list_date

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("value, shown", [
    ("2026-11-30T14:59:30+00:00", "now"),
    ("2026-11-30T14:48:00+00:00", "12 min"),
    ("2026-11-30T12:00:00+00:00", "3 h"),
    ("2026-11-30T00:00:00+00:00", "today"),  # a date without a time: no hours made up
    ("2026-11-24T07:30:00+00:00", "24 Nov"),
    ("2015-11-30T09:00:00+00:00", "30 Nov 2015"),  # the same day of another year is told apart
    ("2015-11-30T00:00:00+00:00", "30 Nov 2015"),
    ("2027-01-02T10:00:00+00:00", "2 Jan 2027"),  # a date in the future: never "-3 h"
    (None, ""),
    ("not a date", ""),
])
def test_list_dates(value, shown):
    assert list_date(value, NOW) == shown


def test_the_header_has_the_full_date_and_the_time_when_known():
    assert full_date("2026-11-24T07:30:00+00:00") == "Tuesday 24 November 2026, 07:30"
    assert full_date("2015-11-30T00:00:00+00:00") == "Monday 30 November 2015"
    assert full_date("garbage") == "garbage" and full_date(None) == ""


def test_a_time_is_shown_in_the_readers_time_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    assert full_date("2026-11-24T20:30:00+00:00") == "Wednesday 25 November 2026, 05:30"
    assert full_date("2026-11-24T00:00:00+00:00") == "Tuesday 24 November 2026"  # a date stays that day
