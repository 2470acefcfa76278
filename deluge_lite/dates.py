"""Date and Date-Time text: the literal formats Deluge accepts and Java SimpleDateFormat patterns.

A Deluge Date is a ``datetime.date`` and a Date-Time a naive ``datetime.datetime`` holding
wall-clock time in the runtime's zone (see ``values.py``, which owns how they print and
compare). This module owns:

- `parse_literal` / `parse_strict`: the free-form date texts Deluge recognises in
  single-quoted literals and in ``toDate()`` / ``toDateTime()`` without a pattern;
- `format` / `parse`: Java ``SimpleDateFormat`` patterns (``"yyyy-MM-dd'T'HH:mm:ssXXX"``)
  for ``toString(format)``, ``toDate(format)`` and friends;
- calendar helpers shared with ``builtins/dates.py`` (week of year, month arithmetic,
  time-zone lookup).

It does not register built-ins and never touches a clock (except the current year that a
two-digit literal year pivots on): callers pass the zone and the reference year they need.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable

from .errors import DelugeRuntimeError
from .fieldclass import fieldclass
from .lazy_pattern import LazyPattern

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

Moment = _dt.date  # a Date or a Date-Time (datetime is a subclass of date)

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH_LOOKUP: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    _MONTH_LOOKUP[_name.lower()] = _number
    _MONTH_LOOKUP[_name[:3].lower()] = _number
_MONTH_LOOKUP["sept"] = 9

_DAY_LOOKUP: dict[str, int] = {}  # name -> Python weekday (Monday = 0)
for _number, _name in enumerate(DAY_NAMES):
    _DAY_LOOKUP[_name.lower()] = _number
    _DAY_LOOKUP[_name[:3].lower()] = _number

UTC = _dt.UTC


def month_number(name: str) -> int | None:
    """1-12 for a month name or abbreviation in any case (``aug``, ``AUGUST``), else None."""
    return _MONTH_LOOKUP.get(name.strip().rstrip(".").lower())


def day_number(name: str) -> int | None:
    """Python weekday (Monday 0 .. Sunday 6) for a day name or abbreviation, else None."""
    return _DAY_LOOKUP.get(name.strip().lower())


# ---------------------------------------------------------------- free-form literals
# The formats of the "supported date-time formats" help page that Deluge pages link to:
# dd-MMM-yyyy, dd MMM yyyy, MMM dd, yyyy, MM/dd/yyyy, MM-dd-yyyy, yyyy-MM-dd, each
# optionally followed by HH:mm[:ss] or hh:mm[:ss] AM/PM; ISO 8601 'T' forms with an offset.

_TIME = (r"(?:(?:\s+|T)(?P<H>\d{1,2}):(?P<M>\d{1,2})(?::(?P<S>\d{1,2})(?:\.(?P<F>\d{1,9}))?)?"
         r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
         r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2}|(?:GMT|UTC)[+-]\d{1,2}(?::?\d{2})?)?)?")

_YEAR = r"(?P<y>\d{4}|\d{2})"
_WEEKDAY = r"(?:[A-Za-z]{3,9},\s*)?"
# The formats of Zoho's Date-Time page (https://www.zoho.com/deluge/help/datatypes/date-time.html):
# two- and four-digit years, short and full month names, '-', '/', '.', ' ' and ',' separators,
# an optional weekday ("Fri,August 15,1947"). Shapes are tried in order; a shape whose
# numbers make no calendar date gives way to the next one.
_DATE_SHAPES: tuple[str, ...] = (
    rf"(?P<d>\d{{1,2}})[-/ .](?P<mon>[A-Za-z]{{3,9}}\.?)(?:\s*,\s*|[-/ .]\s*){_YEAR}",  # 15-Aug-1947, 15 Aug,47
    rf"{_WEEKDAY}(?P<mon>[A-Za-z]{{3,9}}\.?)[-/ .]\s*(?P<d>\d{{1,2}})(?:\s*,\s*|[-/ .]\s*){_YEAR}",  # Aug 15, 1947
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})",                  # 1947-08-15, 1947.08.15
    # Decision: all-digit dates are month first when they can be ("05-01-2024" is 1 May), as
    # the page lists MM-dd-yyyy before dd-MM-yyyy; when the first number cannot be a month
    # ("15-08-1947") they are day first. Space-separated digits are day first (the page's
    # "dd MM yyyy"). Use toDate("dd-MM-yyyy") to read day-first text for certain.
    rf"(?P<m>\d{{1,2}})(?P<sep>[-/.])(?P<d>\d{{1,2}})(?P=sep){_YEAR}",         # 08/15/1947, 08.15.47
    rf"(?P<d>\d{{1,2}})(?P<sep>[-/. ])(?P<m>\d{{1,2}})(?P=sep){_YEAR}",        # 15/08/1947, 15 08 1947
    r"(?P<y>\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})",      # 47-08-15
)


@functools.cache
def _literal_patterns() -> tuple[re.Pattern[str], ...]:
    """The date shapes, compiled the first time a text is read as a date (not at start-up)."""
    import re

    return tuple(re.compile(rf"\s*{shape}{_TIME}\s*\Z") for shape in _DATE_SHAPES)


def parse_literal(text: str, zone: _dt.tzinfo | None = None) -> Moment | None:
    """The Date (no time given) or Date-Time a date text stands for, or None.

    Never raises. An impossible calendar date ('31-Feb-2020') gives None. A text with a
    UTC offset ('2020-12-09T17:25:24-07:00') is converted to ``zone`` when one is given;
    without a zone the wall-clock time is kept.
    """
    if type(text) is not str or len(text) > 80:
        return None
    for pattern in _literal_patterns():
        match = pattern.match(text)
        if match is not None:
            moment = _build(match.groupdict(), zone)
            if moment is not None:
                return moment
    return None


def parse_strict(text: str, zone: _dt.tzinfo | None = None) -> Moment:
    """Like `parse_literal`, but a text that is not a date is a runtime error."""
    value = parse_literal(text, zone)
    if value is None:
        raise DelugeRuntimeError(f"'{text}' is not a valid date")
    return value


def _build(parts: dict[str, str | None], zone: _dt.tzinfo | None) -> Moment | None:
    month = month_number(parts["mon"]) if parts.get("mon") else int(parts["m"] or 0)
    if not month:
        return None
    year = int(parts["y"] or 0)
    if len(parts["y"] or "") == 2:
        # Java's window, as for a "yy" pattern: within 80 years before and 20 after the
        # current year (the page's '15-Aug-47' is 1947). The only use of the system date here.
        reference = _dt.date.today().year
        year += (reference - 80) // 100 * 100
        if year < reference - 80:
            year += 100
    try:
        day = _dt.date(year, month, int(parts["d"] or 0))
    except ValueError:
        return None
    if parts["H"] is None:
        return day
    clock = _clock(int(parts["H"]), int(parts["M"] or 0), int(parts["S"] or 0), parts["ampm"])
    if clock is None:
        return None
    fraction = (parts["F"] or "").ljust(6, "0")[:6]
    moment = _dt.datetime.combine(day, clock).replace(microsecond=int(fraction or 0))
    offset = _offset(parts["zone"]) if parts["zone"] else None
    if offset is not None and zone is not None:
        try:
            moment = moment.replace(tzinfo=offset).astimezone(zone).replace(tzinfo=None)
        except (OverflowError, ValueError):
            return None  # the time in this zone falls outside years 1 to 9999
    return moment


def _clock(hour: int, minute: int, second: int, ampm: str | None) -> _dt.time | None:
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm[0] in "Pp" else 0)
    # Zoho (addBusinessDay, addMonth pages): an hour of 24 or more resets the time to
    # 00:00:00, a minute of 60 or more resets mm:ss, a second of 60 or more resets ss.
    if hour >= 24:
        hour = minute = second = 0
    if minute >= 60:
        minute = second = 0
    if second >= 60:
        second = 0
    return _dt.time(hour, minute, second)


_OFFSET = LazyPattern(r"(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?")


def _offset(text: str) -> _dt.tzinfo | None:
    if text == "Z":
        return UTC
    match = _OFFSET.fullmatch(text)
    if match is None:
        return None
    sign = -1 if match.group(1) == "-" else 1
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    if minutes >= 24 * 60:
        return None
    return _dt.timezone(sign * _dt.timedelta(minutes=minutes))


# ---------------------------------------------------------------- calendar helpers

def as_datetime(value: Moment) -> _dt.datetime:
    """A Date as a Date-Time at midnight; a Date-Time unchanged."""
    if type(value) is _dt.datetime:
        return value
    return _dt.datetime(value.year, value.month, value.day)


def as_date(value: Moment) -> _dt.date:
    return value.date() if isinstance(value, _dt.datetime) else value


def add_months(value: Moment, months: int) -> Moment:
    """Shift by whole months; a day past the new month's end becomes its last day (Java Calendar)."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise DelugeRuntimeError("the resulting date is outside the years 1 to 9999")
    import calendar  # (loaded by the first month arithmetic, not at start-up)

    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def week_of_year(value: _dt.date, first_weekday: int = 6) -> int:
    """Java Calendar WEEK_OF_YEAR with 1 minimal day: week 1 holds 1 January.

    ``first_weekday`` is a Python weekday (Sunday = 6, the Deluge default). Late-December
    days in the week that holds the next 1 January are in week 1 (getWeekOfYear page).
    Day numbers (ordinals) are used, so weeks reaching before year 1 or after 9999 work.
    """
    value = as_date(value)
    start = _week_start(value.toordinal(), first_weekday)
    next_new_year = _dt.date(value.year, 12, 31).toordinal() + 1
    if start + 6 >= next_new_year:
        return 1
    first_week = _week_start(_dt.date(value.year, 1, 1).toordinal(), first_weekday)
    return (start - first_week) // 7 + 1


