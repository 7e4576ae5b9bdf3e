"""One of everything a URL can point at, built through the services as the desk builds it."""

from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from claims import services
from claims.access import DESK_ROLES
from claims.models import (
    Attribution,
    Claim,
    EmailNotification,
    Evidence,
    Figure,
    FigureRevision,
    IngestCandidate,
    IngestJob,
    Note,
    OutboxEvent,
    Revision,
    Story,
    WebhookDelivery,
    WebhookSubscriber,
)
from claims.services import ingest
from claims.services.api_tokens import api_token_create
from sources.models import Source
from tests.support.factories import (
    ClaimFactory,
    EvidenceFactory,
    FigureFactory,
    ReportFactory,
    SourceFactory,
    StoryFactory,
    UserFactory,
)


@dataclass
class World:
    public_story: Story
    private_story: Story
    public_claim: Claim
    public_other: Claim
    private_claim: Claim
    private_other: Claim
    hidden_claim: Claim
    public_evidence: Evidence
    hidden_evidence: Evidence
    source: Source
    job: IngestJob
    candidate: IngestCandidate
    public_figure: Figure
    private_figure: Figure
    admin_objects: dict[str, int] = field(default_factory=dict)
    # The people the user admin's pages point at: a reporter, a superuser who is not the one
    # signed in, and the moderator (whose own pages they are, for the moderator).
    users: dict[str, int] = field(default_factory=dict)

    def claim(self, variant: str) -> Claim:
        claim = {"public": self.public_claim, "private": self.private_claim}.get(variant)
        return Claim.objects.get(pk=(claim or self.hidden_claim).pk)

    def other_claim(self, variant: str) -> Claim:
        return self.private_other if variant == "private" else self.public_other

    def figure(self, variant: str) -> Figure:
        return self.private_figure if variant == "private" else self.public_figure

    def story(self, variant: str) -> Story:
        return self.private_story if variant == "private" else self.public_story


def build_world(*, reporter, editor, moderator) -> World:
    public_story = StoryFactory(actor=editor, title="PS752 downed near Tehran", is_public=True)
    private_story = StoryFactory(actor=editor, title="Embargoed: PS752 black box", is_public=False)
    source = SourceFactory(name="Justin Trudeau")
    public_claim = ClaimFactory(story=public_story, actor=reporter, text="63 Canadians died.")
    public_other = ClaimFactory(story=public_story, actor=reporter, text="57 Canadians died.")
    private_claim = ClaimFactory(story=private_story, actor=reporter, text="Iran keeps the box.")
    private_other = ClaimFactory(story=private_story, actor=reporter, text="Iran sends the box.")
    hidden_claim = ClaimFactory(story=public_story, actor=reporter, text="A rumour about PS752.")
    public_evidence = EvidenceFactory(claim=public_claim, actor=reporter)
    hidden_evidence = EvidenceFactory(claim=hidden_claim, actor=reporter)
    EvidenceFactory(claim=private_claim, actor=reporter)  # so an editor may rule on it
    services.claim_hide(claim=Claim.objects.get(pk=hidden_claim.pk), actor=moderator)
    services.attribution_add(claim=public_claim, source=source, actor=reporter, quote="63 died")
    services.note_add(claim=public_claim, body="Check the manifest.", actor=reporter)
    fresh = Claim.objects.get(pk=public_claim.pk)
    services.claim_set_status(
        claim=fresh, status="in_review", rationale="", actor=editor, expected_version=fresh.version
    )
    public_figure, private_figure = (
        _figure_with_reports(story, subject, reporter)
        for story, subject in [(public_story, "Canadian victims"), (private_story, "Crew")]
    )
    job = ingest.ingest_job_create(
        story=public_story, text="Officials said 176 people were on board.", actor=reporter
    )
    candidate = IngestCandidate.objects.create(job=job, index=0, sentence="176 were on board.")
    world = World(
        public_story=public_story,
        private_story=private_story,
        public_claim=Claim.objects.get(pk=public_claim.pk),
        public_other=public_other,
        private_claim=private_claim,
        private_other=private_other,
        hidden_claim=hidden_claim,
        public_evidence=public_evidence,
        hidden_evidence=hidden_evidence,
        source=source,
        job=job,
        candidate=candidate,
        public_figure=public_figure,
        private_figure=private_figure,
    )
    world.admin_objects = _admin_objects(editor)
    world.users = {
        "reporter": world.admin_objects["auth_user"],
        "superuser": UserFactory(username="spare-root", is_superuser=True, is_staff=True).pk,
        "moderator": moderator.pk,
    }
    return world


