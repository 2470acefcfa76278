"""List and Map built-ins: add/put, get, search, remove, sort, distinct, sub-lists.

Owns the methods on List and Map receivers (reference section 5 "Map" and "List"): the
mutating ones change the receiver in place and give null, except ``remove`` which gives the
removed element. Element comparison uses Deluge ``==`` (`values.equal`: 1 equals 1.0, true
never equals 1); the whole-list operations (``distinct``, ``intersect``, ``removeAll``) find
equal elements through `_Index`, which hashes instead of comparing every pair, and check
the run's deadline as they go. It does not own ``isEmpty``/``toString`` (``core.py``) nor ``getJSON``/
``toMap``/``toJSONList`` (``json_functions.py``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from ..errors import DelugeRuntimeError
from ..file_value import File
from ..values import equal, type_name
from .core import bool_arg, index_arg
from .registry import LIST, MAP, builtin, expect

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_LIST = "https://www.zoho.com/deluge/help/functions/list"
_MAP = "https://www.zoho.com/deluge/help/functions/map"


# ---------------------------------------------------------------- helpers

_DEADLINE_EVERY = 0xFFFF  # elements between two looks at the clock in the long loops


class _Index:
    """Deluge ``==`` membership in linear time: the set of distinct elements seen so far.

    Text, Numbers, Decimals, Booleans, null and dates go in a set under a key that is equal
    exactly when `values.equal` says so (1 and 1.0 share a key, ``true`` and 1 do not, a Date
    keys as its midnight so it meets the same Date-Time; NaN equals nothing). Lists and Maps
    are not hashable: they go in buckets by a shallow signature that equal values always
    share (length and top-level scalars), and are compared with `values.equal` inside
    their bucket only. Deluge values carry no time zone, so every Date-Time is naive here.
    """

    def __init__(self, rt: Any, items: Iterable[Any] = ()) -> None:
        self.rt = rt
        self.keys: set[Any] = set()
        self.buckets: dict[Any, list[Any]] = {}
        self.seen = 0
        for item in items:
            self.add(item)

    def add(self, item: Any) -> bool:
        """Remember an element; true when no equal element was there before."""
        self.seen += 1
        if not self.seen & _DEADLINE_EVERY:
            self.rt.check_deadline()
        key = _hash_key(item)
        if key is _NEVER_EQUAL:
            return True
        if key is _CONTAINER:
            bucket = self.buckets.setdefault(_signature(item), [])
            if any(equal(other, item) for other in bucket):
                return False
            bucket.append(item)
            return True
        if key in self.keys:
            return False
        self.keys.add(key)
        return True

    def __contains__(self, item: Any) -> bool:
        key = _hash_key(item)
        if key is _NEVER_EQUAL:
            return False
        if key is _CONTAINER:
            return any(equal(other, item) for other in self.buckets.get(_signature(item), ()))
        return key in self.keys


_NEVER_EQUAL = object()  # NaN: not equal even to itself
_CONTAINER = object()  # a List or Map: compared in a bucket
_PLACEHOLDER = object()  # a nested List or Map inside a signature
_SCALARS = (str, int, float, bool, type(None), _dt.date, _dt.datetime)


def _hash_key(item: Any) -> Any:
    kind = type(item)
    if kind is str or kind is int or item is None:
        return item
    if kind is float:
        return _NEVER_EQUAL if item != item else item
    if kind is bool:
        return (bool, item)  # never the same key as 1 or 0
    if kind is _dt.date:
        return _dt.datetime(item.year, item.month, item.day)
    if kind is _dt.datetime or kind is File:  # a File equals only itself (file_value.py)
        return item
    return _CONTAINER


def _signature(item: Any) -> Any:
    """What two Lists (or two Maps) equal by `values.equal` always have in common."""
    if type(item) is dict:
        return (dict, frozenset((key, value if type(value) in _SCALARS else _PLACEHOLDER)
                                for key, value in item.items()))
    return (list, tuple(value if type(value) in _SCALARS else _PLACEHOLDER for value in item))


def _position(items: list[Any], value: Any, start: int = 0) -> int:
    for index in range(start, len(items)):
        if equal(items[index], value):
            return index
    return -1


def _contains(items: list[Any], value: Any) -> bool:
    return _position(items, value) >= 0


def _list_index(function: str, items: list[Any], value: Any, *, allow_end: bool = False) -> int:
    """Check an index into a list; the messages follow Zoho's ``Given index 4 is greater than the list size``."""
    index = index_arg(function, 1, value)
    if index < 0:
        raise DelugeRuntimeError(f"Given index {index} is negative; list indexes start at 0")
    limit = len(items) if allow_end else len(items) - 1
    if index > limit:
        raise DelugeRuntimeError(f"Given index {index} is greater than the list size")
    return index


