"""The tests' settings: the portal's own, with DEBUG's development conveniences turned on explicitly
(DEBUG defaults to false; pytest-django still runs each test with DEBUG off)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
# A loaded test machine is slow, not down: /healthz gets more time than production's 2.5 s (the tests of
# its budget set it back).
os.environ.setdefault("KC_HEALTH_TIMEOUT", "10")

from khuyencong.settings import *  # noqa: F403
