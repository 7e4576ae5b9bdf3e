"""Every URL × every role × GET and POST answers with the status declared here.

The URLs come from the resolver, so a URL added without an entry in EXPECTED (or, for an admin
model, in ADMIN_RIGHTS) fails the test. A URL whose kwargs point at a claim, story or evidence
is checked once per kind of object: in a public story, in a private story, hidden.

Each cell runs in a savepoint that is rolled back, so cells never see each other's writes; a
refused POST (403, 404, 405, or a redirect to a login page) must leave every table as it was,
and no POST by anyone but a superuser may grant what only a superuser grants (``powers``).
ADMIN_ACTIONS declares the actions each admin changelist offers each staff role; an action a
role is not offered must change nothing when it is posted anyway.

Status tokens, one per role in ROLES order: a number is the status; ``L`` is a redirect to the
desk's login page and ``A`` one to the admin's.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from claims.models import Figure
from tests.hardening.urlwalk import ADMIN_MODEL_URL, Route, all_routes, offered_actions
from tests.hardening.world import World, build_world, fingerprint, powers, user_form
from tests.support.factories import PASSWORD

ROLES = ("anonymous", "reporter", "editor", "moderator", "superuser")
NEW_PASSWORD = "Tehran-0612-flight-752"
NONE = "405 405 405 405 405"
DESK_READ = "L 200 200 200 200"
PUBLIC_READ = "200 200 200 200 200"
PUBLIC_GONE = "404 404 404 404 404"
DESK_WRITE = "L 302 302 403 302"  # reporters and editors write; moderators only moderate
DESK_WRITE_HIDDEN = "L 404 302 403 302"  # reporters cannot see hidden claims
EDITOR_WRITE = "L 403 302 403 302"
EDITOR_WRITE_HIDDEN = "L 404 302 403 302"
CREATOR = "L 200 200 403 200"
CREATOR_OF_STORIES = "L 403 200 403 200"  # editors start and run stories
DESK_FOLLOW = "L 302 302 302 302"  # everyone on the desk may follow what they can see
STAFF_ONLY = "A A A 200 200"
SUPERUSER_ONLY = "A A A 403 200"

# URL key -> {object variant: (GET statuses, POST statuses)}. "" when the URL takes no object.
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    # Site
    "unnamed:": {"": ("302 302 302 302 302", "302 302 302 302 302")},
    "healthz": {"": (PUBLIC_READ, NONE)},
    "login": {"": (PUBLIC_READ, "200 302 302 302 302")},
    "logout": {"": (NONE, "L L L L L")},
    # Desk
    "review_queue": {"": (DESK_READ, NONE)},
    "my_desk": {"": (DESK_READ, NONE)},
    "queue_bulk": {"": (NONE, "L 403 200 403 200")},  # editors act on many claims at once
    "queue_live": {"": (DESK_READ, NONE)},  # what changed since the queue was loaded
    "claim_live": {  # who else has the claim open, and what changed since it was loaded
        "public": (DESK_READ, NONE),
        "private": (DESK_READ, NONE),
        "hidden": ("L 404 200 200 200", NONE),
    },
    "claim_detail": {
        "public": (DESK_READ, NONE),
        "private": (DESK_READ, NONE),
        "hidden": ("L 404 200 200 200", NONE),
    },
    "claim_status": {
        "public": (NONE, EDITOR_WRITE),
        "private": (NONE, EDITOR_WRITE),
        "hidden": (NONE, EDITOR_WRITE_HIDDEN),
    },
    **{
        name: {
            "public": (NONE, DESK_WRITE),
            "private": (NONE, DESK_WRITE),
            "hidden": (NONE, DESK_WRITE_HIDDEN),
        }
        for name in (
            "claim_edit",
            "claim_evidence_add",
            "claim_attribution_add",
            "claim_assign",
            "claim_note_add",
        )
    },
    "claim_supersede": {
        "public": ("L 403 200 403 200", EDITOR_WRITE),
        "private": ("L 403 200 403 200", EDITOR_WRITE),
        "hidden": ("L 404 200 403 200", EDITOR_WRITE_HIDDEN),
    },
    "claim_watch": {
        "public": (NONE, DESK_FOLLOW),
        "private": (NONE, DESK_FOLLOW),
        "hidden": (NONE, "L 404 302 302 302"),
    },
    "story_detail": {"public": (DESK_READ, NONE), "private": (DESK_READ, NONE)},
    "story_new": {"": (CREATOR_OF_STORIES, EDITOR_WRITE)},
    "story_settings": {
        "public": (CREATOR_OF_STORIES, EDITOR_WRITE),
        "private": (CREATOR_OF_STORIES, EDITOR_WRITE),
    },
    "story_close": {"public": (NONE, EDITOR_WRITE), "private": (NONE, EDITOR_WRITE)},
    "story_public": {"public": (NONE, EDITOR_WRITE), "private": (NONE, EDITOR_WRITE)},
    "story_watch": {"public": (NONE, DESK_FOLLOW), "private": (NONE, DESK_FOLLOW)},
    "claim_new": {"public": (CREATOR, DESK_WRITE), "private": (CREATOR, DESK_WRITE)},
    "figure_detail": {"public": (DESK_READ, NONE), "private": (DESK_READ, NONE)},
    "figure_report": {"public": (NONE, DESK_WRITE), "private": (NONE, DESK_WRITE)},
    **{
        f"figure_{name}": {"public": (NONE, EDITOR_WRITE), "private": (NONE, EDITOR_WRITE)}
        for name in ("update", "merge", "split")
    },
    "source_detail": {"source": (DESK_READ, NONE)},
    # Ingest
    "ingest_new": {"": (CREATOR, DESK_WRITE)},
    "ingest_detail": {"job": (CREATOR, "L 405 405 405 405")},
    "ingest_status": {"job": (DESK_WRITE, "L 405 405 405 405")},
    "ingest_decide": {"candidate": ("L 405 405 405 405", DESK_WRITE)},
    "evidence_capture_state": {
        "public": (DESK_READ, "L 405 405 405 405"),
        "hidden": ("L 404 200 200 200", "L 405 405 405 405"),
    },
    # Public pages and feeds: private stories and hidden claims do not exist there, for anyone.
    "public_story_index": {"": (PUBLIC_READ, NONE)},
    "public_story": {"public": (PUBLIC_READ, NONE), "private": (PUBLIC_GONE, NONE)},
    "public_claim_canonical": {
        "public": ("301 301 301 301 301", NONE),
        "private": (PUBLIC_GONE, NONE),
        "hidden": (PUBLIC_GONE, NONE),
    },
    "public_claim": {
        "public": (PUBLIC_READ, NONE),
        "private": (PUBLIC_GONE, NONE),
        "hidden": (PUBLIC_GONE, NONE),
    },
    "public_figure": {"public": (PUBLIC_READ, NONE), "private": (PUBLIC_GONE, NONE)},
    "public_figure_feed": {"public": (PUBLIC_READ, NONE), "private": (PUBLIC_GONE, NONE)},
    "public_status_feed": {"": (PUBLIC_READ, NONE)},
    "public_story_feed": {"public": (PUBLIC_READ, NONE), "private": (PUBLIC_GONE, NONE)},
    "public_claim_feed": {
        "public": (PUBLIC_READ, NONE),
        "private": (PUBLIC_GONE, NONE),
        "hidden": (PUBLIC_GONE, NONE),
    },
    # The API (the matrix posts form data, which its JSON endpoints refuse with 400), the
    # embed and oEmbed.
    "api_v1:openapi-json": {"": ("200 200 200 200 200", "200 200 200 200 200")},
    "api_v1:openapi-view": {"": ("200 200 200 200 200", "200 200 200 200 200")},
    "api_v1:claims_list": {"": ("401 200 200 200 200", "401 400 400 400 400")},
    "api_v1:claims_get": {
        "public": ("401 200 200 200 200", "405 405 405 405 405"),
        "private": ("401 200 200 200 200", "405 405 405 405 405"),
        "hidden": ("401 404 200 200 200", "405 405 405 405 405"),
    },
    "api_v1:claims_status": {
        "public": ("405 405 405 405 405", "401 400 400 400 400"),
        "private": ("405 405 405 405 405", "401 400 400 400 400"),
        "hidden": ("405 405 405 405 405", "401 400 400 400 400"),
    },
    "api_v1:claims_supersede": {
        "public": ("405 405 405 405 405", "401 400 400 400 400"),
        "private": ("405 405 405 405 405", "401 400 400 400 400"),
        "hidden": ("405 405 405 405 405", "401 400 400 400 400"),
    },
    "api_v1:claims_evidence": {
        "public": ("405 405 405 405 405", "401 400 400 400 400"),
        "private": ("405 405 405 405 405", "401 400 400 400 400"),
        "hidden": ("405 405 405 405 405", "401 400 400 400 400"),
    },
    "api_v1:claims_attribution": {
        "public": ("405 405 405 405 405", "401 400 400 400 400"),
        "private": ("405 405 405 405 405", "401 400 400 400 400"),
        "hidden": ("405 405 405 405 405", "401 400 400 400 400"),
    },
    "api_v1:claims_hide": {
        "public": ("405 405 405 405 405", "401 400 400 400 400"),
        "private": ("405 405 405 405 405", "401 400 400 400 400"),
        "hidden": ("405 405 405 405 405", "401 400 400 400 400"),
    },
    "api_v1:claims_unhide": {
        "public": ("405 405 405 405 405", "401 400 400 400 400"),
        "private": ("405 405 405 405 405", "401 400 400 400 400"),
        "hidden": ("405 405 405 405 405", "401 400 400 400 400"),
    },
    "api_v1:claims_revisions": {
        "public": ("401 200 200 200 200", "405 405 405 405 405"),
        "private": ("401 200 200 200 200", "405 405 405 405 405"),
        "hidden": ("401 404 200 200 200", "405 405 405 405 405"),
    },
    "api_v1:stories_list": {"": ("401 200 200 200 200", "401 400 400 400 400")},
    "api_v1:stories_set_public": {
        "public": ("405 405 405 405 405", "401 400 400 400 400"),
        "private": ("405 405 405 405 405", "401 400 400 400 400"),
    },
    "api_v1:sources_list": {"": ("401 200 200 200 200", "401 400 400 400 400")},
    "api_v1:sources_get": {"": ("401 200 200 200 200", "405 405 405 405 405")},
    "api_v1:list_events": {"": ("200 200 200 200 200", "405 405 405 405 405")},
    "api_v1:stream_events": {"": ("200 200 200 200 200", "405 405 405 405 405")},
    "api_v1:claims_search": {"": ("200 200 200 200 200", "405 405 405 405 405")},
    "api_v1:api-root": {"": ("404 404 404 404 404", "404 404 404 404 404")},
    "public_claim_embed": {
        "public": ("200 200 200 200 200", "405 405 405 405 405"),
        "private": ("404 404 404 404 404", "405 405 405 405 405"),
        "hidden": ("404 404 404 404 404", "405 405 405 405 405"),
    },
    "public_oembed": {"": ("404 404 404 404 404", "405 405 405 405 405")},
    # The admin's own pages (its model pages follow ADMIN_RIGHTS)
    "admin:index": {"": (STAFF_ONLY, STAFF_ONLY)},
    "admin:login": {"": ("200 200 200 302 302", "200 200 200 302 302")},
    # Not staff: sent to the admin's index (and from there to its login); staff: logged out.
    "admin:logout": {"": ("302 302 302 405 405", "302 302 302 L L")},
    "admin:password_change": {"": (STAFF_ONLY, STAFF_ONLY)},
    "admin:password_change_done": {"": (STAFF_ONLY, "A A A 405 405")},
    "admin:autocomplete": {"": ("A A A 403 403", "A A A 405 405")},
    "admin:jsi18n": {"": (STAFF_ONLY, "A A A 405 405")},
    "admin:view_on_site": {"": ("A A A 302 302", "A A A 302 302")},
    "admin:app_list": {"": (STAFF_ONLY, STAFF_ONLY)},
    "unnamed:admin/(?P<url>.*)$": {"": ("A A A 404 404", "A A A 404 404")},
    # The user admin's pages for one user, per user (world.users). A change POST asks for every
    # power (world.user_form): a moderator's save keeps only what a moderator may set, which
    # the matrix checks on every POST by anyone but a superuser (world.powers).
    "admin:auth_user_change": {
        "reporter": (STAFF_ONLY, "A A A 302 302"),
        "superuser": (SUPERUSER_ONLY, "A A A 403 302"),
        "moderator": (STAFF_ONLY, "A A A 302 302"),
    },
    "admin:auth_user_history": {
        "reporter": (STAFF_ONLY, STAFF_ONLY),
        "superuser": (SUPERUSER_ONLY, SUPERUSER_ONLY),
        "moderator": (STAFF_ONLY, STAFF_ONLY),
    },
    "admin:auth_user_password_change": {
        "reporter": (SUPERUSER_ONLY, "A A A 403 302"),
        "superuser": (SUPERUSER_ONLY, "A A A 403 302"),
        "moderator": (STAFF_ONLY, "A A A 302 302"),  # their own password, for the moderator
    },
    "admin:auth_user_delete": {
        "reporter": (SUPERUSER_ONLY, "A A A 403 302"),
        "superuser": (SUPERUSER_ONLY, "A A A 403 302"),
    },
}

# Admin model -> what moderators and superusers may do there: view, add, change, delete.
# Reporters and editors are not staff: every admin page sends them to the admin's login.
# (The user admin's pages for one user are in EXPECTED, per user they point at.)
ADMIN_RIGHTS: dict[str, dict[str, str]] = {
    "auth_group": {"moderator": "", "superuser": "vacd"},
    "auth_user": {"moderator": "vc", "superuser": "vacd"},
    "axes_accessattempt": {"moderator": "", "superuser": "vcd"},
    "axes_accesslog": {"moderator": "", "superuser": "vcd"},
    "axes_accessfailurelog": {"moderator": "", "superuser": "vcd"},
    "sources_source": {"moderator": "vacd", "superuser": "vacd"},
    "claims_claim": {"moderator": "v", "superuser": "v"},  # rows only services write
    "claims_revision": {"moderator": "v", "superuser": "v"},
    "claims_story": {"moderator": "v", "superuser": "vac"},  # closed on the desk, not deleted
    "claims_attribution": {"moderator": "v", "superuser": "v"},
    "claims_evidence": {"moderator": "v", "superuser": "v"},
    "claims_note": {"moderator": "v", "superuser": "v"},
    "claims_outboxevent": {"moderator": "v", "superuser": "v"},
    "claims_emailnotification": {"moderator": "", "superuser": "v"},
    "claims_webhooksubscriber": {"moderator": "vac", "superuser": "vacd"},
    "claims_webhookdelivery": {"moderator": "v", "superuser": "v"},
    "claims_figure": {"moderator": "v", "superuser": "v"},  # changed on the desk only
    "claims_figurerevision": {"moderator": "v", "superuser": "v"},
    "claims_apitoken": {"moderator": "va", "superuser": "va"},  # revoked, never edited
}
# Saving an axes row changes nothing (every field is read-only), so the admin accepts it.
ADMIN_SAVES_EMPTY_FORM = {"axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
# Admin model -> the actions its changelist offers each staff role, besides "delete selected"
# (offered where ADMIN_RIGHTS gives the role "d"). An action a role may not take is not listed.
ADMIN_ACTIONS: dict[str, dict[str, str]] = {
    "auth_user": {"moderator": "activate deactivate", "superuser": "activate deactivate"},
    "axes_accessattempt": {"moderator": "", "superuser": "cleanup_expired_attempts"},
    "claims_claim": {"moderator": "hide unhide", "superuser": "set_status hide unhide"},
    "claims_revision": {"moderator": "redact", "superuser": "redact"},
    "claims_webhookdelivery": {"moderator": "retry", "superuser": "retry"},
    "claims_webhooksubscriber": {"moderator": "rotate_secret", "superuser": "rotate_secret"},
    "claims_apitoken": {"moderator": "revoke", "superuser": "revoke"},
}
STAFF = ("moderator", "superuser")


def admin_model_statuses(model: str, suffix: str) -> tuple[str, str] | None:
    """(GET, POST) statuses for one admin model page, from the model's declared rights."""
    rights = ADMIN_RIGHTS.get(model)
    if rights is None:
        return None
    get, post = ["A", "A", "A"], ["A", "A", "A"]
    for role in ("moderator", "superuser"):
        may = rights[role]
        sees = "v" in may or "c" in may
        answer = {
            "changelist": ("200" if sees else "403",) * 2,
            "history": ("200" if sees else "403",) * 2,
            "add": ("200" if "a" in may else "403",) * 2,
            "change": (
                "200" if sees else "403",
                ("302" if model in ADMIN_SAVES_EMPTY_FORM else "200") if "c" in may else "403",
            ),
            "delete": ("200", "302") if "d" in may else ("403", "403"),
            "redirect": ("302", "302"),
        }[suffix]
        get.append(answer[0])
        post.append(answer[1])
    return " ".join(get), " ".join(post)


