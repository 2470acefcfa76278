"""Zoho Creator's own statements at run time: ``insert into``, ``Form[criteria]``, updates, ``delete from``.

Owns the value a fetch gives (`Records`, Creator's "collection variable": the records of one
form, bound to the store they came from), the helpers compiled code calls for the
statements (`insert`, `fetch`, `delete`, and the field read/write and ``for each`` of a
collection), and the `CreatorStore` protocol a run's record store meets. The store is
`Runtime.creator_store`: under ``run --sandbox`` the one the fake Creator REST API and the
``zoho.creator.*`` tasks use (`deluge_lite.sandbox.creator_store`), elsewhere one for the
run. The criteria arrive as text and the script's values (`ast.CreatorCriteria`); the store
reads them with the one Creator criteria engine. The aggregate methods (``count()``,
``sum(Field)``, ...) are built-ins on the collection type (`builtins.creator`).

What the pages say, and the decisions where they say little
(https://www.zoho.com/deluge/help/creator-tasks.html):
- The statements run only in the Creator context (`Runtime.context`); elsewhere each is a
  clear error naming the run's context.
- ``insert into`` gives the new record's ID (a Number); a form is created by its first insert.
  Fetching from or deleting in a form the store does not hold is an error naming the forms
  it does hold (Zoho refuses an unknown form when the script is saved).
- ``rec.Field`` is the field of the first record (null when the collection is empty);
  ``rec.Field = value`` updates that record in the store, at once (Zoho persists the change);
  ``for each r in collection`` gives each record as a collection of one.
- ``sort by`` orders numbers by value and text without case, empty values last;
  ``range from a to b`` keeps records a..b, counted from 1, both included.
- Dates and times are stored as their Deluge text (``03-Dec-2026 10:00:00``), as Creator's
  REST API shows them; a collection stored into a field stores its record's ID (several: a List).
"""

from __future__ import annotations

import datetime as _dt

from . import values
from .errors import DelugeRuntimeError

CREATOR = "creator"
SYSTEM_FIELDS = frozenset({"id"})  # set by Creator; a script cannot change them
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    Criteria = tuple[tuple[bool, Any], ...]  # (is a value of the script, text or value)

    class CreatorStore(Protocol):
        """The records of one Creator app, as the statements use them (records carry their ``ID``)."""

        def forms(self) -> list[str]: ...

        def insert(self, form: str, fields: dict[str, Any]) -> dict[str, Any]: ...

        def select(self, form: str, criteria: Criteria) -> list[dict[str, Any]]: ...

        def update(self, form: str, record_id: Any, fields: dict[str, Any]) -> None: ...

        def delete(self, form: str, record_id: Any) -> bool: ...


class Records:
    """A collection variable: records of one form, bound to the store (see the module notes)."""

    __slots__ = ("form", "rows", "store")
    deluge_type = "Collection"

    def __init__(self, store: CreatorStore, form: str, rows: list[dict[str, Any]]) -> None:
        self.store, self.form, self.rows = store, form, rows

    def __str__(self) -> str:
        shown: Any = self.rows[0] if len(self.rows) == 1 else self.rows
        return values.to_text(shown)

    def __repr__(self) -> str:
        return f"<{len(self.rows)} {self.form} records>"

    def field(self, name: str) -> Any:
        return field_of(self.rows[0], name) if self.rows else None

    def values_of(self, name: str) -> list[Any]:
        return [field_of(row, name) for row in self.rows]

    def set_field(self, name: str, value: Any) -> None:
        if name.lower() in SYSTEM_FIELDS:
            raise DelugeRuntimeError(f"{name} is set by Creator; a script cannot change it")
        if not self.rows:
            raise DelugeRuntimeError(f"cannot set '{name}': the collection of {self.form} records is empty")
        row = self.rows[0]
        key = next((k for k in row if k.lower() == name.lower()), name)
        stored = storable(value)
        self.store.update(self.form, row["ID"], {key: stored})
        row[key] = from_store(stored)

    def each(self) -> list[Records]:
        return [Records(self.store, self.form, [row]) for row in self.rows]


def field_of(row: dict[str, Any], name: str) -> Any:
    """A record's field by name, exactly or else ignoring case (Creator field names are not case-sensitive)."""
    if name in row:
        return row[name]
    lowered = name.lower()
    return next((value for key, value in row.items() if key.lower() == lowered), None)


# ---------------------------------------------------------------- values in and out of the store

