"""Measuring the matcher: metrics, the ``brobygger evaluate`` harness, training and benchmarks."""
