"""The benchmark's users: staff and manager of Phú Thọ, a national manager and an admin."""

from __future__ import annotations

from accounts.models import Organisation, OrganisationKind, Role, User
from regions.models import Province

BENCH_PASSWORD = "khuyencong2026"
BENCH_PROVINCE = "Tỉnh Phú Thọ"


def ensure_bench_users() -> dict[str, User]:
    """Create (once) the organisations and users the benchmark logs in as."""
    phutho = Province.objects.get(name=BENCH_PROVINCE)
    national, _ = Organisation.objects.get_or_create(
        name="Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công",
        defaults={"kind": OrganisationKind.NATIONAL, "province": None},
    )
    centre, _ = Organisation.objects.get_or_create(
        name="Trung tâm Khuyến công tỉnh Phú Thọ",
        defaults={"kind": OrganisationKind.CENTRE, "province": phutho},
    )
    department, _ = Organisation.objects.get_or_create(
        name="Sở Công Thương tỉnh Phú Thọ",
        defaults={"kind": OrganisationKind.DEPARTMENT, "province": phutho},
    )
    specs = {
        "bench.staff": (centre, Role.STAFF),
        "bench.manager": (department, Role.MANAGER),
        "bench.national": (national, Role.MANAGER),
        "bench.admin": (national, Role.ADMIN),
    }
    users = {}
    for username, (org, role) in specs.items():
        user, created = User.objects.get_or_create(
            username=username, defaults={"organisation": org, "role": role, "first_name": username}
        )
        if created:
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.set_password(BENCH_PASSWORD)
            user.save()
        users[username] = user
    return users
