"""The known support caps (domain.md §3), seeded by migration 0002 and reloadable by tests and demo.

Admins edit and add rules in the Django admin; a project is checked against the rule in force on its
approval date. Shares are per-mille, multipliers percent (integers: no floats near money).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DECREE_235_IN_FORCE = dt.date(2025, 10, 15)
OLD_RULES_FROM = dt.date(2012, 7, 5)
OLD_RULES_UNTIL = DECREE_235_IN_FORCE - dt.timedelta(days=1)

# category code, name, legal basis, from, until, share ‰, ceiling per facility, priority %, line %
CAP_RULES: list[tuple[str, str, str, dt.date, dt.date | None, int, int | None, int, int]] = [
    (
        "ND45-03",
        "Máy móc, chuyển giao công nghệ: ≤ 50% chi phí, ≤ 300 triệu đồng/cơ sở",
        "Nghị định 235/2025/NĐ-CP",
        DECREE_235_IN_FORCE,
        None,
        500,
        300_000_000,
        100,
        150,
    ),
    (
        "ND45-03",
        "Mô hình trình diễn (quy định cũ): ≤ 30% chi phí, ≤ 500 triệu đồng/mô hình",
        "Thông tư 28/2018/TT-BTC",
        OLD_RULES_FROM,
        OLD_RULES_UNTIL,
        300,
        500_000_000,
        150,
        100,
    ),
    (
        "ND45-04",
        "Hội chợ, triển lãm: ≤ 80% chi phí thuê gian hàng",
        "Thông tư 28/2018/TT-BTC",
        OLD_RULES_FROM,
        None,
        800,
        None,
        150,
        100,
    ),
    (
        "ND45-05",
        "Tư vấn: ≤ 50% chi phí, ≤ 35 triệu đồng/cơ sở",
        "Thông tư 28/2018/TT-BTC",
        OLD_RULES_FROM,
        None,
        500,
        35_000_000,
        150,
        100,
    ),
]


def load_cap_rules(apps: Any = None) -> int:
    """Create the known rules that are missing (idempotent); returns how many were created."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    ActivityCategory = apps.get_model("projects", "ActivityCategory")
    SupportCapRule = apps.get_model("funding", "SupportCapRule")
    created = 0
    for code, name, basis, start, until, share, ceiling, priority, line in CAP_RULES:
        category = ActivityCategory.objects.filter(code=code).first()
        if category is None:
            continue
        _rule, was_created = SupportCapRule.objects.get_or_create(
            category=category,
            valid_from=start,
            defaults={
                "name": name,
                "legal_basis": basis,
                "valid_until": until,
                "share_permille": share,
                "ceiling_per_facility": ceiling,
                "priority_multiplier_pct": priority,
                "line_multiplier_pct": line,
            },
        )
        created += was_created
    return created
