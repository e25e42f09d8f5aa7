from tests.matrix import READ_ALL, Case

CASES = [
    Case("core:home", READ_ALL),
    Case("core:healthz", READ_ALL, public=True, anonymous=200),
]
