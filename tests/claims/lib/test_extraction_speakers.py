"""Speakers: every attribution in a sentence, resolved across sentences, with its kind."""

import pytest

from claims.lib.extraction.sourcekinds import guess_kind
from claims.lib.extraction.speakers import SpeakerContext, find_speaker, find_speakers


def _said(*sentences: str) -> list[list[tuple[str, str]]]:
    """(speaker, kind) of each sentence's attributions, read in order as one text, as
    they stand once the whole text is read."""
    context = SpeakerContext()
    said = [context.resolve_all(s, find_speakers(s)) for s in sentences]
    return [[(a["speaker"], a["kind"]) for a in attributions] for attributions in said]


def _vias(*sentences: str) -> list:
    context = SpeakerContext()
    return [[a["via"] for a in context.resolve_all(s, find_speakers(s))] for s in sentences]


# --------------------------------------------------------------------------- one sentence


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Police said 40 people had died, while the Red Cross said the toll was 52.",
            [("Police", "government"), ("Red Cross", "organisation")],
        ),
        (
            "At least 12 people were hurt, according to Reuters.",
            [("Reuters", "agency")],
        ),
        (
            "Health Minister Amara Osei told a news conference that 31 people had died.",
            [("Amara Osei", "person")],
        ),
        (
            "The Interior Ministry said in a statement that 200 homes were flooded.",
            [("Interior Ministry", "government")],
        ),
        (
            '"We have found 14 bodies," said rescue chief Tom Reyes.',
            [("Tom Reyes", "person")],
        ),
        (
            '"We have found 14 bodies," rescue chief Tom Reyes told reporters.',
            [("Tom Reyes", "person")],
        ),
        (
            "Nick Waters, a senior investigator at Bellingcat, said the images were genuine.",
            [("Nick Waters", "person")],
        ),
        ("The chief engineer, Lena Varga, said the dam had held.", [("Lena Varga", "person")]),
        (
            "Mayor Ivan Petrov, speaking at a news conference, said 14 streets were closed.",
            [("Ivan Petrov", "person")],
        ),
        (
            "Correction: The Interior Ministry has revised the death toll to 31.",
            [("Interior Ministry", "government")],
        ),
        ("The ministry put the death toll at 31.", [("ministry", "government")]),
        (
            "State broadcaster RTV reported that 20 people were missing.",
            [("State broadcaster RTV", "outlet")],
        ),
        (
            "A rocket fell near the base, police sources said, according to Reuters.",
            [("police sources", "anonymous"), ("Reuters", "agency")],
        ),
        (
            "According to figures from the health ministry, 40 people died.",
            [("health ministry", "government")],
        ),
    ],
)
def test_attributions_in_one_sentence(sentence, expected):
    assert _said(sentence) == [expected]


def test_a_plural_common_noun_opening_the_sentence_is_not_the_speaker():
    for sentence in (
        "Engineers inspected the dam overnight, chief engineer Lena Varga said.",
        "Engineers have confirmed cracks in the dam, chief engineer Lena Varga said.",
    ):
        assert _said(sentence) == [[("Lena Varga", "person")]]
    assert _said("Rescuers said 12 people were trapped.") == [[("Rescuers", "person")]]


def test_anonymous_officials_keep_their_phrase():
    [[(speaker, kind)]] = _said(
        "A senior official who spoke on condition of anonymity said the blast was sabotage."
    )
    assert kind == "anonymous" and "senior official" in speaker
    assert _said("Two security sources told Reuters the blast was deliberate.") == [
        [("Two security sources", "anonymous")]
    ]
    [[(speaker, kind)]] = _said("An official, who asked not to be named, said it was arson.")
    assert kind == "anonymous" and "official" in speaker


def test_speech_verbs_inside_a_quote_are_not_attributions():
    sentence = '"As the minister said, we are ready," Mayor Jane Doe said on Tuesday.'
    assert _said(sentence) == [[("Jane Doe", "person")]]


def test_a_figure_verb_needs_a_figure():
    assert find_speakers("Engineers raised the barrier before the storm.") == []
    assert find_speakers("The agency raised its estimate to 40.")[0].title == "the agency"


# --------------------------------------------------------------------------- across sentences


def test_titles_resolve_to_the_last_compatible_name():
    assert _said(
        "US President Ana Lind visited the flooded town.",
        "The president said 40 homes were lost.",
    ) == [[], [("Ana Lind", "person")]]
    assert _vias("Health Minister Amara Osei said 12 died.", "The minister said 3 were hurt.") == [
        [None],
        ["the minister"],
    ]