def _key(function: str, key: Any) -> Any:
    """A map key as stored: a list or map cannot be a key.

    *Decision:* a Boolean key is stored as the text ``"true"``/``"false"`` (as JSON would show
    it), so that ``true`` and ``1`` stay different keys.
    """
    if type(key) in (list, dict):
        raise DelugeRuntimeError(f"{function}() cannot use a {type_name(key)} as a map key")
    if type(key) is bool:
        return "true" if key else "false"
    return key


def _find_key(mapping: dict[Any, Any], key: Any) -> tuple[bool, Any]:
    """Whether a key is present, and the key to use for it."""
    if type(key) in (list, dict):
        return False, None
    if type(key) is bool:
        key = "true" if key else "false"
    return (True, key) if key in mapping else (False, None)


# ---------------------------------------------------------------- List

@builtin("add", on=LIST, args=(1, 1), grows=True, doc=f"{_LIST}/add.html")
def add(items: list[Any], value: Any) -> None:
    """Appends one element (a list argument is added as one element)."""
    items.append(value)


@builtin("insert", on=LIST, args=(1, None), grows=True, doc=f"{_LIST}/insert.html")
def insert(items: list[Any], *values: Any) -> None:
    """Appends each argument. *Decision:* ``insert`` on a list is ``add`` for one or more values."""
    items.extend(values)


@builtin("addAll", on=LIST, args=(1, 1), grows=True, doc=f"{_LIST}/addall.html")
def add_all(items: list[Any], others: Any) -> None:
    """Appends every element of another list."""
    items.extend(expect("addAll", 1, others, LIST))


@builtin("get", on=LIST, args=(1, 1), doc=f"{_LIST}/get.html")
def list_get(items: list[Any], index: Any) -> Any:
    """The element at an index (from 0); a negative or too-large index is an error."""
    if type(index) is int and 0 <= index < len(items):  # the common case, checked inline
        return items[index]
    return items[_list_index("get", items, index)]


@builtin("indexOf", on=LIST, args=(1, 1), doc=f"{_LIST}/indexof.html")
def list_index_of(items: list[Any], value: Any) -> int:
    """Index of the first equal element, or -1."""
    return _position(items, value)


@builtin("lastIndexOf", on=LIST, args=(1, 1), doc=f"{_LIST}/lastindexof.html")
def list_last_index_of(items: list[Any], value: Any) -> int:
    for index in range(len(items) - 1, -1, -1):
        if equal(items[index], value):
            return index
    return -1


@builtin("contains", on=LIST, args=(1, 1), doc=f"{_LIST}/contains.html")
def list_contains(items: list[Any], value: Any) -> bool:
    return _contains(items, value)


@builtin("notContains", on=LIST, args=(1, 1), doc=f"{_LIST}/notcontains.html")
def list_not_contains(items: list[Any], value: Any) -> bool:
    return not _contains(items, value)


@builtin("remove", on=LIST, args=(1, 1), doc=f"{_LIST}/remove.html")
def list_remove(items: list[Any], index: Any) -> Any:
    """Removes the element at an index and gives it back."""
    return items.pop(_list_index("remove", items, index))


