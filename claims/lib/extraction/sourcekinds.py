"""What kind of source a speaker phrase names, guessed from its words.

The kinds are ``sources.models.SourceKind`` values, spelled out here because ``lib`` does
not import app code: person, government, organisation, agency (news agencies), outlet
(newspapers, broadcasters), document and anonymous (unnamed officials and sources).
"""

from __future__ import annotations

import re

PERSON = "person"
GOVERNMENT = "government"
ORGANISATION = "organisation"
AGENCY = "agency"
OUTLET = "outlet"
DOCUMENT = "document"
ANONYMOUS = "anonymous"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# News agencies, by name (lowercase, as whole phrases or their last words).
_AGENCY_NAMES = _words(
    """reuters afp ap dpa efe ansa kyodo yonhap xinhua tass interfax ria irna isna fars
    tasnim anadolu bernama pti ani wafa sana mena antara apa bloomberg ukrinform"""
) | {
    "associated press", "agence france-presse", "agence france presse", "press association",
    "press trust of india", "news agency", "press agency", "wire service",
}  # fmt: skip
_OUTLET_WORDS = _words(
    """newspaper newspapers paper daily tabloid broadcaster broadcasters television tv
    radio channel network magazine website outlet outlets media times post guardian
    telegraph herald tribune journal gazette independent observer chronicle mirror
    express bbc cnn msnbc nbc abc cbs npr pbs itv cbc nhk rte sky fox jazeera politico
    axios monde spiegel figaro haaretz mee"""
)
_DOCUMENT_WORDS = _words(
    """report reports statement statements study survey data figures bulletin communique
    memo filing assessment release document documents records census audit review
    indictment tally count estimate estimates update notice letter tweet"""
)
_GOVERNMENT_WORDS = _words(
    """ministry ministries department departments police army military government
    governments cabinet presidency council councils authorities authority coastguard
    navy gendarmerie parliament senate congress pentagon kremlin administration
    municipality governorate regulator commission prosecutors prosecutor's embassy
    forces guard troops brigade constabulary interior state ministry's police's army's
    government's council's office inspectorate bureau directorate watchdog treasury
    defence defense"""
) | {
    "white house", "state department", "home office", "foreign office", "downing street",
    "fire service", "civil defence", "civil defense", "civil protection",
    "emergency services", "health service", "city hall", "national guard", "air force",
    "armed forces", "met office", "coast guard", "central bank",
}  # fmt: skip
_ORGANISATION_WORDS = _words(
    """company companies firm firms corporation corp inc ltd plc group groups charity
    charities ngo union unions association federation foundation institute university
    hospital hospitals airline airlines operator utility bank party club cross crescent
    oxfam unicef unhcr msf amnesty who ocha wfp un nato org organisation organization
    society alliance network centre center coalition league trust fund board water
    power energy rail railways airways motors electric telecom air lines freight works
    roadworks logistics shipping mining construction holdings industries systems oil gas
    petroleum chemicals insurance partners international guild campaign cooperative"""
) | {"doctors without borders", "save the children", "human rights watch"}
_AGENCY_WORDS = _words("agency agencies service")
# Role words that make a phrase a person ("Red Cross spokeswoman Maria Lopez", "the mayor").
PERSON_ROLES = _words(
    """minister president premier chancellor mayor governor spokesman spokeswoman
    spokesperson secretary director chief head commander general colonel captain
    inspector superintendent detective sheriff coroner chairman chairwoman chair
    ambassador envoy senator lawmaker representative prosecutor judge engineer doctor
    professor scientist researcher economist lawyer attorney witness eyewitness resident
    survivor manager officer leader adviser advisor king queen prince pope leader mp
    councillor councilor nurse teacher farmer pilot driver owner founder ceo analyst
    expert worker official source diplomat commissioner investigator constable sergeant
    lieutenant marshal warden administrator"""
)
_PLURAL_PEOPLE = _words(
    """residents witnesses eyewitnesses survivors relatives neighbours neighbors
    protesters activists campaigners doctors medics nurses rescuers engineers workers
    villagers farmers families experts analysts scientists researchers teachers
    passengers students people locals investigators firefighters officers inspectors
    lawyers parents pilots crew divers soldiers troops police officers"""
)
_ANONYMOUS_HEADS = _words(
    "official officials source sources diplomat diplomats insider insiders person people"
)
_ANONYMOUS_MARKERS = re.compile(
    r"\b(?:anonymity|anonymous|unnamed|not (?:to )?(?:be )?(?:named|identified)|familiar with"
    r"|declined to be (?:named|identified)|not authori[sz]ed)\b",
    re.IGNORECASE,
)
_NUMBERS = frozenset("one two three four five six seven eight nine ten several".split())
_NAME = re.compile(r"(?=[^\W\d_])(?=\w[^\W\d_A-Z])[^\W\d_]+(?:[-'’][^\W\d_]+)*$")