def test_an_unresolved_title_is_kept_as_written():
    assert _said("The president said 40 homes were lost.") == [[("president", "person")]]
    assert _vias("The president said 40 homes were lost.") == [[None]]


def test_a_title_does_not_resolve_to_a_name_without_its_role():
    assert _said("Amara Osei said 12 died.", "The minister said 3 were hurt.") == [
        [("Amara Osei", "person")],
        [("minister", "person")],
    ]


def test_pronouns_and_organisation_references_resolve():
    said = _said(
        "The Interior Ministry said 40 people had died.",
        "It later revised the toll to 31.",
        "Health Minister Amara Osei visited the hospital.",
        "She said 12 doctors were on duty.",
        "The ministry said 12 were missing.",
    )
    assert said == [
        [("Interior Ministry", "government")],
        [("Interior Ministry", "government")],
        [],
        [("Amara Osei", "person")],
        [("Interior Ministry", "government")],
    ]


def test_the_company_and_it_refer_to_the_last_organisation():
    assert _said(
        "Acme Power said 3,000 homes were without electricity.",
        "The company said crews were working.",
        "The Red Cross opened a shelter for 200 people.",
        "It said more were expected.",
    ) == [
        [("Acme Power", "organisation")],
        [("Acme Power", "organisation")],
        [],
        [("Red Cross", "organisation")],
    ]


def test_a_pronoun_with_nothing_to_refer_to_is_left_out():
    assert _said('"At least 30 people died," he said.') == [[]]


def test_a_continuing_quote_paragraph_keeps_its_speaker():
    assert _said('"The dam held," engineer Tom Berg said.', '"But 3 villages flooded."') == [
        [("Tom Berg", "person")],
        [("Tom Berg", "person")],
    ]


def test_the_single_speaker_api_still_works():
    found = find_speaker("The storm destroyed 12 homes, the mayor said.")
    assert found is not None and found.text == "mayor" and found.title == "the mayor"
    context = SpeakerContext()
    assert context.resolve("The storm destroyed 12 homes, the mayor said.", found) == "mayor"
    he = find_speaker('"We will rebuild," he said.')
    assert he is not None and he.pronoun == "he"
    assert context.resolve('"We will rebuild," he said.', he) is None


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Interior Ministry", "government"),
        ("Ministry of Interior", "government"),
        ("the presidency", "government"),
        ("police", "government"),
        ("Environment Agency", "government"),
        ("the coastguard", "government"),
        ("Health Minister Amara Osei", "person"),
        ("Nick Waters", "person"),
        ("the mayor", "person"),
        ("residents", "person"),
        ("Red Cross", "organisation"),
        ("Doctors Without Borders", "organisation"),
        ("Acme Corp", "organisation"),
        ("the union", "organisation"),
        ("Reuters", "agency"),
        ("Anadolu Agency", "agency"),
        ("the Associated Press", "agency"),
        ("BBC", "outlet"),
        ("state television", "outlet"),
        ("The Daily Herald", "outlet"),
        ("the report", "document"),
        ("two security sources", "anonymous"),
        ("a senior official who spoke on condition of anonymity", "anonymous"),
        ("sources familiar with the matter", "anonymous"),
        ("One US official", "anonymous"),
        ("City officials", "government"),
        ("state Rail Safety Board", "government"),
        ("national meteorology institute", "government"),
        ("Regional Democracy Institute", "organisation"),
        ("SkyLark", "organisation"),
        ("MacArthur", "person"),
        ("Civil Defence", "government"),
        ("regional civil defence chief Ramon Ortiz", "person"),
        ("a police spokesman", "government"),
        ("Treasury", "government"),
        ("Lena Ortiz's campaign", "organisation"),
    ],
)
def test_guess_kind(name, kind):
    assert guess_kind(name) == kind


# --------------------------------------------------------------------------- cost


def test_a_long_run_of_names_before_a_verb_is_read_a_bounded_way():
    sentence = " ".join(["Name"] * 5000) + " said 3 people died."
    [speaker] = find_speakers(sentence)
    assert len(speaker.text.split()) <= 14


def test_a_surname_resolves_to_the_full_name_said_earlier():
    assert _said(
        "District police chief Ramesh Adhikari said 9 people were dead.",
        "Adhikari now says 11 people are dead.",
        "Estrella Energy said six workers were killed.",
        "The union made an accusation Estrella denied.",
    ) == [
        [("Ramesh Adhikari", "person")],
        [("Ramesh Adhikari", "person")],
        [("Estrella Energy", "organisation")],
        [("Estrella Energy", "organisation")],
    ]


