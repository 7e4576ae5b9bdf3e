"""Who said it: every attribution in a sentence, and carrying them across sentences.

``find_speakers`` reads each speech verb ("said", "told", "according to", "put the toll
at") and the speaker phrase next to it, looking only a bounded number of tokens either
side. ``SpeakerContext`` resolves pronouns ("he", "it") and role references ("the
minister", "the ministry") to the last compatible named person or organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.lib.extraction.sourcekinds import (
    ANONYMOUS,
    ORGANISATION,
    PERSON,
    PERSON_ROLES,
    guess_kind,
    is_keyword,
    is_plural_people,
)
from claims.lib.extraction.speakerclauses import (
    coordinated,
    reports,
    source_of_report,
    subject,
)
from claims.lib.extraction.speakerphrases import (
    ORG_HEAD_KINDS,
    PERSON_HEADS,
    Speaker,
    inside,
    phrase_after,
    phrase_before,
    phrase_before_quote,
)
from claims.lib.extraction.text import QUOTED, TokenIndex

# The verbs that attribute what follows or precedes them (claim text strips them too).
SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|announced|announces|stated|states|claimed|claims"
    "|reported|reports|continued|acknowledged|acknowledges|believe|believes|reiterated"
    "|confirmed|confirms|denied|denies|warned|warns|insisted|insists|noted|notes|explained"
    "|declared|tweeted|wrote|writes|posted|argued|argues|alleged|alleges|estimated"
    "|estimates|suggested|chanted|testified|admitted|admits|disclosed|revealed|asserted"
    "|accused|accuses|blamed|blames|conceded|concedes|predicted|stressed|cautioned"
    "|informed|informs|restated|restates|urged|urges|appealed|rejected|rejects|dismissed"
    "|walked back|called on|called for|calls on|calls for|specified|clarified|indicated"
    "|ruled out|rules out|rule out|exclude|excludes|excluded"
)
# Verbs that attribute a figure only when one follows: "the ministry revised the toll to 31".
_FIGURE_VERBS = (
    "revised|revises|raised|raises|lowered|lowers|updated|updates|corrected|corrects"
    "|put|puts|gave|gives|cut|cuts|amended|amends|recorded|records|counted|counts"
    "|registered|listed|lists|issued|published|released|given|increased|increases"
    "|decreased|reduced|reduces|scaled|expanded|widened|narrowed|adjusted|held|holds"
    "|brought|downgraded|upgraded"
)
# Case-sensitive on purpose: "States" in "United States" is not a speech verb.
_SPEECH_RE = re.compile(
    rf"\b(?:(?P<speech>{SPEECH_VERBS})|(?P<figure>{_FIGURE_VERBS}))\b"
    r"|\b(?P<acc>[Aa]ccording to|citing)\b|(?<=, )(?P<part>saying|adding)\b"
)
_PASSIVE = frozenset("been was were is are be being".split())
_FIGURE_AFTER = re.compile(
    r"\W*(?:\S+\s+){0,8}?\W*(?:\d|toll\b|tally\b|figure\b|number\b|count\b|estimate\b)"
)


def find_speaker(sentence: str) -> Speaker | None:
    """The first attribution in the sentence, in reading order."""
    found = find_speakers(sentence)
    return found[0] if found else None


def find_speakers(sentence: str) -> list[Speaker]:
    """Every attribution in the sentence, in reading order, each speaker once per verb."""
    index = TokenIndex(sentence)
    quoted = [m.span() for m in QUOTED.finditer(sentence)]
    found: list[Speaker] = []
    for cue in _SPEECH_RE.finditer(sentence):
        if inside(quoted, cue.start()):
            continue  # "as the Secretary has said" inside a quote is not the attribution
        idx = index.position(cue.start())
        if idx is None:
            continue
        if cue.group("part") or coordinated(index.toks, idx):
            # "..., saying", "... and said": the verb shares the sentence's subject
            said = None if any(f.start < cue.start() for f in found) else subject(index)
        else:
            said = _speaker_of(index, cue, idx)
            if said is not None and not reports(index, said, cue, idx):
                said = None
        for speaker in (said, source_of_report(index, cue, idx)):
            if speaker is not None and all(s.start != speaker.start for s in found):
                found.append(speaker)
    found.sort(key=lambda s: s.start)
    return _drop_generic_openers(sentence, found)


def _speaker_of(index: TokenIndex, cue: re.Match, idx: int) -> Speaker | None:
    sentence, toks = index.text, index.toks
    if cue.group("acc"):
        return phrase_after(sentence, toks, idx + (1 if cue.group("acc") == "citing" else 2))
    if cue.group("figure") and not _FIGURE_AFTER.match(sentence, cue.end(), cue.end() + 80):
        return None
    prev = toks[idx - 1].text if idx > 0 else ""
    after = toks[idx + 1].lower if idx + 1 < len(toks) else ""
    if prev.lower() in _PASSIVE:  # "was amended by the ministry"; "had been reported"
        return phrase_after(sentence, toks, idx + 2) if after == "by" else None
    if prev.endswith(("'s", "’s")) or (cue.group() == "continued" and after == "to"):
        return None  # "the union's claims", "rain continued to fall"
    if cue.group("figure"):
        return phrase_before(sentence, toks, idx)
    if prev in '"”’:' and prev:
        return phrase_after(sentence, toks, idx + 1) or phrase_before_quote(index, cue.start())
    found = phrase_before_quote(index, cue.start()) or phrase_before(sentence, toks, idx)
    if found is None and prev == ",":
        found = phrase_after(sentence, toks, idx + 1)
    return found


def _drop_generic_openers(sentence: str, found: list[Speaker]) -> list[Speaker]:
    """ "Engineers have confirmed cracks in the dam, chief engineer Lena Varga said": a
    plural common noun opening the sentence is part of what a later, named speaker says."""
    if len(found) < 2 or found[0].start != _first_word_start(sentence) or found[0].text is None:
        return found
    opener = found[0].text
    if " " in opener or not is_plural_people(opener):
        return found
    named = any(s.text and guess_kind(s.text) == PERSON and s.text[-1:] != "s" for s in found[1:])
    return found[1:] if named else found


def _first_word_start(sentence: str) -> int:
    m = re.search(r"\w", sentence)
    return m.start() if m else 0


# --------------------------------------------------------------------------- resolution

_MEMORY = 32  # named people and organisations remembered for pronouns and titles
_NAMED_KINDS = frozenset(("government", "organisation", "agency", "outlet"))
# A named person or body opening a sentence that attributes nothing ("The Red Cross
# opened a shelter."), remembered for a later "it" or "the minister".
_OPENING_NAME = re.compile(
    r"(?:\d+\.\s+|[A-Z][a-z]+:\s+)?(?:The\s+)?(?!The\s)(?P<name>(?:[A-Z][\w'’.-]*\s+){1,6}?[A-Z][\w'’.-]*)\s+(?:has\s+|have\s+)?[a-z]"
)


@dataclass
class _Entity:
    name: str
    kind: str
    words: set[str]


class SpeakerContext:
    """Carries attribution across sentences: "he added", "the ministry said", and
    follow-on quote paragraphs."""

    def __init__(self) -> None:
        self.entities: list[_Entity] = []  # most recent last
        self.previous: list[dict] = []
        self.previous_quoted = False
        # Titles with nothing before them to refer to, waiting a sentence or two for a
        # name: "The prime minister said 104." above "Prime Minister Nadia Farouk told".
        self.pending: list[tuple[dict, str, int]] = []
        self.waiting: list[tuple[dict, str, int]] = []  # this sentence's
        self.spans: list[tuple[int, int]] = []  # the last sentence's attributions, where

    @property
    def last_person(self) -> str | None:
        person = self._last(lambda e: e.kind == PERSON)
        return person.name if person else None

    def resolve(self, sentence: str, found: Speaker | None) -> str | None:
        """The resolved speaker of one attribution: a name, or the phrase as written."""
        resolved = self.resolve_all(sentence, [found] if found is not None else [])
        if not resolved:
            return None
        return resolved[0]["speaker"]

    def resolve_all(self, sentence: str, found: list[Speaker]) -> list[dict]:
        """One ``{"speaker", "kind", "via"}`` per attribution that names someone, in
        reading order; ``via`` holds the pronoun or role words when the speaker was
        resolved from them. Unresolved pronouns are left out."""
        known = len(self.entities)
        self._remember_opening(sentence)
        out = []
        self.spans = []  # where in the sentence each attribution is named
        for speaker in found:
            attribution = self._resolve_one(speaker)
            if attribution is not None and all(
                a["speaker"] != attribution["speaker"] for a in out
            ):  # "Marivel Lines has cut the number ... it says": one attribution
                out.append(attribution)
                self.spans.append((speaker.start, speaker.end))
        if not found and sentence[:1] in '"“' and self.previous_quoted and self.previous:
            out = [{**self.previous[0], "via": None}]  # a quote paragraph continuing
            self.spans = [(0, 0)]
        self.previous, self.previous_quoted = out, bool(QUOTED.search(sentence))
        self._fill_pending(self.entities[known:] if known < len(self.entities) else [])
        self.pending, self.waiting = self.pending + self.waiting, []
        return out

    def _fill_pending(self, fresh: list[_Entity]) -> None:
        waiting = []
        for attribution, title, left in self.pending:
            entity = next((e for e in fresh if self._fits(title)(e)), None)
            if entity is not None:
                attribution.update(speaker=entity.name, kind=entity.kind, via=title)
            elif left > 1:
                waiting.append((attribution, title, left - 1))
        self.pending = waiting

    def _resolve_one(self, speaker: Speaker) -> dict | None:
        if speaker.pronoun:
            entity = self._antecedent(speaker.pronoun)
            if entity is None:
                return None
            self._touch(entity)
            return {"speaker": entity.name, "kind": entity.kind, "via": speaker.pronoun}
        text = speaker.text or ""
        if speaker.anonymous:
            return {"speaker": text, "kind": ANONYMOUS, "via": None}
        if speaker.owner:  # "her office": the office of the person last named
            entity = self._last(lambda e: e.kind == PERSON)
            if entity is not None:
                text = f"{entity.name}'s {text}"
                return {"speaker": text, "kind": guess_kind(text), "via": speaker.owner}
        if speaker.title:
            entity = self._last(self._fits(speaker.title))
            if entity is not None:
                self._touch(entity)
                return {"speaker": entity.name, "kind": entity.kind, "via": speaker.title}
            said = {"speaker": text, "kind": guess_kind(text), "via": None}  # as written
            self.waiting.append((said, speaker.title, 2))
            if speaker.title.split()[-1] not in PERSON_HEADS:
                self._remember(text, said["kind"])  # "the district health office"
            return said
        name = name_part(text)
        kind = guess_kind(text)
        if name != text and guess_kind(name) == ORGANISATION:
            kind = ORGANISATION  # "the state rail operator RailNord" is a company
        alias = self._alias(name, kind)
        if alias is not None:  # "Adhikari" after "district police chief Ramesh Adhikari"
            self._touch(alias)
            return {"speaker": alias.name, "kind": alias.kind, "via": None}
        same = self._last(lambda e: e.name.lower() == name.lower())
        kind = same.kind if same is not None else kind  # "RailNord" said again
        self._remember(name, kind, text)
        return {"speaker": name, "kind": kind, "via": None}

    def _alias(self, text: str, kind: str) -> _Entity | None:
        """ "Adhikari" for "Ramesh Adhikari", "Estrella" for "Estrella Energy", "RFS" for
        "Rural Fire Service"."""
        if " " in text:
            return None
        word = text.lower()
        acronym = len(text) > 1 and text.isupper() and text.isalpha()

        def fits(entity: _Entity) -> bool:
            names = entity.name.lower().split()
            if acronym and entity.kind != PERSON:
                return _initials(entity.name) == text
            return len(names) > 1 and word in (names[-1] if entity.kind == PERSON else names[0],)

        return self._last(fits)

    def _antecedent(self, pronoun: str) -> _Entity | None:
        if pronoun in ("he", "she"):
            return self._last(lambda e: e.kind == PERSON)
        if pronoun == "it":
            return self._last(lambda e: e.kind in _NAMED_KINDS)
        return self._last(lambda e: e.kind != PERSON or e.name.endswith("s"))

    @staticmethod
    def _fits(title: str):
        """Whether a remembered name is what a title ("the health office") refers to."""
        words = title.split()[1:]
        head, qualifiers = words[-1], words[:-1]
        kinds = ORG_HEAD_KINDS.get(head)

        def fits(entity: _Entity) -> bool:
            if not all(q in entity.words for q in qualifiers):
                return False
            if head in PERSON_HEADS:
                return entity.kind == PERSON and head in entity.words
            if entity.kind == PERSON:
                return False  # "the police" is not "Police spokeswoman Clara Menzies"
            return head in entity.words or (kinds is not None and entity.kind in kinds)

        return fits

    def _last(self, fits) -> _Entity | None:
        for entity in reversed(self.entities):
            if fits(entity):
                return entity
        return None

    def _remember(self, name: str, kind: str, phrase: str | None = None) -> None:
        if kind not in _NAMED_KINDS and kind != PERSON:
            return
        words = set(_words(phrase or name))
        for entity in self.entities:
            if entity.name.lower() == name.lower():
                entity.words |= words
                self._touch(entity)
                return
        self.entities.append(_Entity(name, kind, words))
        del self.entities[:-_MEMORY]

    def _touch(self, entity: _Entity) -> None:
        self.entities.remove(entity)
        self.entities.append(entity)

    def _remember_opening(self, sentence: str) -> None:
        m = _OPENING_NAME.match(sentence, 0, 200)
        if m:
            phrase = m.group("name")
            kind = guess_kind(phrase)
            titled = PERSON_HEADS.intersection(_words(phrase))
            if kind in _NAMED_KINDS or (kind == PERSON and titled):
                if self._alias(phrase, kind) is None:
                    self._remember(name_part(phrase), kind, phrase)


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _words(name: str) -> list[str]:
    return [re.sub(r"['’]s$", "", w) for w in name.lower().split()]


_ORG_ROLES = frozenset("operator utility union airline company firm group charity".split())
_NAME_ROLES = PERSON_ROLES | _ORG_ROLES | {"broadcaster"}
_NAME_WORD = re.compile(r"(?:[A-Z][\w'’.-]*|al-\w+|el-\w+|de|van|von|bin)$")
_LINK_WORDS = frozenset("of in at from".split())


def name_part(phrase: str) -> str:
    """Names over roles: "district police chief Ramesh Adhikari" is "Ramesh Adhikari",
    "operator RailNord" is "RailNord"; other phrases stay as they are."""
    tokens = phrase.split()
    for k, token in enumerate(tokens[1:], 1):
        before = tokens[k - 1]
        if token in _LINK_WORDS and _NAME_WORD.match(before) and before.lower() not in _NAME_ROLES:
            if guess_kind(" ".join(tokens[:k])) == PERSON:
                tokens = tokens[:k]  # "Governor Tomas Reyes of Isabela Norte province"
            break
    roles = [i for i, t in enumerate(tokens) if re.sub(r"['’]s$", "", t.lower()) in _NAME_ROLES]
    if roles and roles[-1] < len(tokens) - 1:
        rest = tokens[roles[-1] + 1 :]
        kind = guess_kind(" ".join(rest))
        named = all(_NAME_WORD.match(t) for t in rest) and not is_keyword(rest[-1])
        by_role = ORGANISATION if tokens[roles[-1]].lower() in _ORG_ROLES else PERSON
        if named and kind in (PERSON, by_role, guess_kind(phrase)):
            tokens = rest  # "the state rail operator RailNord": RailNord
    while len(tokens) > 1 and tokens[0].rstrip(".").lower() in _HONORIFICS:
        tokens = tokens[1:]
    return " ".join(tokens)


_HONORIFICS = frozenset("mr mrs ms dr prof".split())