def expected_for(route: Route) -> dict[str, tuple[str, str]] | None:
    if route.key in EXPECTED:
        return EXPECTED[route.key]
    admin = ADMIN_MODEL_URL.match(route.key) or _admin_redirect(route.key)
    if admin is None:
        return None
    statuses = admin_model_statuses(admin["model"], admin["suffix"])
    return None if statuses is None else {admin["model"]: statuses}


def _admin_redirect(key: str) -> dict | None:
    if key.startswith("admin:") and key.endswith("_redirect"):
        return {"model": key[len("admin:") : -len("_redirect")], "suffix": "redirect"}
    return None


# One path, two operations (list and create, read and edit): one entry answers for both.
for _read, _write in (
    ("api_v1:claims_list", "api_v1:claims_create"),
    ("api_v1:claims_get", "api_v1:claims_edit"),
    ("api_v1:stories_list", "api_v1:stories_create"),
    ("api_v1:sources_list", "api_v1:sources_create"),
):
    EXPECTED[_write] = EXPECTED[_read]

# URL kwargs and POST bodies for each object variant --------------------------------------


def url_kwargs(route: Route, variant: str, world: World) -> dict:
    objects = world.admin_objects
    values = {
        "claim_id": lambda: world.claim(variant).pk,
        "slug": lambda: (
            world.claim(variant).slug if route.key == "public_claim" else world.story(variant).slug
        ),
        "source_id": lambda: world.source.pk,
        "figure_id": lambda: world.figure(variant).pk,
        "job_id": lambda: world.job.pk,
        "candidate_id": lambda: world.candidate.pk,
        "decision": lambda: "dismiss",
        "evidence_id": lambda: (
            (world.hidden_evidence if variant == "hidden" else world.public_evidence).pk
        ),
        "fmt": lambda: "rss",
        # An admin model's object, a user, or (for view_on_site) a claim.
        "object_id": lambda: (
            world.users.get(variant) or objects.get(variant, world.public_claim.pk)
        ),
        "id": lambda: world.users[variant],
        "content_type_id": lambda: objects["content_type"],
        "app_label": lambda: "claims",
        "url": lambda: "no-such-page/",
    }
    return {param: values[param]() for param in route.params}