def guess_kind(name: str) -> str:
    """The source kind of a speaker phrase: "Interior Ministry" is government, "Reuters" an
    agency, "two security sources" anonymous, "Health Minister Amara Osei" a person."""
    text = " ".join(name.replace("’", "'").split())
    lower = text.lower()
    words = lower.split()
    if not words:
        return PERSON
    if _ANONYMOUS_MARKERS.search(text):
        return ANONYMOUS
    if _has_phrase(lower, _ORGANISATION_WORDS) or "international" in words:
        return ORGANISATION
    public = _public_body(text.split(), words)
    if public is not None:
        return public
    if _named_person(text.split()):
        return PERSON
    if _has_phrase(lower, _GOVERNMENT_WORDS):
        return GOVERNMENT
    head = _head(words)
    last = re.sub(r"'s?$", "", head)
    personal = last in PERSON_ROLES or last in _PLURAL_PEOPLE
    if head != words[-1] and personal and last not in _ANONYMOUS_HEADS:
        return PERSON
    if any(w in _AGENCY_NAMES for w in words) or _has_phrase(lower, _AGENCY_NAMES):
        if last not in _DOCUMENT_WORDS:
            return AGENCY
    if last in _DOCUMENT_WORDS:
        return DOCUMENT
    before_head = text.split()[: words.index(head)]
    counted = any(t.lower() in _NUMBERS or t.lower() in ("a", "an") for t in before_head)
    if (
        last in ("official", "officials")
        and not counted
        and any(t[:1].isupper() for t in before_head)
    ):
        return GOVERNMENT  # "City officials", "Weather officials": their body speaks
    if last in _ANONYMOUS_HEADS and not _has_capital_name(before_head):
        return ANONYMOUS
    for kind, keywords in _KINDS:
        if last in keywords:
            return _agency_kind(lower) if kind == AGENCY else kind
    if last in PERSON_ROLES or last in _PLURAL_PEOPLE:
        return PERSON
    for kind, keywords in _KINDS:
        if any(w in keywords for w in words) or _has_phrase(lower, keywords):
            return _agency_kind(lower) if kind == AGENCY else kind
    if words[-1] in _ANONYMOUS_HEADS or last in _ANONYMOUS_HEADS:
        return ANONYMOUS
    if re.fullmatch(r"[A-Z][a-z]+[A-Z]\w*", text):
        return ORGANISATION  # "RailNord"
    if text.isupper():
        return ORGANISATION  # an acronym: "RTV", "UNHCR"
    return PERSON if text[:1].isupper() else ORGANISATION


# Lowercase words that put a body in the state: "the state Accident Investigation Board",
# "the national seismology institute", "Lao Binh Provincial Steering Committee".
_PUBLIC_LEVELS = _words(
    "state national federal provincial regional district municipal county city public"
)
_BODY_HEADS = _words(
    """board office committee commission service agency council bureau
    inspectorate directorate authority department ministry command"""
)
_MOUTHPIECES = _words("spokesman spokeswoman spokesperson spokespeople spokesmen")
_CAMEL = re.compile(r"(?!Mc|Mac|De|Di|Le|La|Van|Von)[A-Z][a-z]+[A-Z][a-z]\w*")


