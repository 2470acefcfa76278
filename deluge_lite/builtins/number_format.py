"""Number patterns for ``toString("#,##0.00")``: the part of Java's ``DecimalFormat`` scripts use.

Zoho runs on Java and scripts format amounts with Java patterns (``"#,##0.00"``,
``"$#,##0"``, ``"0%"``, ``"000"``). Supported: ``0`` (a digit always shown) and ``#``
(a digit shown when needed) before and after one ``.``; ``,`` grouping (the group size is
the count of digits after the last comma); literal text before and after the digits
(quoted with ``'`` when it holds pattern characters); ``%`` and ``‰`` multiply by 100 and
1000; a ``;`` negative sub-pattern is read for its prefix and suffix. Rounding is
half-even on the exact value, as ``DecimalFormat`` does. Scientific (``E``) patterns and
anything else are a Deluge error naming the pattern. This module formats only.
"""

from __future__ import annotations

from ..errors import DelugeRuntimeError
from ..fieldclass import fieldclass

_DIGIT_CHARS = frozenset("0#,.")


@fieldclass(frozen=True)
class _Pattern:
    prefix: str
    suffix: str
    negative_prefix: str
    negative_suffix: str
    min_integer: int
    min_fraction: int
    max_fraction: int
    group: int
    scale: int


def _split_affixes(text: str, pattern: str) -> tuple[str, str, str, int]:
    """Prefix, digit part, suffix and the power of ten (% and ‰) of one sub-pattern."""
    parts: list[list[str]] = [[], [], []]
    where = 0
    scale = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "'":
            end = text.find("'", index + 1)
            if end < 0:
                raise DelugeRuntimeError(f"toString() number pattern '{pattern}' has an unclosed quote")
            parts[2 if where else 0].append(text[index + 1:end] or "'")
            where = 2 if where else 0
            index = end + 1
            continue
        if char in _DIGIT_CHARS:
            if where == 2:
                raise DelugeRuntimeError(f"toString() number pattern '{pattern}' has digits after its suffix")
            where = 1
            parts[1].append(char)
        else:
            if char in "E¤":
                raise DelugeRuntimeError(f"toString() does not support '{char}' in the number pattern '{pattern}'")
            if char == "%":
                scale = 2
            elif char == "‰":
                scale = 3
            if where == 1:
                where = 2
            parts[where].append(char)
        index += 1
    return "".join(parts[0]), "".join(parts[1]), "".join(parts[2]), scale


def parse_pattern(pattern: str) -> _Pattern:
    positive, _, negative = pattern.partition(";")
    prefix, digits, suffix, scale = _split_affixes(positive, pattern)
    if not digits or digits.count(".") > 1:
        raise DelugeRuntimeError(f"toString() needs a number pattern such as '#,##0.00', got '{pattern}'")
    whole, _, fraction = digits.partition(".")
    if "," in fraction:
        raise DelugeRuntimeError(f"toString() number pattern '{pattern}' has ',' after the decimal point")
    group = len(whole) - whole.rfind(",") - 1 if "," in whole else 0
    if "," in whole and group == 0:
        raise DelugeRuntimeError(f"toString() number pattern '{pattern}' ends its digits with ','")
    neg_prefix, neg_suffix = "-" + prefix, suffix
    if negative:
        neg_prefix, _, neg_suffix, _ = _split_affixes(negative, pattern)
    return _Pattern(prefix, suffix, neg_prefix, neg_suffix, whole.count("0"), fraction.count("0"),
                    len(fraction.replace(",", "")), group, scale)


def format_number(value: int | float, pattern: str) -> str:
    """``value`` written with the Java number ``pattern``."""
    spec = parse_pattern(pattern)
    if type(value) is float and (value != value or value in (float("inf"), float("-inf"))):
        return "NaN" if value != value else ("-" if value < 0 else "") + "∞"
    import decimal as _decimal  # on first use: not every run formats numbers

    exact = _decimal.Decimal(value)
    with _decimal.localcontext() as context:
        context.prec = 1000
        exact = exact.scaleb(spec.scale)
        rounded = exact.quantize(_decimal.Decimal(1).scaleb(-spec.max_fraction), rounding=_decimal.ROUND_HALF_EVEN)
    negative = exact < 0  # Java writes -0.001 with '0.00' as -0.00
    digits = format(abs(rounded), "f")
    whole, _, fraction = digits.partition(".")
    fraction = fraction.rstrip("0")
    fraction = fraction.ljust(spec.min_fraction, "0")
    whole = whole.lstrip("0")
    whole = whole.rjust(spec.min_integer, "0")
    if spec.group:
        groups = []
        while len(whole) > spec.group:
            groups.insert(0, whole[-spec.group:])
            whole = whole[:-spec.group]
        whole = ",".join([whole, *groups]) if whole else ",".join(groups)
    body = whole + ("." + fraction if fraction else "")
    if body == "":
        body = "0"
    if negative:
        return spec.negative_prefix + body + spec.negative_suffix
    return spec.prefix + body + spec.suffix
