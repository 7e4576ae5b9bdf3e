"""Text that drives extraction to its worst cases, for the benchmark and the bounds test.

Each block is one long line of a pattern that once made some stage quadratic: a sentence of
nothing but numbers, number words, lists, quotes and speech verbs with no speaker, unclosed
quotes, abbreviations and numbered points that pysbd rescans its text for, filler words
before figures, the same subject given thousands of different values, and thousands of
subjects each given a value once.
"""

from __future__ import annotations

from itertools import count, cycle

from claims.lib.extraction.text import MAX_BYTES

BLOCK_BYTES = 64 * 1024
_PATTERNS = (
    "1 ",
    "one ",
    "1, ",
    '"57," said Ali Khan, not 63, up from 22 to 18 people killed ',
    "it said ",
    "“a ",
    "no. U.S. e.g. Mr. ",
    "1. ",
    "at is was the of 5 ",
)


def _repeated(pattern: str, size: int) -> str:
    return (pattern * (size // len(pattern.encode()) + 1)).encode()[:size].decode("utf-8", "ignore")


def _distinct_figures(size: int, values: count) -> str:
    lines, used = [], 0
    while True:
        line = f"Officials said {next(values)} people were killed."
        if used + len(line) + 1 > size:
            return "\n".join(lines)
        lines.append(line)
        used += len(line) + 1


def _name(n: int) -> str:
    """A made-up word for each number: "baaa", "caaa", …, so every subject is new."""
    letters = []
    for _ in range(4):
        n, r = divmod(n, 26)
        letters.append(chr(97 + r))
    return "".join(letters)


def _distinct_subjects(size: int, values: count) -> str:
    lines, used = [], 0
    while True:
        n = next(values)
        line = f"Officials now said {n} {_name(n)} {_name(n + 7)}s were counted."
        if used + len(line) + 1 > size:
            return "\n".join(lines)
        lines.append(line)
        used += len(line) + 1


def adversarial_text(size: int = MAX_BYTES) -> str:
    """At most ``size`` bytes of UTF-8, in blocks of each pattern in turn."""
    blocks, used, values = [], 0, count(1)
    for pattern in cycle((*_PATTERNS, None, "")):
        room = min(BLOCK_BYTES, size - used) - 1  # each block ends its line
        if room <= 0:
            break
        if pattern is None:
            block = _distinct_figures(room, values)
        elif not pattern:
            block = _distinct_subjects(room, values)
        else:
            block = _repeated(pattern, room)
        blocks.append(block)
        used += len(block.encode()) + 1
    return "\n".join(blocks)
