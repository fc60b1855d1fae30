"""Benchmarks; run them as scripts from the repository root (`python bench/run.py`)."""
