"""Zoho's Collection functions that Lists and Maps lacked: ``update``, ``delete``, ``deleteKey``,
``deleteKeys``, ``sortKey`` and ``sort`` on a key-value collection.

A Deluge Collection is a Map (key-value) or a List (index-value)
(https://www.zoho.com/deluge/help/functions/collection.html); these work on both, in place:

- update(key, value) (.../collection/update.html): a Map puts the pair (a new key is added);
  a List replaces the element at the index, and an index outside the list is an error.
- delete(value) (.../collection/delete.html): a List drops the first element equal to it, a
  Map drops the pairs whose value equals it; nothing found, nothing done.
- deleteKey(key) (.../collection/deletekey.html): a Map drops the key (missing: no action);
  a List drops the element at the index (missing: an error).
- deleteKeys(list) (.../collection/deletekeys.html): deleteKey for each key or index; list
  indexes all refer to the list as it was.
- sortKey([ascending]) (.../collection/sortkey.html) and a Map's sort([ascending])
  (.../collection/sort.html): the pairs reordered by key, or by value; text in character
  order (the pages' "! \" # ... capital letters ... small letters").
  *Decision:* they give the Map back, so ``info m.sortKey()`` prints it sorted.

- insert(key: value, ...) (.../collection/insert.html): the pairs form, into a Map only;
  into a List (an index-value collection) it is an error, as is ``insert(element)`` into a
  Map (``collections.py`` owns the element form). insertAll(list or map) (.../insertall.html)
  is the same for many: a List takes a List's elements, a Map a Map's pairs.
- getKey(value) / getLastKey(value) (.../getkey.html, .../getlastkey.html): the key of the
  value's first or last occurrence (a Map; null when absent) or its index (a List; -1).
- deleteAll(list) (.../deleteall.html): a List drops the elements equal to one in the list,
  a Map the pairs whose value is in it.
- containsKey(index) on a List (.../containskey.html): whether the index is inside it.
- keys() and values() on a List (.../keys.html, .../values.html): its elements, as a new
  List (the pages: an index-value collection gives its elements); containsValue(x) on a
  List (.../containsvalue.html): whether an element equals x (case-sensitive).
- distinct() on a Map (.../distinct.html): its values without repeats, first ones kept.
- duplicate([start, end]) on a List (.../duplicate.html): a new List of the elements from
  start (inclusive) to end (exclusive), or all of them; an index outside the list is an error.

Other List and Map methods are ``collections.py``.
"""

from __future__ import annotations

from ..collection_kind import PAIR_INSERT
from ..errors import DelugeRuntimeError
from ..values import equal, type_name
from .collections import _ORDER_KINDS, _contains, _Index, _key, _position, _sort_key, list_slice, put
from .core import bool_arg, index_arg
from .registry import COLLECTION, LIST, MAP, builtin, expect

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_PAGE = "https://www.zoho.com/deluge/help/functions/collection"


def _index(function: str, items: list[Any], position: Any) -> int:
    index = index_arg(function, 1, position)
    if not 0 <= index < len(items):
        raise DelugeRuntimeError(f"{function}() index {index} is outside the list of size {len(items)}")
    return index


@builtin("update", on=COLLECTION, args=(2, 2), grows=True, doc=f"{_PAGE}/update.html")
def update(collection: Any, key: Any, value: Any) -> None:
    if type(collection) is dict:
        collection[_key("update", key)] = value
    else:
        collection[_index("update", collection, key)] = value


@builtin("delete", on=COLLECTION, args=(1, 1), doc=f"{_PAGE}/delete.html")
def delete(collection: Any, value: Any) -> None:
    if type(collection) is dict:
        for key in [key for key, item in collection.items() if equal(item, value)]:
            del collection[key]
        return
    for position, item in enumerate(collection):
        if equal(item, value):
            del collection[position]
            return


@builtin("deleteKey", on=COLLECTION, args=(1, 1), doc=f"{_PAGE}/deletekey.html")
def delete_key(collection: Any, key: Any) -> None:
    if type(collection) is dict:
        collection.pop(_key("deleteKey", key), None)
    else:
        del collection[_index("deleteKey", collection, key)]


@builtin("deleteKeys", on=COLLECTION, args=(1, 1), doc=f"{_PAGE}/deletekeys.html")
def delete_keys(collection: Any, keys: Any) -> None:
    keys = expect("deleteKeys", 1, keys, LIST)
    if type(collection) is dict:
        for key in keys:
            collection.pop(_key("deleteKeys", key), None)
        return
    doomed = {_index("deleteKeys", collection, key) for key in keys}
    collection[:] = [item for position, item in enumerate(collection) if position not in doomed]


