"""`fieldclass` behaves as the `dataclasses.dataclass` features the project uses do."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from deluge_lite.fieldclass import FrozenInstanceError, field, fieldclass, fields, is_fieldclass, replace


@fieldclass(frozen=True, slots=True)
class Base:
    span: int


@fieldclass(frozen=True, slots=True)
class Child(Base):
    name: str
    flags: tuple[str, ...] = ()


@fieldclass
class Mutable:
    items: list[int] = field(default_factory=list)
    label: str = "x"
    secret: str = field(default="s", repr=False)
    note: str = field(default="", compare=False)
    cache: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    later: int | None = field(default=None, init=False, repr=False)


@fieldclass(frozen=True)
class Posted:
    value: int
    seen: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.seen.append(self.value)


def test_init_positional_keyword_and_defaults() -> None:
    child = Child(1, "a")
    assert (child.span, child.name, child.flags) == (1, "a", ())
    assert Child(span=2, name="b", flags=("f",)).flags == ("f",)
    with pytest.raises(TypeError):
        Child(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Child(1, "a", (), 4)  # type: ignore[call-arg]


def test_default_factories_are_fresh_and_init_false_fields() -> None:
    first, second = Mutable(), Mutable()
    first.items.append(1)
    assert second.items == [] and first.cache == {} and first.cache is not second.cache
    assert first.later is None and "later" not in vars(first)  # the class attribute holds it
    with pytest.raises(TypeError):
        Mutable(cache={})  # type: ignore[call-arg]
    assert Posted(3).seen == [3]


def test_equality_hash_and_repr() -> None:
    assert Child(1, "a") == Child(1, "a") and Child(1, "a") != Child(1, "b")
    assert Child(1, "a") != Base(1) and Base(1) != Child(1, "a")
    assert hash(Child(1, "a")) == hash(Child(1, "a"))
    assert len({Child(1, "a"), Child(1, "a"), Child(2, "a")}) == 2
    assert Mutable(note="n") == Mutable(note="m")  # compare=False
    with pytest.raises(TypeError):
        hash(Mutable())  # eq without frozen: unhashable, as with dataclasses
    assert repr(Child(1, "a")) == "Child(span=1, name='a', flags=())"
    assert repr(Mutable([1])) == "Mutable(items=[1], label='x', note='')"


def test_frozen_and_slots() -> None:
    child = Child(1, "a")
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'name'"):
        child.name = "b"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del child.span  # type: ignore[misc]
    assert Child.__slots__ == ("name", "flags") and Base.__slots__ == ("span",)
    assert not hasattr(child, "__dict__")
    mutable = Mutable()
    mutable.label = "y"
    assert mutable.label == "y"


def test_copy_and_pickle_of_frozen_slots() -> None:
    child = Child(1, "a", ("f",))
    assert copy.copy(child) == child and copy.deepcopy(child) == child
    assert pickle.loads(pickle.dumps(child)) == child


def test_fields_replace_and_stdlib_functions() -> None:
    assert [spec.name for spec in fields(Child)] == ["span", "name", "flags"]
    assert list(Child.__fieldclass_fields__) == ["span", "name", "flags"]
    assert replace(Child(1, "a"), name="b") == Child(1, "b")
    with pytest.raises(ValueError):
        replace(Mutable(), cache={})
    assert is_fieldclass(Child(1, "a")) and is_fieldclass(Child) and not is_fieldclass(1)
    # code that still uses the stdlib functions on these classes
    assert dataclasses.is_dataclass(Child(1, "a"))
    assert [spec.name for spec in dataclasses.fields(Child(1, "a"))] == ["span", "name", "flags"]
    assert dataclasses.replace(Child(1, "a"), flags=("g",)) == Child(1, "a", ("g",))
    assert dataclasses.asdict(Mutable([2])) == {"items": [2], "label": "x", "secret": "s", "note": "",
                                                 "cache": {}, "later": None}


def test_bad_declarations_fail_as_with_dataclasses() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b'"):
        @fieldclass
        class Bad:
            a: int = 1
            b: int
    with pytest.raises(ValueError, match="mutable default"):
        @fieldclass
        class Shared:
            a: list[int] = []  # noqa: RUF012
