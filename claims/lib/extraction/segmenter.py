"""pysbd, the sentence splitter, with two of its passes made linear in the sentences of the
text it is given. Both give exactly the result of the original; on a 4,000-character chunk
of abbreviations or numbered points they are the difference between 200 ms and 20 ms.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd
from pysbd.lang.english import English
from pysbd.utils import TextSpan


class _AbbreviationReplacer(English.AbbreviationReplacer):
    """pysbd rewrites the whole text once per occurrence of each abbreviation ("no", "st",
    "p" begin many words), but every rewrite after the first for the same abbreviation is
    the same one again and changes nothing: each rewrite only turns periods into markers,
    which can give no rewrite a new match. So each is applied once per text."""

    def search_for_abbreviations_in_string(self, text: str) -> str:
        self._applied: set[tuple[str, str]] = set()
        return super().search_for_abbreviations_in_string(text)

    def scan_for_replacements(self, txt: str, am: str, ind: int, char_array: list) -> str:
        key = (am.strip(), str(char_array[ind]) if ind < len(char_array) else "")
        if key in self._applied:
            return txt
        self._applied.add(key)
        return super().scan_for_replacements(txt, am, ind, char_array)


class _English(English):
    AbbreviationReplacer = _AbbreviationReplacer


class _Segmenter(pysbd.Segmenter):
    """pysbd finds each sentence again in the text by scanning from the start every time,
    quadratic in the sentences of a chunk ("1. 1. 1. …"). This walks the same matches in
    the same order, but resumes each distinct sentence's scan where it last stopped: the
    result is identical because the position it must pass only ever grows.
    """

    def __init__(self) -> None:
        super().__init__(language="en", clean=False)
        self.language_module = _English

    def sentences_with_char_spans(self, sentences: list[str]) -> list[TextSpan]:
        spans, prior_end, scans = [], 0, {}
        for sent in sentences:
            if sent not in scans:
                scans[sent] = [re.finditer(rf"{re.escape(sent)}\s*", self.original_text), None]
            scan = scans[sent]
            match = scan[1]
            while match is None or match.end() <= prior_end:
                match = next(scan[0], None)
                if match is None:
                    break
            scan[1] = match
            if match is not None:
                spans.append(TextSpan(match.group(), *match.span()))
                prior_end = match.end()
        return spans


@lru_cache(maxsize=1)
def segmenter() -> pysbd.Segmenter:
    return _Segmenter()
