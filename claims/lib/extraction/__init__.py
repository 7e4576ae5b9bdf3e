"""Candidate-claim extraction from live-updates text.

``extract`` turns the raw text of a live blog, wire copy or rolling report into the
check-worthy sentences a verification desk should look at: who said it, which numbers it
states (with what they count), how check-worthy it is, and where numbers about the same
thing disagree or are corrected. Pure Python, over pysbd's sentences; dateparser reads
live-blog times.

The stages live in their own modules: ``text`` (input checks, sentences, tokens, the time
budget), ``times`` (live-blog timestamps), ``segmenter`` (pysbd), ``speakers`` with
``speakerphrases``, ``speakerclauses`` and ``sourcekinds`` (who said it, and what kind of
source), ``quantities``, ``subjects`` (what a figure counts, subject keys), ``figures``
(figure keys, exactness, ranges, names), ``corrections`` (within a sentence), ``linking``
(across sentences), ``scoring``, ``claimtext`` and ``pipeline``, which puts them together;
``evaluation`` scores them on an annotated corpus. Each stage looks only a bounded way
around each figure or speech verb, so the cost is linear in the text; ``stress`` holds the
text that checks it.
"""

from claims.lib.extraction.figures import figure_name, figure_of
from claims.lib.extraction.pipeline import extract
from claims.lib.extraction.subjects import subject_key
from claims.lib.extraction.text import MAX_BYTES, ExtractionError, ExtractionTimeout

__all__ = [
    "ExtractionError",
    "ExtractionTimeout",
    "MAX_BYTES",
    "extract",
    "figure_name",
    "figure_of",
    "subject_key",
]
