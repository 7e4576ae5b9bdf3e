"""The newsroom desk: htmx pages for the queue, claims, stories, sources and ingest.

Each URL serves a full page and, for htmx requests, only the fragment that changed; every
action also works as a plain form post.
"""
