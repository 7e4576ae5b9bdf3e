"""factory_boy factories. Claims and stories are made through the services, as users make them."""

from datetime import UTC, datetime, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims import services
from claims.access import ensure_roles
from claims.models import Claim, Evidence, Figure, Story
from sources.models import Source

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A desk user; ``role=`` puts them in that group (moderators also get admin access)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            if not Group.objects.filter(name=extracted).exists():
                ensure_roles()  # a transactional test's flush removed the migrated groups
            self.groups.add(Group.objects.get(name=extracted))
            self.is_staff = self.is_staff or extracted == "moderator"
        self.set_password(PASSWORD)
        self.save()


class _ServiceFactory(factory.Factory):
    """Builds objects by calling a service, so every invariant holds in tests too."""

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Build through the service with create().")


class StoryFactory(_ServiceFactory):
    class Meta:
        model = Story

    title = factory.Sequence(lambda n: f"Ukrainian airliner PS752 downed near Tehran ({n})")
    is_public = True
    actor = factory.SubFactory(UserFactory, role="editor")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.story_create(**kwargs)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Government spokesperson {n}")
    kind = Source.Kind.PERSON


class ClaimFactory(_ServiceFactory):
    class Meta:
        model = Claim

    story = factory.SubFactory(StoryFactory)
    text = factory.Sequence(lambda n: f"The aircraft carried {170 + n} passengers and crew.")
    actor = factory.SubFactory(UserFactory, role="reporter")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.claim_create(**kwargs)


class FigureFactory(_ServiceFactory):
    class Meta:
        model = Figure

    story = factory.SubFactory(StoryFactory)
    subject = factory.Sequence(lambda n: f"Canadian citizens killed on PS752 ({n})")
    kind = Figure.Kind.COUNT
    unit = "people"
    actor = factory.SubFactory(UserFactory, role="reporter")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.figure_create(**kwargs)


class ReportFactory(_ServiceFactory):
    """A claim reporting a value of a figure, said by a source: ``figure_report``."""

    class Meta:
        model = Claim

    figure = factory.SubFactory(FigureFactory)
    value = 63
    text = factory.LazyAttribute(lambda o: f"Canada says {o.value} of its citizens died on PS752.")
    source = factory.SubFactory(SourceFactory)
    said_at = factory.Sequence(lambda n: datetime(2020, 1, 8, 20, tzinfo=UTC) + timedelta(hours=n))
    quote = factory.LazyAttribute(lambda o: f"{o.value} Canadians were on board")
    actor = factory.SubFactory(UserFactory, role="reporter")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.figure_report(**kwargs)


class EvidenceFactory(_ServiceFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    url = factory.Sequence(lambda n: f"https://news.example/ps752/report-{n}")
    stance = Evidence.Stance.SUPPORTS
    actor = factory.SubFactory(UserFactory, role="reporter")
    capture = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.evidence_add(**kwargs)
