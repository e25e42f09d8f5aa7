"""factory_boy factories shared by the whole suite. Apps append theirs below, one section each."""

from __future__ import annotations

from typing import Any

import factory

from accounts.models import Organisation, OrganisationKind, Role, User
from projects.models import Project
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
    commune = qs.first()
    if commune is None:
        raise LookupError(f"{prov}: no commune of kind {kind!r}")
    return commune


# --- accounts ------------------------------------------------------------------------------------
class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Trung tâm Khuyến công số {n}")
    kind = OrganisationKind.CENTRE
    province = factory.LazyFunction(lambda: province("Tỉnh Phú Thọ"))


class UserFactory(factory.django.DjangoModelFactory[User]):
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
    def _save(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.is_staff = obj.role == Role.ADMIN
            obj.save()


# --- projects ------------------------------------------------------------------------------------
def activity_category(code: str = "ND45-01"):
    """A category loaded by projects' data migration (reloaded after a transactional test's flush)."""
    import importlib

    from django.apps import apps

    from projects.models import ActivityCategory

    if not ActivityCategory.objects.exists():
        importlib.import_module("projects.migrations.0002_load_categories").load(apps, None)
    return ActivityCategory.objects.get(code=code)


def project_facility(prov: Province, name: str, **kwargs):
    """A rural facility in a commune (xã) of ``prov``, eligible for support."""
    from beneficiaries.models import Facility

    commune = kwargs.pop("commune", None) or commune_of(prov, "xã")
    kwargs.setdefault("kind", "ho_kinh_doanh")
    return Facility.objects.create(name=name, commune=commune, province=prov, **kwargs)


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = "projects.Project"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TST-2026-{n:03d}")
    title = factory.Sequence(lambda n: f"Hỗ trợ ứng dụng máy móc chế biến chè số {n}")
    start_year = 2026
    end_year = 2026
    funding_level = "kcdp"
    category = factory.LazyFunction(activity_category)
    province = factory.LazyFunction(lambda: province("Tỉnh Phú Thọ"))
    managing_organisation = factory.SubFactory(
        OrganisationFactory,
        name=factory.LazyAttribute(lambda o: f"Sở Công Thương {o.province.short_name} (thử nghiệm)"),
        kind=OrganisationKind.DEPARTMENT,
        province=factory.SelfAttribute("..province"),
    )
    implementing_unit_name = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp"
    objectives = "Hỗ trợ cơ sở ứng dụng máy móc tiên tiến."
    total_cost = 350_000_000
    created_by = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("created_by")

    @factory.post_generation
    def communes(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.communes.set(extracted if extracted is not None else [commune_of(obj.province, "xã")])


# --- funding -------------------------------------------------------------------------------------
def money_project(
    prov: Province | None = None, *, category: str = "ND45-01", status: str = "approved", **kwargs
):
    """A project (approved by default) ready to receive money; cap rules reloaded after a flush."""
    import datetime as dt

    from funding.reference import load_cap_rules

    cat = activity_category(category)
    load_cap_rules()
    decided = status not in ("draft", "submitted", "returned", "appraised", "rejected")
    kwargs.setdefault("total_cost", 400_000_000)
    if decided:
        kwargs.setdefault("decision_number", "125/QĐ-SCT")
        kwargs.setdefault("decision_date", dt.date(2026, 3, 2))
    return ProjectFactory.create(
        province=prov or province("Tỉnh Phú Thọ"), category=cat, status=status, **kwargs
    )


def budget_envelope(prov: Province, *, year: int = 2026, level: str = "kcdp", amount: int = 2_000_000_000):
    from funding.models import BudgetEnvelope

    env, _ = BudgetEnvelope.objects.get_or_create(
        province=prov, year=year, level=level, defaults={"amount": amount, "decision_number": "01/QĐ-UBND"}
    )
    return env


def cost_plan_line(project, *, source: str = "kcdp", year: int = 2026, amount: int):
    """Make the project's cost plan line of ``source`` and ``year`` at least ``amount`` (written directly:
    the sum-to-total rule of the cost plan form is not what these tests are about)."""
    from funding.models import CostPlanLine

    line, created = CostPlanLine.objects.get_or_create(
        project=project, source=source, year=year, defaults={"amount": amount}
    )
    if not created and line.amount < amount:
        line.amount = amount
        line.save(update_fields=["amount"])
    return line


def funded_allocation(project, user, *, amount: int = 200_000_000, source: str = "kcdp", year: int = 2026):
    """An envelope (if missing), a cost plan line covering it, and an allocation recorded through the
    service."""
    import datetime as dt

    from funding import services

    budget_envelope(project.province, year=year, level=source)
    cost_plan_line(project, source=source, year=year, amount=amount)
    return services.allocation_create(
        user=user,
        project=project,
        source=source,
        year=year,
        amount=amount,
        decision_number="125/QĐ-SCT",
        decision_date=dt.date(2026, 3, 2),
    )


# --- beneficiaries -------------------------------------------------------------------------------
def facility(prov: Province | None = None, **kwargs):
    """A facility with a valid tax code in a xã of ``prov`` (see tests/beneficiaries/factories.py)."""
    from tests.beneficiaries.factories import FacilityFactory

    return FacilityFactory.create(province=prov or province("Tỉnh Phú Thọ"), **kwargs)
