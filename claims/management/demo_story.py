"""The PS752 demo story, in the desk's own words, from the live-updates page behind it."""

from datetime import UTC, datetime

from sources.models import Source

STORY_TITLE = "Ukrainian airliner PS752 downed near Tehran"
STORY_SLUG = "ps752"
STORY_DESCRIPTION = (
    "Ukraine International Airlines flight PS752 crashed shortly after take-off from "
    "Tehran on 8 January 2020, killing everyone aboard. Governments, officials and "
    "investigators made competing statements about the toll and the cause."
)
PRIVATE_TITLE = "Iraq protests against foreign presence (desk only)"
PRIVATE_SLUG = "iraq-protests"

SOURCES = [
    ("Francois-Philippe Champagne", Source.Kind.PERSON, "Canada's foreign minister."),
    ("Justin Trudeau", Source.Kind.PERSON, "Prime Minister of Canada."),
    ("Government of Canada", Source.Kind.GOVERNMENT, "Federal government of Canada."),
    ("Volodymyr Zelenskiy", Source.Kind.PERSON, "President of Ukraine."),
    ("US officials (anonymous)", Source.Kind.ANONYMOUS, "Unnamed US government officials."),
    ("UK sources (anonymous)", Source.Kind.ANONYMOUS, "Unnamed British officials."),
    ("Nick Waters", Source.Kind.PERSON, "Senior investigator at Bellingcat."),
    ("Donald Trump", Source.Kind.PERSON, "President of the United States."),
    ("Mike Pompeo", Source.Kind.PERSON, "US Secretary of State."),
    ("Iraqi police sources", Source.Kind.ANONYMOUS, "Police in Salahuddin province."),
    ("Reuters", Source.Kind.AGENCY, "International news agency."),
    ("Associated Press", Source.Kind.AGENCY, "International news agency."),
    ("The Guardian", Source.Kind.OUTLET, "British newspaper."),
    ("Middle East Eye", Source.Kind.OUTLET, "News outlet covering the Middle East."),
    ("Fox News", Source.Kind.OUTLET, "US television network."),
]


def when(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2020, 1, day, hour, minute, tzinfo=UTC)


# The numbers the story depends on: key, subject in the desk's words, kind, unit.
FIGURES = [
    ("toll", "Canadian citizens killed on PS752", "count", "people"),
    ("aboard", "People aboard PS752", "count", "people"),
    ("missiles", "Missiles launched at PS752", "count", "missiles"),
]

