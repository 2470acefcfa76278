"""The work of loop_heavy.dg (and loop_heavy_compat.dg), hand-written in plain Python.

Idiomatic but not clever: the same loops, the same Map/List operations, the same
text building, so the ratio to deluge-lite measures the cost of Deluge semantics.
"""

from __future__ import annotations

from typing import Any


def _numbers() -> tuple[list[str], list[int]]:
    digits = "0,1,2,3,4,5,6,7,8,9".split(",")
    hundred = []
    for a in digits:
        for b in digits:
            hundred.append(int(a) * 10 + int(b))
    return digits, hundred


def run() -> tuple[list[str], str]:
    """loop_heavy.dg: returns (info lines, return value)."""
    digits, hundred = _numbers()
    counts: dict[str, int] = {}
    samples: list[str] = []
    total = 0
    odd = 0
    longest = ""
    for i in hundred:
        for j in hundred:
            row = "r"
            for d in digits:
                n = i * 1000 + j * 10 + int(d)
                if n % 3 == 0:
                    total = total + n
                elif n % 3 == 1:
                    total = total - j
                else:
                    odd = odd + 1
                key = "k" + str(n % 97)
                seen = counts.get(key)
                if seen is None:
                    counts[key] = 1
                else:
                    counts[key] = seen + 1
                row = row + d
            if len(row) > len(longest):
                longest = row
            if j % 25 == 0:
                samples.append(f"{row}:{total}")
    info = [
        f"total={total} odd={odd} keys={len(counts)} samples={len(samples)}",
        f"k0={counts.get('k0')} k96={counts.get('k96')} longest={longest}",
        f"last sample={samples[-1]}",
    ]
    value = f"total={total};odd={odd};keys={len(counts)};samples={len(samples)};k0={counts.get('k0')}"
    return info, value


def run_compat() -> list[Any]:
    """loop_heavy_compat.dg: returns its result List."""
    digits, hundred = _numbers()
    counts: dict[int, int] = {}
    samples: list[int] = []
    total = 0
    odd = 0
    longest = ""
    for i in hundred:
        for j in hundred:
            row = "r"
            for d in digits:
                n = i * 1000 + j * 10 + int(d)
                if n % 3 == 0:
                    total = total + n
                elif n % 3 == 1:
                    total = total - j
                else:
                    odd = odd + 1
                key = n % 97
                seen = counts.get(key)
                if seen is None:
                    counts[key] = 1
                else:
                    counts[key] = seen + 1
                row = row + d
            if row != longest:
                longest = row
            if j % 25 == 0:
                samples.append(total)
    return [total, odd, len(counts), len(samples), counts.get(0), samples[-1], longest]


if __name__ == "__main__":
    lines, result = run()
    print("\n".join(lines))
    print(result)
    print(run_compat())
