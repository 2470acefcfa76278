"""Unit tests for date literals, SimpleDateFormat, and the date built-ins (deluge_lite.dates, builtins/dates)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deluge_lite import dates
from deluge_lite.builtins import REGISTRY
from deluge_lite.errors import DelugeRuntimeError
from deluge_lite.runtime import Runtime

D = dt.date
T = dt.datetime
KOLKATA = ZoneInfo("Asia/Kolkata")


@pytest.fixture
def rt() -> Runtime:
    return Runtime(clock=lambda: T(2026, 1, 15, 10, 30, tzinfo=dt.UTC), timezone="Asia/Kolkata")


def call(rt: Runtime, name: str, *args: object) -> object:
    caller = REGISTRY.function_caller(name, len(args), rt)
    assert caller is not None, name
    return caller(*args)


# ---------------------------------------------------------------- literals

@pytest.mark.parametrize(("text", "expected"), [
    ("15-Aug-1947", D(1947, 8, 15)),
    ("1-Jan-2019", D(2019, 1, 1)),
    ("15-aug-1947", D(1947, 8, 15)),
    ("15-AUGUST-1947", D(1947, 8, 15)),
    ("15 Aug 1947", D(1947, 8, 15)),
    ("Aug 15, 1947", D(1947, 8, 15)),
    ("08/15/1947", D(1947, 8, 15)),
    ("08-15-1947", D(1947, 8, 15)),
    ("1947-08-15", D(1947, 8, 15)),
    ("15-Aug-1947 19:00:00", T(1947, 8, 15, 19)),
    ("15-Aug-1947 19:00", T(1947, 8, 15, 19)),
    ("15-Aug-1947 07:00 PM", T(1947, 8, 15, 19)),
    ("15-Aug-1947 12:00 AM", T(1947, 8, 15, 0)),
    ("15-Aug-1947 12:30:15 pm", T(1947, 8, 15, 12, 30, 15)),
    ("1947-08-15T19:00:00", T(1947, 8, 15, 19)),
    ("29-Feb-2020", D(2020, 2, 29)),
    ("01-Jan-2019 24:10:00", T(2019, 1, 1)),  # hour 24 or more resets the time (addMonth page)
])
def test_literal_formats(text: str, expected: dt.date) -> None:
    value = dates.parse_literal(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text", [
    "31-Feb-2020", "29-Feb-2019", "32-Jan-2019", "13/13/2019", "15-Foo-1947", "This is a test.",
    "", "15-Aug-19470", "15-Aug-1947 13:00 PM", "15-Aug-1947 123:00:00",
])
def test_not_dates(text: str) -> None:
    assert dates.parse_literal(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    # the Date-Time page's formats (https://www.zoho.com/deluge/help/datatypes/date-time.html)
    ("15-Aug-47", dt.date(1947, 8, 15)), ("15-August-1947", dt.date(1947, 8, 15)),
    ("08-15-47", dt.date(1947, 8, 15)), ("47-08-15", dt.date(1947, 8, 15)),
    ("15-08-1947", dt.date(1947, 8, 15)), ("13/01/2019", dt.date(2019, 1, 13)),
    ("05/01/2019", dt.date(2019, 5, 1)), ("15 Aug,47", dt.date(1947, 8, 15)),
    ("Aug 15,47", dt.date(1947, 8, 15)), ("Fri,August 15,1947", dt.date(1947, 8, 15)),
    ("Fri,Aug 15,1947", dt.date(1947, 8, 15)), ("August 15 47", dt.date(1947, 8, 15)),
    ("15 08 1947", dt.date(1947, 8, 15)), ("15.08.47", dt.date(1947, 8, 15)),
    ("08.15.1947", dt.date(1947, 8, 15)), ("1947.08.15", dt.date(1947, 8, 15)),
    ("2026-01-12T09:15:00.250", dt.datetime(2026, 1, 12, 9, 15, 0, 250000)),
])
def test_date_time_page_formats(text: str, expected: dt.date) -> None:
    assert dates.parse_literal(text) == expected


def test_pattern_reads_a_prefix_as_java_does(rt: Runtime) -> None:
    # CRM returns "2026-01-12T09:15:00+05:30"; scripts read it with a pattern without the offset
    assert call(rt, "toDateTime", "2026-01-12T09:15:00+05:30", "yyyy-MM-dd'T'HH:mm:ss") == dt.datetime(
        2026, 1, 12, 9, 15)
    assert call(rt, "toDate", "2026-01-12 extra", "yyyy-MM-dd") == dt.date(2026, 1, 12)
    with pytest.raises(DelugeRuntimeError, match="2026-01-123"):
        call(rt, "toDate", "2026-01-123", "yyyy-MM-dd")


def test_parse_strict_names_the_text() -> None:
    with pytest.raises(DelugeRuntimeError, match="'31-Feb-2020' is not a valid date"):
        dates.parse_strict("31-Feb-2020")


def test_offset_converts_only_with_a_zone() -> None:
    text = "2020-12-09T17:25:24-07:00"
    assert dates.parse_literal(text) == T(2020, 12, 9, 17, 25, 24)
    assert dates.parse_literal(text, KOLKATA) == T(2020, 12, 10, 5, 55, 24)


# ---------------------------------------------------------------- SimpleDateFormat

MOMENT = T(2019, 1, 6, 15, 4, 5, 7000)  # a Sunday


@pytest.mark.parametrize(("pattern", "expected"), [
    ("yyyy-MM-dd", "2019-01-06"),
    ("yy/M/d", "19/1/6"),
    ("y", "2019"),
    ("dd-MMM-yyyy HH:mm:ss", "06-Jan-2019 15:04:05"),
    ("MMMM", "January"),
    ("EEE, EEEE", "Sun, Sunday"),
    ("hh:mm a", "03:04 PM"),
    ("h 'o''clock'", "3 o'clock"),
    ("''", "'"),
    ("D w u", "6 2 7"),
    ("S SSS", "7 007"),
    ("k K", "15 3"),
    ("yyyyMMdd'T'HHmmss", "20190106T150405"),
])
def test_format_tokens(pattern: str, expected: str) -> None:
    assert dates.format(MOMENT, pattern) == expected


def test_format_zone_tokens() -> None:
    assert dates.format(MOMENT, "z Z X XX XXX", KOLKATA) == "IST +0530 +05 +0530 +05:30"
    assert dates.format(MOMENT, "Z XXX", dt.UTC) == "+0000 Z"
    assert dates.format(MOMENT, "zzzz", KOLKATA) == "Asia/Kolkata"


def test_format_midnight_and_noon() -> None:
    assert dates.format(T(2019, 1, 1, 0, 5), "hh:mm a k") == "12:05 AM 24"
    assert dates.format(T(2019, 1, 1, 12, 5), "hh:mm a") == "12:05 PM"


def test_format_rejects_unknown_letters() -> None:
    with pytest.raises(dates.PatternError):
        dates.format(MOMENT, "yyyy-qq")
    with pytest.raises(dates.PatternError):
        dates.format(MOMENT, "'unclosed")


@pytest.mark.parametrize(("text", "pattern", "expected"), [
    ("2019-03-15", "yyyy-MM-dd", T(2019, 3, 15)),
    ("15/03/2019 10:20", "dd/MM/yyyy HH:mm", T(2019, 3, 15, 10, 20)),
    ("20190315", "yyyyMMdd", T(2019, 3, 15)),
    ("Mar 5, 2019 03:04 PM", "MMM d, yyyy hh:mm a", T(2019, 3, 5, 15, 4)),
    ("Friday, 15 March 2019", "EEEE, d MMMM yyyy", T(2019, 3, 15)),
    ("03/15/19", "MM/dd/yy", T(2019, 3, 15)),
    ("03/15/50", "MM/dd/yy", T(1950, 3, 15)),
    ("10:20", "HH:mm", T(1970, 1, 1, 10, 20)),
])
def test_parse_with_pattern(text: str, pattern: str, expected: dt.datetime) -> None:
    assert dates.parse(text, pattern, reference_year=2026) == expected


def test_parse_with_offset_converts_to_zone() -> None:
    value = dates.parse("2020-12-09T17:25:24-07:00", "yyyy-MM-dd'T'HH:mm:ssXXX", KOLKATA)
    assert value == T(2020, 12, 10, 5, 55, 24)


@pytest.mark.parametrize(("text", "pattern"), [
    ("2019-02-30", "yyyy-MM-dd"), ("2019/03/15", "yyyy-MM-dd"), ("15-Foo-2019", "dd-MMM-yyyy"),
])
def test_parse_errors(text: str, pattern: str) -> None:
    with pytest.raises(DelugeRuntimeError):
        dates.parse(text, pattern)


# ---------------------------------------------------------------- calendar helpers

def test_month_end_clamps_like_java_calendar() -> None:
    assert dates.add_months(D(2019, 1, 31), 1) == D(2019, 2, 28)
    assert dates.add_months(D(2020, 1, 31), 1) == D(2020, 2, 29)
    assert dates.add_months(D(2020, 3, 31), -1) == D(2020, 2, 29)
    assert dates.add_months(D(2020, 2, 29), 12) == D(2021, 2, 28)
    assert dates.add_months(T(2019, 5, 31, 8), 1) == T(2019, 6, 30, 8)


def test_week_of_year() -> None:
    assert dates.week_of_year(D(2021, 2, 7)) == 7  # getWeekOfYear page example
    assert dates.week_of_year(D(2019, 12, 29)) == 1  # in the week holding 1-Jan-2020
    assert dates.week_of_year(D(2019, 12, 28)) == 52
    assert dates.week_of_year(D(2021, 2, 7), first_weekday=0) == 6  # weeks from Monday


def test_unknown_zone_falls_back_to_gmt() -> None:
    assert dates.zone_named("Mars/Olympus") is dt.UTC
    assert dates.zone_named("GMT+05:30").utcoffset(None) == dt.timedelta(hours=5, minutes=30)


# ---------------------------------------------------------------- built-ins

def test_add_and_sub_keep_the_kind(rt: Runtime) -> None:
    assert call(rt, "addDay", T(2019, 1, 1, 15), 40) == T(2019, 2, 10, 15)
    assert call(rt, "addDay", D(2019, 1, 1), 1) == D(2019, 1, 2)
    assert call(rt, "subWeek", D(2019, 1, 1), 1) == D(2018, 12, 25)
    assert call(rt, "addMonth", D(2019, 1, 31), 1) == D(2019, 2, 28)
    assert call(rt, "subMonth", D(2019, 3, 31), 1) == D(2019, 2, 28)
    assert call(rt, "addYear", D(2020, 2, 29), 1) == D(2021, 2, 28)
    assert call(rt, "subYear", D(2020, 2, 29), 4) == D(2016, 2, 29)
    assert call(rt, "addHour", D(2019, 1, 1), 25) == T(2019, 1, 2, 1)
    assert call(rt, "subMinutes", T(2019, 1, 1), 1) == T(2018, 12, 31, 23, 59)
    assert call(rt, "addSeconds", T(2019, 1, 1), 3661) == T(2019, 1, 1, 1, 1, 1)
    assert call(rt, "ADDDAY", "01-Jan-2019", 1) == D(2019, 1, 2)  # text receiver, any case


def test_add_errors(rt: Runtime) -> None:
    with pytest.raises(DelugeRuntimeError, match="needs a date"):
        call(rt, "addDay", "soon", 1)
    with pytest.raises(DelugeRuntimeError, match="whole Number"):
        call(rt, "addDay", D(2019, 1, 1), "x")
    with pytest.raises(DelugeRuntimeError, match="outside the years"):
        call(rt, "addYear", D(9999, 1, 1), 1)
    with pytest.raises(DelugeRuntimeError, match="outside the years"):
        call(rt, "addDay", D(9999, 12, 31), 1)
    with pytest.raises(DelugeRuntimeError):
        call(rt, "addDay", 5, 1)


def test_parts(rt: Runtime) -> None:
    value = T(2019, 3, 15, 13, 4, 5)
    parts = {name: call(rt, name, value) for name in
             ("getDay", "getMonth", "getYear", "getHour", "getMinutes", "getSeconds",
              "getDayOfWeek", "weekday", "getDayOfYear", "day", "month", "hour", "minute", "second")}
    assert parts == {"getDay": 15, "getMonth": 3, "getYear": 2019, "getHour": 13, "getMinutes": 4,
                     "getSeconds": 5, "getDayOfWeek": 6, "weekday": 6, "getDayOfYear": 74,
                     "day": 15, "month": 3, "hour": 13, "minute": 4, "second": 5}
    assert call(rt, "getHour", D(2019, 3, 15)) == 0
    assert call(rt, "getDayOfWeek", D(2019, 3, 17)) == 1  # Sunday is 1
    assert call(rt, "getWeekOfYear", D(2021, 2, 7), "Monday") == 6


def test_differences(rt: Runtime) -> None:
    assert call(rt, "daysBetween", D(2019, 1, 1), D(2019, 12, 31)) == 364
    assert call(rt, "daysBetween", D(2019, 12, 31), D(2019, 1, 1)) == -364
    assert call(rt, "days360", D(1989, 12, 31), D(1990, 1, 1)) == 1
    assert call(rt, "daysBetween", T(2019, 1, 1, 23), T(2019, 1, 2, 1)) == 1
    assert call(rt, "monthsBetween", D(2020, 2, 1), D(2020, 3, 1)) == 0  # a month is 30 days
    assert call(rt, "monthsDiff", D(2020, 2, 1), D(2020, 3, 1)) == 1
    assert call(rt, "monthsDiff", D(2020, 3, 1), D(2020, 2, 1)) == -1
    assert call(rt, "monthsDiff", D(2020, 1, 31), D(2020, 2, 29)) == 0
    assert call(rt, "yearsBetween", D(2020, 1, 2), D(2021, 1, 1)) == 1  # a year is 365 days
    assert call(rt, "yearsDiff", D(2020, 1, 2), D(2021, 1, 1)) == 0
    assert call(rt, "hoursBetween", T(2019, 12, 18, 9), T(2019, 12, 19, 10)) == 25
    assert call(rt, "hoursBetween", T(2019, 12, 18, 9, 59), T(2019, 12, 18, 10, 1)) == 1
    assert call(rt, "hoursBetween", T(2019, 12, 19, 10), T(2019, 12, 18, 9)) == -25


def test_landmarks(rt: Runtime) -> None:
    assert call(rt, "toStartOfWeek", T(2019, 3, 15, 15)) == T(2019, 3, 10)
    assert call(rt, "toStartOfMonth", T(2019, 3, 15, 15)) == T(2019, 3, 1)
    assert call(rt, "toStartOfMonth", D(2019, 3, 15)) == D(2019, 3, 1)
    assert call(rt, "edate", D(2019, 1, 1), 11) == D(2019, 12, 1)
    assert call(rt, "edate", T(2019, 1, 1, 15), 13) == D(2020, 2, 1)
    assert call(rt, "eomonth", D(2019, 1, 1), 1) == D(2019, 2, 28)
    assert call(rt, "eomonth", D(2020, 1, 15), 1) == D(2020, 2, 29)
    assert call(rt, "eomonth", D(2020, 3, 15), -3) == D(2019, 12, 31)
    assert call(rt, "nextWeekDay", D(2021, 7, 21), "Monday") == D(2021, 7, 26)
    assert call(rt, "previousWeekDay", D(2021, 7, 21), "Wednesday") == D(2021, 7, 14)


def test_business_days(rt: Runtime) -> None:
    assert call(rt, "workday", D(2019, 3, 15), 1) == D(2019, 3, 18)
    assert call(rt, "workday", D(2020, 5, 23), 5, ["Sunday"], [D(2020, 5, 25)]) == D(2020, 5, 30)
    assert call(rt, "workday", D(2019, 3, 15), -3) == D(2019, 3, 15)
    assert call(rt, "addBusinessDay", T(2019, 3, 15, 9), 1) == T(2019, 3, 18, 9)
    assert call(rt, "subBusinessDay", D(2019, 3, 18), 1) == D(2019, 3, 15)
    assert call(rt, "addBusinessDay", D(2019, 3, 18), -1) == D(2019, 3, 15)
    with pytest.raises(DelugeRuntimeError, match="day name"):
        call(rt, "addBusinessDay", D(2019, 3, 18), 1, ["Funday"])
    with pytest.raises(DelugeRuntimeError, match="every day"):
        call(rt, "addBusinessDay", D(2019, 3, 18), 1, list(dates.DAY_NAMES))


def test_to_string(rt: Runtime) -> None:
    value = T(2019, 1, 1, 15, 0)
    assert call(rt, "toString", value) == "01-Jan-2019 15:00:00"
    assert call(rt, "toText", D(2019, 1, 1)) == "01-Jan-2019"
    assert call(rt, "toString", value, "yyyy-MM-dd") == "2019-01-01"
    assert call(rt, "toString", value, "yyyy-MM-dd HH:mm z", "America/New_York") == "2019-01-01 04:30 EST"
    assert call(rt, "toString", value, "HH:mm XXX") == "15:00 +05:30"
    assert call(rt, "toString", value, "yyyy qq") is None  # unquoted non-pattern letters: null
    assert call(rt, "toString", D(2019, 1, 1), "dd/MM/yyyy", "America/New_York") == "01/01/2019"


def test_conversions(rt: Runtime) -> None:
    assert call(rt, "toDate", "15-Aug-1947 19:00:00") == D(1947, 8, 15)
    assert call(rt, "toDate", "15/08/1947", "dd/MM/yyyy") == D(1947, 8, 15)
    assert call(rt, "toDate", T(1947, 8, 15, 19)) == D(1947, 8, 15)
    assert call(rt, "toDate", 0) == D(1970, 1, 1)
    assert call(rt, "toTime", "15-Aug-1947") == T(1947, 8, 15)
    assert call(rt, "toDateTime", "2019-03-15 10:00", "yyyy-MM-dd HH:mm") == T(2019, 3, 15, 10)
    assert call(rt, "toTime", "15-Mar-2019 10:00:00", None, "UTC") == T(2019, 3, 15, 15, 30)
    assert call(rt, "toTime", 0) == T(1970, 1, 1, 5, 30)
    with pytest.raises(DelugeRuntimeError, match="'31-Feb-2020' is not a valid date"):
        call(rt, "toDate", "31-Feb-2020")
    with pytest.raises(DelugeRuntimeError, match="does not match"):
        call(rt, "toDate", "2019-03-15", "dd/MM/yyyy")


def test_epoch(rt: Runtime) -> None:
    assert call(rt, "unixEpoch", "01-Jan-2020 00:00:00", "UTC") == 1577836800000
    assert call(rt, "unixEpoch", "01-Jan-2020 05:30:00") == 1577836800000  # the runtime's zone
    assert call(rt, "unixEpoch", "01-Jan-2020", "Nowhere/Atlantis") == 1577836800000  # GMT fallback
    assert call(rt, "unixEpoch", "not a date") == "not a date"
    assert call(rt, "toDateTimeString", 1577836800000, "yyyy-MM-dd HH:mm:ss", "Asia/Tokyo") == "2020-01-01 09:00:00"
    assert call(rt, "toDateTimeString", 1577836800000) == "01-Jan-2020 05:30:00"


def test_is_date(rt: Runtime) -> None:
    assert call(rt, "isDate", "15-Aug-1947") is True
    with pytest.raises(DelugeRuntimeError, match="isDate"):  # the page: invalid text throws an error
        call(rt, "isDate", "31-Feb-2020")
    assert call(rt, "isDate", [1]) is None
    assert call(rt, "isDate", D(2020, 1, 1)) is True
    assert call(rt, "isDate", 5) is False


def test_pinned_clock_and_zone(rt: Runtime) -> None:
    assert REGISTRY.system_variables["zoho.currentdate"][1](rt) == D(2026, 1, 15)
    assert REGISTRY.system_variables["zoho.currenttime"][1](rt) == T(2026, 1, 15, 16, 0)
    assert call(rt, "now") == T(2026, 1, 15, 16, 0)
    late = Runtime(clock=lambda: T(2026, 1, 15, 20, 0, tzinfo=dt.UTC), timezone="Asia/Kolkata")
    assert REGISTRY.system_variables["zoho.currentdate"][1](late) == D(2026, 1, 16)
    utc = Runtime(clock=lambda: T(2026, 1, 15, 10, 30, tzinfo=dt.UTC))
    assert call(utc, "today") == D(2026, 1, 15)


def test_every_date_builtin_cites_a_zoho_page() -> None:
    from deluge_lite.builtins import dates as module
    for entry in REGISTRY.all:
        if entry.impl.__module__ == module.__name__:
            assert entry.doc.startswith("https://www.zoho.com/deluge/help/"), entry.name


# ---------------------------------------------------------------- properties

moments = st.datetimes(min_value=T(1, 1, 1), max_value=T(9999, 12, 31, 23, 59, 59)).map(
    lambda m: m.replace(microsecond=m.microsecond // 1000 * 1000))
ROUND_TRIP = ("yyyy-MM-dd HH:mm:ss.SSS", "dd-MMM-yyyy hh:mm:ss.SSS a", "EEEE, MMMM d, yyyy HH:mm:ss.SSS",
              "yyyyMMddHHmmssSSS", "D yyyy HH:mm:ss.SSS")


@settings(max_examples=300)
@given(moments, st.sampled_from(ROUND_TRIP))
def test_format_then_parse_round_trips(moment: dt.datetime, pattern: str) -> None:
    text = dates.format(moment, pattern)
    assert dates.parse(text, pattern) == moment
    assert dates.format(dates.parse(text, pattern), pattern) == text


@settings(max_examples=300)
@given(st.dates(min_value=D(1000, 1, 1)))
def test_printed_dates_read_back(day: dt.date) -> None:
    for pattern in ("dd-MMM-yyyy", "MM/dd/yyyy", "yyyy-MM-dd", "MMM d, yyyy", "d MMMM yyyy"):
        assert dates.parse_literal(dates.format(day, pattern)) == day


@settings(max_examples=500)
@given(st.text(max_size=40))
def test_parse_literal_never_raises(text: str) -> None:
    value = dates.parse_literal(text)
    assert value is None or isinstance(value, dt.date)


@settings(max_examples=300)
@given(st.text(max_size=30), st.text(alphabet="yMdHhmsSaEzZX'-/: ", max_size=12))
def test_parse_with_pattern_raises_only_deluge_errors(text: str, pattern: str) -> None:
    try:
        dates.parse(text, pattern)
    except DelugeRuntimeError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*(c * n for c in "GyYMLwWDdFEuaHkKhmsSzZX" for n in (1, 2, 3, 4)),
                                 "-", " ", "'T'", "'{0}'", "''", ":"]), min_size=1, max_size=6),
       st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_a_formatting_plan_writes_what_each_field_formats(parts: list[str], moment: dt.datetime) -> None:
    # dates.format writes a pattern through one cached str.format template; the definition is field by field
    pattern = "".join(parts)
    zoned = moment.replace(tzinfo=dates.UTC)
    expected = "".join(token.text if not token.letter else dates._FORMATTERS[token.letter](zoned, token.count)
                       for token in dates.tokenize(pattern))
    assert dates.format(moment, pattern) == expected


def test_utc_needs_no_zone_database(monkeypatch) -> None:
    import datetime as dt
    import zoneinfo

    from deluge_lite import runtime

    def missing(name: str) -> None:
        raise zoneinfo.ZoneInfoNotFoundError(name)

    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    assert runtime._zone_info("UTC") is dt.UTC
    with pytest.raises(zoneinfo.ZoneInfoNotFoundError):
        runtime._zone_info("Asia/Kolkata")
