"""Date and Date-Time built-ins: arithmetic, parts, differences, conversions, system variables.

Every function here takes a Date, a Date-Time or (as Zoho allows outside Creator) a Text
in a date format as its receiver. A Date stays a Date and a Date-Time stays a Date-Time
unless the function is documented to return a date only (``edate``, ``eomonth``,
``workday``). Parsing and SimpleDateFormat live in ``deluge_lite/dates.py``; printing and
the ``+``/``-`` operators in ``values.py``.

Receivers claimed for names other modules may also use: ``toString``/``toText`` on Date
and Date-Time only; ``toDate``, ``toTime``/``toDateTime``, ``toDateTimeString`` on Text,
Number, Date and Date-Time; ``unixEpoch`` on Text, Date and Date-Time; ``isDate`` on every type.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable

from .. import dates
from ..errors import DelugeRuntimeError
from ..values import to_text, type_name
from .registry import DATES, NUMBER, TEXT, builtin, expect, expect_int, ordinal, system_variable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

HELP = "https://www.zoho.com/deluge/help/functions/datetime/"
WHEN = DATES | TEXT
CONVERTIBLE = DATES | TEXT | NUMBER
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)


# ---------------------------------------------------------------- argument helpers

def _moment(function: str, value: Any, rt: Any, position: int = 0) -> _dt.date:
    """A Date or Date-Time argument; Text in a date format is read as one."""
    if isinstance(value, _dt.date):
        return value
    if type(value) is str:
        parsed = dates.parse_literal(value, rt.zone)
        if parsed is not None:
            return parsed
        where = f" for its {ordinal(position)} argument" if position else ""
        raise DelugeRuntimeError(f"{function}() needs a date{where}, got the text '{value}'")
    where = f" for its {ordinal(position)} argument" if position else ""
    raise DelugeRuntimeError(f"{function}() expects a Date or Date-Time{where}, got {type_name(value)}")


def _text_arg(function: str, position: int, value: Any) -> str:
    return expect(function, position, value, TEXT)


def _zone_arg(function: str, position: int, value: Any, rt: Any) -> _dt.tzinfo:
    if value is None:
        return rt.zone
    return dates.zone_named(_text_arg(function, position, value))


def _checked(function: str, make: Callable[[], _dt.date]) -> _dt.date:
    try:
        return make()
    except (OverflowError, ValueError):
        raise _outside_years(function) from None


def _outside_years(function: str) -> DelugeRuntimeError:
    return DelugeRuntimeError(f"{function}() gives a date outside the years 1 to 9999")


def _from_millis(millis: int, zone: _dt.tzinfo) -> _dt.datetime:
    try:
        return (_EPOCH + _dt.timedelta(milliseconds=millis)).astimezone(zone).replace(tzinfo=None)
    except (OverflowError, ValueError):
        raise DelugeRuntimeError(f"{millis} milliseconds is outside the supported dates "
                                 "(the years 1 to 9999)") from None


def _to_millis(value: _dt.date, zone: _dt.tzinfo) -> int:
    moment = dates.as_datetime(value).replace(tzinfo=zone)
    delta = moment - _EPOCH
    return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000


def _trunc_div(number: int, divisor: int) -> int:
    quotient = abs(number) // divisor
    return quotient if number >= 0 else -quotient


# ---------------------------------------------------------------- add / sub

# unit -> how a count of it moves a date (month and year shifts clamp to the month's last day)
_MOVES: dict[str, Callable[[_dt.date, int], _dt.date]] = {
    "days": lambda value, count: value + _dt.timedelta(days=count),
    "weeks": lambda value, count: value + _dt.timedelta(weeks=count),
    "months": dates.add_months,
    "years": lambda value, count: dates.add_months(value, count * 12),
    # Decision: adding time to a Date gives a Date-Time
    "hours": lambda value, count: dates.as_datetime(value) + _dt.timedelta(hours=count),
    "minutes": lambda value, count: dates.as_datetime(value) + _dt.timedelta(minutes=count),
    "seconds": lambda value, count: dates.as_datetime(value) + _dt.timedelta(seconds=count),
}


# name -> (unit, sign). Month and year shifts clamp to the month's last day (addMonth page).
_SHIFTS: dict[str, tuple[str, int]] = {
    "addDay": ("days", 1), "subDay": ("days", -1),
    "addWeek": ("weeks", 1), "subWeek": ("weeks", -1),
    "addMonth": ("months", 1), "subMonth": ("months", -1),
    "addYear": ("years", 1), "subYear": ("years", -1),
    "addHour": ("hours", 1), "subHour": ("hours", -1),
    "addMinutes": ("minutes", 1), "subMinutes": ("minutes", -1),
    "addSeconds": ("seconds", 1), "subSeconds": ("seconds", -1),
}


def _make_shift(name: str, unit: str, sign: int) -> Callable[..., _dt.date]:
    move = _MOVES[unit]

    def shift(rt: Any, value: Any, amount: Any) -> _dt.date:
        moment = value if isinstance(value, _dt.date) else _moment(name, value, rt)
        count = (amount if type(amount) is int else expect_int(name, 1, amount)) * sign
        try:
            return move(moment, count)
        except (OverflowError, ValueError):
            raise _outside_years(name) from None
    shift.__name__ = name
    return shift


for _name, (_unit, _sign) in _SHIFTS.items():
    builtin(_name, on=WHEN, args=(1, 1), runtime=True,
            doc=f"{HELP}{_name.lower()}.html")(_make_shift(_name, _unit, _sign))


# ---------------------------------------------------------------- parts of a date

def _weekday(value: _dt.date) -> int:
    return value.isoweekday() % 7 + 1  # Sunday 1 .. Saturday 7 (weekday page)


# name -> (aliases, part, help page)
_PARTS: dict[str, tuple[tuple[str, ...], Callable[[_dt.date], int], str]] = {
    "getDay": (("day",), lambda m: m.day, "getday"),
    "getMonth": (("month",), lambda m: m.month, "getmonth"),
    "getYear": ((), lambda m: m.year, "getyear"),
    "getHour": (("hour",), lambda m: getattr(m, "hour", 0), "gethour"),
    "getMinutes": (("minute",), lambda m: getattr(m, "minute", 0), "getminutes"),
    "getSeconds": (("second",), lambda m: getattr(m, "second", 0), "getseconds"),
    "getDayOfWeek": (("weekday",), _weekday, "weekday"),
    "getDayOfYear": ((), lambda m: m.timetuple().tm_yday, "getdayofyear"),
}


def _make_part(name: str, part: Callable[[_dt.date], int]) -> Callable[..., int]:
    def get_part(rt: Any, value: Any) -> int:
        return part(value if isinstance(value, _dt.date) else _moment(name, value, rt))
    get_part.__name__ = name
    return get_part


for _name, (_aliases, _part, _page) in _PARTS.items():
    builtin(_name, *_aliases, on=WHEN, args=(0, 0), runtime=True,
            doc=f"{HELP}{_page}.html")(_make_part(_name, _part))


def _first_weekday(function: str, position: int, value: Any) -> int:
    number = dates.day_number(_text_arg(function, position, value))
    if number is None:
        raise DelugeRuntimeError(f"{function}() expects a day name such as \"Monday\", got '{value}'")
    return number


@builtin("getWeekOfYear", on=WHEN, args=(0, 1), runtime=True, doc=f"{HELP}getweekofyear.html")
def get_week_of_year(rt: Any, value: Any, start_day: Any = None) -> int:
    """Week 1 holds 1 January; weeks start on Sunday unless start_day names another day."""
    first = 6 if start_day is None else _first_weekday("getWeekOfYear", 1, start_day)
    return dates.week_of_year(dates.as_date(_moment("getWeekOfYear", value, rt)), first)


# ---------------------------------------------------------------- differences

def _days(start: _dt.date, end: _dt.date) -> int:
    # Decision: daysBetween counts calendar days and ignores the time of day.
    return (dates.as_date(end) - dates.as_date(start)).days


def _months_diff(start: _dt.date, end: _dt.date) -> int:
    """Whole calendar months from start to end (monthsDiff page), truncated toward zero."""
    a, b = dates.as_datetime(start), dates.as_datetime(end)
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    months = (b.year - a.year) * 12 + b.month - a.month
    if months > 0 and (b.day, b.time()) < (a.day, a.time()):  # as java.time.Period counts
        months -= 1
    return sign * months


def _hours(start: _dt.date, end: _dt.date) -> int:
    # hoursBetween page: minutes and seconds are not counted, so both ends drop to the hour.
    a, b = (dates.as_datetime(x).replace(minute=0, second=0, microsecond=0) for x in (start, end))
    return int((b - a).total_seconds()) // 3600


# name -> (difference, help page)
_BETWEEN: dict[str, tuple[Callable[[_dt.date, _dt.date], int], str]] = {
    "daysBetween": (_days, "daysbetween"),
    "days360": (_days, "days360"),  # the days360 page: behaves the same as daysBetween
    "monthsBetween": (lambda a, b: _trunc_div(_days(a, b), 30), "monthsbetween"),  # a month is 30 days
    "yearsBetween": (lambda a, b: _trunc_div(_days(a, b), 365), "yearsbetween"),  # a year is 365 days
    "monthsDiff": (_months_diff, "monthsdiff"),
    "yearsDiff": (lambda a, b: _trunc_div(_months_diff(a, b), 12), "yearsdiff"),
    "hoursBetween": (_hours, "hoursbetween"),
}


def _make_between(name: str, difference: Callable[[_dt.date, _dt.date], int]) -> Callable[..., int]:
    def between(rt: Any, start: Any, end: Any) -> int:
        return difference(_moment(name, start, rt), _moment(name, end, rt, 1))
    between.__name__ = name
    return between


for _name, (_difference, _page) in _BETWEEN.items():
    builtin(_name, on=WHEN, args=(1, 1), runtime=True, doc=f"{HELP}{_page}.html")(_make_between(_name, _difference))


# ---------------------------------------------------------------- landmarks

def _midnight_like(original: _dt.date, day: _dt.date) -> _dt.date:
    """``day`` as the same kind as ``original``: a Date-Time becomes 00:00:00 of that day."""
    return dates.as_datetime(day) if type(original) is _dt.datetime else day


@builtin("toStartOfMonth", on=WHEN, args=(0, 0), runtime=True, doc=f"{HELP}tostartofmonth.html")
def to_start_of_month(rt: Any, value: Any) -> _dt.date:
    moment = _moment("toStartOfMonth", value, rt)
    return _midnight_like(moment, dates.as_date(moment).replace(day=1))


@builtin("toStartOfWeek", on=WHEN, args=(0, 0), runtime=True, doc=f"{HELP}tostartofweek.html")
def to_start_of_week(rt: Any, value: Any) -> _dt.date:
    """The Sunday on or before the value (Sunday is the first day of the week)."""
    moment = _moment("toStartOfWeek", value, rt)
    day = dates.as_date(moment)
    return _midnight_like(moment, _checked("toStartOfWeek", lambda: day - _dt.timedelta(days=_weekday(day) - 1)))


@builtin("edate", on=WHEN, args=(1, 1), runtime=True, doc=f"{HELP}edate.html")
def edate(rt: Any, value: Any, months: Any) -> _dt.date:
    """The date (time dropped) the given number of months later; month ends clamp."""
    day = dates.as_date(_moment("edate", value, rt))
    return _checked("edate", lambda: dates.add_months(day, expect_int("edate", 1, months)))


@builtin("eomonth", on=WHEN, args=(1, 1), runtime=True, doc=f"{HELP}eomonth.html")
def eomonth(rt: Any, value: Any, months: Any) -> _dt.date:
    """The last day of the month the given number of months later."""
    day = dates.as_date(_moment("eomonth", value, rt)).replace(day=1)
    first = _checked("eomonth", lambda: dates.add_months(day, expect_int("eomonth", 1, months)))
    if first.month == 12:
        return first.replace(day=31)
    return first.replace(month=first.month + 1) - _dt.timedelta(days=1)


def _business_rules(function: str, rt: Any, weekends: Any, holidays: Any) -> tuple[set[int], set[_dt.date]]:
    if weekends is None:
        closed = {5, 6}  # Saturday and Sunday
    else:
        items = weekends if type(weekends) is list else [weekends]
        closed = {_first_weekday(function, 2, item) for item in items}
        if len(closed) == 7:
            raise DelugeRuntimeError(f"{function}() cannot work when every day of the week is a weekend")
    items = [] if holidays is None else holidays if type(holidays) is list else [holidays]
    days = {dates.as_date(_moment(function, item, rt, 3)) for item in items}
    return closed, days


def _business_shift(function: str, rt: Any, value: Any, count: Any, weekends: Any,
                    holidays: Any, sign: int) -> _dt.date:
    moment = _moment(function, value, rt)
    steps = expect_int(function, 1, count)
    closed, holidays_set = _business_rules(function, rt, weekends, holidays)
    direction = sign if steps >= 0 else -sign
    ordinal = _business_walk(dates.as_date(moment).toordinal(), abs(steps), direction, closed, holidays_set)
    day = dates.from_ordinal(ordinal, f"{function}()")
    if type(moment) is _dt.datetime:
        return _dt.datetime.combine(day, moment.time())
    return day


def _business_walk(start: int, count: int, direction: int, closed: set[int], holidays: set[_dt.date]) -> int:
    """The day number ``count`` business days from ``start`` (not counted), by arithmetic.

    Any 7 days in a row hold the same number of open weekdays, so whole weeks are jumped;
    then the holidays passed over (found by bisection in the sorted holiday list) are made
    up by walking on again, until a walk passes no holiday. The cost depends on the number
    of holidays, not on ``count``.
    """
    open_per_week = 7 - len(closed)
    blocked = sorted(day.toordinal() for day in holidays if day.weekday() not in closed)
    day, remaining = start, count
    while remaining:
        weeks, rest = divmod(remaining, open_per_week)
        if rest == 0:
            weeks, rest = weeks - 1, open_per_week
        reached = day + 7 * weeks * direction
        while rest:
            reached += direction
            if dates.weekday_of(reached) not in closed:
                rest -= 1
        if direction > 0:
            remaining = bisect.bisect_right(blocked, reached) - bisect.bisect_right(blocked, day)
        else:
            remaining = bisect.bisect_left(blocked, day) - bisect.bisect_left(blocked, reached)
        day = reached
    return day


@builtin("addBusinessDay", on=WHEN, args=(1, 3), runtime=True, doc=f"{HELP}addbusinessday.html")
def add_business_day(rt: Any, value: Any, count: Any, weekends: Any = None, holidays: Any = None) -> _dt.date:
    """Skip weekends (Saturday and Sunday unless a list is given) and the listed holidays."""
    return _business_shift("addBusinessDay", rt, value, count, weekends, holidays, 1)


@builtin("subBusinessDay", on=WHEN, args=(1, 3), runtime=True, doc=f"{HELP}subBusinessDay.html")
def sub_business_day(rt: Any, value: Any, count: Any, weekends: Any = None, holidays: Any = None) -> _dt.date:
    return _business_shift("subBusinessDay", rt, value, count, weekends, holidays, -1)


@builtin("workday", on=WHEN, args=(1, 3), runtime=True, doc=f"{HELP}workday.html")
def workday(rt: Any, value: Any, count: Any, weekends: Any = None, holidays: Any = None) -> _dt.date:
    """Like addBusinessDay, but returns the date only; a negative count returns the date as is."""
    if expect_int("workday", 1, count) < 0:
        return dates.as_date(_moment("workday", value, rt))
    return dates.as_date(_business_shift("workday", rt, value, count, weekends, holidays, 1))


def _week_day_step(function: str, rt: Any, value: Any, day_name: Any, direction: int) -> _dt.date:
    moment = _moment(function, value, rt)
    target = _first_weekday(function, 1, day_name)
    gap = ((target - moment.weekday()) * direction) % 7 or 7  # never the same day
    return _checked(function, lambda: moment + _dt.timedelta(days=gap * direction))


@builtin("nextWeekDay", on=WHEN, args=(1, 1), runtime=True,
         doc="https://www.zoho.com/deluge/help/functions/number/nextWeekDay.html")
def next_week_day(rt: Any, value: Any, day_name: Any) -> _dt.date:
    """The first date after the value that falls on the named day."""
    return _week_day_step("nextWeekDay", rt, value, day_name, 1)


@builtin("previousWeekDay", on=WHEN, args=(1, 1), runtime=True,
         doc="https://www.zoho.com/deluge/help/functions/number/previousWeekDay.html")
def previous_week_day(rt: Any, value: Any, day_name: Any) -> _dt.date:
    """The last date before the value that falls on the named day."""
    return _week_day_step("previousWeekDay", rt, value, day_name, -1)


# ---------------------------------------------------------------- conversions

def _formatted(function: str, value: _dt.date, pattern: Any, zone: Any, rt: Any) -> str | None:
    """``value`` (wall-clock time in the runtime's zone) written in ``pattern`` for ``zone``."""
    target = _zone_arg(function, 2, zone, rt)
    if type(value) is _dt.datetime and zone is not None:
        value = dates.convert_zone(value, rt.zone, target)
    # Decision: a Date has no time of day, so a time zone never moves it to another day.
    if pattern is None:
        return to_text(value)
    try:
        return dates.format(value, _text_arg(function, 1, pattern), target)
    except dates.PatternError:
        return None  # toText page: a format with unquoted non-pattern letters gives null


@builtin("toString", "toText", on=DATES, args=(0, 2), runtime=True,
         doc="https://www.zoho.com/deluge/help/functions/common/tostring.html")
def to_string(rt: Any, value: _dt.date, pattern: Any = None, zone: Any = None) -> str | None:
    """The default text (dd-MMM-yyyy[ HH:mm:ss]) or the SimpleDateFormat pattern, optionally in another zone."""
    if zone is None and type(pattern) is str:  # the common form, as _formatted writes it in the run's zone
        try:
            return dates.format(value, pattern, rt.zone)
        except dates.PatternError:
            return None
    return _formatted("toString", value, pattern, zone, rt)


@builtin("toDateTimeString", on=CONVERTIBLE, args=(0, 2), runtime=True, doc=f"{HELP}todatetimestring.html")
def to_date_time_string(rt: Any, value: Any, pattern: Any = None, zone: Any = None) -> str | None:
    """Milliseconds since 1970, a date, or date text, written in a pattern and time zone."""
    if type(value) is int:
        return millis_text("toDateTimeString", rt, value, pattern, zone)
    return _formatted("toDateTimeString", _moment("toDateTimeString", value, rt), pattern, zone, rt)


def millis_text(function: str, rt: Any, millis: int, pattern: Any, zone: Any) -> str | None:
    """Milliseconds since 1970 written in a pattern (default ``dd-MMM-yyyy HH:mm:ss``) and time zone
    (default the run's); null for a pattern that cannot be written. ``toDateTimeString`` and a
    Number's ``toString(pattern, zone)`` both use it."""
    target = _zone_arg(function, 2, zone, rt)
    moment = _from_millis(millis, target)
    text = pattern if pattern is not None else "dd-MMM-yyyy HH:mm:ss"
    try:
        return dates.format(moment, _text_arg(function, 1, text), target)
    except dates.PatternError:
        return None


def _reference_year(rt: Any) -> int:
    return rt.today().year


def _read(function: str, rt: Any, value: Any, pattern: Any, zone: Any) -> _dt.date:
    """Any convertible value as a Date or Date-Time in the runtime's zone.

    ``zone`` is the zone the given text is written in (toTime page); the result is
    converted to the runtime's zone.
    """
    if isinstance(value, _dt.date):
        return value  # the toDate page: a Date-Time ignores the extra arguments
    source = _zone_arg(function, 2, zone, rt)
    if type(value) is int:
        return _from_millis(value, rt.zone)
    if type(value) is not str:
        raise DelugeRuntimeError(f"{function}() expects Text, a Number or a date, got {type_name(value)}")
    if pattern is None or pattern == "":
        moment: _dt.date = dates.parse_strict(value, source)
    else:
        moment = dates.parse(value, _text_arg(function, 1, pattern), source,
                             reference_year=_reference_year(rt))
    if zone is not None and source is not rt.zone:
        moment = dates.convert_zone(dates.as_datetime(moment), source, rt.zone)
    return moment


@builtin("toDate", on=CONVERTIBLE, args=(0, 2), runtime=True,
         doc="https://www.zoho.com/deluge/help/functions/common/todate.html")
def to_date(rt: Any, value: Any, pattern: Any = None, zone: Any = None) -> _dt.date:
    """Text (free-form or in a pattern), milliseconds or a Date-Time, as a Date."""
    return dates.as_date(_read("toDate", rt, value, pattern, zone))


@builtin("toTime", "toDateTime", on=CONVERTIBLE, args=(0, 2), runtime=True,
         doc="https://www.zoho.com/deluge/help/functions/common/totime.html")
def to_time(rt: Any, value: Any, pattern: Any = None, zone: Any = None) -> _dt.datetime:
    """Text (free-form or in a pattern, in an optional source zone), milliseconds or a Date, as a Date-Time."""
    return dates.as_datetime(_read("toTime", rt, value, pattern, zone))


@builtin("unixEpoch", on=WHEN, args=(0, 1), runtime=True, doc=f"{HELP}unix-epoch.html")
def unix_epoch(rt: Any, value: Any, zone: Any = None) -> int | str:
    """Milliseconds since 1970-01-01 00:00:00 UTC of a date read in ``zone`` (default: the runtime's).

    The unixEpoch page: text that is not a date is returned unchanged. *Decision:* a Date
    or Date-Time receiver works too (the page documents Text only).
    """
    target = _zone_arg("unixEpoch", 1, zone, rt)
    if type(value) is str:
        parsed = dates.parse_literal(value, target)
        if parsed is None:
            return value
        value = parsed
    return _to_millis(value, target)


@builtin("toLong", "toNumber", on=DATES, args=(0, 0), runtime=True,
         doc="https://www.zoho.com/deluge/help/functions/common/tolong.html")
def date_to_long(rt: Any, value: _dt.date) -> int:
    """Milliseconds since 1970-01-01 00:00:00 UTC of a date read in the runtime's time zone.

    The toLong page: date-times count from the epoch in the application's zone (its
    example, in Pacific time, has ``'31-Dec-1969 16:00:01'.toLong()`` give 1000). A Date
    counts from its midnight.
    """
    return _to_millis(value, rt.zone)


@builtin("now", on=None, args=(0, 0), runtime=True, doc="https://www.zoho.com/deluge/help/functions/date-time.html")
def now(rt: Any) -> _dt.datetime:
    """The current Date-Time in the runtime's zone."""
    return rt.now()


@builtin("today", on=None, args=(0, 0), runtime=True, doc="https://www.zoho.com/deluge/help/functions/date-time.html")
def today(rt: Any) -> _dt.date:
    """The current Date in the runtime's zone."""
    return rt.today()


# ---------------------------------------------------------------- system variables

@system_variable("zoho.currentdate")
def current_date(rt: Any) -> _dt.date:
    return rt.today()


@system_variable("zoho.currenttime")
def current_time(rt: Any) -> _dt.datetime:
    return rt.now()