def post_data(route: Route, variant: str, world: World, user) -> dict:
    name = route.key
    if name.startswith("claim_") and name not in {"claim_new", "claim_detail"}:
        claim = world.claim(variant)
        base = {"version": claim.version}
        other = world.other_claim(variant)
        return base | {
            "claim_status": {"status": "confirmed", "rationale": "The manifest lists 63."},
            "claim_edit": {"text": "63 Canadians died on PS752."},
            "claim_evidence_add": {"url": "https://news.example/manifest", "stance": "supports"},
            "claim_attribution_add": {"source": world.source.pk, "quote": "63"},
            "claim_assign": {},
            "claim_supersede": {"by_number": other.pk, "note": "Duplicate."},
            "claim_note_add": {"body": "Call the embassy."},
            "claim_watch": {"watching": "1"},
        }.get(name, {})
    if name.startswith("figure_"):
        return figure_post(name, world.figure(variant))
    if name == "story_watch":
        return {"watching": "1"}
    if name == "queue_bulk":
        claim = world.claim("public")
        return {"action": "review", "claims": f"{claim.pk}:{claim.version}"}
    if name == "story_public":
        return {"is_public": "1"}
    if name == "story_new":
        return {"title": "Flight PS752 anniversary", "time_zone": "Asia/Tehran"}
    if name in {"story_settings", "story_close"}:
        story = world.story(variant)
        return {
            "story_settings": {
                "title": "Renamed",
                "description": "",
                "time_zone": "Asia/Tehran",
                "version": story.version,
            },
            "story_close": {"closed": "1", "version": story.version},
        }[name]
    if name == "claim_new":
        return {"text": "The aircraft left Tehran at 06:12."}
    if name == "ingest_new":
        return {"story": world.public_story.pk, "text": "Officials said 176 people died."}
    if name == "admin:auth_user_change":
        return user_form(world.users[variant])
    if name == "admin:auth_user_password_change":
        return {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    if name in {"login", "admin:login"}:
        username = user.username if user else "nobody"
        return {"username": username, "password": PASSWORD}
    if name.endswith("_delete"):
        return {"post": "yes"}
    return {}


def figure_post(name: str, figure: Figure) -> dict:
    """A valid form for each of the figure page's actions."""
    figure = Figure.objects.get(pk=figure.pk)
    version = {"version": figure.version}
    reports = list(figure.reports.order_by("pk").values_list("pk", flat=True))
    other = Figure.objects.filter(story=figure.story).exclude(pk=figure.pk).first()
    return {
        "figure_report": {
            "value": "57",
            "approximation": "exact",
            "source": "François-Philippe Champagne",
            "text": "Canada's foreign minister says 57 Canadians died.",
            "said_at": "2020-01-10T15:00",
        },
        "figure_update": version | {"subject": "Renamed figure", "kind": "count", "unit": ""},
        "figure_merge": version | {"into": other.pk},
        "figure_split": version | {"reports": [reports[-1]], "subject": "Split-off figure"},
    }.get(name, {})


# The matrix ----------------------------------------------------------------------------------


def answer(response) -> str:
    if response.status_code == 302:
        location = response.headers["Location"]
        if location.startswith("/admin/login/"):
            return "A"
        if location.startswith("/login/"):
            return "L"
    return str(response.status_code)


@dataclass(frozen=True)
class Cell:
    answer: str
    wrote: bool = False
    granted: bool = False  # gave someone a power only a superuser grants


def run_cell(path: str, method: str, data: dict, user) -> Cell:
    """One request in a rolled-back savepoint: its answer, and what it wrote."""
    with transaction.atomic():
        client = Client()
        if user is not None:
            client.force_login(user)
        if method == "GET":
            cell = Cell(answer(client.get(path)))
        else:
            before, held = fingerprint(), powers(user)
            response = client.post(path, data)
            superuser = user is not None and user.is_superuser
            granted = not superuser and powers(user) != held
            cell = Cell(answer(response), wrote=fingerprint() != before, granted=granted)
        transaction.set_rollback(True)
    return cell


REFUSED = {"A", "L", "403", "404", "405"}


@pytest.fixture
def people(reporter, editor, moderator, superuser) -> dict:
    return {"anonymous": None, "reporter": reporter, "editor": editor} | {
        "moderator": moderator,
        "superuser": superuser,
    }


@pytest.fixture
def world(people) -> World:
    return build_world(
        reporter=people["reporter"], editor=people["editor"], moderator=people["moderator"]
    )


def check_route(route: Route, world: World, people: dict, record: Callable) -> None:
    expected = expected_for(route)
    if expected is None:
        record(f"{route.key} ({route.route}): no entry in the authorization table")
        return
    for variant, statuses in expected.items():
        kwargs = url_kwargs(route, variant, world)
        path = route.path(kwargs)
        for method, wanted in zip(("GET", "POST"), statuses, strict=True):
            for role, want in zip(ROLES, wanted.split(), strict=True):
                user = people[role]
                data = post_data(route, variant, world, user) if method == "POST" else {}
                cell = run_cell(path, method, data, user)
                record(None)
                where = f"{method} {path} as {role} [{variant or '-'}]"
                if cell.answer != want:
                    record(f"{where}: {cell.answer}, expected {want}")
                if cell.answer in REFUSED and cell.wrote:
                    record(f"{where}: refused but wrote")
                if cell.granted:
                    record(f"{where}: granted what only a superuser grants")


def test_every_url_answers_every_role_as_declared(world, people):
    failures: list[str] = []
    cells = 0

    def record(failure: str | None) -> None:
        nonlocal cells
        if failure is None:
            cells += 1
        else:
            failures.append(failure)

    for route in all_routes():
        check_route(route, world, people, record)

    print(f"authorization matrix: {cells} URL × role × method cells")
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
    assert cells > 500


def offered_to(model: str, role: str) -> list[str]:
    deletes = ["delete_selected"] if "d" in ADMIN_RIGHTS[model][role] else []
    return deletes + ADMIN_ACTIONS.get(model, {}).get(role, "").split()


def check_actions(model: str, world: World, people: dict, record: Callable) -> None:
    """Each staff role is offered the actions declared for it, and an action it is not
    offered changes nothing when posted anyway."""
    path = reverse(f"admin:{model}_changelist")
    every = {action for role in STAFF for action in offered_to(model, role)}
    for role in STAFF:
        if not {"v", "c"} & set(ADMIN_RIGHTS[model][role]):
            continue
        client = Client()
        client.force_login(people[role])
        offered = offered_actions(client.get(path).text)
        if offered != offered_to(model, role):
            record(f"{path} offers {role} {offered}, expected {offered_to(model, role)}")
        for action in sorted(every - set(offered)):
            data = {
                "action": action,
                "_selected_action": [world.admin_objects[model]],
                "post": "yes",
                "status": "confirmed",
                "note": "The manifest lists 63.",
            }
            cell = run_cell(path, "POST", data, people[role])
            if cell.wrote or cell.granted:
                record(f"POST {path} action {action} as {role}: not offered, but wrote")


def test_every_admin_action_is_offered_only_to_the_roles_that_may_take_it(world, people):
    failures: list[str] = []
    models = [
        admin["model"]
        for route in all_routes()
        if (admin := ADMIN_MODEL_URL.match(route.key)) and admin["suffix"] == "changelist"
    ]

    for model in models:
        if model not in ADMIN_RIGHTS:
            failures.append(f"{model}: no entry in ADMIN_RIGHTS")
            continue
        check_actions(model, world, people, failures.append)

    assert set(ADMIN_ACTIONS) <= set(models)
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_the_table_names_only_urls_that_exist():
    keys = {route.key for route in all_routes()}

    assert set(EXPECTED) - keys == set()


def test_a_url_without_an_entry_is_reported(world, people):
    failures: list[str] = []
    route = Route(name="brand_new_page", route="brand-new/", params=())

    check_route(route, world, people, lambda failure: failure and failures.append(failure))

    assert failures == ["brand_new_page (brand-new/): no entry in the authorization table"]
