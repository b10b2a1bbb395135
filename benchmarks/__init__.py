"""Benchmarks of the bridge against its peers; run them with ``python benchmarks/run.py``."""
