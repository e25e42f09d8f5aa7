"""A small, money-carrying data set for the upgrade and backup drills, built through the services
(``manage.py shell -c "from tests.ops.populate import populate; populate()"``)."""

from __future__ import annotations

import datetime as dt


def populate() -> None:
    """Two provinces' users, a project in progress with its envelope, allocation, advance and
    payment recorded through the services, stored files, and a notification with its email."""
    from accounts.models import Role
    from funding import services
    from notifications.models import Kind
    from notifications.services import notify
    from tests.factories import (
        OrganisationFactory,
        UserFactory,
        budget_envelope,
        funded_allocation,
        money_project,
        province,
    )

    pa, pb = province("Tỉnh Phú Thọ"), province("Thành phố Hà Nội")
    org_a = OrganisationFactory.create(name="Trung tâm Khuyến công tỉnh Phú Thọ", province=pa)
    org_b = OrganisationFactory.create(name="Trung tâm Khuyến công Hà Nội", province=pb)
    staff_a = UserFactory.create(
        username="staff_a", organisation=org_a, role=Role.STAFF, email="a@example.gov.vn"
    )
    UserFactory.create(username="staff_b", organisation=org_b, role=Role.STAFF)
    manager_a = UserFactory.create(username="manager_a", organisation=org_a, role=Role.MANAGER)
    # Money only through the services (restore runs reconcile: shortcuts that set totals would fail it).
    project = money_project(pa, title="Đào tạo nghề dệt thổ cẩm Mai Châu", code="UPG-1", status="in_progress")
    budget_envelope(pa, amount=1_000_000_000)
    allocation = funded_allocation(project, manager_a, amount=200_000_000)
    services.advance_record(
        user=staff_a, allocation=allocation, amount=70_000_000, voucher_number="TU-1",
        voucher_date=dt.date(2026, 4, 1),
    )  # fmt: skip
    services.payment_record(
        user=staff_a, allocation=allocation, amount=12_345_678, voucher_number="PC-1",
        voucher_date=dt.date(2026, 4, 2),
    )  # fmt: skip
    # Stored files: an uploaded document and a generated report (default storage: disk or S3).
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("documents/upg-1/bien-ban-nghiem-thu.pdf", ContentFile(b"%PDF-1.4 bien ban\n" * 50))
    default_storage.save("reports/2026/12/bao-cao-nam.xlsx", ContentFile(bytes(range(256)) * 40))
    notify(kind=Kind.APPROVED, recipients=[staff_a], title="Đề án được phê duyệt", project=project)
