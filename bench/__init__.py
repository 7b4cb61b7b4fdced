"""Benchmarks: each script runs alone (see bench/run.py and the README)."""
