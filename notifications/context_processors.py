"""The bell in the navbar: the user's unread notices, in one query (no COUNT: at most 100 are read).

The page itself only carries a placeholder; htmx loads the bell from ``notifications:bell`` after
the page, so no page pays for it in its own query budget.
"""

from __future__ import annotations

from typing import Any

from .models import Notification

BELL_ITEMS = 5
#: Past this many unread notices the bell says “99+”.
BELL_CAP = 100


def bell_for(user: Any) -> dict[str, Any]:
    rows = list(
        Notification.objects.for_user(user)
        .unread()
        .only("pk", "title", "created_at")
        .order_by("-created_at", "-id")[:BELL_CAP]
    )
    return {"unread": len(rows), "items": rows[:BELL_ITEMS]}
