"""Benchmarks of AM Desktop against raw baselines measured in the same run (PRODUCT.md §4)."""