def _public_body(tokens: list[str], words: list[str]) -> str | None:
    """The kinds a phrase takes from its structure rather than from one keyword."""
    if len(tokens) == 1 and _CAMEL.fullmatch(tokens[0]):
        return ORGANISATION  # "SkyNord", "RailNord": one word with a capital inside
    head = re.sub(r"'s?$", "", _head(words))
    levels = words[: words.index(_head(words))]
    if head in _BODY_HEADS and any(w in _PUBLIC_LEVELS for w in levels):
        return GOVERNMENT
    if head in ("institute", "centre", "center") and any(t in _PUBLIC_LEVELS for t in tokens):
        return GOVERNMENT  # lowercase, as a description: not "Regional Democracy Institute"
    if head in _MOUTHPIECES:  # "a police spokeswoman", "a spokesman for the ministry"
        articles = ("a", "an", "the")
        body = [t for t in tokens[: len(levels)] if t.lower() not in articles]
        body = body or [t for t in tokens[len(levels) + 2 :] if t.lower() not in articles]
        kind = guess_kind(" ".join(body)) if body else None
        if kind in (GOVERNMENT, ORGANISATION, AGENCY, OUTLET):
            return kind  # speaks for that body
    return None


_KINDS = (
    (OUTLET, _OUTLET_WORDS),
    (GOVERNMENT, _GOVERNMENT_WORDS),
    (AGENCY, _AGENCY_WORDS),
    (ORGANISATION, _ORGANISATION_WORDS),
)


_PREPOSITIONS = frozenset("in at of from for with on close who whose which familiar".split())


def _head(words: list[str]) -> str:
    """The word a phrase is about: "protesters in Babil province" is about protesters."""
    for i, word in enumerate(words[1:], 1):
        if word in _PREPOSITIONS:
            return words[i - 1]
    return words[-1]


def _agency_kind(lower: str) -> str:
    """An "agency" is a news agency when it says so, otherwise a body of state."""
    return AGENCY if "news" in lower or "press" in lower else GOVERNMENT


def _has_phrase(lower: str, phrases: frozenset[str]) -> bool:
    return any(" " in p and p in lower for p in phrases)


_ALL_KEYWORDS = (
    _OUTLET_WORDS | _GOVERNMENT_WORDS | _ORGANISATION_WORDS | _AGENCY_WORDS | _DOCUMENT_WORDS
)


def _named_person(tokens: list[str]) -> bool:
    """A phrase ending in a personal name: "Nick Waters", "Mayor Jane Doe", "Canada's
    Foreign Minister Francois-Philippe Champagne" (not "Interior Ministry", "Reuters")."""
    last = tokens[-1].lower()
    if not is_name(tokens[-1]) or last in _ALL_KEYWORDS or last in _AGENCY_NAMES:
        return False
    if len(tokens) == 1 and (last in _ANONYMOUS_HEADS or last in _PLURAL_PEOPLE):
        return False  # "Officials said", "Witnesses said" at the start of a sentence
    lowers = [t.lower() for t in tokens]
    if any(w in PERSON_ROLES for w in lowers[:-1]):
        return True
    if _has_phrase(" ".join(lowers), _GOVERNMENT_WORDS | _ORGANISATION_WORDS):
        return False  # "Civil Defence", "Save the Children"
    if any(w in _ALL_KEYWORDS or w in _AGENCY_NAMES for w in lowers):
        return False
    return len(tokens) <= 3 and all(is_name(t) or t in ("de", "van", "al") for t in tokens)


def _has_capital_name(tokens: list[str]) -> bool:
    return any(is_name(t) and t.lower() not in PERSON_ROLES for t in tokens[1:])


def is_name(token: str) -> bool:
    """A capitalised word: "Varga", "Diallo-Traoré" (not "US", "officials")."""
    return token[:1].isupper() and bool(_NAME.match(token))


def is_keyword(word: str) -> bool:
    """A word that names a kind of body rather than one body: "hospital", "office"."""
    return word.lower() in _ALL_KEYWORDS


def is_plural_people(word: str) -> bool:
    """A plural common noun for people: "Engineers", "residents" (not "Reyes")."""
    return word.lower() in _PLURAL_PEOPLE


def is_person(name: str) -> bool:
    return guess_kind(name) == PERSON
