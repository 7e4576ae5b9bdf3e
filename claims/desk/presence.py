"""Who has a claim's page open: short-lived marks in the shared cache (Redis), renewed by
the page's poll.

Each claim has one cache entry mapping a user's id to their name and when their page last
polled. An entry whose poll is older than PRESENCE_SECONDS is gone, and the whole key expires
that long after the last poll, so a colleague who left disappears within PRESENCE_SECONDS.
Two polls landing at once may lose one renewal; the next poll, a few seconds later, puts it
back, long before it would count as gone. With the local-memory cache of ``make run`` the
same works within the one process.
"""

import time

from django.core.cache import cache

PRESENCE_SECONDS = 30


def presence_key(claim_id: int) -> str:
    return f"presence:claim:{claim_id}"


def claim_presence(*, claim_id: int, user_id: int, username: str) -> list[str]:
    """Mark the user on the claim's page now, and return the names of the others on it."""
    key = presence_key(claim_id)
    now = time.time()
    marks = {
        other: (name, seen)
        for other, (name, seen) in (cache.get(key) or {}).items()
        if now - seen < PRESENCE_SECONDS and other != user_id
    }
    cache.set(key, {**marks, user_id: (username, now)}, PRESENCE_SECONDS)
    return sorted(name for name, _ in marks.values())


def here_phrase(names: list[str]) -> str:
    """Who is here: "eddie is here", "eddie and olga are here", "a, b and 2 others are here"."""
    if not names:
        return ""
    if len(names) == 1:
        return f"{names[0]} is here"
    if len(names) <= 3:
        return f"{', '.join(names[:-1])} and {names[-1]} are here"
    return f"{', '.join(names[:2])} and {len(names) - 2} others are here"
