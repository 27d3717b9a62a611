"""Benchmarks: each prints, as its last line, one JSON object of figures measured in one run."""
