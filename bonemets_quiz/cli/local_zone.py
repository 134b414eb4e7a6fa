"""The machine's own time zone, as the C library keeps it, for a learner who names none.

``zoneinfo`` would cost ``study``'s start-up 2 ms (it imports ``sysconfig`` to find its data),
and needs the zone's name, which a machine whose ``/etc/localtime`` is a copy rather than a link
does not give. The C library already knows the local rules; Python's own ``astimezone()`` asks it
(PEP 495 ``fold`` included), so this zone delegates to that.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo


class LocalZone(tzinfo):
    """Local time as ``datetime.astimezone()`` sees it: clock changes, a repeated hour's two
    times (``fold``) and a skipped hour as ``zoneinfo`` treats them. Times the C library cannot
    convert (beyond its years) take today's offset."""

    def fromutc(self, dt: datetime) -> datetime:
        if dt.tzinfo is not self:
            raise ValueError("fromutc: dt.tzinfo is not self")
        local = _local(dt.replace(tzinfo=UTC))
        wall = local.replace(tzinfo=self)
        if self.utcoffset(wall) != local.utcoffset():  # the second time of a repeated hour
            wall = wall.replace(fold=1)
        return wall

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return _local(_naive(dt)).utcoffset() or timedelta(0)

    def dst(self, dt: datetime | None) -> None:
        return None  # the C library says whether, not by how much

    def tzname(self, dt: datetime | None) -> str | None:
        return _local(_naive(dt)).tzname()

    def __repr__(self) -> str:
        return "LocalZone()"


def _naive(dt: datetime | None) -> datetime:
    return dt.replace(tzinfo=None) if dt is not None else datetime.now()


def _local(moment: datetime) -> datetime:
    """``moment`` (aware, or naive as a local wall time) in local time with its fixed offset."""
    try:
        return moment.astimezone()
    except (OverflowError, OSError, ValueError):
        today = datetime.now().astimezone().tzinfo
        return moment.astimezone(today) if moment.tzinfo else moment.replace(tzinfo=today)
