"""``LocalZone``: the machine's zone as the C library keeps it, used when no zone is named.

Each test points the C library at a named zone (``TZ`` and ``time.tzset``) and holds
``LocalZone`` to ``zoneinfo``'s reading of the same zone: every instant of a year (UTC to local,
``fold`` included), every wall time both ways (a repeated and a skipped hour), the study day.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bonemets_quiz.cli.local_zone import LocalZone
from bonemets_quiz.cli.study_options import local_zone
from bonemets_quiz.study.scheduling import day_bounds, day_start, study_day

pytestmark = pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset (POSIX)")

ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",  # a clock change of half an hour
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/St_Johns",  # -3:30
    "Asia/Kolkata",  # no clock change
]


@pytest.fixture
def machine_zone() -> Iterator[object]:
    """Set the C library's zone for one test: ``machine_zone(name)``; put back after."""
    saved = os.environ.get("TZ")

    def use(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield use
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def _year_of_half_hours(year: int) -> Iterator[datetime]:
    moment, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    while moment < end:
        yield moment
        moment += timedelta(minutes=30)


@pytest.mark.parametrize("name", ZONES)
def test_each_instant_of_a_year_reads_as_zoneinfo_reads_it(machine_zone, name: str) -> None:
    machine_zone(name)
    ours, theirs = LocalZone(), ZoneInfo(name)
    for moment in _year_of_half_hours(2026):
        mine, reference = moment.astimezone(ours), moment.astimezone(theirs)
        assert mine.replace(tzinfo=None) == reference.replace(tzinfo=None), moment
        assert (mine.fold, mine.utcoffset()) == (reference.fold, reference.utcoffset()), moment
        assert mine.tzname() == reference.tzname(), moment
        assert mine.astimezone(UTC) == moment


@pytest.mark.parametrize("name", ZONES)
def test_each_wall_time_and_fold_maps_to_the_instant_zoneinfo_gives(machine_zone, name) -> None:
    machine_zone(name)
    ours, theirs = LocalZone(), ZoneInfo(name)
    for moment in _year_of_half_hours(2026):
        wall = moment.replace(tzinfo=None)  # every wall time, the skipped and repeated included
        for fold in (0, 1):
            mine = wall.replace(tzinfo=ours, fold=fold)
            reference = wall.replace(tzinfo=theirs, fold=fold)
            assert mine.utcoffset() == reference.utcoffset(), (wall, fold)


@pytest.mark.parametrize("name", ["Europe/London", "America/New_York", "Australia/Lord_Howe"])
def test_study_days_around_clock_changes_match_zoneinfo(machine_zone, name: str) -> None:
    machine_zone(name)
    ours, theirs = LocalZone(), ZoneInfo(name)
    for day in (date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 8), date(2026, 4, 5)):
        for hour in (0, 1, 2, 3, 4):
            assert day_start(day, ours, hour) == day_start(day, theirs, hour), (day, hour)
            moment = day_start(day, theirs, hour) + timedelta(minutes=90)
            assert study_day(moment, ours, hour) == study_day(moment, theirs, hour)
            assert day_bounds(moment, ours, hour) == day_bounds(moment, theirs, hour)


def test_a_time_the_c_library_cannot_convert_takes_todays_offset(machine_zone) -> None:
    machine_zone("America/New_York")
    zone = LocalZone()
    today = datetime.now().astimezone().utcoffset()
    assert datetime(1, 1, 1, 3, tzinfo=zone).utcoffset() == today  # year 0 in UTC: out of range


def test_no_zone_named_means_the_machines_own(machine_zone, monkeypatch) -> None:
    machine_zone("Asia/Kolkata")
    monkeypatch.delenv("TZ")  # (the C library keeps the zone tzset read)
    zone = local_zone(None)
    assert isinstance(zone, LocalZone)
    assert datetime(2026, 6, 1, 12, tzinfo=UTC).astimezone(zone).hour == 17  # +5:30
