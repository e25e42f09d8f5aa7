"""Settings of ``make bench``: the project's own, plus references (a bare view, a plain admin site)."""

from khuyencong.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

# The manifest storage of production refuses vendor/chartjs/chart.umd.min.js (its source map is not
# vendored); the benchmark serves the same files without hashed names.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}  # noqa: F405
