"""The parts of ``make bench``, one module per kind of measurement (see benchmarks/run.py)."""