def _reorder(function: str, mapping: dict[Any, Any], ascending: Any, by_key: bool) -> dict[Any, Any]:
    upward = True if ascending is None else bool_arg(function, 1, ascending)
    side = 0 if by_key else 1
    pairs = list(mapping.items())
    kinds = {_ORDER_KINDS.get(type(pair[side])) for pair in pairs}
    if len(kinds) > 1 or None in kinds:
        what = "keys" if by_key else "values"
        found = " and ".join(sorted({type_name(pair[side]) for pair in pairs}))
        raise DelugeRuntimeError(f"{function}() needs {what} of one kind (numbers, dates or text), got {found}")
    pairs.sort(key=lambda pair: _sort_key(pair[side]), reverse=not upward)
    mapping.clear()
    mapping.update(pairs)
    return mapping


@builtin("sortKey", on=MAP, args=(0, 1), doc=f"{_PAGE}/sortkey.html")
def sort_key(mapping: dict[Any, Any], ascending: Any = None) -> Any:
    return _reorder("sortKey", mapping, ascending, by_key=True)


@builtin("sort", on=MAP, args=(0, 1), doc=f"{_PAGE}/sort.html")
def sort_by_value(mapping: dict[Any, Any], ascending: Any = None) -> Any:
    return _reorder("sort", mapping, ascending, by_key=False)


# ---------------------------------------------------------------- filling and searching

_WRONG_KIND = {  # (receiver, what was given) -> the error's wording
    (list, "pairs"): "cannot insert key: value pairs into an index-value collection (a List); insert elements",
    (dict, "elements"): "cannot insert elements into a key-value collection (a Map); insert key: value pairs",
}


def _wrong_kind(function: str, receiver: Any, given: str) -> DelugeRuntimeError:
    return DelugeRuntimeError(f"{function}() {_WRONG_KIND[(type(receiver), given)]}")


@builtin(PAIR_INSERT, on=COLLECTION, args=(1, 1), grows=True, doc=f"{_PAGE}/insert.html")
def insert_pairs(collection: Any, pairs: dict[Any, Any]) -> None:
    if type(collection) is not dict:
        raise _wrong_kind("insert", collection, "pairs")
    for key, value in expect("insert", 1, pairs, MAP).items():
        put(collection, key, value)


@builtin("insertAll", on=COLLECTION, args=(1, 1), grows=True, doc=f"{_PAGE}/insertall.html")
def insert_all(collection: Any, items: Any) -> None:
    if type(collection) is dict:
        if type(items) is not dict:
            raise _wrong_kind("insertAll", collection, "elements")
        insert_pairs(collection, items)
        return
    if type(items) is dict:
        raise _wrong_kind("insertAll", collection, "pairs")
    collection.extend(expect("insertAll", 1, items, LIST))


def _find(collection: Any, value: Any, last: bool) -> Any:
    if type(collection) is dict:
        found = [key for key, item in collection.items() if equal(item, value)]
        return (found[-1] if last else found[0]) if found else None
    if not last:
        return _position(collection, value)
    for index in range(len(collection) - 1, -1, -1):
        if equal(collection[index], value):
            return index
    return -1


@builtin("getKey", on=COLLECTION, args=(1, 1), doc=f"{_PAGE}/getkey.html")
def get_key(collection: Any, value: Any) -> Any:
    return _find(collection, value, last=False)


@builtin("getLastKey", on=COLLECTION, args=(1, 1), doc=f"{_PAGE}/getlastkey.html")
def get_last_key(collection: Any, value: Any) -> Any:
    return _find(collection, value, last=True)


@builtin("deleteAll", on=COLLECTION, args=(1, 1), runtime=True, doc=f"{_PAGE}/deleteall.html")
def delete_all(rt: Any, collection: Any, doomed: Any) -> None:
    drop = _Index(rt, expect("deleteAll", 1, doomed, LIST))
    if type(collection) is dict:
        for key in [key for key, item in collection.items() if item in drop]:
            del collection[key]
        return
    collection[:] = [item for item in collection if item not in drop]


@builtin("containsKey", "containKey", on=LIST, args=(1, 1), doc=f"{_PAGE}/containskey.html")
def list_contains_key(items: list[Any], index: Any) -> bool:
    return type(index) is int and 0 <= index < len(items)



@builtin("keys", on=LIST, doc=f"{_PAGE}/keys.html")
def list_keys(items: list[Any]) -> list[Any]:
    return list(items)


@builtin("values", on=LIST, doc=f"{_PAGE}/values.html")
def list_values(items: list[Any]) -> list[Any]:
    return list(items)


@builtin("containValue", "containsValue", on=LIST, args=(1, 1), doc=f"{_PAGE}/containsvalue.html")
def list_contains_value(items: list[Any], value: Any) -> bool:
    return _contains(items, value)


@builtin("distinct", on=MAP, runtime=True, doc=f"{_PAGE}/distinct.html")
def map_distinct(rt: Any, mapping: dict[Any, Any]) -> list[Any]:
    seen = _Index(rt)
    return [value for value in mapping.values() if seen.add(value)]


@builtin("duplicate", on=LIST, args=(0, 2), doc=f"{_PAGE}/duplicate.html")
def duplicate(items: list[Any], start: Any = None, end: Any = None) -> list[Any]:
    return list(items) if start is None else list_slice("duplicate", items, start, end)
