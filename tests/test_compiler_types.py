"""Type inference per function (compiler_types) and the code it allows: sound, and exactly the reference's results."""

from __future__ import annotations

import typing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deluge_lite import DelugeError, Interpreter, Limits, Runtime
from deluge_lite.builtins import REGISTRY
from deluge_lite.builtins.registry import PY_TYPE_TAG, bounded, size_policy
from deluge_lite.compiler import compile_program
from deluge_lite.compiler_methods import INLINE
from deluge_lite.compiler_types import FUNCTION_RESULTS, METHOD_RESULTS, Types
from deluge_lite.errors import LimitExceeded
from deluge_lite.executor import Execution
from deluge_lite.interpreter import Script, quoted_literal
from deluge_lite.parser import parse
from deluge_lite.source import Source


def outcome(text: str, optimize: bool, statements: int = 200_000, value_size: int = 20_000_000) -> tuple:
    source = Source(text, "types.dg")
    program = parse(source)
    script = Script(source, program, compile_program(program, source, quoted_literal=quoted_literal,
                                                     optimize=optimize))
    lines: list[str] = []
    runtime = Runtime(info=lines.append, limits=Limits(statements=statements, value_size=value_size))
    try:
        result = Interpreter(runtime).execute(script)
    except DelugeError as error:
        return lines, (type(error).__name__, error.message, error.span and (error.span.line, error.span.col))
    return lines, repr(result.value)


def kinds(text: str) -> dict[str, type | None]:
    return Types(parse(Source(text, "k.dg")).statements).kinds


def _annotation_type(impl: typing.Callable[..., object]) -> str:
    annotation = impl.__annotations__.get("return", "")
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")


# ---- the tables agree with the built-ins they describe
@pytest.mark.parametrize(("receiver", "name"), sorted(METHOD_RESULTS, key=lambda key: (key[0].__name__, key[1])))
def test_each_method_result_kind_is_the_builtins_declared_result(receiver: type, name: str) -> None:
    entry = REGISTRY.methods[name][PY_TYPE_TAG[receiver]]
    declared = _annotation_type(entry.impl)
    if name in _NULL_ONLY_ON_NUMBERS and receiver is not int:
        declared = declared.removesuffix(" | None")
    assert declared.split("[")[0] == METHOD_RESULTS[receiver, name].__name__, (name, declared)


# toString/toText share one implementation for every receiver but dates; only a Number's
# (pattern, zone) form gives null (a pattern that cannot be written), so Number is not in the table
_NULL_ONLY_ON_NUMBERS = frozenset({"tostring", "totext"})


def test_a_numbers_to_string_that_gives_null_is_not_taken_for_text() -> None:
    text = 'n = 5;\nt = n.toString("bbb", "UTC");\ninfo t == null;\ninfo t.length();\n'
    assert outcome(text, True) == outcome(text, False)
    assert outcome(text, True)[0] == ["true"]


def test_each_function_result_kind_is_the_builtins_declared_result() -> None:
    for name, kind in FUNCTION_RESULTS.items():
        assert _annotation_type(REGISTRY.functions[name].impl).split("[")[0] == kind.__name__


SAMPLES: dict[type, st.SearchStrategy] = {
    str: st.text(max_size=8), list: st.lists(st.integers(), max_size=5),
    dict: st.dictionaries(st.text(max_size=3), st.integers(), max_size=4), int: st.integers(),
}


def _bound_helpers() -> dict[str, object]:
    """The names the executor binds for compiled code (the inline forms' helpers among them)."""
    source = Source("info 1;\n", "h.dg")
    program = parse(source)
    compiled = compile_program(program, source, quoted_literal=quoted_literal)
    return Execution(compiled, Runtime()).namespace


def _literal_args(texts: list[str]) -> tuple:
    """The argument nodes of ``t.f("a", "b")`` for plain texts (no quote or backslash)."""
    call = parse(Source("info t.f(" + ", ".join(f'"{text}"' for text in texts) + ");\n", "a.dg")).statements[0]
    return call.expr.args


PLAIN_TEXT = st.text(alphabet="ab -.$x", max_size=4)