def week_year(value: _dt.date, first_weekday: int = 6) -> int:
    value = as_date(value)
    if value.month == 12 and week_of_year(value, first_weekday) == 1:
        return value.year + 1
    return value.year


def week_of_month(value: _dt.date, first_weekday: int = 6) -> int:
    value = as_date(value)
    first = _week_start(value.replace(day=1).toordinal(), first_weekday)
    return (_week_start(value.toordinal(), first_weekday) - first) // 7 + 1


def weekday_of(ordinal: int) -> int:
    """The Python weekday (Monday 0) of a day number, also for day numbers outside years 1 to 9999."""
    return (ordinal - 1) % 7  # day 1 (1 January of year 1) was a Monday


def _week_start(ordinal: int, first_weekday: int) -> int:
    return ordinal - (weekday_of(ordinal) - first_weekday) % 7


def from_ordinal(ordinal: int, what: str) -> _dt.date:
    """The Date of a day number, or a Deluge error naming ``what`` when it is outside years 1 to 9999."""
    if not 1 <= ordinal <= _dt.date.max.toordinal():
        raise DelugeRuntimeError(f"{what} gives a date outside the years 1 to 9999")
    return _dt.date.fromordinal(ordinal)


def zone_named(name: str) -> _dt.tzinfo:
    """A time zone by TZ database name or GMT offset ('GMT+05:30').

    Like Java's ``TimeZone.getTimeZone`` (which Deluge uses), an unknown name falls back
    to GMT; the unixEpoch help page documents that fallback.
    """
    text = name.strip()
    if text.upper() in ("GMT", "UTC", "Z"):
        return UTC
    offset = _offset(text) if text[:1] in "+-" or text[:3].upper() in ("GMT", "UTC") else None
    if offset is not None:
        return offset
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # (loaded by the first zone name, not at start-up)

    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def convert_zone(value: _dt.datetime, source: _dt.tzinfo, target: _dt.tzinfo) -> _dt.datetime:
    """Wall-clock time in ``source`` re-expressed as wall-clock time in ``target``.

    Near 1 January of year 1 or 31 December 9999 the other zone's time can fall outside
    the calendar: that is a Deluge error, not a crash.
    """
    try:
        return value.replace(tzinfo=source).astimezone(target).replace(tzinfo=None)
    except (OverflowError, ValueError):
        raise DelugeRuntimeError(f"{value.isoformat(' ')} in another time zone falls outside "
                                 "the years 1 to 9999") from None


