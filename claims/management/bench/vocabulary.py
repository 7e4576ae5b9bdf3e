"""What the benchmark's claims are made of: who speaks, what they say, how it is ruled."""

STORIES = 200
SOURCES = 2000
RARE_EVERY = 10007  # one claim in ~10,000 names the rare commander: a selective search

SUBJECTS = [
    "The defence ministry",
    "A senior official",
    "The airline",
    "Local police",
    "The foreign minister",
    "Two anonymous officials",
    "The prime minister's office",
    "Investigators",
    "The state news agency",
    "A regional governor",
    "The embassy",
    "Civil aviation authorities",
    "Eyewitnesses",
    "The army spokesman",
    "Hospital staff",
    "The interior ministry",
    "A coalition spokesperson",
]
VERBS = [
    "said",
    "confirmed",
    "denied",
    "told reporters",
    "claimed",
    "stated",
    "reported",
    "announced",
    "insisted",
    "suggested",
]
# Every third claim is about a missile: the "common word" search.
TOPICS = [
    "that a surface-to-air missile struck the aircraft after take-off",
    "that the flight recorders will be sent abroad for analysis",
    "that rescue teams reached the crash site before dawn",
    "that the airport stayed open throughout the night",
    "that a second missile battery was moved near the capital",
    "that the death toll has been revised after a recount",
    "that protesters gathered outside the parliament building",
    "that the investigation will include foreign experts",
    "that the missile defence system was on high alert",
]
# Each story's figure, and how often a claim reports its value: about one claim in a hundred,
# so a figure of the million-claim run has some fifty reports. The period shares no factor
# with STORIES, so the reports spread over every story.
FIGURE_SUBJECTS = ["Victims", "Passengers", "Injured people", "Missiles fired", "Troops"]
REPORT_EVERY = 101
STATUSES = [
    "unverified",
    "unverified",
    "unverified",
    "unverified",
    "in_review",
    "in_review",
    "in_review",
    "confirmed",
    "confirmed",
    "confirmed",
    "false",
    "false",
    "misleading",
    "unproven",
    "unproven",
    "disputed",
    "unverified",
    "in_review",
    "confirmed",
    "unverified",
]