@builtin("removeElement", on=LIST, args=(1, 1), doc=f"{_LIST}/removeelement.html")
def remove_element(items: list[Any], value: Any) -> None:
    """Removes the first equal element; a missing element is ignored."""
    at = _position(items, value)
    if at >= 0:
        del items[at]


@builtin("removeAll", on=LIST, args=(1, 1), runtime=True, doc=f"{_LIST}/removeall.html")
def remove_all(rt: Any, items: list[Any], others: Any) -> None:
    """Removes every element equal to one in the other list."""
    drop = _Index(rt, expect("removeAll", 1, others, LIST))
    items[:] = [item for item in items if item not in drop]


@builtin("size", "count", on=LIST, doc=f"{_LIST}/size.html")
def list_size(items: list[Any]) -> int:
    """The number of items. ``count()`` is Creator's record-count aggregate on a fetched
    collection (https://www.zoho.com/deluge/help/collection-variable.html), here a List."""
    return len(items)


@builtin("clear", on=LIST, doc=f"{_LIST}/clear.html")
def list_clear(items: list[Any]) -> None:
    items.clear()


@builtin("distinct", on=LIST, runtime=True, doc=f"{_LIST}/distinct.html")
def distinct(rt: Any, items: list[Any]) -> list[Any]:
    """A new list without repeated elements, first occurrences kept in order."""
    seen = _Index(rt)
    return [item for item in items if seen.add(item)]


@builtin("intersect", on=LIST, args=(1, 1), runtime=True, doc=f"{_LIST}/intersect.html")
def intersect(rt: Any, items: list[Any], others: Any) -> list[Any]:
    """A new list of the elements found in both lists, in this list's order, without repeats."""
    found = _Index(rt, expect("intersect", 1, others, LIST))
    return [item for item in distinct(rt, items) if item in found]


@builtin("subList", on=LIST, args=(1, 2), doc=f"{_LIST}/sublist.html")
def sub_list(items: list[Any], start: Any, end: Any = None) -> list[Any]:
    """Elements from start (inclusive) to end (exclusive, default the end); out of range is an error."""
    return list_slice("subList", items, start, end)


def list_slice(function: str, items: list[Any], start: Any, end: Any = None) -> list[Any]:
    """A new list of ``items[start:end]`` (end: default the end); indexes outside the list are an error."""
    begin = index_arg(function, 1, start)
    stop = len(items) if end is None else index_arg(function, 2, end)
    if begin < 0 or stop > len(items) or begin > stop:
        raise DelugeRuntimeError(
            f"{function}() indexes {begin} to {stop} are outside the list of size {len(items)}")
    return items[begin:stop]


_ORDER_KINDS = {int: "number", float: "number", str: "text", _dt.date: "date", _dt.datetime: "date",
                bool: "boolean"}


def _sort_key(item: Any) -> Any:
    if type(item) is _dt.date:
        return _dt.datetime(item.year, item.month, item.day)
    if type(item) is _dt.datetime:
        return item.replace(tzinfo=None)
    return item


def _sorted(items: list[Any], ascending: Any) -> list[Any] | None:
    upward = True if ascending is None else bool_arg("sort", 1, ascending)
    kinds = set()
    for item in items:
        kind = _ORDER_KINDS.get(type(item))
        if kind is None:
            raise DelugeRuntimeError(f"sort() cannot order a list holding a {type_name(item)}")
        kinds.add(kind)
    if len(kinds) > 1:  # the sort page: "If the list contains elements of different data types, ... null"
        return None
    return sorted(items, key=_sort_key, reverse=not upward)


def _sort_in_place(items: list[Any], ascending: Any = None) -> None:
    ordered = _sorted(items, ascending)
    if ordered is not None:
        items[:] = ordered