# ---------------------------------------------------------------- SimpleDateFormat

class PatternError(DelugeRuntimeError):
    """A date pattern with a letter SimpleDateFormat does not know, or an unclosed quote."""


@fieldclass(frozen=True)
class _Token:
    letter: str   # '' for literal text
    count: int
    text: str = ""


_PATTERN_LETTERS = frozenset("GyYMLwWDdFEuaHkKhmsSzZX")


def tokenize(pattern: str) -> list[_Token]:
    """Split a SimpleDateFormat pattern into letter runs and literal text ('' is a quote).

    Short patterns are tokenized once and remembered (a loop formats with the same few).
    """
    if len(pattern) <= _CACHED_PATTERN:
        return list(_tokenize_cached(pattern))
    return _tokenize(pattern)


_CACHED_PATTERN = 200  # longer patterns are not kept (the cache holds at most 256 short ones)


@functools.lru_cache(maxsize=256)
def _tokenize_cached(pattern: str) -> tuple[_Token, ...]:
    return tuple(_tokenize(pattern))


def _tokenize(pattern: str) -> list[_Token]:
    tokens: list[_Token] = []
    index, size = 0, len(pattern)
    while index < size:
        char = pattern[index]
        if char == "'":
            end = index + 1
            literal: list[str] = []
            while True:
                if end >= size:
                    if end == index + 1:
                        break
                    raise PatternError(f"unclosed quote in date pattern \"{pattern}\"")
                if pattern[end] == "'":
                    if end + 1 < size and pattern[end + 1] == "'":
                        literal.append("'")
                        end += 2
                        continue
                    break
                literal.append(pattern[end])
                end += 1
            tokens.append(_Token("", 0, "'" if end == index + 1 else "".join(literal)))
            index = end + 1
        elif char.isascii() and char.isalpha():
            run = index
            while run < size and pattern[run] == char:
                run += 1
            if char not in _PATTERN_LETTERS:
                raise PatternError(f"'{char}' is not a date pattern letter in \"{pattern}\"; "
                                   "put literal text in single quotes")
            tokens.append(_Token(char, run - index))
            index = run
        else:
            tokens.append(_Token("", 0, char))
            index += 1
    return tokens


