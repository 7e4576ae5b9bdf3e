"""Text handling for extraction: input checks, normalisation, sentences and tokens.

Rejects input that is not usable text, cleans up what CMSs paste in, splits live-blog
text into sentences (dropping headings and boilerplate, keeping quotations whole) and
tokenises a sentence for the speaker and quantity finders.
"""

from __future__ import annotations

import re
import time
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from claims.lib.extraction.segmenter import segmenter
from claims.lib.extraction.times import leading_stamp, stamp_alone

MAX_BYTES = 2 * 1024 * 1024
# Share of non-space characters that may be control/replacement characters before the
# input is treated as binary rather than text.
MAX_CONTROL_RATIO = 0.3


class ExtractionError(ValueError):
    """The input cannot be treated as live-updates text."""


class ExtractionTimeout(ExtractionError):
    """The text needs more time than the caller gave extraction."""


class Deadline:
    """A time budget, checked between steps whose size is bounded (a line chunk, a sentence),
    so extraction stops within one step of running out."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._at = None if seconds is None else time.monotonic() + seconds

    def check(self) -> None:
        if self._at is not None and time.monotonic() >= self._at:
            raise ExtractionTimeout(
                f"the text needs more than {self.seconds:g} s to analyse; split it into "
                "smaller parts and ingest them one at a time"
            )


# --------------------------------------------------------------------------- input checks

# Invisible formatting characters pasted in from CMSs and social embeds; they break word
# boundaries without carrying meaning. ZWJ/ZWNJ stay: they matter in Persian and emoji.
_INVISIBLE = dict.fromkeys(
    map(
        ord, "\u00ad\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
    ),
    None,
)


def validate(text: object) -> None:
    """Reject input that is not usable text, with a message an editor can act on."""
    if not isinstance(text, str):
        raise ExtractionError(f"text must be a string, not {type(text).__name__}")
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ExtractionError(f"text is larger than the {MAX_BYTES // (1024 * 1024)} MB limit")
    if "\x00" in text:
        raise ExtractionError("text contains NUL bytes; it looks like a binary file")
    # Counted per distinct character: a category lookup for each of 2 MB is slow.
    counts = Counter(text.translate(_INVISIBLE))
    visible = sum(n for c, n in counts.items() if not c.isspace())
    if not visible:
        raise ExtractionError("text is empty")
    bad = sum(n for c, n in counts.items() if not c.isspace() and _is_binary_char(c))
    if bad / visible > MAX_CONTROL_RATIO:
        raise ExtractionError("text is mostly control or binary characters; it is not text")


def _is_binary_char(char: str) -> bool:
    return char == "\ufffd" or unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn")


# Control characters (category Cc, a fixed set) other than newline and tab.
_CONTROLS = dict.fromkeys((*range(0x20), *range(0x7F, 0xA0)), None)
del _CONTROLS[ord("\n")], _CONTROLS[ord("\t")]


def normalise(text: str) -> str:
    text = text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n")
    return text.translate(_CONTROLS)


# --------------------------------------------------------------------------- sentences

_BOILERPLATE = re.compile(
    r"^(?:read more|full coverage|more to follow|more soon|click here|watch|listen"
    r"|follow (?:us|our|live)|sign up|subscribe|advertisement|share this|see also|related"
    r"|refresh|this (?:page|blog|story) (?:will|is being)|we(?:'ll| will) (?:bring|have|update)"
    r"|live updates?\b|updated?\s*:?$|breaking\s*:?$|developing\s*:?$)",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?-i:[A-Z][A-Z.'’ -]{1,40}),?\s+(?:\w{3,9}\.?\s+\d{1,2}|\d{1,2}\s+\w{3,9})?\s*"
    r"(?:\([^()]{1,40}\))?\s*[-–—]+\s+(?=\S)"
)
_LIST_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[-*•–])\s+(?=[\"“A-Z])")
_TERMINAL = re.compile(r"[.!?…\"'”’)\]]\s*$")
_HEADING_MAX_WORDS = 15


def sentences(text: str, deadline: Deadline | None = None) -> Iterator[str]:
    """The text's sentences, without their live-blog timestamps."""
    for sentence, _ in entries(text, deadline):
        yield sentence


def entries(text: str, deadline: Deadline | None = None) -> Iterator[tuple[str, str | None]]:
    """Each sentence with the live-blog timestamp of the entry it is in, if there is one.

    Split per line first (live blogs put one post or paragraph per line), then pysbd. A
    timestamp opening a line, or standing on its own line, dates what follows it until
    the next one.
    """
    stamp = None
    for line in text.split("\n"):
        line = " ".join(line.split())
        alone = stamp_alone(line) if line else None
        if alone is not None:
            stamp = alone
            continue
        opening, line = leading_stamp(line)
        stamp = opening or stamp
        line = _LIST_MARKER.sub("", line, count=1)  # "3. She put the number ..."
        line = _DATELINE.sub("", line, count=1)  # "LIRENZA, May 28 (Meridian) - "
        if not line or _is_heading(line):
            continue
        parts = []
        for chunk in _chunks(line):
            if deadline is not None:
                deadline.check()
            parts.extend(_segment(chunk))
        for sentence in _merge_open_quotes(parts):
            if sentence and not _BOILERPLATE.match(sentence):
                yield sentence, stamp


# pysbd's time grows faster than what it is given (some of its passes rescan the whole text
# for each match), so long lines are cut at likely sentence ends first; pysbd still decides
# the actual boundaries inside each chunk.
_CHUNK_CHARS = 4000
_ROUGH_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘]?[A-Z0-9])")