@pytest.mark.parametrize("key", sorted(INLINE, key=repr))
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_each_inlined_method_is_its_builtin_exactly(key: tuple[type, str, int], data: st.DataObject) -> None:
    receiver_kind, name, argc = key
    inline = INLINE[key]
    entry = REGISTRY.methods[name][PY_TYPE_TAG[receiver_kind]]
    # no wrapper is skipped: the built-in has none, or it checks the Text cap, which the inline form does too
    assert size_policy(entry.impl) == ("text" if inline.capped else "none") and not entry.grows
    python = _bound_helpers()[inline.helper]
    receiver = data.draw(SAMPLES[receiver_kind])
    if inline.accepts is None:
        args = [data.draw(st.one_of(*(SAMPLES[kind] for kind in kinds_))) for kinds_ in inline.arg_kinds]
    else:  # literal arguments the inline form accepts
        args = data.draw(st.lists(PLAIN_TEXT, min_size=argc, max_size=argc).filter(
            lambda texts: inline.accepts(_literal_args(texts))))
        receiver = data.draw(st.text(alphabet="ab -.$x\\", max_size=12))
    builtin_args = [Runtime(), receiver, *args] if entry.runtime else [receiver, *args]
    assert python(receiver, *args, *inline.extra) == entry.impl(*builtin_args)


def test_only_plain_non_growing_literal_replacements_run_inline() -> None:
    accepts = INLINE[str, "replaceall", 2].accepts
    assert accepts(_literal_args(["-", " "])) and accepts(_literal_args([" x", ""]))
    assert not accepts(_literal_args(["-", "+-"]))  # longer: the built-in sizes the result before making it
    assert not accepts(_literal_args([".", " "])) and not accepts(_literal_args(["a", "$1"]))
    assert not accepts(_literal_args(["", "a"]))
    assert not accepts(parse(Source("info t.f(s, \"b\");\n", "a.dg")).statements[0].expr.args)


def test_inlined_text_methods_hit_the_text_cap_where_the_reference_does() -> None:
    # "İ" lower-cases to two characters: a Text at the cap grows past it
    text = 'big = "İ".leftPad(10000000, "a");\nsmall = big.trim();\nr = small.toLowerCase();\ninfo r.length();\n'
    assert outcome(text, True) == outcome(text, False)
    assert "characters" in outcome(text, True)[1][1]


# ---- the analysis
def test_kinds_of_counters_text_and_lists() -> None:
    found = kinds('n = 0;\nfor each x in {1, 2}\n{\n\tn = n + x;\n}\ns = "a";\ns = s + n;\nl = s.toList();\n'
                  'c = l.size();\nb = n > 3;\n')
    assert found == {"n": int, "x": int, "s": str, "l": list, "c": int, "b": bool}


def test_a_variable_assigned_anything_unknown_has_no_kind() -> None:
    found = kinds('n = 0;\nn = n / 2;\nt = "a";\nt = {"k": 1}.get("k");\nm = Map();\nv = m.get("x");\n'
                  "w = if(true, 1, \"a\");\n")
    assert found == {"n": None, "t": None, "m": dict, "v": None, "w": None}


def test_parameters_and_unknown_statements_know_nothing() -> None:
    program = parse(Source("string f(int a)\n{\n\tb = a;\n\tc = 1;\n\treturn b;\n}\n", "f.dg"))
    assert Types(program.functions[0].body, ["a"]).kinds == {"a": None, "b": None, "c": int}
    assert not Types((object(),)).valid  # type: ignore[arg-type]


def test_list_elements_are_known_only_while_the_list_is_private() -> None:
    private = 'l = List();\nl.add(1);\nfor each x in l\n{\n\tinfo x + 1;\n}\n'
    assert kinds(private)["x"] is int
    shared = 'l = List();\nl.add(1);\nm = l;\nm.add("a");\nfor each x in l\n{\n\tinfo x;\n}\n'
    assert kinds(shared)["x"] is None
    passed = 'l = List();\nl.add(1);\nl.addAll({"a"});\nfor each x in l\n{\n\tinfo x;\n}\n'
    assert kinds(passed)["x"] is None


def test_for_each_copies_a_list_its_body_may_change() -> None:
    text = 'l = {1, 2};\nfor each x in l\n{\n\tl.add(x);\n}\nfor each y in l\n{\n\tinfo y;\n}\n'
    program = parse(Source(text, "l.dg"))
    types = Types(program.statements)
    first, second = program.statements[1], program.statements[2]
    assert not types.iterates_in_place(first) and types.iterates_in_place(second)
    assert outcome(text, True) == outcome(text, False)
    assert outcome(text, True)[0] == ["1", "2", "1", "2"]


