"""The aggregate methods of a Creator collection variable (`creator_records.Records`).

``Form[criteria].count()``, ``.count(Field)``, ``.sum(Field)``, ``.avg(Field)``,
``.maximum(Field)``, ``.minimum(Field)``, ``.median(Field)``, ``.distinct(Field)`` and
``.Field.getAll()`` (the builder passes the field as text: ``.getAll("Field")``), as the
collection variable and aggregate pages list them:
https://www.zoho.com/creator/help/script/form-objects.html
Empty values (null) are left out of every aggregate; ``count(Field)`` counts empty Text too,
as its page says. An aggregate of no values is null, except ``count`` (0) and ``sum`` (0).
"""

from __future__ import annotations

from .. import values
from ..creator_records import Records
from .registry import RECORDS, REGISTRY

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_PAGE = "https://www.zoho.com/deluge/help/data-access/aggregate-records/"


def _numbers(records: Records, field: str) -> list[int | float]:
    return [value for value in records.values_of(field) if values.is_number(value)]


def _filled(records: Records, field: str) -> list[Any]:
    return [value for value in records.values_of(field) if value is not None]


def _order(value: Any) -> tuple[int, Any]:
    return (0, value) if values.is_number(value) else (1, values.to_text(value))


@REGISTRY.builtin("count", on=RECORDS, args=(0, 1), doc=_PAGE + "count.html")
def count(records: Records, field: str | None = None) -> int:
    return len(records.rows) if field is None else len(_filled(records, field))


@REGISTRY.builtin("sum", on=RECORDS, args=(1, 1), doc=_PAGE + "sum.html")
def total(records: Records, field: str) -> int | float:
    return sum(_numbers(records, field))


@REGISTRY.builtin("avg", on=RECORDS, args=(1, 1), doc=_PAGE + "average.html")
def average(records: Records, field: str) -> int | float | None:
    numbers = _numbers(records, field)
    if not numbers:
        return None
    mean = sum(numbers) / len(numbers)
    return int(mean) if all(type(n) is int for n in numbers) else mean  # a Number field gives a Number


@REGISTRY.builtin("maximum", on=RECORDS, args=(1, 1), doc=_PAGE + "maximum.html")
def maximum(records: Records, field: str) -> Any:
    filled = _filled(records, field)
    return max(filled, key=_order) if filled else None


@REGISTRY.builtin("minimum", on=RECORDS, args=(1, 1), doc=_PAGE + "minimum.html")
def minimum(records: Records, field: str) -> Any:
    filled = _filled(records, field)
    return min(filled, key=_order) if filled else None


@REGISTRY.builtin("median", on=RECORDS, args=(1, 1), doc=_PAGE + "median.html")
def median(records: Records, field: str) -> int | float | None:
    numbers = sorted(_numbers(records, field))
    if not numbers:
        return None
    middle = len(numbers) // 2
    if len(numbers) % 2:
        return numbers[middle]
    pair = numbers[middle - 1] + numbers[middle]
    return pair // 2 if all(type(n) is int for n in numbers) and pair % 2 == 0 else pair / 2


@REGISTRY.builtin("distinct", on=RECORDS, args=(1, 1), doc=_PAGE + "distinct.html")
def distinct(records: Records, field: str) -> list[Any]:
    seen: list[Any] = []
    for value in _filled(records, field):
        if not any(values.equal(value, other) for other in seen):
            seen.append(value)
    return seen


@REGISTRY.builtin("getAll", on=RECORDS, args=(1, 1),
                  doc="https://www.zoho.com/deluge/help/data-access/fetch-records/fetch-all-field-values.html")
def get_all(records: Records, field: str) -> list[Any]:
    return records.values_of(field)
