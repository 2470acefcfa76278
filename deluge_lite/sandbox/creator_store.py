"""The record store of Creator's own statements, over the fake Zoho's SQLite store.

`CreatorRecordStore` meets `creator_records.CreatorStore` on the same `CrmStore` the fake
Creator REST API and the ``zoho.creator.*`` tasks use: forms are its ``creator/<Form>``
collections, a record is stamped and shown exactly as the fake's `CreatorStyle` does
(``ID``, ``Added_Time``, ``Modified_Time``), and criteria are read by the one Creator criteria
engine (`fake_creator_criteria`). So a record a script inserts is there for
``zoho.creator.getRecords`` and the REST API, and ``--db FILE`` keeps it between runs.
`memory_store()` gives a run without the sandbox a store of its own, in memory.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import DelugeRuntimeError
from ..testing.fake_creator_criteria import parse_criteria_parts
from ..testing.fake_crm_search import CriteriaError
from ..testing.fake_crm_store import CrmStore
from ..testing.fake_services import CreatorStyle

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..creator_records import Criteria

_PREFIX = "creator/"


class CreatorRecordStore:
    """Creator forms and records in a `CrmStore` (see the module docstring)."""

    def __init__(self, store: CrmStore | Callable[[], CrmStore]) -> None:
        """``store``, or a callable that gives it on first use (the test plugin starts its fakes lazily)."""
        self._store = store
        self.style = CreatorStyle()

    @property
    def store(self) -> CrmStore:
        if not isinstance(self._store, CrmStore):
            self._store = self._store()
        return self._store

    def _collection(self, form: str, create: bool = False) -> str:
        return self.style.collection(self.store, {"form": form}, create)

    def forms(self) -> list[str]:
        return [name[len(_PREFIX):] for name in self.store.collections(_PREFIX)]

    def insert(self, form: str, fields: dict[str, Any]) -> dict[str, Any]:
        collection = self._collection(form, create=True)
        data = {k: v for k, v in fields.items() if k.lower() not in ("id",)}
        stored = self.store.insert(collection, {**data, **self.style.stamp(self.store.now(), True)})
        return self.style.render(collection, stored)

    def select(self, form: str, criteria: Criteria) -> list[dict[str, Any]]:
        try:
            test = parse_criteria_parts(criteria)
        except CriteriaError as error:
            raise DelugeRuntimeError(f"the criteria of {form} cannot be read: {error}") from None
        collection = self._collection(form)
        rows = [self.style.render(collection, record) for record in self.store.all(collection)]
        return [row for row in rows if test(row)]

    def update(self, form: str, record_id: Any, fields: dict[str, Any]) -> None:
        collection = self._collection(form)
        self.store.update(collection, str(record_id), {**fields, **self.style.stamp(self.store.now(), False)})

    def delete(self, form: str, record_id: Any) -> bool:
        return self.store.delete(self._collection(form), str(record_id))

    def records(self, form: str) -> list[dict[str, Any]]:
        """Every record of a form as the REST API shows it (for tests and hosts to inspect)."""
        return self.select(form, ())


def memory_store() -> CreatorRecordStore:
    """A store for one run without the sandbox: in memory, empty, gone when the run ends."""
    return CreatorRecordStore(CrmStore(":memory:"))


__all__ = ["CreatorRecordStore", "memory_store"]
