"""Every built-in with edge values gives a result or a Deluge error, never a Python exception (issue 13).

Dates at years 1 and 9999 go into every date built-in (with each count and pattern below,
and in several time zones); the whole edge catalogue (`edge_values`) goes into every
built-in with a seeded random choice of arguments; a hypothesis strategy of nested and
huge values goes into the value operations. The long version of this is
benchmarks/fuzz/run.py.
"""

from __future__ import annotations

import itertools
import random
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from deluge_lite import values
from deluge_lite.builtins import REGISTRY
from deluge_lite.builtins.registry import Builtin
from deluge_lite.errors import DelugeError
from deluge_lite.runtime import Limits, Runtime

from .edge_values import EDGE_DATES, edge_values, nested_shared
from .edge_values import values as value_strategy

DATE_ARGS: tuple[Any, ...] = (None, 0, 1, -1, 7, 999_999, -999_999, 2**63 - 1, -(2**63), 1e300, "dd-MMM-yyyy",
                              "yyyy-MM-dd'T'HH:mm:ssXXX", "EEEE w", "Asia/Kolkata", "Pacific/Kiritimati",
                              "America/Adak", "Etc/GMT+12", "xyz", "")
ZONES = ("UTC", "Pacific/Kiritimati", "Etc/GMT+12")


def _callers(entry: Builtin, argc: int, rt: Runtime) -> list[Any]:
    if entry.receivers is None:
        caller = REGISTRY.function_caller(entry.name, argc, rt)
        return [caller] if caller is not None else []
    return [REGISTRY.method_caller(entry.name, argc, rt), REGISTRY.function_caller(entry.name, argc + 1, rt)]


def _arities(entry: Builtin) -> range:
    return range(entry.min_args, min(entry.max_args if entry.max_args is not None else entry.min_args + 1, 3) + 1)


def _call(caller: Any, rt: Runtime, args: list[Any], label: str) -> None:
    rt.start_budget()
    started = time.monotonic()
    try:
        caller(*args)
    except DelugeError:
        pass
    except Exception as error:  # the bug this test exists to catch
        pytest.fail(f"{label}({', '.join(repr(a)[:60] for a in args)}) raised {type(error).__name__}: {error}")
    assert time.monotonic() - started < rt.limits.seconds + 5, f"{label} outlived the run limit"


DATE_BUILTINS = [entry for entry in REGISTRY.all
                 if entry.receivers and entry.receivers & {"date", "datetime"} and not entry.grows]


@pytest.mark.parametrize("zone", ZONES)
def test_every_date_builtin_at_years_1_and_9999(zone: str) -> None:
    rt = Runtime(info=lambda _line: None, timezone=zone, limits=Limits(seconds=10))
    assert DATE_BUILTINS, "no date built-ins registered"
    for entry in DATE_BUILTINS:
        for argc in _arities(entry):
            caller = REGISTRY.method_caller(entry.name, argc, rt)
            for receiver in EDGE_DATES:
                for args in itertools.islice(itertools.product(DATE_ARGS, repeat=argc), 120):
                    _call(caller, rt, [receiver, *args], entry.name)


def test_every_builtin_with_edge_values() -> None:
    """A fixed-seed sample: each arity of each built-in, 25 argument lists drawn from the catalogue."""
    rt = Runtime(info=lambda _line: None, limits=Limits(seconds=10))
    catalogue = edge_values()
    chooser = random.Random(13)
    for entry in REGISTRY.all:
        for argc in _arities(entry):
            for caller in _callers(entry, argc, rt):
                extra = 1 if entry.receivers is not None and caller.__name__ == "call_method" else 0
                for _ in range(25):
                    args = [chooser.choice(catalogue) for _ in range(argc + extra)]
                    _call(caller, rt, args, entry.name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value_strategy(), value_strategy())
def test_value_operations_on_nested_and_huge_values(left: Any, right: Any) -> None:
    """==, !=, text, JSON and the size walk on any pair: a result or a Deluge error, bounded work."""
    for operation in (values.equal, values.not_equal, values.add, values.subtract, values.less):
        try:
            operation(left, right)
        except DelugeError:
            pass
    for unary in (values.to_text, values.to_json):
        try:
            assert len(unary(left)) <= values.MAX_TEXT
        except DelugeError:
            pass
    assert values.deep_size(left, 1000) >= 0


def test_shared_nesting_is_linear_for_equality_text_and_size() -> None:
    left, right = nested_shared(200), nested_shared(200)
    assert values.equal(left, right)
    assert not values.equal(left, nested_shared(200, 2))
    assert values.deep_size(left, 10**6) == 2 * 200 + 1  # each shared List counted once
    with pytest.raises(DelugeError, match="10,000,000 characters"):
        values.to_text(left)
