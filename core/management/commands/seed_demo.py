"""``manage.py seed_demo``: a demo province (Phú Thọ, which took in Hòa Bình and Vĩnh Phúc), a second
province to show the scope boundary, the national department, and a user of every role. Idempotent.

Apps add their own demo rows in a ``demo.py`` module with a ``seed(context)`` function; they are
called in the order of DEMO_MODULES once the organisations and users exist.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Organisation, OrganisationKind, Role, User
from core.demo_accounts import DEMO_PASSWORD, DEMO_USERS
from regions.models import Province

DEMO_MODULES = ["beneficiaries.demo", "projects.demo", "funding.demo", "reports.demo"]


def demo_organisations() -> dict[str, Organisation]:
    """The demo organisations, created if missing."""
    phutho = Province.objects.get(name="Tỉnh Phú Thọ")
    hanoi = Province.objects.get(name="Thành phố Hà Nội")
    specs = {
        "national": ("Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công", OrganisationKind.NATIONAL, None),
        "phutho_department": ("Sở Công Thương tỉnh Phú Thọ", OrganisationKind.DEPARTMENT, phutho),
        "phutho_centre": ("Trung tâm Khuyến công tỉnh Phú Thọ", OrganisationKind.CENTRE, phutho),
        "hanoi_department": ("Sở Công Thương thành phố Hà Nội", OrganisationKind.DEPARTMENT, hanoi),
        "hanoi_centre": (
            "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hà Nội",
            OrganisationKind.CENTRE,
            hanoi,
        ),
    }
    orgs = {}
    for key, (name, kind, province) in specs.items():
        orgs[key], _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "province": province}
        )
    return orgs


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: Phú Thọ, Hà Nội, cơ quan trung ương, người dùng mỗi vai trò (chạy lại an toàn)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            orgs = demo_organisations()
            users = {}
            for username, (first, last), org_key, role, _desc in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "organisation": orgs[org_key],
                        "role": role,
                    },
                )
                user.organisation, user.role = orgs[org_key], role
                user.is_staff = role == Role.ADMIN
                user.is_superuser = role == Role.ADMIN
                if created:
                    user.set_password(DEMO_PASSWORD)
                user.save()
                users[username] = user
            context = {"organisations": orgs, "users": users, "stdout": self.stdout}
            for module_name in DEMO_MODULES:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                module.seed(context)
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng."))
