"""Covenant benchmarks (not tests): ``python bench/run.py --help``; figures in BENCHMARKS.md."""
