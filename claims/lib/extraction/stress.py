"""Text that drives extraction to its worst cases, for the benchmark and the bounds test.

Each block is one long line of a pattern that once made some stage quadratic: a sentence of
nothing but numbers, number words, lists, quotes and speech verbs with no speaker, unclosed
quotes, abbreviations and numbered points that pysbd rescans its text for, filler words
before figures, and the same subject given thousands of different values.
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


def adversarial_text(size: int = MAX_BYTES) -> str:
    """At most ``size`` bytes of UTF-8, in blocks of each pattern in turn."""
    blocks, used, values = [], 0, count(1)
    for pattern in cycle((*_PATTERNS, None)):
        room = min(BLOCK_BYTES, size - used) - 1  # each block ends its line
        if room <= 0:
            break
        block = _repeated(pattern, room) if pattern else _distinct_figures(room, values)
        blocks.append(block)
        used += len(block.encode()) + 1
    return "\n".join(blocks)
