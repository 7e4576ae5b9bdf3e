"""Text handling for extraction: input checks, normalisation, sentences and tokens.

Rejects input that is not usable text, cleans up what CMSs paste in, splits live-blog
text into sentences (dropping headings and boilerplate, keeping quotations whole) and
tokenises a sentence for the speaker and quantity finders.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pysbd

MAX_BYTES = 2 * 1024 * 1024
# Share of non-space characters that may be control/replacement characters before the
# input is treated as binary rather than text.
MAX_CONTROL_RATIO = 0.3


class ExtractionError(ValueError):
    """The input cannot be treated as live-updates text."""


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
    visible = [c for c in text.translate(_INVISIBLE) if not c.isspace()]
    if not visible:
        raise ExtractionError("text is empty")
    bad = sum(1 for c in visible if _is_binary_char(c))
    if bad / len(visible) > MAX_CONTROL_RATIO:
        raise ExtractionError("text is mostly control or binary characters; it is not text")


def _is_binary_char(char: str) -> bool:
    return char == "\ufffd" or unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn")


def normalise(text: str) -> str:
    text = text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n")
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


# --------------------------------------------------------------------------- sentences

_BOILERPLATE = re.compile(
    r"^(?:read more|full coverage|more to follow|more soon|click here|watch|listen"
    r"|follow (?:us|our|live)|sign up|subscribe|advertisement|share this|see also|related"
    r"|refresh|this (?:page|blog|story) (?:will|is being)|we(?:'ll| will) (?:bring|have|update)"
    r"|live updates?\b|updated?\s*:|breaking\s*:?$|developing\s*:?$)",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?…\"'”’)\]]\s*$")
_HEADING_MAX_WORDS = 15


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def sentences(text: str) -> list[str]:
    """Split per line first (live blogs put one post or paragraph per line), then pysbd."""
    out: list[str] = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if not line or _is_heading(line):
            continue
        parts = [p for chunk in _chunks(line) for p in _segment(chunk)]
        for sentence in _merge_open_quotes(parts):
            if sentence and not _BOILERPLATE.match(sentence):
                out.append(sentence)
    return out


# pysbd slows down sharply on very long paragraphs, so long lines are cut at likely
# sentence ends first; pysbd still decides the actual boundaries inside each chunk.
_CHUNK_CHARS = 4000
_ROUGH_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘]?[A-Z0-9])")


def _chunks(line: str) -> list[str]:
    if len(line) <= _CHUNK_CHARS:
        return [line]
    chunks, current = [], ""
    for piece in _ROUGH_BOUNDARY.split(line):
        while len(piece) > _CHUNK_CHARS:  # no sentence end in sight: cut at a space
            cut = piece.rfind(" ", 0, _CHUNK_CHARS) + 1 or _CHUNK_CHARS
            chunks.append(piece[:cut])
            piece = piece[cut:]
        if current and len(current) + len(piece) > _CHUNK_CHARS:
            chunks.append(current)
            current = ""
        current = f"{current} {piece}" if current else piece
    return [*chunks, current] if current else chunks


def _is_heading(line: str) -> bool:
    """Short lines without closing punctuation are headlines, timestamps or labels."""
    return not _TERMINAL.search(line) and len(line.split()) <= _HEADING_MAX_WORDS


def _segment(line: str) -> list[str]:
    try:
        parts = _segmenter().segment(line)
    except Exception:  # pysbd has known crash inputs; a naive split still yields sentences
        parts = re.split(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])", line)
    return [p.strip() for p in parts if p.strip()]


QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")


def _quote_open(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


# A stray quote mark must not glue the rest of a long paragraph into one "sentence".
_MAX_QUOTE_CHARS = 1500


def _merge_open_quotes(parts: list[str]) -> list[str]:
    """Keep a multi-sentence quotation and its attribution together as one statement."""
    merged: list[str] = []
    for part in parts:
        if merged and _quote_open(merged[-1]) and len(merged[-1]) < _MAX_QUOTE_CHARS:
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


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


def tokens(text: str) -> list[Tok]:
    return [Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
