"""Benchmarks run by `make bench`: each prints absolute figures and ratios to a baseline measured in the same run."""