def _figure_with_reports(story: Story, subject: str, reporter) -> Figure:
    """A figure with two reports (one to split off), and another to merge it into."""
    figure = FigureFactory(story=story, subject=subject, actor=reporter)
    for value in (63, 57):
        ReportFactory(figure=figure, value=value, actor=reporter,
                      source=SourceFactory(name=f"Official {value}"))  # fmt: skip
    FigureFactory(story=story, subject=f"{subject}, as counted again", actor=reporter)
    return figure


def user_form(user_id: int) -> dict:
    """The stock user form for one user, asking for every power there is: superuser and staff
    status, every desk role, a permission."""
    user = get_user_model().objects.get(pk=user_id)
    return {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": list(Group.objects.filter(name__in=DESK_ROLES).values_list("pk", flat=True)),
        "user_permissions": [Permission.objects.get(codename="delete_user").pk],
        "date_joined_0": "2020-01-08",
        "date_joined_1": "06:12:00",
    }


def _admin_objects(editor) -> dict[str, int]:
    """An object per admin model, spare where the admin may delete it (nothing depends on it)."""
    event = OutboxEvent.objects.order_by("pk").first()
    subscriber = WebhookSubscriber.objects.create(
        name="Partner", url="https://partner.example/hook", secret="s"
    )
    delivered_to = WebhookSubscriber.objects.create(
        name="Partner 2", url="https://partner.example/hook2", secret="s"
    )
    objects = {
        "auth_group": Group.objects.create(name="spare-group"),
        "auth_user": UserFactory(username="spare", role="reporter"),
        "sources_source": SourceFactory(name="Spare source"),
        "claims_story": StoryFactory(actor=editor, title="Spare story"),
        "claims_claim": Claim.objects.order_by("pk").first(),
        "claims_revision": Revision.objects.order_by("pk").first(),
        "claims_attribution": Attribution.objects.first(),
        "claims_evidence": Evidence.objects.order_by("pk").first(),
        "claims_note": Note.objects.first(),
        "claims_figure": Figure.objects.order_by("pk").first(),
        "claims_figurerevision": FigureRevision.objects.order_by("pk").first(),
        "claims_outboxevent": event,
        "claims_emailnotification": EmailNotification.objects.create(event=event, user=editor),
        "claims_webhooksubscriber": subscriber,
        "claims_apitoken": api_token_create(user=editor, name="Spare token")[0],
        "claims_webhookdelivery": WebhookDelivery.objects.create(
            event=event, subscriber=delivered_to
        ),
        "axes_accessattempt": AccessAttempt.objects.create(
            username="x", ip_address="127.0.0.1", failures_since_start=1
        ),
        "axes_accesslog": AccessLog.objects.create(username="x", ip_address="127.0.0.1"),
        "axes_accessfailurelog": AccessFailureLog.objects.create(
            username="x", ip_address="127.0.0.1"
        ),
    }
    ids = {label: obj.pk for label, obj in objects.items()}
    ids["content_type"] = ContentType.objects.get_for_model(Claim).pk
    return ids


def fingerprint() -> tuple:
    """Row counts of every table the desk owns (in one query: it runs around every POST),
    every claim's version, status and visibility, and every user's powers and password."""
    tables = [
        model._meta.db_table
        for app in ("claims", "sources", "auth", "axes")
        for model in apps.get_app_config(app).get_models()
    ]
    counts = ", ".join(f'(SELECT COUNT(*) FROM "{table}")' for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    claims = Claim.objects.order_by("pk").values_list("version", "status", "is_hidden")
    users = get_user_model().objects.order_by("pk")
    return (
        row
        + tuple(claims)
        + tuple(users.values_list("is_superuser", "is_staff", "is_active", "password"))
    )


def powers(actor) -> tuple:
    """What no one but a superuser grants: who is superuser or staff, which permissions users
    and groups hold, the actor's own roles, and every password but the actor's own."""
    actor_id = actor.pk if actor else None
    User = get_user_model()
    users = User.objects.order_by("pk")
    return (
        tuple(users.values_list("pk", "is_superuser", "is_staff")),
        tuple(users.exclude(pk=actor_id).values_list("pk", "password")),
        tuple(User.user_permissions.through.objects.order_by("pk").values_list("pk", "user_id")),
        tuple(Group.permissions.through.objects.order_by("pk").values_list("pk", "group_id")),
        tuple(User.groups.through.objects.filter(user_id=actor_id).order_by("pk").values_list()),
    )
