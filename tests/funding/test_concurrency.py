"""Staff paying at the same moment cannot overspend: 120 payments race at one allocation.

Each thread has its own database connection (Django's connections are per thread). The server allows
100 connections in total and other suites share it, so 40 threads fire 3 payments each, all released
together by a barrier; the row lock in ``entry_record`` serialises them.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections
from django.db.models import Sum

from core.errors import DomainError
from funding import services
from funding.models import Allocation, MoneyEntry
from tests.factories import funded_allocation, money_project

THREADS = 40
PER_THREAD = 3
PAYMENT = 1_000_000
ALLOCATED = 100 * PAYMENT  # room for exactly 100 of the 120 payments


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_never_exceed_the_allocation(province_a, manager_a, staff_a):
    project = money_project(province_a, status="accepted")  # accepted: the whole allocation is payable
    allocation = funded_allocation(project, manager_a, amount=ALLOCATED)
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(PER_THREAD):
                try:
                    services.payment_record(
                        user=staff_a,
                        allocation=allocation,
                        amount=PAYMENT,
                        voucher_number=f"PC-{n:03d}-{i}",
                        voucher_date=dt.date(2026, 5, 1),
                    )
                    result = "ok"
                except DomainError:
                    result = "refused"
                with lock:
                    outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert len(outcomes) == THREADS * PER_THREAD
    assert outcomes.count("ok") == 100
    assert outcomes.count("refused") == 20
    allocation = Allocation.objects.get(pk=allocation.pk)
    assert allocation.paid == ALLOCATED
    assert allocation.remaining == 0
    ledger = MoneyEntry.objects.filter(allocation=allocation).aggregate(s=Sum("amount"))["s"]
    assert ledger == allocation.paid
