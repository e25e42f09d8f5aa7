from tests.matrix import READ_ALL, Case

CASES = [
    Case("core:home", READ_ALL),
    Case("core:healthz", READ_ALL, public=True, anonymous=200),
    # Without KC_METRICS_TOKEN the metrics page does not exist, whoever asks (tests/ops/test_observability.py).
    Case("core:metrics", dict.fromkeys(READ_ALL, 404), public=True, anonymous=404),
]