def _chunks(line: str) -> list[str]:
    if len(line) <= _CHUNK_CHARS:
        return [line]
    chunks: list[str] = []
    current: list[str] = []  # the pieces of the chunk being built
    size = 0  # their length once joined with spaces
    for piece in _ROUGH_BOUNDARY.split(line):
        start = 0
        while len(piece) - start > _CHUNK_CHARS:  # no sentence end in sight: cut at a space
            cut = piece.rfind(" ", start, start + _CHUNK_CHARS) + 1 or start + _CHUNK_CHARS
            chunks.append(piece[start:cut])
            start = cut
        piece = piece[start:] if start else piece
        if current and size + len(piece) > _CHUNK_CHARS:
            chunks.append(" ".join(current))
            current, size = [], 0
        size += len(piece) + (1 if current else 0)
        current.append(piece)
    return [*chunks, " ".join(current)] if current else chunks


def _is_heading(line: str) -> bool:
    """Short lines without closing punctuation are headlines, timestamps or labels; a
    headline that states a figure ("Flood toll rises to 52") is read like a sentence."""
    if _TERMINAL.search(line) or len(line.split()) > _HEADING_MAX_WORDS:
        return False
    return not _HEADLINE_FIGURE.search(line)


_HEADLINE_FIGURE = re.compile(
    r"\b\d[\d,.]*\b(?![:.]\d)|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b",
    re.IGNORECASE,
)


# What pysbd's crashes raise (its regexes and indexing). Not Exception: a worker's time limit
# is raised wherever the task is, and must not be taken for a crash and carried on from.
_PYSBD_CRASHES = (IndexError, KeyError, ValueError, TypeError, AttributeError, re.error)


def _segment(line: str) -> list[str]:
    try:
        parts = segmenter().segment(line)
    except _PYSBD_CRASHES:  # pysbd has known crash inputs; a naive split still yields sentences
        parts = re.split(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])", line)
    return [p.strip() for p in parts if p.strip()]


QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
QUOTE_MARKS = ('"', "“", "”")

# A stray quote mark must not glue the rest of a long paragraph into one "sentence".
_MAX_QUOTE_CHARS = 1500


def _merge_open_quotes(parts: list[str]) -> list[str]:
    """Keep a multi-sentence quotation and its attribution together as one statement.

    A statement's quote is open while it has an odd number of straight quotes or more
    opening than closing curly ones; the counts are kept as parts join, not recounted.
    """
    merged: list[list[str]] = []
    length = straight = opening = closing = 0
    for part in parts:
        quote_open = straight % 2 == 1 or opening > closing
        if merged and quote_open and length < _MAX_QUOTE_CHARS:
            merged[-1].append(part)
            length += 1 + len(part)
        else:
            merged.append([part])
            length = len(part)
            straight = opening = closing = 0
        straight += part.count('"')
        opening += part.count("“")
        closing += part.count("”")
    return [" ".join(statement) for statement in merged]


# --------------------------------------------------------------------------- tokens

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_][\w'’-]*|\d+(?:[.,]\d+)*|\S")


@dataclass
class Tok:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper()

    @property
    def base(self) -> str:
        """Lowercase word without a possessive ending."""
        return re.sub(r"['’]s?$", "", self.lower)


def iter_tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[Tok]:
    """The tokens of ``text[start:end]``, at their offsets in ``text``, as they are read."""
    end = len(text) if end is None else end
    return (Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end))


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Tok]:
    return list(iter_tokens(text, start, end))


class TokenIndex:
    """A sentence's tokens, read once and only as far as they are asked for, for the many
    look-backs its figures and speech verbs make.

    Reading ``tokens(sentence[:end])`` afresh for every figure is what made extraction
    quadratic in the length of a sentence.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._reader = _TOKEN.finditer(text)
        self._toks: list[Tok] = []
        self._starts: list[int] = []
        self._ends: list[int] = []

    def _read_to(self, position: int) -> None:
        """Read on until a token starts at or after ``position``, or the text ends."""
        while not self._starts or self._starts[-1] < position:
            m = next(self._reader, None)
            if m is None:
                return
            self._toks.append(Tok(m.group(), m.start(), m.end()))
            self._starts.append(m.start())
            self._ends.append(m.end())

    @property
    def toks(self) -> list[Tok]:
        self._read_to(len(self.text) + 1)
        return self._toks

    def position(self, start: int) -> int | None:
        """The index of the token that starts at ``start``, if one does."""
        self._read_to(start)
        i = bisect_left(self._starts, start)
        return i if i < len(self._toks) and self._starts[i] == start else None

    def before(self, end: int) -> Iterator[Tok]:
        """The tokens of ``text[:end]``, last first, exactly as ``tokens(text[:end])``."""
        self._read_to(end)
        n = bisect_right(self._ends, end)  # tokens that end by ``end`` tokenise alike
        if n < len(self._toks) and self._toks[n].start < end:  # the token ``end`` cuts
            yield from reversed(tokens(self.text, self._toks[n].start, end))
        for i in range(n - 1, -1, -1):
            yield self._toks[i]

    def within(self, start: int, end: int) -> list[Tok]:
        """The tokens lying wholly inside ``text[start:end]``."""
        self._read_to(end)
        return self._toks[bisect_left(self._starts, start) : bisect_right(self._ends, end)]


# How far before or after a figure (or a speech verb) the patterns look: the longest of them
# spans a few ordinary words, and a bounded look keeps each figure's cost constant.
WINDOW = 300


def text_before(text: str, end: int, size: int = WINDOW) -> str:
    return text[max(0, end - size) : end]


def text_after(text: str, start: int) -> str:
    return text[start : start + WINDOW]
