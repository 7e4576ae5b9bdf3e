"""Who may do what, and who sees what: every permission and visibility rule of Claimdesk.

Roles are the Django groups ``reporter``, ``editor`` and ``moderator``; each action maps to
one model permission, so superusers pass and a role gains an action in the admin.

Objects are reached through one ``access_<thing>_by_<key>`` function each (Zulip's
``access_stream_by_id``): a missing object and one the user may not see raise the same
``Http404``, so a URL never tells an outsider what exists. The public side (pages, feeds,
JSON-LD, webhooks) reads through the ``public_*`` functions at the end of this module: a
claim is public when its story is public and moderation has not hidden it.
"""

from claims.access.api import *  # noqa: F403
from claims.access.desk import *  # noqa: F403
from claims.access.figures import *  # noqa: F403
from claims.access.people import *  # noqa: F403
from claims.access.public import *  # noqa: F403
from claims.access.roles import *  # noqa: F403
from claims.access.stories import *  # noqa: F403
from claims.access.work import *  # noqa: F403