def _number(value: int, count: int) -> str:
    return f"{value:0{count}d}" if value >= 0 else f"-{-value:0{count}d}"


def _year(value: int, count: int) -> str:
    return f"{value % 100:02d}" if count == 2 else _number(value, count)


def _text(full: str, count: int) -> str:
    return full if count >= 4 else full[:3]


def _zone_offset(moment: _dt.datetime) -> _dt.timedelta:
    return moment.utcoffset() or _dt.timedelta(0)


def _rfc822(moment: _dt.datetime, count: int) -> str:
    minutes = int(_zone_offset(moment).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{minutes:02d}"


def _iso_offset(moment: _dt.datetime, count: int) -> str:
    minutes = int(_zone_offset(moment).total_seconds()) // 60
    if minutes == 0:
        return "Z"
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    if count == 1:  # Java's X shows the hours only, dropping any minutes
        return f"{sign}{hours:02d}"
    return f"{sign}{hours:02d}{':' if count >= 3 else ''}{minutes:02d}"


def _zone_name(moment: _dt.datetime, count: int) -> str:
    key = getattr(moment.tzinfo, "key", None)  # a ZoneInfo's name (tested without importing zoneinfo)
    if count >= 4 and isinstance(key, str):
        return key
    name = moment.tzname() or "GMT"
    if name == "UTC" and count < 4:
        return "UTC"
    if name[:1] in "+-":  # zones without an abbreviation print as GMT+hh:mm, as Java does
        offset = _iso_offset(moment, 3)
        return "GMT" if offset == "Z" else f"GMT{offset}"
    return name


# letter -> how to print the field for a Date-Time carrying its zone
_FORMATTERS: dict[str, Callable[[_dt.datetime, int], str]] = {
    "G": lambda m, n: "AD",
    "y": lambda m, n: _year(m.year, n),
    "Y": lambda m, n: _year(week_year(m), n),
    "M": lambda m, n: _text(MONTH_NAMES[m.month - 1], n) if n >= 3 else _number(m.month, n),
    "L": lambda m, n: _text(MONTH_NAMES[m.month - 1], n) if n >= 3 else _number(m.month, n),
    "w": lambda m, n: _number(week_of_year(m), n),
    "W": lambda m, n: _number(week_of_month(m), n),
    "D": lambda m, n: _number(m.timetuple().tm_yday, n),
    "d": lambda m, n: _number(m.day, n),
    "F": lambda m, n: _number((m.day - 1) // 7 + 1, n),
    "E": lambda m, n: _text(DAY_NAMES[m.weekday()], n),
    "u": lambda m, n: _number(m.isoweekday(), n),
    "a": lambda m, n: "AM" if m.hour < 12 else "PM",
    "H": lambda m, n: _number(m.hour, n),
    "k": lambda m, n: _number(m.hour or 24, n),
    "K": lambda m, n: _number(m.hour % 12, n),
    "h": lambda m, n: _number(m.hour % 12 or 12, n),
    "m": lambda m, n: _number(m.minute, n),
    "s": lambda m, n: _number(m.second, n),
    "S": lambda m, n: _number(m.microsecond // 1000, n),
    "z": _zone_name,
    "Z": _rfc822,
    "X": _iso_offset,
}


# letters whose field is a non-negative attribute of the Date-Time, printed zero-padded to the letter count
_PLAIN_FIELDS = {"y": "year", "M": "month", "d": "day", "H": "hour", "m": "minute", "s": "second"}


_ZONED = frozenset({"z", "Z", "X"})  # letters whose field reads the zone


def format(value: Moment, pattern: str, zone: _dt.tzinfo = UTC) -> str:  # noqa: A001 - the module's verb
    """``value`` written with a SimpleDateFormat ``pattern``; ``zone`` is the zone of its wall-clock time."""
    template, computed, zoned = _plan_cached(pattern) if len(pattern) <= _CACHED_PATTERN else \
        _plan(_tokenize(pattern))
    moment = value if type(value) is _dt.datetime else as_datetime(value)
    if zoned:  # only a zone field reads the zone; every other field is the wall-clock time's own
        moment = moment.replace(tzinfo=zone)
    if not computed:
        return template.format(moment)
    return template.format(moment, *[formatter(moment, count) for formatter, count in computed])


_Plan = tuple[str, tuple[tuple[Callable[[_dt.datetime, int], str], int], ...], bool]


@functools.lru_cache(maxsize=256)
def _plan_cached(pattern: str) -> _Plan:
    return _plan(_tokenize(pattern))


def _plan(tokens: list[_Token]) -> _Plan:
    """A pattern as one ``str.format`` template: plain fields read straight from the Date-Time
    (``{0.day:02d}``), every other field computed by its `_FORMATTERS` entry (``{1}``, ``{2}``...);
    and whether any field reads the zone."""
    parts: list[str] = []
    computed: list[tuple[Callable[[_dt.datetime, int], str], int]] = []
    for token in tokens:
        if not token.letter:
            parts.append(token.text.replace("{", "{{").replace("}", "}}"))
        elif token.letter in _PLAIN_FIELDS and not (token.letter == "y" and token.count == 2) \
                and not (token.letter == "M" and token.count >= 3):
            parts.append(f"{{0.{_PLAIN_FIELDS[token.letter]}:0{token.count}d}}")
        else:
            computed.append((_FORMATTERS[token.letter], token.count))
            parts.append(f"{{{len(computed)}}}")
    return "".join(parts), tuple(computed), any(token.letter in _ZONED for token in tokens)


# ---------------------------------------------------------------- parsing with a pattern

_NUMERIC = frozenset("yYwWDdFuHkKhmsS")
_ZONE_TEXT = r"Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|(?:GMT|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)?|[A-Za-z]+(?:/[A-Za-z_+-]+)*"


def _is_numeric(token: _Token) -> bool:
    return bool(token.letter) and (token.letter in _NUMERIC or (token.letter in "ML" and token.count <= 2))


def _field_regex(token: _Token, next_token: _Token | None) -> str:
    letter = token.letter
    if _is_numeric(token):
        # Java takes exactly `count` digits when the next field is also a number ("yyyyMMdd").
        adjacent = next_token is not None and _is_numeric(next_token)
        return rf"(\d{{{token.count}}})" if adjacent else r"([+-]?\d+)"
    if letter in "ML":
        return r"([A-Za-z]+\.?)"
    if letter == "E":
        return r"([A-Za-z]+)"
    if letter == "a":
        return r"([AaPp]\.?[Mm]\.?)"
    if letter == "G":
        return r"([AaBb][DdCc])"
    return rf"({_ZONE_TEXT})"


def parse(text: str, pattern: str, zone: _dt.tzinfo = UTC, *, reference_year: int = 2000) -> _dt.datetime:
    """Read ``text`` with a SimpleDateFormat ``pattern`` into a naive Date-Time in ``zone``.

    Fields the pattern lacks default as in Java (1970-01-01 00:00:00). A zone field in
    the text converts the result into ``zone``. A two-digit year lands within 80 years
    before and 20 after ``reference_year``. Impossible dates are errors (not lenient).
    """
    import re

    tokens = tokenize(pattern)
    regex: list[str] = []
    fields: list[_Token] = []
    for index, token in enumerate(tokens):
        if not token.letter:
            regex.append(r"\s+" if token.text.isspace() else re.escape(token.text))
            continue
        regex.append(_field_regex(token, tokens[index + 1] if index + 1 < len(tokens) else None))
        fields.append(token)
    # Java's SimpleDateFormat.parse reads what the pattern covers and ignores the rest, so CRM's
    # "2026-01-12T09:15:00+05:30" reads with "yyyy-MM-dd'T'HH:mm:ss" (the offset is not applied).
    match = re.match("".join(regex), text.strip(), flags=re.IGNORECASE)
    if match is not None and text.strip()[match.end():match.end() + 1].isdigit() and \
            text.strip()[match.end() - 1:match.end()].isdigit():
        match = None  # the pattern stopped inside a number: "2026-01-123" is no date
    if match is None:
        raise DelugeRuntimeError(f"'{text}' does not match the date format \"{pattern}\"")
    values: dict[str, int] = {}
    ampm: str | None = None
    offset: _dt.tzinfo | None = None
    two_digit_year = False
    for token, raw in zip(fields, match.groups(), strict=True):
        letter = token.letter
        if letter in "ML" and not raw.lstrip("+-").isdigit():
            month = month_number(raw)
            if month is None:
                raise DelugeRuntimeError(f"'{raw}' is not a month name in '{text}'")
            values["M"] = month
        elif letter == "E":
            if day_number(raw) is None:
                raise DelugeRuntimeError(f"'{raw}' is not a day name in '{text}'")
        elif letter == "a":
            ampm = raw
        elif letter in "zZX":
            offset = zone_named(raw) if raw[:1] not in "+-" and raw != "Z" else _offset(raw)
            if offset is None:
                raise DelugeRuntimeError(f"'{raw}' is not a time zone in '{text}'")
        elif letter in _NUMERIC or letter in "ML":
            values["y" if letter == "Y" else "M" if letter == "L" else letter] = int(raw)
            if letter in "yY":
                two_digit_year = token.count <= 2 and len(raw) == 2
    return _assemble(values, ampm, offset, zone, text, reference_year if two_digit_year else None)


def _assemble(values: dict[str, int], ampm: str | None, offset: _dt.tzinfo | None,
              zone: _dt.tzinfo, text: str, reference_year: int | None) -> _dt.datetime:
    year = values.get("y", 1970)
    if reference_year is not None:
        year += (reference_year - 80) // 100 * 100
        if year < reference_year - 80:
            year += 100
    hour = values.get("H", values.get("k", 0) % 24)
    if "h" in values or "K" in values:
        hour = values.get("h", values.get("K", 0)) % 12
        if ampm and ampm[0] in "Pp":
            hour += 12
    elif ampm and ampm[0] in "Pp" and hour < 12:
        hour += 12
    try:
        day = (_dt.date(year, 1, 1) + _dt.timedelta(days=values["D"] - 1)
               if "D" in values and "d" not in values
               else _dt.date(year, values.get("M", 1), values.get("d", 1)))
        moment = _dt.datetime.combine(day, _dt.time(hour, values.get("m", 0), values.get("s", 0),
                                                    values.get("S", 0) * 1000))
    except (ValueError, OverflowError):
        raise DelugeRuntimeError(f"'{text}' is not a valid date") from None
    if offset is not None:
        moment = convert_zone(moment, offset, zone)
    return moment

