"""factory_boy factories shared by the whole suite. Apps append theirs below, one section each."""

from __future__ import annotations

import factory

from accounts.models import Organisation, OrganisationKind, Role, User
from regions.models import Commune, Province

PASSWORD = "mat-khau-thu-nghiem-2026"


def province(name: str) -> Province:
    """A province of today's map. Transactional tests flush tables (including the map the migration
    loaded), so the map is reloaded when missing."""
    if not Province.objects.exists():
        from regions.loader import load_regions

        load_regions()
    return Province.objects.get(name=name)


def commune_of(prov: Province, kind: str | None = None) -> Commune:
    qs = Commune.objects.filter(province=prov).order_by("code")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.first()  # type: ignore[return-value]


# --- accounts ------------------------------------------------------------------------------------
class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Trung tâm Khuyến công số {n}")
    kind = OrganisationKind.CENTRE
    province = factory.LazyFunction(lambda: province("Tỉnh Phú Thọ"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Nguyễn"
    last_name = factory.Sequence(lambda n: f"Văn {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.is_staff = obj.role == Role.ADMIN
            obj.save()
