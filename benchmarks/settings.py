"""Settings of ``make bench``: the project's own, plus references (a bare view, a plain admin site)."""

from khuyencong.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

# The national data generator (``generate_national_data``) is a bench tool, never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "benchdata"]  # noqa: F405

# The manifest storage of production refuses vendor/chartjs/chart.umd.min.js (its source map is not
# vendored); the benchmark serves the same files without hashed names.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}  # noqa: F405