@builtin("sort", on=LIST, args=(0, 1), statement=_sort_in_place, doc=f"{_LIST}/sort.html")
def sort(items: list[Any], ascending: Any = None) -> Any:  # list | None, same elements: nothing to size-check
    """A sorted copy (ascending unless the argument is false); used as a statement it sorts in place.

    Numbers and Decimals sort together, text case-sensitively, dates with date-times. A list
    mixing kinds gives null (and, as a statement, is left as it was), as the page says.
    *Decision:* a Map, List or null element is an error (there is no order for them).
    """
    return _sorted(items, ascending)


# ---------------------------------------------------------------- Map

@builtin("put", on=MAP, args=(2, 2), grows=True, doc=f"{_MAP}/put.html")
def put(mapping: dict[Any, Any], key: Any, value: Any) -> None:
    """Adds or replaces a key (keys are case-sensitive; insertion order is kept)."""
    kind = type(key)
    if kind is str or kind is int:  # the common case: plain dict assignment
        mapping[key] = value
        return
    found, existing = _find_key(mapping, key)
    mapping[existing if found else _key("put", key)] = value


@builtin("putAll", on=MAP, args=(1, 1), grows=True, doc=f"{_MAP}/putall.html")
def put_all(mapping: dict[Any, Any], other: Any) -> None:
    for key, value in expect("putAll", 1, other, MAP).items():
        put(mapping, key, value)


@builtin("get", on=MAP, args=(1, 1), doc=f"{_MAP}/get.html")
def map_get(mapping: dict[Any, Any], key: Any) -> Any:
    """The value of a key; a missing key gives null, not an error."""
    kind = type(key)
    if kind is str or kind is int:  # the common case: a plain dict lookup
        return mapping.get(key)
    found, existing = _find_key(mapping, key)
    return mapping[existing] if found else None


@builtin("keys", on=MAP, doc=f"{_MAP}/keys.html")
def keys(mapping: dict[Any, Any]) -> list[Any]:
    return list(mapping)


@builtin("values", on=MAP, doc=f"{_MAP}/values.html")
def values(mapping: dict[Any, Any]) -> list[Any]:
    return list(mapping.values())


@builtin("containKey", "containsKey", on=MAP, args=(1, 1), doc=f"{_MAP}/containkey.html")
def contain_key(mapping: dict[Any, Any], key: Any) -> bool:
    kind = type(key)
    if kind is str or kind is int:
        return key in mapping
    return _find_key(mapping, key)[0]


@builtin("containValue", "containsValue", on=MAP, args=(1, 1), doc=f"{_MAP}/containvalue.html")
def contain_value(mapping: dict[Any, Any], value: Any) -> bool:
    return any(equal(item, value) for item in mapping.values())


@builtin("remove", "removeKey", on=MAP, args=(1, 1), doc=f"{_MAP}/remove.html")
def map_remove(mapping: dict[Any, Any], key: Any) -> Any:
    """Removes a key and gives its value. *Decision:* a missing key is ignored and gives null."""
    found, existing = _find_key(mapping, key)
    return mapping.pop(existing) if found else None


@builtin("size", on=MAP, doc=f"{_MAP}/size.html")
def map_size(mapping: dict[Any, Any]) -> int:
    return len(mapping)


@builtin("clear", on=MAP, doc=f"{_MAP}/clear.html")
def map_clear(mapping: dict[Any, Any]) -> None:
    mapping.clear()


_NO_VALUE = object()


@builtin("insert", on=MAP, args=(1, 2), grows=True, doc=f"{_MAP}/put.html")
def map_insert(mapping: dict[Any, Any], key: Any, value: Any = _NO_VALUE) -> None:
    """*Decision:* ``insert(key, value)`` on a map is ``put``. One element (no value) is an
    error: a Map is a key-value collection (``insert(key: value)`` is ``collection_functions``)."""
    if value is _NO_VALUE:
        raise DelugeRuntimeError("insert() cannot insert elements into a key-value collection (a Map); "
                                 "insert key: value pairs")
    put(mapping, key, value)


