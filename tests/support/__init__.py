"""Test-support code shared by the test-suite and the benchmarks (fake services, builders)."""