def test_one_body_said_twice_in_a_sentence_is_one_attribution():
    assert _said("The Arland Central Bank held its rate at 4.25%, it said in a statement.") == [
        [("Arland Central Bank", "government")]
    ]


def test_passive_revisions_name_their_source_after_by():
    assert _said("The toll was amended by the Ministry of Shipping to 27.") == [
        [("Ministry of Shipping", "government")]
    ]
    assert _said("Six residents who had been reported missing were found safe.") == [[]]


# --------------------------------------------------------------------------- phrases


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Some 300 homes lost power, according to the regional water management office.",
            [("regional water management office", "government")],
        ),
        (
            "The tremor was shallow, the national meteorology institute said.",
            [("national meteorology institute", "government")],
        ),
        (
            "The roof gave way, according to a preliminary report by the county fire inspectorate.",
            [("county fire inspectorate", "government")],
        ),
        (
            "According to the information of the Ministry of Ports, 12 barges sank.",
            [("Ministry of Ports", "government")],
        ),
        (
            "A spokesman for the port authority said four ships were stranded.",
            [("port authority", "government")],
        ),
        (
            "The organisers of the march, the Nurses' Union of the region, said 9,000 took part.",
            [("Nurses' Union of the region", "organisation")],
        ),
        ("Marek's campaign said the count was wrong.", [("Marek's campaign", "organisation")]),
        ("The council declared that 3 May is a day of mourning.", [("council", "government")]),
        (
            "The Harbour Authority has closed the port and does not rule out further closures.",
            [("Harbour Authority", "government")],
        ),
        (
            "The Treasury later revised its forecast, saying growth would be 1%.",
            [("Treasury", "government")],
        ),
        (
            "Nine people died, the Coastal Herald reported, citing a hospital official.",
            [("Coastal Herald", "outlet"), ("hospital official", "anonymous")],
        ),
        (
            "The ministry denied a report by Radio 5 television that troops had crossed.",
            [("ministry", "government"), ("Radio 5 television", "outlet")],
        ),
        (
            "Reyes, a former pilot, accused the airline of negligence, a charge the airline's"
            " chief, Ana Ruiz, rejected.",
            [("Reyes", "person"), ("Ana Ruiz", "person")],
        ),
    ],
)
def test_speaker_phrases(sentence, expected):
    assert _said(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "The council declared 3 May a day of mourning.",
        "The toll of 40 that the agency announced on Monday was later revised.",
        "The mayor would not comment until the review reported.",
    ],
)
def test_verbs_that_report_nothing(sentence):
    assert _said(sentence) == [[]]


def test_a_verb_inside_reported_speech_is_not_a_second_attribution():
    assert _said("The Coastal Aid Office said survivors had told its staff 80 were aboard.") == [
        [("Coastal Aid Office", "government")]
    ]
    assert _said("Forecasters said Storm Kira brought winds of 150 km/h.") == [
        [("Forecasters", "person")]
    ]


def test_a_title_is_filled_in_by_a_name_that_follows():
    assert _said(
        "The governor said 30 people died.",
        "Governor Ana Ruiz toured the coast on Friday.",
    ) == [[("Ana Ruiz", "person")], []]
    assert _said(
        "Ferry toll now 12, says port operator",
        "The toll has risen to 12, the state port operator PortLine said.",
    ) == [[("PortLine", "organisation")], [("PortLine", "organisation")]]


def test_her_office_is_the_office_of_the_person_last_named():
    said = _said("Mayor Lina Berg said 5 died.", "Her office said she would visit on Monday.")
    assert said == [[("Lina Berg", "person")], [("Lina Berg's office", "government")]]


def test_an_acronym_resolves_to_the_body_it_abbreviates():
    assert _said("The Coastal Rescue Service said 3 died.", "The CRS later raised it to 4.") == [
        [("Coastal Rescue Service", "government")],
        [("Coastal Rescue Service", "government")],
    ]


def test_a_name_said_again_keeps_its_kind():
    assert _said(
        "The motorway operator Via Lunara said 3 lanes were shut.",
        "Via Lunara denied the claim.",
    ) == [[("Via Lunara", "organisation")], [("Via Lunara", "organisation")]]


def test_an_unnamed_body_is_remembered_for_its_shorter_title():
    assert _said(
        "The regional health office reports 40 cases.",
        "Two more cases were found, the health office said.",
    ) == [[("regional health office", "government")], [("regional health office", "government")]]


def test_a_body_title_does_not_resolve_to_its_spokesperson():
    assert _said(
        "Police spokeswoman Clara Menzies said 30 people were inside.",
        "The police said the building was sealed.",
    ) == [[("Clara Menzies", "person")], [("police", "government")]]