def storable(value: Any) -> Any:
    """A Deluge value as the store keeps it (JSON: dates as their Deluge text, a collection as its ID)."""
    if isinstance(value, _dt.date):
        return values.to_text(value)
    if isinstance(value, Records):  # a lookup or subform field: its record's ID, or their IDs
        ids = [row["ID"] for row in value.rows]
        return ids[0] if len(ids) == 1 else ids or None
    if type(value) is list:
        return [storable(item) for item in value]
    if type(value) is dict:
        return {str(key): storable(item) for key, item in value.items()}
    return value


def from_store(value: Any) -> Any:
    return values.from_python(value)


def _row(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record as the script sees it: its ID a Number, the fields as stored."""
    row = {key: from_store(value) for key, value in record.items()}
    raw_id = str(record.get("ID", ""))
    row["ID"] = int(raw_id) if raw_id.isdigit() else raw_id
    return row


# ---------------------------------------------------------------- the statements

def _store(rt: Any, what: str) -> CreatorStore:
    context = getattr(rt, "context", "") or ""
    if context != CREATOR:
        where = f"this run's context is '{context}'" if context else "this run has no Creator context"
        raise DelugeRuntimeError(f"{what} is a Zoho Creator statement; {where} (run it with --context creator)")
    store = getattr(rt, "creator_store", None)
    if store is None:
        raise DelugeRuntimeError(f"{what} needs a Creator record store; this run has none")
    return store


def _known_form(store: CreatorStore, form: str, what: str) -> str:
    forms = store.forms()
    found = next((name for name in forms if name.lower() == form.lower()), None)
    if found is not None:
        return found
    import difflib  # (an error path: difflib is not loaded by a run that needs no suggestion)

    close = difflib.get_close_matches(form.lower(), [name.lower() for name in forms], n=1, cutoff=0.75)
    hint = next((f"; did you mean '{name}'?" for name in forms if close and name.lower() == close[0]), "")
    held = f" (it holds {', '.join(forms)})" if forms else " (it holds none yet)"
    raise DelugeRuntimeError(f"{what}: the app has no form '{form}'{hint}{held}; seed its records "
                             f"(--seed with {{\"creator\": {{\"{form}\": [...]}}}}) or insert one first")


def insert(rt: Any, form: str, fields: dict[str, Any]) -> int | str:
    """``insert into Form [...]``: the new record's ID."""
    store = _store(rt, f"insert into {form}")
    known = next((name for name in store.forms() if name.lower() == form.lower()), form)
    record = store.insert(known, {name: storable(value) for name, value in fields.items()})
    return _row(record)["ID"]


def fetch(rt: Any, form: str, criteria: Criteria, sort_field: str | None = None, descending: bool = False,
          start: Any = None, end: Any = None) -> Records:
    """``Form[criteria] sort by Field desc range from start to end``."""
    what = f"fetching records from {form}"
    store = _store(rt, what)
    known = _known_form(store, form, what)
    rows = [_row(record) for record in store.select(known, _prepared(criteria))]
    if sort_field is not None:
        rows = _sorted(rows, sort_field, descending)
    if start is not None:
        first, last = _position(start, "start"), _position(end, "end")
        rows = rows[first - 1:last] if last >= first else []
    rt.charge(len(rows), f"{form}[...]")
    return Records(store, known, rows)


def delete(rt: Any, form: str, criteria: Criteria) -> None:
    """``delete from Form[criteria]``."""
    what = f"delete from {form}"
    store = _store(rt, what)
    known = _known_form(store, form, what)
    for record in store.select(known, _prepared(criteria)):
        store.delete(known, record["ID"])


def _prepared(criteria: Criteria) -> Criteria:
    return tuple((is_value, storable(item) if is_value else item) for is_value, item in criteria)


def _position(value: Any, which: str) -> int:
    if type(value) is not int or value < 1:
        raise DelugeRuntimeError(f"the {which} of a range must be a whole Number from 1, not {values.to_text(value)}")
    return value


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None or value == "":
        return (2, 0)
    if values.is_number(value):
        return (0, value)
    return (1, values.to_text(value).casefold())


def _sorted(rows: list[dict[str, Any]], field: str, descending: bool) -> list[dict[str, Any]]:
    filled = [row for row in rows if field_of(row, field) not in (None, "")]
    empty = [row for row in rows if field_of(row, field) in (None, "")]
    filled.sort(key=lambda row: _sort_key(field_of(row, field)), reverse=descending)
    return filled + empty


__all__ = ["CREATOR", "CreatorStore", "Criteria", "Records", "delete", "fetch", "insert", "storable"]