# Each claim: text; the figure value it reports, if any (figure key, value) and the report it
# replaces; attributions (source, outlet, url, time, quote; a report's first is who gave the
# value), evidence (stance, url, excerpt, source), then the ruling (status, rationale).
CLAIMS = [
    {
        # Canada's first count of its dead, replaced two days later by the foreign minister's.
        "key": "toll-first",
        "text": "Canada says 63 of its citizens died when PS752 came down.",
        "reports": ("toll", 63),
        "attributions": [
            (
                "Government of Canada",
                "Government of Canada briefing",
                "",
                when(8, 20),
                "63 Canadians were on board",
            ),
        ],
        "evidence": [],
        "ruling": None,
    },
    {
        "key": "toll-revised",
        "text": "Canada's foreign minister says 57 Canadians died on PS752, not 63.",
        "reports": ("toll", 57),
        "supersedes": "toll-first",
        "note": "The foreign minister revised the count to 57.",
        "attributions": [
            (
                "Francois-Philippe Champagne",
                "News conference, Ottawa",
                "",
                when(10, 16),
                "the number of Canadian victims is 57, not 63 as was first stated",
            ),
        ],
        "evidence": [
            (
                "supports",
                "https://www.canada.ca/en/global-affairs/news/ps752-update.html",
                "Global Affairs Canada: 57 Canadian citizens among the victims.",
                "Government of Canada",
            ),
        ],
        "ruling": (
            "confirmed",
            "Confirmed by the foreign minister on the record and by Global Affairs Canada's "
            "list; the first figure of 63 counted people travelling on to Canada.",
        ),
    },
    {
        "key": "aboard-manifest",
        "text": "The passenger manifest lists 167 passengers and 9 crew, 176 people in all.",
        "reports": ("aboard", 176),
        "attributions": [
            (
                "Reuters",
                "Reuters",
                "",
                when(8, 12),
                "167 passengers and nine crew members",
            ),
        ],
        "evidence": [],
        "ruling": ("in_review", ""),
    },
    {
        "key": "aboard-officials",
        "text": "US officials say all 176 people on board the Ukrainian airliner were killed.",
        "reports": ("aboard", 176),
        "attributions": [
            (
                "US officials (anonymous)",
                "Reuters",
                "",
                when(9, 15),
                "led to deaths of all 176 people on board",
            ),
        ],
        "evidence": [],
        "ruling": None,
    },
    {
        "key": "aboard",
        "text": "Everyone aboard flight PS752, 176 passengers and crew, was killed.",
        "reports": ("aboard", 176),
        "attributions": [
            (
                "Justin Trudeau",
                "National Press Theatre, Ottawa",
                "",
                when(9, 17),
                "killing all 176 passengers and crew",
            ),
        ],
        "evidence": [
            (
                "supports",
                "https://www.reuters.com/article/ps752-passenger-list",
                "Airline and Ukrainian officials published a manifest: 167 passengers, 9 crew.",
                "Reuters",
            ),
        ],
        "ruling": (
            "confirmed",
            "The airline's manifest and Ukrainian officials agree: 167 "
            "passengers and 9 crew, with no survivors.",
        ),
    },
    {
        "key": "missile",
        "text": "PS752 was probably brought down by an Iranian surface-to-air missile.",
        "attributions": [
            (
                "Justin Trudeau",
                "National Press Theatre, Ottawa",
                "",
                when(9, 17),
                "likely brought down by an Iranian missile, citing intelligence from Canadian "
                "and other sources",
            ),
            (
                "US officials (anonymous)",
                "Reuters",
                "",
                when(9, 15),
                "US officials believe that Iranian missiles caused the crash",
            ),
        ],
        "evidence": [
            (
                "supports",
                "https://pm.gc.ca/en/news/statements/ps752-intelligence",
                "The prime minister cited intelligence from several sources pointing to a missile",
                "Government of Canada",
            ),
            (
                "context",
                "https://www.middleeasteye.net/news/ps752-investigators-cautious",
                "A Bellingcat investigator said he would wait for data he could verify himself.",
                "Middle East Eye",
            ),
        ],
        "ruling": (
            "unproven",
            "Two governments cite intelligence they have not published; no "
            "verifiable data yet. We will revisit when investigators report.",
        ),
    },
    {
        "key": "satellites",
        "text": "US satellites saw two missile launches shortly before the airliner went down.",
        "reports": ("missiles", 2),
        "attributions": [
            (
                "US officials (anonymous)",
                "Reuters",
                "",
                when(9, 16),
                "US satellites had detected the launch of two missiles shortly before the plane "
                "crashed",
            ),
        ],
        "evidence": [
            (
                "context",
                "https://www.middleeasteye.net/news/ps752-investigators-cautious",
                "Investigators remained cautious of reports citing anonymous western officials.",
                "Middle East Eye",
            ),
        ],
        "ruling": (
            "unproven",
            "One anonymous US official, through Reuters; no imagery or data has been published "
            "to show two launches.",
        ),
    },
    {
        "key": "accident",
        "text": "Washington believes the airliner was shot down by accident.",
        "attributions": [
            (
                "US officials (anonymous)",
                "Reuters",
                "",
                when(9, 16),
                "the downing of the plane was accidental",
            ),
        ],
        "evidence": [],
        "ruling": None,
    },
    {
        "key": "zelenskiy",
        "text": "Ukraine has neither ruled out nor confirmed that a missile downed PS752.",
        "attributions": [
            (
                "Volodymyr Zelenskiy",
                "Reuters",
                "",
                when(10, 9),
                "had not been ruled out but it had not been confirmed yet",
            ),
        ],
        "evidence": [
            (
                "supports",
                "https://www.president.gov.ua/en/news/ps752-statement",
                "The Ukrainian president's office statement on the investigation.",
                None,
            ),
        ],
        "ruling": ("confirmed", "The president's office statement says exactly this."),
    },
    {
        "key": "uk",
        "text": "Britain has seen US intelligence suggesting an Iranian air-defence missile hit "
        "the plane.",
        "attributions": [
            (
                "UK sources (anonymous)",
                "The Guardian",
                "",
                when(9, 18),
                "the plane had been hit by an Iranian air defence missile",
            ),
        ],
        "evidence": [
            (
                "context",
                "https://www.theguardian.com/world/ps752-uk-intelligence",
                "Only unnamed sources; the UK government has not said so on the record.",
                "The Guardian",
            ),
        ],
        "ruling": (
            "disputed",
            "Reported only through anonymous sources; Iran denies any missile hit the aircraft.",
        ),
    },
    {
        "key": "black-box",
        "text": "Iran intends to keep PS752's black box inside the country for now.",
        "attributions": [
            (
                "Justin Trudeau",
                "National Press Theatre, Ottawa",
                "",
                when(9, 17),
                "For the moment Iran plans to keep the black box",
            ),
        ],
        "evidence": [],
        "ruling": ("in_review", ""),
    },
    {
        "key": "shahlai",
        "text": "The US military tried and failed to kill IRGC commander Abdul Reza Shahlai on "
        "the day Soleimani died.",
        "attributions": [
            (
                "US officials (anonymous)",
                "Associated Press",
                "",
                when(10, 14),
                "a military air attack targeted Abdul Reza Shahlai ... the mission was not "
                "successful",
            ),
        ],
        "evidence": [
            (
                "context",
                "https://apnews.com/article/shahlai-mission",
                "The Pentagon declined to discuss the classified operation.",
                "Associated Press",
            ),
        ],
        "ruling": ("unproven", "Anonymous officials only; the Pentagon declined to comment."),
    },
    {
        "key": "embassies",
        "text": "Iran was preparing attacks on four US embassies when Soleimani was killed.",
        "attributions": [
            (
                "Donald Trump",
                "Fox News",
                "",
                when(10, 20),
                "I can reveal that I believe it would have been four embassies",
            ),
        ],
        "evidence": [
            (
                "refutes",
                "https://www.foxnews.com/politics/pompeo-imminent-attacks-interview",
                "The Secretary of State said the US did not know precisely when or where attacks "
                "would happen.",
                "Fox News",
            ),
        ],
        "ruling": (
            "misleading",
            "Presented as established, but the Secretary of State said the "
            "US did not know where or when; no evidence of four targets was offered.",
        ),
    },
    {
        "key": "rocket",
        "text": "A rocket that fell near Balad air base in Salahuddin caused no casualties.",
        "attributions": [
            ("Iraqi police sources", "Reuters", "", when(9, 21), "It caused no casualties."),
        ],
        "evidence": [],
        "ruling": None,
    },
]

PRIVATE_CLAIMS = [
    "Protesters in Babil province rejected both the US and Iranian presence in Iraq.",
    "Demonstrations are planned for 10 January to renew the anti-government movement.",
]