@builtin("notContains", on=MAP, args=(1, 1), doc=f"{_MAP}/containkey.html")
def map_not_contains(mapping: dict[Any, Any], key: Any) -> bool:
    """*Decision:* true when the map has no such key."""
    return not _find_key(mapping, key)[0]


# ---------------------------------------------------------------- List statistics
# The List functions index (https://www.zoho.com/deluge/help/functions/list.html) lists
# average, largest, median, nthLargest, nthSmallest and smallest next to add/get/sort.
# It lists no sum; numbers' max/min take two numbers, not a list.

def _ordered(function: str, items: list[Any]) -> list[Any]:
    """The elements in ascending order; every element must be a number (or every one a date, or text)."""
    try:
        ordered = _sorted(items, None)
    except DelugeRuntimeError as error:
        raise DelugeRuntimeError(str(error.message).replace("sort()", f"{function}()", 1)) from None
    if ordered is None:  # mixed kinds: sort() gives null, these have no element to give
        raise DelugeRuntimeError(f"{function}() needs a list of one kind (numbers, dates or text), "
                                 f"got {' and '.join(sorted({type_name(item) for item in items}))}")
    return ordered


def _numbers(function: str, items: list[Any]) -> list[int | float]:
    for item in items:
        if type(item) not in (int, float):
            raise DelugeRuntimeError(f"{function}() needs a list of numbers, found a {type_name(item)}")
    return items


@builtin("largest", on=LIST, doc=f"{_LIST}/largest.html")
def largest(items: list[Any]) -> Any:
    """The largest element (numbers, dates or text). *Decision:* an empty list gives null."""
    return _ordered("largest", items)[-1] if items else None


@builtin("smallest", on=LIST, doc=f"{_LIST}/smallest.html")
def smallest(items: list[Any]) -> Any:
    """The smallest element. *Decision:* an empty list gives null."""
    return _ordered("smallest", items)[0] if items else None


def _nth(function: str, items: list[Any], position: Any, from_top: bool) -> Any:
    n = index_arg(function, 1, position)
    if n < 1:
        raise DelugeRuntimeError(f"{function}() needs a position of 1 or more, got {n}")
    if n > len(items):
        raise DelugeRuntimeError(f"{function}() position {n} is greater than the list size {len(items)}")
    ordered = _ordered(function, items)
    return ordered[-n] if from_top else ordered[n - 1]


@builtin("nthLargest", on=LIST, args=(1, 1), doc=f"{_LIST}/nthlargest.html")
def nth_largest(items: list[Any], position: Any) -> Any:
    """The n-th largest element, counting from 1. *Decision:* repeated values count separately."""
    return _nth("nthLargest", items, position, True)


@builtin("nthSmallest", on=LIST, args=(1, 1), doc=f"{_LIST}/nthsmallest.html")
def nth_smallest(items: list[Any], position: Any) -> Any:
    """The n-th smallest element, counting from 1."""
    return _nth("nthSmallest", items, position, False)


@builtin("average", on=LIST, doc=f"{_LIST}/average.html")
def average(items: list[Any]) -> float | None:
    """The mean of a list of numbers, as a Decimal. *Decision:* an empty list gives null."""
    numbers = _numbers("average", items)
    return sum(numbers) / len(numbers) if numbers else None


@builtin("median", on=LIST, doc=f"{_LIST}/median.html")
def median(items: list[Any]) -> int | float | None:
    """The middle value of a list of numbers; with an even count, the mean of the middle two.

    *Decision:* an odd count gives the middle element as it is (a Number stays a Number);
    an even count gives a Decimal; an empty list gives null.
    """
    numbers = sorted(_numbers("median", items))
    if not numbers:
        return None
    middle = len(numbers) // 2
    if len(numbers) % 2:
        return numbers[middle]
    return (numbers[middle - 1] + numbers[middle]) / 2