# ---- typed code gives exactly the reference's results
ATOMS = ["0", "7", "-3", '"a"', '""', "9223372036854775807", "x", "n", "t", "l.size()", "t.length()",
         '"5".toLong()', "n % 4", "l.get(0)", "m.get(\"k\")", "m.get(t)"]
STATEMENTS = [
    "n = {a} + {b};", "n = n + {a};", "n = n * {a} - {b};", "t = t + {a};", 't = {a} + "-" + {b} + t;',
    "x = {a};", "l.add({a});", 'm.put("k", {a});', "m.put(t, {b});", "info {a} == {b};", "info {a} < {b};",
    "info n % 3 == {a};", "info t.contains({a});", "if({a} > {b})\n{{\n\tn = n + 1;\n}}",
    "for each e in l\n{{\n\tn = n + e;\n}}", "t = t.toLowerCase() + {a};", "n = n / 2;",
    't = (" " + t + {a}).trim().toUpperCase();', 't = t.replaceAll("s", "-").replaceAll("-", "");',
    'l.add(t.lower());\nx = l.get(0);',
]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(STATEMENTS), st.sampled_from(ATOMS), st.sampled_from(ATOMS)),
                min_size=1, max_size=10),
       st.sampled_from([40, 200_000]))
def test_typed_code_matches_the_reference(statements: list[tuple[str, str, str]], limit: int) -> None:
    setup = 'n = 1;\nt = "s";\nx = 2;\nl = {4, 5};\nm = Map();\n'
    body = "\n".join(template.format(a=a, b=b) for template, a, b in statements)
    text = f"{setup}{body}\ninfo n;\ninfo t;\ninfo l;\ninfo m;\n"
    assert outcome(text, True, limit) == outcome(text, False, limit)


def test_an_unbound_variable_of_known_kind_fails_where_the_reference_fails() -> None:
    text = 'if(false)\n{\n\tn = 1;\n\tk = 2;\n}\ninfo "x" + k * 2 + n;\n'
    assert outcome(text, True) == outcome(text, False)
    assert outcome(text, True)[1][1] == "Variable 'k' is not defined"


def test_text_literal_plus_a_long_text_fails_as_the_reference_does() -> None:
    text = 'big = "x".leftPad(9999999);\nr = "ab" + big;\ninfo r.length();\n'
    assert outcome(text, True) == outcome(text, False)
    assert "characters" in outcome(text, True)[1][1]


# ---- the growing built-ins' wrapper made for one call shape checks exactly what the general one does
@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=6), st.integers(), st.lists(st.text(max_size=3), max_size=3)),
                min_size=1, max_size=12),
       st.integers(min_value=1, max_value=40))
def test_add_and_put_wrappers_count_like_the_general_one(items: list[object], budget: int) -> None:
    def run(argc: int | None) -> tuple:
        runtime = Runtime(limits=Limits(value_size=budget))
        runtime.start_budget()
        add = bounded(REGISTRY.methods["add"]["list"], REGISTRY.methods["add"]["list"].impl, runtime, argc)
        put = bounded(REGISTRY.methods["put"]["map"], REGISTRY.methods["put"]["map"].impl, runtime,
                      None if argc is None else 2)
        target: list[object] = []
        mapping: dict[object, object] = {}
        try:
            for index, item in enumerate(items):
                add(target, item)
                put(mapping, f"k{index}", item)
        except LimitExceeded as error:
            return target, mapping, runtime.grown, error.message
        return target, mapping, runtime.grown, None

    assert run(1) == run(None)


@pytest.mark.parametrize("value", ['{"k": 1, "0": "z"}', "{3, 4}", '"text"', "null", "7", '{"k": {"n": 2}}'])
def test_get_and_size_on_a_receiver_of_unknown_kind_match_the_reference(value: str) -> None:
    # r's kind is unknown (two kinds reach it): get and size test for a Map / a List at run time
    text = (f'n = 1;\nr = if(n > 0, {value}, "other");\ninfo r.get("k");\ninfo r.get(0);\nk = "k";\n'
            'info r.get(k).get("n");\ninfo r.size();\n')
    assert outcome(text, True) == outcome(text, False)
